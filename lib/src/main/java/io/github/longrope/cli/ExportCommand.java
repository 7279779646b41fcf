package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.ModelConfig;
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
 * {@code longrope export}: writes a Hugging Face directory with a new {@code rope_scaling} (e.g.
 * {@code rope_type: longrope} with the searched short/long factors) and {@code
 * max_position_embeddings}, weights converted to the requested dtype, tokenizer files carried over.
 * Any HF loader that knows the rope type then runs the extended model.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write an HF model directory with new RoPE scaling and/or another weight dtype.",
      "Example: export --model M --out M-2k --type longrope --factors best.csv \\",
      "  --short-factors short.csv --target-length 2048"
    })
public final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Source model.")
  Path model;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Target folder.")
  Path out;

  @Option(names = "--dtype", paramLabel = "T", description = "Weight dtype: f32 (default) or f16.")
  String dtype = "f32";

  @Option(
      names = "--max-position",
      paramLabel = "N",
      description =
          "max_position_embeddings of the export (default: --target-length when a RoPE variant"
              + " is given, else the source's).")
  Integer maxPosition;

  @ArgGroup(validate = false, heading = "%nRoPE scaling written into config.json:%n")
  RopeOptions rope = new RopeOptions();

  @Mixin JsonOption json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SafetensorsFile.Dtype type = parseDtype(dtype);
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
    PrintWriter err = spec.commandLine().getErr();
    warnings.forEach(w -> err.println("warning: " + w));
    err.flush();
    HfModel.export(model, out, config, type);
    PrintWriter o = spec.commandLine().getOut();
    if (json.enabled()) {
      ObjectNode doc = Json.MAPPER.createObjectNode();
      doc.put("model", model.toString());
      doc.put("out", out.toString());
      doc.put("dtype", type.name());
      doc.put("max_position_embeddings", config.maxPositionEmbeddings());
      doc.set("rope_scaling", HfRopeConfig.toJson(config.ropeScaling()));
      o.print(Json.write(doc));
    } else {
      o.printf(
          Locale.ROOT,
          "wrote %s (%s, max_position_embeddings %d, rope %s)%n",
          out,
          type.name(),
          config.maxPositionEmbeddings(),
          config.ropeScaling().typeName());
    }
    o.flush();
    return 0;
  }

  static SafetensorsFile.Dtype parseDtype(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "f32", "float32", "fp32":
        return SafetensorsFile.Dtype.F32;
      case "f16", "float16", "fp16":
        return SafetensorsFile.Dtype.F16;
      default:
        throw new IllegalArgumentException("--dtype must be f32 or f16, got '" + s + "'");
    }
  }
}
