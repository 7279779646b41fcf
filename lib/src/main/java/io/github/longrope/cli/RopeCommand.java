package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.RopeFrequencies;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeScaling;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code longrope rope}: inspect a RoPE configuration. Prints, for a variant given by flags or by
 * an HF {@code config.json}, the inverse frequencies, the equivalent factors λ and the attention
 * scale at a sequence length, optionally cos/sin rows at positions, and can export the variant as
 * an HF {@code rope_scaling} object or λ as a factor file.
 */
@Command(
    name = "rope",
    mixinStandardHelpOptions = true,
    description = {
      "Show inverse frequencies, factors λ and attention scale of a RoPE variant.",
      "Give the variant by flags (--type ...) or by --hf-config config.json; flags override the config."
    })
public final class RopeCommand implements Callable<Integer> {
  @ArgGroup(validate = false, heading = "%nRoPE scaling (the same flags on every model command):%n")
  RopeOptions rope = new RopeOptions();

  @Mixin JsonOption json;

  @Option(
      names = "--hf-config",
      paramLabel = "FILE",
      description =
          "HF config.json: geometry from head_dim (or hidden_size/num_attention_heads),"
              + " partial_rotary_factor, rope_theta; scaling from rope_scaling/rope_parameters.")
  Path hfConfig;

  @Option(names = "--head-dim", paramLabel = "D", description = "Head dimension (default 128).")
  Integer headDim;

  @Option(
      names = "--partial-rotary-factor",
      paramLabel = "F",
      description = "Fraction of the head dimension that rotates (default 1).")
  Double partialRotaryFactor;

  @Option(names = "--base", paramLabel = "B", description = "RoPE base rope_theta (default 10000).")
  Double base;

  @Option(
      names = "--seq-len",
      paramLabel = "N",
      description = "Current total sequence length (default: L' when known, else L, else 1).")
  Integer seqLen;

  @Option(names = "--layer", paramLabel = "I", description = "Decoder layer for per-layer factors.")
  int layer;

  @Option(
      names = "--position",
      paramLabel = "P",
      split = ",",
      description = "Also print cos/sin (with n̂ splice and attention scale) at these positions.")
  int[] positions;

  @Option(
      names = "--write-hf",
      paramLabel = "FILE",
      description = "Write the variant as an HF rope_scaling JSON object.")
  Path writeHf;

  @Option(
      names = "--write-factors",
      paramLabel = "FILE",
      description = "Write the equivalent λ at --seq-len/--layer as a factor file (one per line).")
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
      List<String> warnings) {}

  /** cos/sin at one position. */
  public record PositionRow(int position, double[] cos, double[] sin) {}

  /** The answer: everything the command prints. */
  public record Report(
      RopeScaling scaling,
      RopeGeometry geometry,
      int originalLength,
      int seqLength,
      int layer,
      RopeFrequencies frequencies,
      List<PositionRow> positions,
      List<String> warnings) {}

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Report report = run(request());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    report.warnings().forEach(w -> err.println("warning: " + w));
    err.flush();
    out.print(json.enabled() ? Json.write(toJson(report)) : toText(report));
    out.flush();
    return 0;
  }

  private Request request() {
    List<String> warnings = new ArrayList<>();
    RopeGeometry geometry;
    RopeScaling scaling;
    int original;
    int maxPos = 0;
    if (hfConfig != null) {
      HfRopeConfig.Loaded cfg = HfRopeConfig.read(hfConfig);
      warnings.addAll(cfg.warnings());
      geometry = cfg.geometry();
      if (headDim != null || base != null || partialRotaryFactor != null) {
        warnings.add("--head-dim/--base/--partial-rotary-factor are ignored with --hf-config");
      }
      original = cfg.originalLength();
      maxPos = cfg.maxPositionEmbeddings();
      scaling = rope.given() ? rope.resolve(geometry.pairs(), original, warnings) : cfg.scaling();
    } else {
      geometry =
          RopeGeometry.of(
              headDim == null ? 128 : headDim,
              partialRotaryFactor == null ? 1.0 : partialRotaryFactor,
              base == null ? 10000 : base);
      scaling = rope.resolve(geometry.pairs(), 0, warnings);
      original = scaling.originalLengthOr(0);
    }
    original = scaling.originalLengthOr(original);
    int n = seqLen != null ? seqLen : defaultSeqLen(scaling, original, maxPos);
    return new Request(
        geometry,
        scaling,
        original,
        n,
        layer,
        positions == null ? new int[0] : positions,
        writeHf,
        writeFactors,
        warnings);
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

  /** Computes the report (and writes the requested files). */
  public static Report run(Request r) {
    if (r.layer() < 0 || r.layer() >= Math.max(1, r.scaling().layers())) {
      throw new IllegalArgumentException(
          "--layer "
              + r.layer()
              + " out of range: the factors have "
              + r.scaling().layers()
              + " row(s)");
    }
    RopeFrequencies f = r.scaling().frequencies(r.geometry(), r.seqLength(), r.layer());
    List<PositionRow> rows = new ArrayList<>();
    for (int p : r.positions()) {
      if (p < 0) {
        throw new IllegalArgumentException("--position must be >= 0, got " + p);
      }
      rows.add(new PositionRow(p, f.cos(p), f.sin(p)));
    }
    if (r.writeHf() != null) {
      AtomicFiles.writeString(r.writeHf(), Json.write(HfRopeConfig.toJson(r.scaling())));
    }
    if (r.writeFactors() != null) {
      FactorFile.write(r.writeFactors(), FactorTable.of(f.factors()));
    }
    return new Report(
        r.scaling(),
        r.geometry(),
        r.originalLength(),
        r.seqLength(),
        r.layer(),
        f,
        rows,
        r.warnings());
  }

  /** The {@code --json} document. */
  public static ObjectNode toJson(Report r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    RopeFrequencies f = r.frequencies();
    o.put("type", r.scaling().typeName());
    o.put("rotary_dim", r.geometry().rotaryDim());
    o.put("base", r.geometry().base());
    o.put("seq_len", r.seqLength());
    if (r.originalLength() > 0) {
      o.put("original_length", r.originalLength());
    }
    o.put("layer", r.layer());
    o.put("layers", r.scaling().layers());
    o.set("inv_freq", Json.array(f.inverseFrequencies()));
    o.set("factors", Json.array(f.factors()));
    o.put("attention_scale", f.attentionScale());
    f.regime().ifPresent(g -> o.put("regime", g.name().toLowerCase(Locale.ROOT)));
    o.put("start_tokens", f.startTokens());
    o.set("rope_scaling", HfRopeConfig.toJson(r.scaling()));
    if (!r.positions().isEmpty()) {
      ArrayNode rows = o.putArray("positions");
      for (PositionRow p : r.positions()) {
        ObjectNode row = rows.addObject();
        row.put("position", p.position());
        row.set("cos", Json.array(p.cos()));
        row.set("sin", Json.array(p.sin()));
      }
    }
    ArrayNode warnings = o.putArray("warnings");
    r.warnings().forEach(warnings::add);
    return o;
  }

  /** The human-readable table. */
  public static String toText(Report r) {
    RopeFrequencies f = r.frequencies();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "RoPE %s: rotary dim d=%d, base b=%s, seq_len=%d, layer %d of %d%n",
            r.scaling().typeName(),
            r.geometry().rotaryDim(),
            fmt(r.geometry().base()),
            r.seqLength(),
            r.layer(),
            r.scaling().layers()));
    sb.append(
        String.format(
            Locale.ROOT,
            "original length L=%s, attention scale=%.10g, start tokens n̂=%d%s%n",
            r.originalLength() > 0 ? Integer.toString(r.originalLength()) : "n/a",
            f.attentionScale(),
            f.startTokens(),
            f.regime().map(g -> ", regime=" + g.name().toLowerCase(Locale.ROOT)).orElse("")));
    sb.append(
        String.format(
            Locale.ROOT,
            "%4s  %16s  %16s  %16s  %14s%n",
            "i",
            "theta_i",
            "inv_freq'_i",
            "lambda_i",
            "wavelength"));
    double[] inv = f.inverseFrequencies();
    double[] lambda = f.factors();
    double[] wavelength = f.wavelengths();
    for (int i = 0; i < inv.length; i++) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%4d  %16.10g  %16.10g  %16.10g  %14.6g%n",
              i,
              r.geometry().theta(i),
              inv[i],
              lambda[i],
              wavelength[i]));
    }
    for (PositionRow p : r.positions()) {
      sb.append(String.format(Locale.ROOT, "position %d%n", p.position()));
      for (int i = 0; i < p.cos().length; i++) {
        sb.append(
            String.format(
                Locale.ROOT, "%4d  cos %16.10g  sin %16.10g%n", i, p.cos()[i], p.sin()[i]));
      }
    }
    return sb.toString();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
