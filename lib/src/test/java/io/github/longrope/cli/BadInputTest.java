package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
 * 0).
 */
class BadInputTest {
  @TempDir static Path dir;

  @BeforeAll
  static void files() throws Exception {
    Path model = TinyModelDir.write(dir);
    Files.writeString(
        dir.resolve("book.txt"), "The grass is green . The sky is blue . ".repeat(20));
    Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28});
    Files.createSymbolicLink(dir.resolve("link"), model);
    Files.writeString(dir.resolve("pop.json"), "{\"population\": 6.7}");
    Files.writeString(
        dir.resolve("train.json"),
        "{\"output\":\""
            + dir.resolve("train-run")
            + "\",\"model\":{\"init\":\""
            + model
            + "\"},\"data\":{\"train\":[\""
            + dir.resolve("book.txt")
            + "\"]},\"context\":16,\"steps\":2,\"batch\":0}");
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
    assertTrue(err.contains("longrope " + args[0]) && err.contains("error: "), err);
    for (String w : words.split(",")) {
      String word = substitute(w.trim(), tmp);
      assertTrue(err.contains(word), label + ": the message should name '" + word + "': " + err);
    }
    assertFalse(err.contains("\tat "), label + ": stack trace: " + err);
    assertTrue(Files.isRegularFile(dir.resolve("model/model.safetensors")), "source untouched");
  }

  static String substitute(String a, Path tmp) {
    return a.replace("MODEL", dir.resolve("model").toString())
        .replace("TEXT", dir.resolve("book.txt").toString())
        .replace("BADUTF8", dir.resolve("bad.txt").toString())
        .replace("MISSING", dir.resolve("missing.txt").toString())
        .replace("LINK", dir.resolve("link").toString())
        .replace("TMP", tmp.toString())
        .replace("POP67", dir.resolve("pop.json").toString())
        .replace("TRAINBAD", dir.resolve("train.json").toString());
  }
}
