package io.github.longrope.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.rope.CriticalDimension;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeInspection;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longrope rope}: inspect a RoPE configuration. Prints, for a variant given by flags or by
 * an HF {@code config.json}, the inverse frequencies, the equivalent factors λ and the attention
 * scale at a sequence length, optionally cos/sin rows at positions, and can export the variant as
 * an HF {@code rope_scaling} object or λ as a factor file.
 */
@Command(name = "rope", mixinStandardHelpOptions = true)
public final class RopeCommand implements Callable<Integer> {
  @ArgGroup(validate = false, heading = "%nRoPE scaling (the same flags on every model command):%n")
  RopeOptions rope = new RopeOptions();

  @Mixin JsonOption json;

  @Mixin GeometryOptions head;

  @Option(names = "--seq-len", paramLabel = "N")
  Integer seqLen;

  @Option(names = "--train-length", paramLabel = "N")
  Integer trainLength;

  @Option(names = "--layer", paramLabel = "I")
  int layer;

  @Option(names = "--position", paramLabel = "P", split = ",")
  int[] positions;

  @Option(names = "--write-hf", paramLabel = "FILE")
  Path writeHf;

  @Option(names = "--write-factors", paramLabel = "FILE")
  Path writeFactors;

  /** What to inspect. */
  public record Request(
      RopeGeometry geometry,
      RopeScaling scaling,
      int originalLength,
      int seqLength,
      int layer,
      int[] positions,
      Path writeHf,
      Path writeFactors,
      List<String> warnings,
      int trainLength) {}

  /** The {@code --json} document (L and the regime only when known, positions when asked). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Report(
      String type,
      int rotaryDim,
      double base,
      int seqLen,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer originalLength,
      int layer,
      int layers,
      double[] invFreq,
      double[] factors,
      double attentionScale,
      @JsonInclude(JsonInclude.Include.NON_NULL) String regime,
      int startTokens,
      ObjectNode ropeScaling,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RopeInspection.PositionRow> positions,
      List<String> warnings,
      @JsonInclude(JsonInclude.Include.NON_NULL) CriticalReport criticalDimension) {
    Report(RopeInspection r, List<String> warnings, CriticalReport critical) {
      this(
          r.scaling().typeName(),
          r.geometry().rotaryDim(),
          r.geometry().base(),
          r.seqLength(),
          r.originalLength() > 0 ? r.originalLength() : null,
          r.layer(),
          r.scaling().layers(),
          r.frequencies().inverseFrequencies(),
          r.frequencies().factors(),
          r.frequencies().attentionScale(),
          r.regime(),
          r.frequencies().startTokens(),
          HfRopeConfig.toJson(r.scaling()),
          r.positions(),
          warnings,
          critical);
    }
  }

  @Override
  public Integer call() {
    Request q = request();
    RopeInspection r = run(q);
    CriticalReport c =
        q.trainLength() > 0
            ? CriticalReport.of(new CriticalDimension(q.geometry(), q.trainLength()), true)
            : null;
    json.warn(q.warnings());
    return json.report(
        new Report(r, q.warnings(), c), () -> c == null ? r.text() : r.text() + text(c));
  }

  private static String text(CriticalReport c) {
    return c.line()
        + "; pairs from "
        + c.theoreticalPair()
        + " on complete fewer than one period in L_train"
        + System.lineSeparator();
  }

  private Request request() {
    List<String> warnings = new ArrayList<>();
    HfRopeConfig.Loaded cfg = head.config();
    RopeGeometry geometry = head.geometry(cfg);
    int original = cfg == null ? 0 : cfg.originalLength();
    int maxPos = cfg == null ? 0 : cfg.maxPositionEmbeddings();
    if (cfg != null) {
      warnings.addAll(cfg.warnings());
    }
    RopeScaling scaling =
        cfg != null && !rope.given()
            ? cfg.scaling()
            : rope.resolve(geometry.pairs(), original, warnings);
    original = scaling.originalLengthOr(original);
    int n = seqLen != null ? seqLen : defaultSeqLen(scaling, original, maxPos);
    if (trainLength != null && trainLength < 1) {
      throw new IllegalArgumentException("--train-length must be >= 1, got " + trainLength);
    }
    return new Request(
        geometry,
        scaling,
        original,
        n,
        layer,
        positions == null ? new int[0] : positions,
        writeHf,
        writeFactors,
        warnings,
        trainLength != null ? trainLength : Math.max(original, 0));
  }

  private static int defaultSeqLen(RopeScaling scaling, int original, int maxPos) {
    if (maxPos > 0) {
      return maxPos;
    }
    if (scaling instanceof LongRopeScaling l) {
      return l.targetLength();
    }
    return Math.max(original, 1);
  }

  /** Computes the frequencies (and writes the requested files). */
  public static RopeInspection run(Request r) {
    if (r.layer() < 0 || r.layer() >= Math.max(1, r.scaling().layers())) {
      throw new IllegalArgumentException(
          "--layer "
              + r.layer()
              + " out of range: the factors have "
              + r.scaling().layers()
              + " row(s)");
    }
    for (int p : r.positions()) {
      if (p < 0) {
        throw new IllegalArgumentException("--position must be >= 0, got " + p);
      }
    }
    RopeInspection i =
        RopeInspection.of(
            r.scaling(), r.geometry(), r.originalLength(), r.seqLength(), r.layer(), r.positions());
    if (r.writeHf() != null) {
      AtomicFiles.writeString(r.writeHf(), Json.write(HfRopeConfig.toJson(r.scaling())));
    }
    if (r.writeFactors() != null) {
      FactorFile.write(r.writeFactors(), FactorTable.of(i.frequencies().factors()));
    }
    return i;
  }
}
