package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.eval.PasskeyGrid;
import io.github.longrope.eval.TextCodec;
import io.github.longrope.eval.mc.McEval;
import io.github.longrope.eval.mc.McResult;
import io.github.longrope.eval.mc.McTask;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.RunLock;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.LinearScaling;
import io.github.longrope.rope.NoScaling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** passkey, boundary, mc, cloze and eval end to end on a tiny model directory. */
class EvalCommandsTest {
  @TempDir static Path dir;
  static Path model;
  static final Path TOKENIZER = Path.of("../datasets/tokenizer/tokenizer.json");
  static final String ARC = "src/test/resources/mc/arc.jsonl";

  @BeforeAll
  static void model() throws Exception {
    model = Files.createDirectory(dir.resolve("model"));
    ModelConfig c =
        TinyModelsAccess.llama(new NoScaling(), 96).toBuilder().shape(32000, 32, 48, 2).build();
    HfModel.write(model, c, TinyModelsAccess.weights(c, 8), SafetensorsFile.Dtype.F32);
    Files.copy(TOKENIZER, model.resolve("tokenizer.json"));
  }

  @Test
  void passkeyRowsMatchTheLibraryAndWriteTheHeatMap() throws Exception {
    Path log = dir.resolve("trials.jsonl");
    Path out = dir.resolve("pk");
    JsonNode r =
        CliRun.line(
                "passkey --model {} --lengths 20,30 --depths 2 --trials 2 --max-new-tokens 3"
                    + " --type linear --factor 2 --log {} --out {} --json",
                model,
                log,
                out)
            .json();
    assertEquals("linear", r.get("rope_scaling").get("rope_type").asText());
    JsonNode rows = r.get("rows");
    assertEquals(4, rows.size());
    assertEquals(20, rows.get(0).get("length").asInt());
    assertEquals(0.0, rows.get(0).get("depth").asDouble());
    assertEquals(100.0, rows.get(1).get("depth").asDouble());
    assertEquals(2, rows.get(0).get("trials").asInt());
    try (Decoder m = HfModel.load(model);
        HfTokenizer tok = HfTokenizer.load(model)) {
      PasskeyGrid.Result expected =
          new PasskeyGrid(
                  List.of(20, 30),
                  List.of(0.0, 1.0),
                  2,
                  42,
                  3,
                  io.github.longrope.model.KvCache.Policy.RECOMPUTE)
              .run(m, new LinearScaling(2), TextCodec.of(tok), null);
      for (int i = 0; i < 4; i++) {
        assertEquals(
            expected.table().intColumn("correct").get(i), rows.get(i).get("correct").asInt());
        assertEquals(
            expected.table().doubleColumn("prompt_tokens").get(i),
            rows.get(i).get("prompt_tokens").asDouble());
      }
      List<String> lines = Files.readAllLines(log);
      assertEquals(8, lines.size());
      JsonNode first = io.github.longrope.io.Json.parseObject(lines.get(0), "log");
      assertEquals(expected.trials().get(0).prompt().passkey(), first.get("passkey").asInt());
      assertEquals(expected.trials().get(0).answerText(), first.get("answer_text").asText());
      assertTrue(first.get("prompt").asText().startsWith("There is an important info"));
    }
    assertEquals(800, ImageIO.read(out.resolve("passkey.png").toFile()).getWidth());
    assertEquals(5, Files.readAllLines(out.resolve("passkey.csv")).size());
  }

  @Test
  void randomDepthModeHasNullDepths() {
    JsonNode r =
        CliRun.line("passkey --model {} --lengths 20 --trials 2 --max-new-tokens 1 --json", model)
            .json();
    assertEquals(1, r.get("rows").size());
    assertTrue(r.get("rows").get(0).get("depth").isNull());
  }

  @Test
  void boundaryUsesOnesAsShortFactorsAndIsExact() {
    CliRun run =
        CliRun.line(
            "boundary --model {} --type longrope --factor-values 1,2,3,4 --factor 4"
                + " --trials 1 --max-new-tokens 5 --json",
            model);
    JsonNode r = run.json();
    assertEquals(0, run.exit());
    assertTrue(r.get("all_exact").asBoolean());
    assertEquals(96, r.get("original_length").asInt());
    assertEquals(2, r.get("rows").size());
    assertEquals("recompute", r.get("summary").get(0).get("policy").asText());
    assertTrue(run.err().contains("short set is all 1"), run.err());
    assertEquals(1.0, r.get("rope_scaling").get("short_factor").get(0).asDouble());
  }

  @Test
  void boundaryRefusesAVariantWithoutAPair() {
    CliRun run =
        CliRun.of("boundary", "--model", model.toString(), "--type", "linear", "--factor", "2");
    assertEquals(Main.BAD_INPUT, run.exit());
    assertTrue(run.err().contains("short/long pair"), run.err());
  }

  @Test
  void mcMatchesTheLibrary() throws Exception {
    JsonNode r =
        CliRun.of(
                "mc",
                "--model",
                model.toString(),
                "--task",
                "arc",
                "--data",
                ARC,
                "--shots",
                "1",
                "--items",
                dir.resolve("items.csv").toString(),
                "--json")
            .json();
    try (Decoder m = HfModel.load(model);
        HfTokenizer tok = HfTokenizer.load(model)) {
      McResult expected =
          new McEval(1, 1234, 0)
              .run(
                  m, new NoScaling(), TextCodec.of(tok), McTask.ARC.read(Path.of(ARC)), null, null);
      assertEquals(4, r.get("n").asInt());
      assertEquals(expected.accuracy(), r.get("accuracy").asDouble());
      assertEquals(expected.accuracyStderr(), r.get("stderr").asDouble());
      assertEquals(expected.pTrue(), r.get("p_true").asDouble(), 1e-12);
    }
    assertEquals(5, Files.readAllLines(dir.resolve("items.csv")).size());
    CliRun bad = CliRun.of("mc", "--model", model.toString(), "--task", "squad", "--data", ARC);
    assertEquals(Main.BAD_INPUT, bad.exit());
    assertTrue(bad.err().contains("unknown task 'squad'"), bad.err());
  }

  @Test
  void clozeThenEval() throws Exception {
    Path text = dir.resolve("book.txt");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      sb.append("Sentence number ").append(i).append(" tells of the green grass and the sky. ");
    }
    Files.writeString(text, sb.toString());
    Path cloze = dir.resolve("cloze.jsonl");
    JsonNode c =
        CliRun.line(
                "cloze --data {} --tokenizer {} --out {} --count 3 --json", text, TOKENIZER, cloze)
            .json();
    assertEquals(3, c.get("items").asInt());
    assertEquals(3, McTask.HELLASWAG.read(cloze).size());

    Path plan = dir.resolve("plan.json");
    Path out = dir.resolve("eval-out");
    Files.writeString(
        plan,
        ("{'output': '%OUT%', 'settings': [{'name': 'none', 'model': '%M%'},"
                + " {'name': 'pi', 'model': '%M%', 'rope_scaling': {'rope_type': 'linear', 'factor': 2}}],"
                + " 'mc': [{'name': 'cloze', 'task': 'hellaswag', 'data': '%C%'}], 'threads': 1}")
            .replace('\'', '"')
            .replace("%OUT%", out.toString())
            .replace("%M%", model.toString())
            .replace("%C%", cloze.toString()));
    JsonNode r = CliRun.of("eval", "--config", plan.toString(), "--json").json();
    assertEquals(2, r.get("mc").size());
    assertEquals("pi", r.get("mc").get(1).get("setting").asText());
    assertEquals(3, r.get("mc").get(1).get("n").asInt());
    assertTrue(Files.readString(out.resolve("summary.md")).contains("## Multiple choice"));
    assertTrue(Files.isRegularFile(out.resolve("mc.png")));

    // a second evaluation into a folder another run holds is refused before it evaluates
    try (RunLock held = RunLock.acquire(out, m -> {})) {
      assertTrue(Files.exists(held.file()));
      CliRun busy = CliRun.of("eval", "--config", plan.toString());
      assertEquals(Main.BAD_INPUT, busy.exit());
      assertTrue(busy.err().contains("is in use by process"), busy.err());
    }

    Files.writeString(plan, "{\"output\": \"x\", \"settings\": []}");
    CliRun bad = CliRun.of("eval", "--config", plan.toString(), "--json");
    assertEquals(Main.BAD_INPUT, bad.exit());
    assertTrue(bad.out().contains("key 'settings'"), bad.out());
  }
}
