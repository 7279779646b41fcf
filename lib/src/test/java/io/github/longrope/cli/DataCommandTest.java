package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.data.TokenFile;
import io.github.longrope.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
  static final String TOKENIZER = "../datasets/tokenizer/tokenizer.json";

  @TempDir Path dir;

  /** {@code data prepare FLAGS --datasets DIR --tokenizer T --json}: its JSON report. */
  JsonNode prepare(String... flags) {
    String[] tail = {"--datasets", dir.toString(), "--tokenizer", TOKENIZER, "--json"};
    String[] head = CliRun.concat(new String[] {"data", "prepare"}, flags);
    return CliRun.of(CliRun.concat(head, tail)).json();
  }

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void passkeyMixtureIsWrittenAsADatasetFolder() throws Exception {
    JsonNode o = prepare("passkey", "--count", "6", "--length", "128", "--seed", "3");
    assertEquals(6, o.get("documents").asInt());
    assertTrue(o.get("max_tokens").asInt() <= 127);
    TokenFile f = TokenFile.open(dir.resolve("passkey/data/train.bin"));
    assertEquals(6, f.size());
    assertEquals(6, Files.readAllLines(dir.resolve("passkey/data/train.jsonl")).size());
    String readme = Files.readString(dir.resolve("passkey/README.md"));
    assertTrue(readme.contains("--count 6 --length 128 --seed 3"), readme);
  }

  @Test
  void recallMixtureIsWrittenAsADatasetFolder() throws Exception {
    JsonNode o = prepare("recall", "--count", "20", "--length", "96");
    assertEquals(20, o.get("documents").asInt());
    assertTrue(o.get("max_tokens").asInt() <= 95);
    TokenFile f = TokenFile.open(dir.resolve("recall/data/train.bin"));
    for (int d = 0; d < f.size(); d++) {
      int[] s = f.document(d);
      int n = 0;
      // the longest span that ends the sequence and also starts it
      for (int k = s.length / 2; k >= 1 && n == 0; k--) {
        if (java.util.Arrays.equals(
            java.util.Arrays.copyOfRange(s, 0, k),
            java.util.Arrays.copyOfRange(s, s.length - k, s.length))) {
          n = k;
        }
      }
      assertTrue(n >= 20 && n <= 23, "span of " + n + " repeated (window 96: spans 20-23)");
      assertTrue(java.util.Arrays.stream(s).allMatch(id -> id >= 259 && id < 32000));
    }
    String readme = Files.readString(dir.resolve("recall/README.md"));
    assertTrue(readme.contains("--count 20 --length 96 --seed 0"), readme);
  }

  @Test
  void userJsonlBecomesTokenFiles() throws Exception {
    Path in = dir.resolve("docs.jsonl");
    Files.writeString(in, "{\"body\": \"one document\"}\n{\"body\": \"another one\"}\n");
    CliRun r =
        run(
            "data",
            "prepare",
            "--input",
            in.toString(),
            "--field",
            "body",
            "--output",
            dir.resolve("out/mine").toString(),
            "--tokenizer",
            TOKENIZER);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("2 documents"), r.out());
    assertEquals(2, TokenFile.open(dir.resolve("out/mine")).size());
  }

  @Test
  void badRequestsExitWithStatus2AndAMessage() {
    CliRun unknown =
        run("data", "prepare", "pg19", "--datasets", dir.toString(), "--tokenizer", TOKENIZER);
    assertEquals(Main.BAD_INPUT, unknown.exit());
    assertTrue(
        unknown.err().contains("unknown dataset 'pg19': choose corpus, passkey or recall"),
        unknown.err());
    CliRun nothing = run("data", "prepare", "--tokenizer", TOKENIZER);
    assertEquals(Main.BAD_INPUT, nothing.exit());
    assertTrue(nothing.err().contains("give a dataset NAME"), nothing.err());
    CliRun misplaced = run("data", "prepare", "corpus", "--count", "3");
    assertEquals(Main.BAD_INPUT, misplaced.exit());
    assertTrue(misplaced.err().contains("are for passkey and recall"), misplaced.err());
    CliRun minLength = run("data", "prepare", "recall", "--min-length", "80");
    assertEquals(Main.BAD_INPUT, minLength.exit());
    assertTrue(minLength.err().contains("--min-length is for 'passkey'"), minLength.err());
    CliRun noOutput =
        run("data", "prepare", "--input", "x.jsonl", "--tokenizer", TOKENIZER, "--json");
    assertEquals(Main.BAD_INPUT, noOutput.exit());
    assertTrue(
        Json.parseObject(noOutput.out(), "stdout").get("error").asText().contains("--output"));
  }
}
