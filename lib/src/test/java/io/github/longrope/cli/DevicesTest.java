package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.Json;
import io.github.longrope.search.HistoryEntry;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.run.SearchEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --devices}: the local engine's decoders, one per listed device. On this CPU-only build
 * {@code cpu,cpu} is two CPU decoders, which must give exactly what one decoder and {@code
 * --workers 2} give (every candidate with the same fitness bits, the same result files); a GPU list
 * is refused with exit 2 before anything is read, as are a conflicting {@code --workers}, an
 * unknown device and a device list for Spark.
 */
class DevicesTest {
  @TempDir Path dir;
  Path model;
  Path data;
  Path config;

  @BeforeEach
  void modelDataConfig() throws Exception {
    model = TinyModelDir.write(dir);
    data = TinyModelDir.documents(dir.resolve("docs.json"), 40);
    config = dir.resolve("small.json");
    Files.writeString(
        config,
        "{\"version\": 1, \"population\": 6, \"iterations\": 2, \"mutations\": 2,"
            + " \"crossovers\": 2, \"parents\": 3, \"init\": [\"pi\", \"ntk\", \"yarn\"],"
            + " \"seed\": 11}");
  }

  CliRun search(String run, String... more) {
    List<String> a = TinyModelDir.searchArgs(model, data, config, dir.resolve(run), more);
    a.addAll(List.of("--threads", "1"));
    return CliRun.of(a.toArray(String[]::new));
  }

  /** Each candidate with its generation and fitness bits, in a fixed order (completion varies). */
  static List<String> history(Path run) {
    List<String> out = new ArrayList<>();
    for (HistoryEntry e : RunRecord.readHistory(run.resolve(RunRecord.HISTORY))) {
      out.add(
          e.generation()
              + " "
              + e.candidate()
              + " "
              + Long.toHexString(Double.doubleToLongBits(e.fitness())));
    }
    out.sort(null);
    return out;
  }

  static List<String> resultFiles(Path run) throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(run.resolve("iterations"))) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.add(f.getFileName() + "\n" + Files.readString(f));
      }
    }
    out.add(Files.readString(run.resolve("final/result_final.csv")));
    out.add(Files.readString(run.resolve("final/rope_scaling.json")));
    return out;
  }

  @Test
  void twoCpuDecodersGiveTheOneDecoderSearchBitForBit() throws Exception {
    JsonNode one = search("one").json();
    JsonNode two = search("two", "--devices", "cpu,cpu").json();
    JsonNode workers = search("workers", "--workers", "2").json();
    JsonNode both = search("both", "--devices", "cpu,cpu", "--workers", "2").json();

    assertEquals(
        Json.parseObject("{\"name\":\"local\",\"workers\":1,\"devices\":[\"cpu\"]}", "x"),
        one.get("engine"));
    assertEquals(
        Json.parseObject(
            "{\"name\":\"local\",\"workers\":2,\"devices\":[\"cpu\",\"cpu\"]}", "expected"),
        two.get("engine"));
    assertEquals(two.get("engine"), workers.get("engine"));
    assertEquals(two.get("engine"), both.get("engine"));

    List<String> reference = history(dir.resolve("one"));
    assertTrue(reference.size() > 6, "a search of several generations: " + reference.size());
    for (String run : List.of("two", "workers", "both")) {
      assertEquals(reference, history(dir.resolve(run)), run);
      assertEquals(resultFiles(dir.resolve("one")), resultFiles(dir.resolve(run)), run);
    }
    for (JsonNode r : List.of(two, workers, both)) {
      assertEquals(
          Double.doubleToLongBits(one.get("fitness").asDouble()),
          Double.doubleToLongBits(r.get("fitness").asDouble()));
      assertEquals(one.get("seeds"), r.get("seeds"));
      assertEquals(one.get("factors"), r.get("factors"));
    }

    // the devices are a runtime choice like --workers: a resume may change them
    JsonNode resumed =
        CliRun.of(
                "search",
                "--run",
                dir.resolve("two").toString(),
                "--resume",
                "--devices",
                "cpu",
                "--json")
            .json();
    assertEquals(0, resumed.get("evaluated_this_session").asLong());
    assertEquals(one.get("factors"), resumed.get("factors"));
  }

  /** Exit 2, the message holds every fragment, no stack trace, nothing written. */
  void refused(CliRun r, String run, String... fragments) {
    assertEquals(Main.BAD_INPUT, r.exit(), r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), "'" + f + "' in: " + r.err());
    }
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(Files.exists(dir.resolve(run)), "nothing written");
  }

  @Test
  void badDeviceListsAreExitTwoBeforeAnythingIsRead() throws Exception {
    // no CUDA natives in this build: a GPU list names the flag and what is missing
    refused(search("gpu", "--devices", "gpu:0,gpu:1"), "gpu", "--devices gpu:0,gpu:1", "CUDA");
    refused(
        search("conflict", "--devices", "cpu,cpu", "--workers", "3"),
        "conflict",
        "--workers 3",
        "--devices cpu,cpu",
        "disagree");
    refused(search("tpu", "--devices", "cpu,tpu"), "tpu", "--devices", "unknown device 'tpu'");
    refused(search("auto", "--devices", "auto"), "auto", "--devices", "not auto");
    refused(
        search("spark", "--devices", "cpu", "--engine", "spark"),
        "spark",
        "--devices",
        "--engine spark");
    refused(search("device", "--device", "cpu"), "device", "--device", "--devices");
    refused(search("zero", "--workers", "0"), "zero", "--workers must be >= 1");

    Path pipelineConfig = dir.resolve("no-such-pipeline.json");
    CliRun p =
        CliRun.of(
            "pipeline", "--config", pipelineConfig.toString(), "--devices", "gpu:1", "--check");
    assertEquals(Main.BAD_INPUT, p.exit(), p.err());
    assertTrue(p.err().contains("--devices gpu:1") && p.err().contains("CUDA"), p.err());

    // the same from the config file's engine object (flags, when given, win)
    Path withEngine = dir.resolve("engine-pipeline.json");
    Files.writeString(
        withEngine,
        Files.readString(Path.of("../configs/pipeline/bundled-16k.json"))
            .replaceFirst("\\{", "{\"engine\": {\"devices\": [\"gpu:1\"]},"));
    CliRun fromFile = CliRun.of("pipeline", "--config", withEngine.toString(), "--check");
    assertEquals(Main.BAD_INPUT, fromFile.exit(), fromFile.err());
    assertTrue(fromFile.err().contains("gpu:1") && fromFile.err().contains("CUDA"), fromFile.err());
    Files.writeString(withEngine, "{\"engine\": {\"nmae\": \"spark\"}}");
    CliRun typo = CliRun.of("pipeline", "--config", withEngine.toString(), "--check");
    assertEquals(Main.BAD_INPUT, typo.exit(), typo.err());
    assertTrue(typo.err().contains("engine.nmae"), typo.err());
  }

  @Test
  void theJsonFormCarriesTheDevices() {
    SearchEngine e = SearchEngine.of("local", null, List.of(), List.of("gpu", "cpu", "GPU:1"));
    assertEquals(
        List.of("gpu:0", "cpu", "gpu:1"),
        e.devices().stream().map(io.github.longrope.model.Placement::name).toList());
    assertEquals(e, SearchEngine.fromJson(e.toJson(), "test"));
    assertEquals(3, e.decoders(null));
    assertEquals(3, e.decoders(3));
    assertEquals(2, SearchEngine.LOCAL.decoders(2));
    assertEquals(1, SearchEngine.LOCAL.decoders(null));
    IllegalArgumentException bad =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                SearchEngine.fromJson(
                    Json.parseObject("{\"devices\": \"gpu:0\"}", "t"), "search.json"));
    assertTrue(
        bad.getMessage().contains("search.json") && bad.getMessage().contains("engine.devices"),
        bad.getMessage());
    bad =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                SearchEngine.fromJson(
                    Json.parseObject("{\"devices\": [\"npu\"]}", "t"), "search.json"));
    assertTrue(
        bad.getMessage().contains("search.json: engine.devices")
            && bad.getMessage().contains("'npu'"),
        bad.getMessage());
  }

  /**
   * {@code "batch": 3}: the same candidates in the same order, each fitness equal to the one-by-one
   * search's to float rounding; the key is recorded, and it refuses several decoders.
   */
  @Test
  void batchedCandidatesGiveTheSameSearchToFloatRounding() throws Exception {
    search("one").json();
    String text = Files.readString(config);
    Files.writeString(config, text.replace("\"seed\": 11", "\"seed\": 11, \"batch\": 3"));
    search("batched").json();
    List<HistoryEntry> a = RunRecord.readHistory(dir.resolve("one").resolve(RunRecord.HISTORY));
    List<HistoryEntry> b = RunRecord.readHistory(dir.resolve("batched").resolve(RunRecord.HISTORY));
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertTrue(Arrays.equals(a.get(i).candidate().factors(), b.get(i).candidate().factors()));
      assertEquals(a.get(i).fitness(), b.get(i).fitness(), 1e-5 * a.get(i).fitness(), "#" + i);
      assertEquals(a.get(i).tokens(), b.get(i).tokens());
    }
    JsonNode recorded = Json.readObject(dir.resolve("batched").resolve(RunRecord.CONFIG));
    assertTrue(recorded.toString().contains("\"batch\":3"), recorded.toString());
    CliRun refused = search("workers", "--workers", "2");
    assertEquals(2, refused.exit(), refused.err());
    assertTrue(refused.err().contains("\"batch\": 3"), refused.err());
  }
}
