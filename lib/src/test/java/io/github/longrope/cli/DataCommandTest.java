package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.data.TokenFile;
import io.github.longrope.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandTest {
  static final String TOKENIZER = "../datasets/tokenizer/tokenizer.json";

  @TempDir Path dir;

  static CliRun run(String... args) {
    CommandLine cl = DataCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new CliRun(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void passkeyMixtureIsWrittenAsADatasetFolder() throws Exception {
    JsonNode o =
        run(
                "data",
                "prepare",
                "passkey",
                "--count",
                "6",
                "--length",
                "128",
                "--seed",
                "3",
                "--datasets",
                dir.toString(),
                "--tokenizer",
                TOKENIZER,
                "--json")
            .json();
    assertEquals(6, o.get("documents").asInt());
    assertTrue(o.get("max_tokens").asInt() <= 127);
    TokenFile f = TokenFile.open(dir.resolve("passkey/data/train.bin"));
    assertEquals(6, f.size());
    assertEquals(6, Files.readAllLines(dir.resolve("passkey/data/train.jsonl")).size());
    String readme = Files.readString(dir.resolve("passkey/README.md"));
    assertTrue(readme.contains("--count 6 --length 128 --seed 3"), readme);
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
        unknown.err().contains("unknown dataset 'pg19': choose corpus or passkey"), unknown.err());
    CliRun nothing = run("data", "prepare", "--tokenizer", TOKENIZER);
    assertEquals(Main.BAD_INPUT, nothing.exit());
    assertTrue(nothing.err().contains("give a dataset NAME"), nothing.err());
    CliRun misplaced = run("data", "prepare", "corpus", "--count", "3");
    assertEquals(Main.BAD_INPUT, misplaced.exit());
    assertTrue(misplaced.err().contains("are for 'passkey'"), misplaced.err());
    CliRun noOutput =
        run("data", "prepare", "--input", "x.jsonl", "--tokenizer", TOKENIZER, "--json");
    assertEquals(Main.BAD_INPUT, noOutput.exit());
    assertTrue(
        Json.parseObject(noOutput.out(), "stdout").get("error").asText().contains("--output"));
  }
}
