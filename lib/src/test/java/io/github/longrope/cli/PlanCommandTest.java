package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code longrope plan}: flags onto {@code MemoryPlan}, JSON and text, bad input exits 2. */
class PlanCommandTest {
  static final String LLAMA3 = "../configs/examples/llama-3-8b";

  @Test
  void plansEveryLengthAndDtypeAndTheLongestThatFits() {
    CliRun r =
        CliRun.line(
            "plan --model {} --length 8192,32768,131072 --dtype f16,f32 --memory 80GB --json",
            LLAMA3);
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    assertEquals(6, j.get("rows").size());
    JsonNode first = j.get("rows").get(0);
    assertEquals("f16", first.get("dtype").asText());
    assertEquals(8192, first.get("length").asInt());
    assertEquals(8_030_261_248L * 2, first.get("weights").asLong());
    assertTrue(first.get("fits").asBoolean());
    assertEquals(80_000_000_000L, j.get("memory").asLong());
    assertEquals(2, j.get("largest").size());
    int f16 = j.get("largest").get(0).get("length").asInt();
    int f32 = j.get("largest").get(1).get("length").asInt();
    assertTrue(f16 > f32 && f32 > 0, f16 + " vs " + f32);

    CliRun text = CliRun.of("plan", "--model", LLAMA3, "--length", "8192", "--memory", "80GiB");
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().contains("longest length that fits in f32"), text.out());
  }

  @Test
  void badFlagsAreNamed() {
    CliRun dtype = CliRun.of("plan", "--model", LLAMA3, "--length", "8192", "--dtype", "bf16");
    assertEquals(2, dtype.exit());
    assertTrue(dtype.err().contains("bf16"), dtype.err());
    CliRun memory = CliRun.of("plan", "--model", LLAMA3, "--length", "8192", "--memory", "eighty");
    assertEquals(2, memory.exit());
    assertTrue(memory.err().contains("eighty"), memory.err());
  }
}
