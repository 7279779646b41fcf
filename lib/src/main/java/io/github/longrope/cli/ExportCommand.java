package io.github.longrope.cli;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.Precision;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longrope export}: writes a Hugging Face directory with a new {@code rope_scaling} (e.g.
 * {@code rope_type: longrope} with the searched short/long factors) and {@code
 * max_position_embeddings}, weights converted to the requested dtype, tokenizer files carried over.
 * Any HF loader that knows the rope type then runs the extended model.
 */
@Command(name = "export", mixinStandardHelpOptions = true)
public final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR")
  Path model;

  @Option(names = "--out", required = true, paramLabel = "DIR")
  Path out;

  @Option(names = "--dtype", paramLabel = "T")
  String dtype = "f32";

  @Option(names = "--max-position", paramLabel = "N")
  Integer maxPosition;

  @ArgGroup(validate = false, heading = "%nRoPE scaling written into config.json:%n")
  RopeOptions rope = new RopeOptions();

  @Mixin JsonOption json;

  /** What was written. */
  record Report(
      Path model,
      Path out,
      SafetensorsFile.Dtype dtype,
      @JsonProperty("max_position_embeddings") int maxPositionEmbeddings,
      @JsonProperty("rope_scaling") ObjectNode ropeScaling,
      @JsonIgnore String rope) {
    String text() {
      return String.format(
          Locale.ROOT,
          "wrote %s (%s, max_position_embeddings %d, rope %s)%n",
          out,
          dtype,
          maxPositionEmbeddings,
          rope);
    }
  }

  @Override
  public Integer call() {
    SafetensorsFile.Dtype type =
        Flags.named("--dtype", () -> Precision.parse(dtype)) == Precision.F16
            ? SafetensorsFile.Dtype.F16
            : SafetensorsFile.Dtype.F32;
    List<String> warnings = new ArrayList<>();
    ModelConfig config = HfModelConfig.read(model).config();
    if (rope.given()) {
      RopeScaling scaling = rope.resolve(config.rope().pairs(), config.originalLength(), warnings);
      config = config.withRope(scaling);
      Integer target = maxPosition != null ? maxPosition : rope.targetLength;
      if (target == null) {
        throw new IllegalArgumentException(
            "export with a new RoPE scaling needs --max-position N or --target-length L'"
                + " (the extended context written as max_position_embeddings)");
      }
      maxPosition = target;
    }
    if (maxPosition != null) {
      if (maxPosition < 1) {
        throw new IllegalArgumentException("--max-position must be >= 1, got " + maxPosition);
      }
      config = config.toBuilder().maxPositionEmbeddings(maxPosition).build();
    }
    json.warn(warnings);
    HfModel.export(model, out, config, type);
    Report r =
        new Report(
            model,
            out,
            type,
            config.maxPositionEmbeddings(),
            HfRopeConfig.toJson(config.ropeScaling()),
            config.ropeScaling().typeName());
    return json.report(r, r::text);
  }
}
