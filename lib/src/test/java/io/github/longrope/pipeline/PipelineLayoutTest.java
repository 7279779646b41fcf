package io.github.longrope.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layout options a preset such as the quickstart uses — {@code "finetune": false}, {@code
 * stage_dirs}, {@code export.dir} and {@code short_factors}, {@code evaluate.split_documents} and
 * {@code labels}, {@code report}, {@code data.corpus} — are checked with errors that name the key,
 * and a config without them resolves to the same {@code pipeline.json} as before they existed (so
 * the committed runs still resume).
 */
class PipelineLayoutTest {
  private static final Path BASE = Path.of("/fixture");

  static ObjectNode tiny() throws Exception {
    return Json.parseObject(TinyPipeline.text(), "tiny.json");
  }

  static PipelineConfig parse(ObjectNode o) {
    return PipelineConfig.parse(o.toString(), "tiny.json", BASE);
  }

  @Test
  void withoutTheNewKeysTheResolvedConfigHasNoneOfThem() throws Exception {
    ObjectNode json = parse(tiny()).toJson();
    for (String k : List.of("stage_dirs", "report")) {
      assertFalse(json.has(k), k);
    }
    assertFalse(json.get("data").has("corpus"));
    assertEquals(List.of("dtype", "max_position_embeddings"), names(json.get("export")));
    assertFalse(json.get("evaluate").has("labels") || json.get("evaluate").has("split_documents"));
    PipelineConfig c = parse(tiny());
    assertEquals(
        BASE.resolve("run/stage1-search-long"),
        c.stageDir(Path.of("/fixture/run"), Stage.SEARCH_LONG));
    assertTrue(c.fineTunes());
  }

  @Test
  void aSearchOnlyConfigLeavesStagesTwoToFourOutAndNamesItsFolders() throws Exception {
    ObjectNode o = searchOnly();
    PipelineConfig c = parse(o);
    assertFalse(
        c.runs(Stage.FINETUNE) || c.runs(Stage.SEARCH_RELATIVE) || c.runs(Stage.SEARCH_SHORT));
    Path run = Path.of("/fixture/run");
    assertEquals(run.resolve("search"), c.stageDir(run, Stage.SEARCH_LONG));
    assertEquals(run.resolve("stage6-evaluate"), c.stageDir(run, Stage.EVALUATE));
    assertEquals(run.resolve("export"), c.export().model(run, c.stageDir(run, Stage.EXPORT)));
    assertEquals("found", c.evaluate().label("search"));
    assertEquals(128, c.export().maxPositionEmbeddings());
  }

  @Test
  void errorsNameTheKey() throws Exception {
    ObjectNode o = searchOnly();
    ((ObjectNode) o.get("stage_dirs")).put("search-wide", "x");
    assertError(o, "stage_dirs.search-wide");
    o = searchOnly();
    ((ObjectNode) o.get("stage_dirs")).put("search-long", "../elsewhere");
    assertError(o, "stage_dirs.search-long");
    o = searchOnly();
    ((ObjectNode) o.get("stage_dirs")).put("evaluate", "search");
    assertError(o, "another stage has folder");
    o = searchOnly();
    ((ObjectNode) o.get("export")).put("dir", "/abs");
    assertError(o, "export.dir");
    o = searchOnly();
    ((ObjectNode) o.get("export")).put("short_factors", "long");
    assertError(o, "export.short_factors");
    o = searchOnly();
    ((ObjectNode) o.get("evaluate")).putObject("labels").put("yarn", "y");
    assertError(o, "evaluate.labels.yarn");
    o = searchOnly();
    ((ObjectNode) o.get("evaluate")).putObject("labels").put("search", "none");
    assertError(o, "two rows would be named 'none'");
    o = searchOnly();
    o.set("search_relative", tiny().get("search_relative"));
    assertError(o, "'search_relative': needs the fine-tune");
    o = searchOnly();
    ((com.fasterxml.jackson.databind.node.ArrayNode) o.get("evaluate").get("methods"))
        .add("finetuned");
    assertError(o, "'finetuned' needs the fine-tune");
    o = searchOnly();
    o.put("finetune", true);
    assertError(o, "key 'finetune'");
  }

  /** tiny.json as a search-only preset (the quickstart's shape). */
  static ObjectNode searchOnly() throws Exception {
    ObjectNode o = tiny();
    o.remove("search_relative");
    o.remove("search_short");
    ((ObjectNode) o.get("data")).remove("train");
    o.put("finetune", false);
    o.putObject("stage_dirs").put("search-long", "search");
    ((ObjectNode) o.get("export")).put("dir", "export").put("short_factors", "search");
    ObjectNode e = (ObjectNode) o.get("evaluate");
    e.putArray("methods").add("none").add("pi").add("search");
    e.putObject("labels").put("search", "found");
    e.put("split_documents", true);
    o.putObject("report").put("title", "t");
    return o;
  }

  private static void assertError(ObjectNode o, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(o));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static List<String> names(com.fasterxml.jackson.databind.JsonNode o) {
    List<String> out = new java.util.ArrayList<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
