package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.data.TokenFile;
import io.github.longrope.io.RunLock;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.NoScaling;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input, one row per case: the command line, and the words its message must contain. Every row
 * must exit 2 with a one-line {@code longrope COMMAND: error: …} naming the flag, key or file, and
 * no stack trace. Placeholders: MODEL (a tiny model directory with a tokenizer), TEXT (a text
 * file), BADUTF8 (invalid UTF-8), MISSING (no such file), LINK (a symbolic link to MODEL), TMP (a
 * fresh folder), POP67 (a search config with population 6.7), TRAINBAD (a train config with batch
 * 0), OOV (a token file with an id outside the vocabulary at token 5), BIGIDX (a token file whose
 * index header counts -2^31 documents), BADJSONL (a .jsonl whose line 2 is cut), LOCKED (a run
 * folder whose lock this JVM holds, as another run would; PID is this JVM's), TRAINLOCKED and
 * EVALLOCKED (a valid train config and evaluation plan writing into LOCKED).
 */
class BadInputTest {
  @TempDir static Path dir;

  static RunLock lock;

  @BeforeAll
  static void files() throws Exception {
    ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 16);
    Path model = TinyModelDir.write(dir.resolve("model"), c, 1);
    Files.writeString(
        dir.resolve("book.txt"), "The grass is green . The sky is blue . ".repeat(20));
    Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28});
    Files.createSymbolicLink(dir.resolve("link"), model);
    Files.writeString(dir.resolve("pop.json"), "{\"population\": 6.7}");
    int[] ids = TinyModelsAccess.ids(c, 40, 3);
    ids[5] = c.vocabSize() + 7;
    TokenFile.write(dir.resolve("oov"), new InMemoryDocuments(List.of(ids)));
    ByteBuffer idx = ByteBuffer.allocate(16 + 16).order(ByteOrder.LITTLE_ENDIAN);
    idx.put("LRTOKIDX".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .putInt(1)
        .putInt(Integer.MIN_VALUE)
        .putLong(0)
        .putLong(0);
    Files.write(dir.resolve("big.idx"), idx.array());
    Files.write(dir.resolve("big.bin"), new byte[0]);
    Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"fine\"}\n{\"text\": \"cut\n");
    Files.writeString(
        dir.resolve("train.json"),
        "{\"output\":\""
            + dir.resolve("train-run")
            + "\",\"model\":{\"init\":\""
            + model
            + "\"},\"data\":{\"train\":[\""
            + dir.resolve("book.txt")
            + "\"]},\"context\":16,\"steps\":2,\"batch\":0}");
    // a run folder held by another run (this JVM's lock stands for the other process)
    lock = RunLock.acquire(dir.resolve("locked"), m -> {});
    Files.writeString(
        dir.resolve("train-locked.json"),
        Files.readString(dir.resolve("train.json"))
            .replace(dir.resolve("train-run").toString(), dir.resolve("locked").toString())
            .replace("\"batch\":0", "\"batch\":1"));
    Files.writeString(
        dir.resolve("eval-locked.json"),
        "{\"output\":\""
            + dir.resolve("locked")
            + "\",\"settings\":[{\"name\":\"m\",\"model\":\""
            + model
            + "\"}],\"perplexity\":{\"datasets\":[{\"name\":\"d\",\"data\":\""
            + dir.resolve("book.txt")
            + "\"}],\"lengths\":[16]}}");
  }

  @AfterAll
  static void unlock() {
    lock.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ppl --samples 0 | ppl --model MODEL --data TEXT --lengths 16 --samples 0 | --samples",
        "ppl --samples -2 | ppl --model MODEL --data TEXT --lengths 16 --samples -2 | --samples",
        "ppl --lengths , | ppl --model MODEL --data TEXT --lengths , | --lengths",
        "ppl missing data file | ppl --model MODEL --data MISSING --lengths 16 | MISSING,not found",
        "ppl invalid UTF-8 | ppl --model MODEL --data BADUTF8 --lengths 4 | BADUTF8,UTF-8",
        "ppl length no window reaches | ppl --model MODEL --data TEXT --lengths 100000 | 100000",
        "ppl missing model | ppl --model MISSING --data TEXT --lengths 16 | MISSING",
        "ppl --threads 0 | ppl --model MODEL --data TEXT --lengths 16 --threads 0 | --threads",
        "ppl --attention-chunk 0 | ppl --model MODEL --data TEXT --lengths 16 --attention-chunk 0"
            + " | --attention-chunk",
        "rope unknown type | rope --type warp --factor 2 --head-dim 64 | warp",
        "search population 6.7 | search --model MODEL --data TEXT --target-length 32 --config POP67"
            + " --run TMP/run | population,6.7",
        "train batch 0 | train --config TRAINBAD | batch",
        "export --out through a link to the source | export --model MODEL --out LINK | --out",
        "export --out inside the source | export --model MODEL --out MODEL/sub | --out",
        "export unknown dtype | export --model MODEL --out TMP/x --dtype f8 | --dtype",
        "logits --ids not integers | logits --model MODEL --ids 1,x | --ids",
        "logits id outside the vocabulary | logits --model MODEL --ids 1,999999 | position 1",
        "logits --policy | logits --model MODEL --ids 1,2 --policy lazy | --policy",
        "logits --top-k 0 | logits --model MODEL --ids 1,2 --top-k 0 | --top-k",
        "ppl token id outside the vocabulary | ppl --model MODEL --data OOV --lengths 8 | OOV,token 5",
        "ppl damaged .idx header | ppl --model MODEL --data BIGIDX --lengths 8 | big.idx,damaged",
        "ppl malformed .jsonl | ppl --model MODEL --data BADJSONL --lengths 8 | BADJSONL,line 2",
        "search --dtype f8 | search --model MODEL --data TEXT --target-length 32 --run TMP/run"
            + " --dtype f8 | --dtype",
        "search --engine unknown | search --model MODEL --data TEXT --target-length 32"
            + " --run TMP/run --engine warp | --engine",
        "search --workers 0 | search --model MODEL --data TEXT --target-length 32 --run TMP/run"
            + " --workers 0 | --workers",
        "search --resume without a run | search --model MODEL --data TEXT --target-length 32"
            + " --run TMP/none --resume | TMP/none",
        "plan --length 0 | plan --model MODEL --length 0 | --length",
        "plan unknown dtype | plan --model MODEL --length 64 --dtype f8 | --dtype",
        "plan --memory not a size | plan --model MODEL --length 64 --memory lots | --memory",
        "plan --attention-chunk 0 | plan --model MODEL --length 64 --attention-chunk 0"
            + " | --attention-chunk",
        "bench memory --lengths , | bench memory --model MODEL --lengths , | --lengths",
        "bench memory unknown dtype | bench memory --model MODEL --lengths 64 --dtype f8 | --dtype",
        "bench memory --device | bench memory --model MODEL --lengths 64 --device tpu | --device",
        "bench racing on a folder that is no run | bench racing --run TMP | --run,TMP,no config.json",
        "bench racing negative slack | bench racing --run TMP --slacks 0.1,-1 | --slacks,-1",
        "train missing config | train --config MISSING | MISSING,not found",
        "eval plan not JSON | eval --config TEXT | TEXT,line 1",
        "pipeline missing config | pipeline --config MISSING | MISSING,not found",
        "search on a run folder in use | search --model MODEL --data TEXT --target-length 32"
            + " --run LOCKED | LOCKED,in use by process PID",
        "train into an output in use | train --config TRAINLOCKED | LOCKED,in use by process PID",
        "eval into an output in use | eval --config EVALLOCKED | LOCKED,in use by process PID",
      })
  void exitsTwoNamingTheCulprit(String label, String command, String words) throws Exception {
    Path tmp = Files.createTempDirectory(dir, "case");
    String[] args =
        Arrays.stream(command.trim().split(" +"))
            .map(a -> substitute(a, tmp))
            .toArray(String[]::new);
    CliRun r = CliRun.of(args);
    assertEquals(Main.BAD_INPUT, r.exit(), label + ": " + r.err());
    String err = r.err();
    // a subcommand's message starts with its own name (bench memory: "longrope memory: error")
    String name = args[0].equals("bench") ? args[1] : args[0];
    assertTrue(err.contains("longrope " + name + ": error: "), err);
    for (String w : words.split(",")) {
      String word = substitute(w.trim(), tmp);
      assertTrue(err.contains(word), label + ": the message should name '" + word + "': " + err);
    }
    assertFalse(err.contains("\tat "), label + ": stack trace: " + err);
    assertTrue(Files.isRegularFile(dir.resolve("model/model.safetensors")), "source untouched");
    // a refused train config leaves no record that would block the corrected rerun
    assertFalse(Files.exists(dir.resolve("train-run/config.json")), label + ": train record");
  }

  static String substitute(String a, Path tmp) {
    return a.replace("MODEL", dir.resolve("model").toString())
        .replace("TEXT", dir.resolve("book.txt").toString())
        .replace("BADUTF8", dir.resolve("bad.txt").toString())
        .replace("MISSING", dir.resolve("missing.txt").toString())
        .replace("LINK", dir.resolve("link").toString())
        .replace("TMP", tmp.toString())
        .replace("POP67", dir.resolve("pop.json").toString())
        .replace("TRAINBAD", dir.resolve("train.json").toString())
        .replace("OOV", dir.resolve("oov.bin").toString())
        .replace("BIGIDX", dir.resolve("big.bin").toString())
        .replace("BADJSONL", dir.resolve("bad.jsonl").toString())
        .replace("TRAINLOCKED", dir.resolve("train-locked.json").toString())
        .replace("EVALLOCKED", dir.resolve("eval-locked.json").toString())
        .replace("LOCKED", dir.resolve("locked").toString())
        .replace("PID", String.valueOf(ProcessHandle.current().pid()));
  }
}
