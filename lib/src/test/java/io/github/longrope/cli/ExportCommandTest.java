package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.Json;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.HalfFloats;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.NoScaling;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code longrope export}: the pipeline's last stage and the bundled model's fp16 storage. */
class ExportCommandTest extends TinyModelCase {
  @Override
  int bookRepeats() {
    return 30;
  }

  private double ppl(Path m, String... rope) {
    String[] base = {
      "ppl", "--model", m.toString(), "--data", text.toString(), "--lengths", "64", "--json"
    };
    return CliRun.of(CliRun.concat(base, rope)).json().get("rows").get(0).get("ppl").asDouble();
  }

  @Test
  void longropeExportReloadsWithIdenticalPerplexity() throws Exception {
    int pairs = TinyModelsAccess.llama(new NoScaling(), 16).rope().pairs();
    StringBuilder longF = new StringBuilder();
    StringBuilder shortF = new StringBuilder();
    for (int i = 0; i < pairs; i++) {
      longF.append(i == 0 ? "" : ",").append(1 + 3.0 * i / (pairs - 1));
      shortF.append(i == 0 ? "" : ",").append(1 + 0.5 * i / (pairs - 1));
    }
    String[] rope = {
      "--type", "longrope",
      "--factor-values", longF.toString(),
      "--short-factors", writeCsv("short.csv", shortF.toString()).toString(),
      "--original-length", "16",
      "--target-length", "64"
    };
    Path out = dir.resolve("exported");
    String[] args = new String[] {"export", "--model", model.toString(), "--out", out.toString()};
    CliRun r = CliRun.of(CliRun.concat(args, rope));
    assertEquals(0, r.exit(), r.err());
    JsonNode cfg = Json.readObject(out.resolve("config.json"));
    assertEquals(64, cfg.get("max_position_embeddings").asInt());
    JsonNode rs = cfg.get("rope_scaling");
    assertEquals("longrope", rs.get("rope_type").asText());
    assertEquals(16, rs.get("original_max_position_embeddings").asInt());
    assertEquals(pairs, rs.get("long_factor").size());
    assertEquals(1.5, rs.get("short_factor").get(pairs - 1).asDouble(), 1e-12);
    assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
    double original = ppl(model, rope);
    double reloaded = ppl(out);
    assertEquals(original, reloaded, 1e-12 * original);
  }

  @Test
  void halfPrecisionExportRoundsEveryWeight() {
    Path out = dir.resolve("f16");
    CliRun r =
        CliRun.of("export", "--model", model.toString(), "--out", out.toString(), "--dtype", "f16");
    assertEquals(0, r.exit(), r.err());
    try (SafetensorsFile a = SafetensorsFile.open(model.resolve("model.safetensors"));
        SafetensorsFile b = SafetensorsFile.open(out.resolve("model.safetensors"))) {
      assertEquals(a.names(), b.names());
      for (String name : a.names()) {
        float[] x = a.floats(name);
        float[] y = b.floats(name);
        for (int i = 0; i < x.length; i++) {
          assertEquals(HalfFloats.f16ToFloat(HalfFloats.floatToF16(x[i])), y[i], 0f, name);
        }
      }
    }
  }

  @Test
  void newScalingWithoutATargetIsRefused() {
    CliRun r =
        CliRun.of(
            "export",
            "--model",
            model.toString(),
            "--out",
            dir.resolve("x").toString(),
            "--type",
            "linear",
            "--factor",
            "4");
    assertEquals(Main.BAD_INPUT, r.exit());
    assertTrue(r.err().contains("--max-position"), r.err());
  }

  private Path writeCsv(String name, String values) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, values.replace(",", "\n") + "\n");
    return f;
  }
}
