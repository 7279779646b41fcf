package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.eval.mc.McEval;
import io.github.longrope.eval.mc.McResult;
import io.github.longrope.eval.mc.McTask;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.report.ReportFiles;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LinearScaling;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeScaling;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * A whole plan on a tiny random model directory: three RoPE settings, every section; the tables
 * hold the library's own numbers, the folder holds decodable charts and a summary.
 */
class EvalSuiteTest {
  @TempDir static Path dir;
  static Path model;
  static Path text;
  static final int L = 96;

  @BeforeAll
  static void modelAndData() throws Exception {
    model = Files.createDirectory(dir.resolve("model"));
    ModelConfig c = EvalFixtures.config(new NoScaling(), L);
    HfModel.write(model, c, TinyModelsAccess.weights(c, 3), SafetensorsFile.Dtype.F32);
    Files.copy(EvalFixtures.TOKENIZER, model.resolve("tokenizer.json"));
    FactorFile.write(dir.resolve("long.csv"), FactorTable.of(1.0, 2.0, 3.0, 4.0));
    text = dir.resolve("book.txt");
    Files.writeString(
        text, "The grass is green. The sky is blue. Here we go, there and back again. ".repeat(12));
  }

  static String plan(Path out) {
    String m = model.toString().replace("\\", "/");
    return ("{'output': '%OUT%',"
            + " 'settings': ["
            + "  {'name': 'none', 'model': '%M%'},"
            + "  {'name': 'pi-2x', 'model': '%M%', 'rope_scaling': {'rope_type': 'linear', 'factor': 2}},"
            + "  {'name': 'pair', 'model': '%M%', 'rope_scaling': {'rope_type': 'longrope',"
            + "    'factor': 4, 'long_factor': '%LONG%', 'short_factor': 'ones'}}],"
            + " 'perplexity': {'datasets': [{'name': 'book', 'data': '%TEXT%'}],"
            + "   'lengths': [16, 32], 'stride': 8},"
            + " 'passkey': {'lengths': [20], 'depths': 2, 'trials': 1, 'max_new_tokens': 2},"
            + " 'mc': [{'name': 'arc', 'task': 'arc', 'data': '%ARC%', 'limit': 2}],"
            + " 'boundary': {'trials': 1, 'max_new_tokens': 5}}")
        .replace('\'', '"')
        .replace("%OUT%", out.toString())
        .replace("%M%", m)
        .replace("%LONG%", dir.resolve("long.csv").toString())
        .replace("%TEXT%", text.toString())
        .replace("%ARC%", Path.of("src/test/resources/mc/arc.jsonl").toAbsolutePath().toString());
  }

  @Test
  void aWholePlanWritesOneFolder() throws Exception {
    Path out = dir.resolve("results");
    EvalConfig plan = EvalConfig.parse(plan(out), "plan");
    List<long[]> progress = new ArrayList<>();
    EvalSuite.Report r =
        EvalSuite.run(plan, (done, total, stage) -> progress.add(new long[] {done, total}));
    EvalReport.write(r, out);

    // RoPE settings resolved: the factor file, "ones" and L from the checkpoint
    RopeScaling pair = r.settings().get(2).scaling();
    assertTrue(
        pair instanceof LongRopeScaling l && l.shortFactors() != null && l.originalLength() == L);
    assertEquals(new LinearScaling(2), r.settings().get(1).scaling());
    assertTrue(r.settings().get(2).hasPair() && !r.settings().get(0).hasPair());

    // perplexity rows are the library's numbers
    Table ppl = r.perplexity();
    assertEquals(6, ppl.rowCount());
    try (Decoder m = HfModel.load(model);
        HfTokenizer tok = HfTokenizer.load(model)) {
      Documents docs = DocumentSources.open(text, () -> tok, null);
      double expected =
          new Perplexity(32, 8, 0, 0, false).evaluate(m, new LinearScaling(2), docs, null).ppl();
      assertEquals(expected, ppl.doubleColumn("ppl").get(3), 1e-9 * expected);
      assertEquals("pi-2x", ppl.stringColumn("setting").get(3));
      McResult mc =
          new McEval(0, 1234, 2)
              .run(
                  m,
                  pair,
                  TextCodec.of(tok),
                  McTask.ARC.read(Path.of("src/test/resources/mc/arc.jsonl")),
                  null,
                  null);
      assertEquals(mc.accuracy(), r.mc().doubleColumn("accuracy").get(2));
      assertEquals(mc.accuracyNorm(), r.mc().doubleColumn("accuracy_norm").get(2));
    }

    // passkey: 3 settings × 2 depths; boundary only for the pair, exact under both policies
    assertEquals(6, r.passkey().rowCount());
    assertEquals(
        List.of("none", "none", "pi-2x", "pi-2x", "pair", "pair"),
        r.passkey().stringColumn("setting").asList());
    assertEquals(6, r.passkeyTrials().rowCount());
    assertEquals(2, r.boundary().rowCount());
    assertTrue(r.boundary().booleanColumn("exact").asList().stream().allMatch(b -> b));
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("none: boundary test skipped")));
    assertTrue(
        r.warnings().stream().noneMatch(w -> w.contains("disagrees")),
        "L' = s·L is set for the override: " + r.warnings());

    // progress reaches the planned total
    long[] last = progress.get(progress.size() - 1);
    assertEquals(last[1], last[0]);

    // the folder
    for (String f :
        List.of(
            "config.json",
            "perplexity.csv",
            "passkey.csv",
            "passkey-trials.csv",
            "mc.csv",
            "boundary.csv",
            "summary.md")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    assertEquals(6, ReportFiles.readCsv(out.resolve("perplexity.csv")).rowCount());
    for (String png :
        List.of("perplexity-book.png", "passkey-none.png", "passkey-pair.png", "mc.png")) {
      BufferedImage img = ImageIO.read(out.resolve(png).toFile());
      assertTrue(img != null, png);
      assertEquals(800, img.getWidth());
      assertEquals(500, img.getHeight());
    }
    String md = Files.readString(out.resolve("summary.md"));
    for (String s :
        List.of(
            "## Perplexity",
            "### book",
            "| setting | 16 | 32 |",
            "![perplexity book](perplexity-book.png)",
            "## Passkey retrieval",
            "![passkey pair](passkey-pair.png)",
            "## Multiple choice",
            "## Short/long boundary",
            "| pair | recompute | 1 |")) {
      assertTrue(md.contains(s), s + " in\n" + md);
    }
    assertEquals(plan, EvalConfig.read(out.resolve("config.json")));
  }
}
