package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.model.Decoder;
import org.junit.jupiter.api.Test;

/** {@code longrope ppl} end to end on a tiny model directory written by the library. */
class PplCommandTest extends TinyModelCase {

  /** {@code longrope ppl} on the fixture's model and book with {@code more} flags. */
  CliRun ppl(String... more) {
    return CliRun.of(
        CliRun.concat(
            new String[] {"ppl", "--model", model.toString(), "--data", text.toString()}, more));
  }

  @Test
  void reportsOneRowPerLengthMatchingTheLibrary() {
    JsonNode r = ppl("--lengths", "16,32", "--stride", "8", "--json").json();
    assertEquals(2, r.get("rows").size());
    JsonNode row = r.get("rows").get(1);
    assertEquals(32, row.get("length").asInt());
    try (Decoder m = HfModel.load(model);
        HfTokenizer tok = HfTokenizer.load(model)) {
      Documents docs = DocumentSources.open(text, () -> tok, null);
      Perplexity.Result expected =
          new Perplexity(32, 8, 0, 0, false).evaluate(m, m.config().ropeScaling(), docs, null);
      assertEquals(expected.ppl(), row.get("ppl").asDouble(), 1e-9 * expected.ppl());
      assertEquals(expected.windows(), row.get("windows").asInt());
    }
  }

  @Test
  void aLengthNoDocumentReachesIsRefusedInsteadOfMislabelled() {
    for (String truncate : new String[] {"--truncate", "--stride=8"}) {
      CliRun r = ppl("--lengths", "16,1000000", truncate);
      assertEquals(Main.BAD_INPUT, r.exit(), r.err());
      assertTrue(
          r.err().contains("evaluation length 1000000") && r.err().contains("no window"), r.err());
    }
  }

  @Test
  void ropeFlagsOverrideTheCheckpoint() {
    double plain = pplOf("--lengths", "64", "--truncate");
    double pi = pplOf("--lengths", "64", "--truncate", "--type", "linear", "--factor", "4");
    assertNotEquals(plain, pi);
    assertTrue(Double.isFinite(pi) && pi > 1);
  }

  double pplOf(String... more) {
    return ppl(CliRun.concat(more, "--json")).json().get("rows").get(0).get("ppl").asDouble();
  }

  @Test
  void badDataGivesAClearError() {
    CliRun run =
        CliRun.of(
            "ppl", "--model", model.toString(), "--data", dir + "/nope.parquet", "--lengths", "16");
    assertEquals(Main.BAD_INPUT, run.exit());
    assertTrue(
        run.err().contains("nope.parquet") && run.err().contains("unknown data form"), run.err());
  }

  @Test
  void compareConfiguresEachMethodForEachRowsLength() {
    JsonNode r =
        ppl("--lengths", "16,64", "--stride", "16", "--compare", "none,pi", "--json").json();
    assertEquals(4, r.get("rows").size());
    JsonNode pi64 = r.get("rows").get(3);
    assertEquals("pi", pi64.get("method").asText());
    assertEquals(4.0, pi64.get("scale").asDouble());
    JsonNode pi16 = r.get("rows").get(2);
    JsonNode none16 = r.get("rows").get(0);
    // at the original length every method is the unscaled RoPE
    assertEquals(none16.get("ppl").asDouble(), pi16.get("ppl").asDouble(), 0.0);
    try (Decoder m = HfModel.load(model);
        HfTokenizer tok = HfTokenizer.load(model)) {
      Documents docs = DocumentSources.open(text, () -> tok, null);
      Perplexity.Result expected =
          new Perplexity(64, 16, 0, 0, false)
              .evaluate(m, new io.github.longrope.rope.LinearScaling(4), docs, null);
      assertEquals(expected.ppl(), pi64.get("ppl").asDouble(), 1e-9 * expected.ppl());
    }
  }

  @Test
  void compareAndTypeAreExclusive() {
    CliRun r = ppl("--lengths", "16", "--compare", "pi", "--type", "ntk", "--factor", "2");
    assertEquals(Main.BAD_INPUT, r.exit());
    assertTrue(r.err().contains("--compare"), r.err());
  }

  /** Bad counts are refused with the flag's name, not read as "all documents" (item 9). */
  @Test
  void zeroOrNegativeSamplesAreRefused() {
    for (String n : new String[] {"0", "-3"}) {
      CliRun r = ppl("--lengths", "16", "--samples", n);
      assertEquals(Main.BAD_INPUT, r.exit(), r.err());
      assertTrue(r.err().contains("--samples"), r.err());
      assertEquals("", r.out());
    }
  }

  /** A list of no lengths is refused with the flag's name instead of printing an empty table. */
  @Test
  void noLengthIsRefused() {
    CliRun r = ppl("--lengths", ",");
    assertEquals(Main.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains("--lengths"), r.err());
    assertEquals("", r.out());
  }
}
