package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.NoScaling;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dtype} and {@code --device} of the model commands: the report says what ran, f16 gives
 * the f32 perplexity within 0.5%, and a GPU without CUDA natives is exit 2 with the flag named.
 */
class EngineFlagsTest {
  @TempDir Path dir;
  Path model;
  Path text;

  @BeforeEach
  void modelAndData() throws Exception {
    model = Files.createDirectory(dir.resolve("model"));
    ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 16);
    HfModel.write(model, c, TinyModelsAccess.weights(c, 1), SafetensorsFile.Dtype.F32);
    Files.copy(
        Path.of(EngineFlagsTest.class.getResource("/tokenizer/tokenizer.json").toURI()),
        model.resolve("tokenizer.json"));
    text = dir.resolve("book.txt");
    Files.writeString(text, "The grass is green . The sky is blue . Here we go . ".repeat(20));
  }

  JsonNode ppl(String... engine) {
    String[] base = {
      "ppl", "--model", model.toString(), "--data", text.toString(), "--lengths", "32", "--json"
    };
    String[] args = new String[base.length + engine.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(engine, 0, args, base.length, engine.length);
    return CliRun.of(args).json();
  }

  @Test
  void f16RunsAndIsReportedWithItsDevice() {
    JsonNode f32 = ppl("--device", "cpu");
    JsonNode f16 = ppl("--dtype", "f16", "--device", "cpu");
    assertEquals("f32", f32.get("dtype").asText(), f32.toString());
    assertEquals("f16", f16.get("dtype").asText());
    assertEquals("cpu", f16.get("device").asText());
    double a = f32.get("rows").get(0).get("ppl").asDouble();
    double b = f16.get("rows").get(0).get("ppl").asDouble();
    assertEquals(a, b, 0.005 * a);
  }

  @Test
  void aGpuWithoutCudaNativesOrABadDtypeIsExitTwo() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ai.djl.engine.Engine.getInstance().getGpuCount() == 0, "a GPU is present");
    CliRun gpu =
        CliRun.of(
            "ppl",
            "--model",
            model.toString(),
            "--data",
            text.toString(),
            "--lengths",
            "32",
            "--device",
            "gpu:0");
    assertEquals(2, gpu.exit());
    assertTrue(gpu.err().contains("--device") && gpu.err().contains("CUDA"), gpu.err());
    CliRun dtype =
        CliRun.of(
            "ppl",
            "--model",
            model.toString(),
            "--data",
            text.toString(),
            "--lengths",
            "32",
            "--dtype",
            "f8");
    assertEquals(2, dtype.exit());
    assertTrue(dtype.err().contains("--dtype"), dtype.err());
    CliRun search =
        CliRun.of(
            "search",
            "--model",
            model.toString(),
            "--data",
            text.toString(),
            "--target-length",
            "32",
            "--run",
            dir.resolve("run").toString(),
            "--device",
            "cpu");
    assertEquals(2, search.exit());
    assertTrue(search.err().contains("--device"), search.err());
  }
}
