package io.github.longrope.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark reports as {@code bench … --json} prints them: documented keys in order, a side
 * that did not run as null (not the string "NaN"). The measurements themselves need python3-torch
 * and run in {@code cli.BenchTrainCommandTest}.
 */
class BenchReportsTest {
  static List<String> keys(JsonNode o) {
    List<String> k = new ArrayList<>();
    o.fieldNames().forEachRemaining(k::add);
    return k;
  }

  @Test
  void forwardRowsWithoutTorchHaveNullRatios() {
    ForwardBench.Row row = new ForwardBench.Row(32, 100, Double.NaN, Double.NaN, 500, 0.25);
    JsonNode o =
        Json.MAPPER.valueToTree(new ForwardBench.Report(2, "f32", "cpu", 50, List.of(row)));
    assertEquals(List.of("threads", "dtype", "device", "matmul_gflops", "rows"), keys(o));
    JsonNode r = o.get("rows").get(0);
    assertEquals(
        List.of("length", "java_tok_s", "torch_tok_s", "ratio", "peak_rss_mb", "matmul_fraction"),
        keys(r));
    assertTrue(r.get("torch_tok_s").isNull() && r.get("ratio").isNull(), r.toString());
    assertTrue(new ForwardBench.Report(2, "f32", "cpu", 50, List.of(row)).text().contains("NaN"));
  }

  @Test
  void trainRowsKeepTheDocumentedOrder() {
    TrainBench.Row row = new TrainBench.Row(16, true, 2, 10, 20, 0.5, 600, 900);
    JsonNode r = Json.MAPPER.valueToTree(new TrainBench.Report(List.of(row))).get("rows").get(0);
    assertEquals("context", keys(r).get(0));
    assertEquals(List.of("ratio", "torch_peak_rss_mb", "peak_rss_mb"), keys(r).subList(5, 8));
    assertEquals(900.0, r.get("peak_rss_mb").asDouble());
    assertEquals(0.5, r.get("ratio").asDouble());
  }

  @Test
  void searchReportDerivesRatesFromTheCounts() {
    SearchBench.Report s =
        new SearchBench.Report("m", 1024, 2, 10, 40960, 5.0, 4.5, 120.5, 100, 0.2);
    JsonNode o = Json.MAPPER.valueToTree(s);
    assertEquals(2.0, o.get("evaluations_per_second").asDouble());
    assertEquals(0.9, o.get("forward_share").asDouble(), 1e-12);
    assertEquals(50.0, o.get("bookkeeping_ms_per_candidate").asDouble(), 1e-9);
    assertEquals(2.0, o.get("bookkeeping_alone_ms_per_candidate").asDouble(), 1e-9);
    assertEquals(
        List.of("model", "target_length", "samples", "evaluations", "forward_tokens", "seconds"),
        keys(o).subList(0, 6));
    assertEquals(40960, o.get("forward_tokens").asLong());
  }

  @Test
  void requestsNameTheFlagsTheyRefuse() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainBench.Request(new int[] {3}, 32, 1, 1, false));
    assertTrue(e.getMessage().startsWith("--contexts"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new ForwardBench.Request(new int[] {8}, 0, 1, 512, false));
    assertThrows(
        IllegalArgumentException.class, () -> new SearchBench.Request(null, null, 1, 1, 2, 0));
  }
}
