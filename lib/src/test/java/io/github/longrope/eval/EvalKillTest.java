package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.ChildJvm;
import io.github.longrope.FaultChecks;
import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.data.TokenFile;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of {@code longrope eval} (bundled model, two settings × three lengths, one
 * window each) after 1 and after 4 of its 6 perplexity cells, then the same command again: the
 * cells already in {@code cells.jsonl} are not computed again, no cell is recorded twice, and the
 * table is the uninterrupted run's. A record made for other inputs is discarded, not mixed in.
 */
class EvalKillTest {
  static final Path BUNDLED = Path.of("../models/bundled");
  static final int CELLS = 6;

  /** Kill points, in recorded cells. */
  static final int[] KILL_AT = {1, 4};

  @TempDir Path dir;

  @Test
  void killedEvalsResumeTheirCellsToTheUninterruptedTable() throws Exception {
    Path data = data();
    // the uninterrupted run and the runs to kill start together (one thread each)
    Process reference = eval("full", data);
    List<Process> children = new ArrayList<>();
    List<ChildJvm.Probe> when = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int at : KILL_AT) {
      String name = "kill" + at;
      Path cells = dir.resolve(name).resolve(EvalCells.CELLS);
      children.add(eval(name, data));
      when.add(() -> ChildJvm.lines(cells) >= at);
      logs.add(log(name));
      names.add(name);
    }
    ChildJvm.killEachWhen(children, when, 300, logs, names);
    List<String> before = new ArrayList<>();
    List<Process> resumed = new ArrayList<>();
    for (int i = 0; i < KILL_AT.length; i++) {
      Path out = dir.resolve(names.get(i));
      int kept = ChildJvm.lines(out.resolve(EvalCells.CELLS));
      assertTrue(
          kept >= KILL_AT[i] && kept < CELLS, "killed mid-grid, " + kept + " cells recorded");
      assertFalse(Files.exists(out.resolve("perplexity.csv")), "no table before the end");
      before.add(Files.readString(out.resolve(EvalCells.CELLS)));
      resumed.add(eval(names.get(i), data));
    }
    assertEquals(0, ChildJvm.finish(reference, 600, log("full")), text("full"));
    Path full = dir.resolve("full");
    assertEquals(CELLS, ChildJvm.lines(full.resolve(EvalCells.CELLS)));
    for (int i = 0; i < KILL_AT.length; i++) {
      String name = names.get(i);
      Path cells = dir.resolve(name).resolve(EvalCells.CELLS);
      assertEquals(0, ChildJvm.finish(resumed.get(i), 600, log(name)), text(name));
      assertTrue(text(name).contains("resuming: perplexity cells"), text(name));
      assertTrue(Files.readString(cells).startsWith(before.get(i)), "recorded cells are kept");
      assertEquals(CELLS, ChildJvm.lines(cells), "the missing cells only were computed");
      FaultChecks.assertNoCellTwice(cells);
      assertEquals(
          FaultChecks.csvWithoutSeconds(full.resolve("perplexity.csv")),
          FaultChecks.csvWithoutSeconds(dir.resolve(name).resolve("perplexity.csv")),
          name + ": perplexity.csv");
    }
  }

  @Test
  void aRecordOfOtherInputsIsDiscarded() throws Exception {
    Path data = data();
    EvalConfig plan = EvalConfig.parse(plan("other", data), "plan");
    List<EvalSuite.Resolved> settings = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (EvalConfig.Setting s : plan.settings()) {
      settings.add(EvalSuite.resolve(s, warnings));
    }
    Path cells = EvalCells.open(plan, settings, warnings);
    Files.writeString(cells, "{\"method\":\"original\",\"length\":256}\n");
    EvalCells.open(plan, settings, warnings);
    assertTrue(Files.exists(cells), "same inputs: the record is kept");
    assertTrue(warnings.get(warnings.size() - 1).startsWith("resuming"), warnings.toString());

    // the data set changes (one token): the record is of other inputs
    byte[] bin = Files.readAllBytes(data.resolveSibling("data.bin"));
    bin[8] ^= 1;
    Files.write(data.resolveSibling("data.bin"), bin);
    EvalCells.open(plan, settings, warnings);
    assertFalse(Files.exists(cells), "changed data: the record is discarded");
    assertTrue(warnings.get(warnings.size() - 1).contains("computed again"), warnings.toString());
  }

  /** One document of 1,100 random ids in the bundled model's vocabulary. */
  Path data() throws Exception {
    ModelConfig c = HfModelConfig.read(BUNDLED).config();
    Path prefix = dir.resolve("data");
    TokenFile.write(prefix, new InMemoryDocuments(List.of(TinyModelsAccess.ids(c, 1100, 7))));
    return dir.resolve("data.bin");
  }

  /** Two settings (original, PI 8×) × lengths 256, 512, 768, one window per cell, one thread. */
  String plan(String name, Path data) {
    String model = BUNDLED.toAbsolutePath().normalize().toString();
    return ("{'output':'OUT','settings':[{'name':'original','model':'MODEL'},"
            + "{'name':'pi-8x','model':'MODEL','rope_scaling':{'rope_type':'linear','factor':8}}],"
            + "'perplexity':{'datasets':[{'name':'random','data':'DATA'}],"
            + "'lengths':[256,512,768],'samples':1,'truncate':true},'threads':1}")
        .replace('\'', '"')
        .replace("OUT", dir.resolve(name).toString())
        .replace("MODEL", model)
        .replace("DATA", data.toString());
  }

  Process eval(String name, Path data) throws Exception {
    Path plan = dir.resolve(name + ".json");
    Files.writeString(plan, plan(name, data));
    return ChildJvm.cli(log(name), "eval", "--config", plan.toString());
  }

  Path log(String name) {
    return dir.resolve(name + ".log");
  }

  String text(String name) throws Exception {
    return ChildJvm.log(log(name));
  }
}
