package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code --dtype} and {@code --device} of the model commands: the report says what ran, f16 gives
 * the f32 perplexity within 0.5%, and a GPU without CUDA natives is exit 2 with the flag named.
 */
class EngineFlagsTest extends TinyModelCase {

  /** {@code longrope ppl} at length 32 on the fixture with {@code more} flags. */
  CliRun ppl(String... more) {
    String[] base = {"ppl", "--model", model.toString(), "--data", text.toString()};
    return CliRun.of(CliRun.concat(CliRun.concat(base, "--lengths", "32"), more));
  }

  @Test
  void f16RunsAndIsReportedWithItsDevice() {
    JsonNode f32 = ppl("--device", "cpu", "--json").json();
    JsonNode f16 = ppl("--dtype", "f16", "--device", "cpu", "--json").json();
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
    CliRun gpu = ppl("--device", "gpu:0");
    assertEquals(2, gpu.exit());
    assertTrue(gpu.err().contains("--device") && gpu.err().contains("CUDA"), gpu.err());
    CliRun dtype = ppl("--dtype", "f8");
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
