package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.Json;
import io.github.longrope.model.TorchReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code longrope logits} on the bundled model against the PyTorch reference's greedy decoding by
 * full forwards ({@code reference_llama.py generate}), per RoPE setting: the same generated ids,
 * the same top-k and last-position logits within 1e-4 of the largest. Prompts of 250 tokens and 12
 * new tokens cross L = 256, where a longrope pair switches tables (recomputed, or fixed from the
 * start) and dynamic NTK changes at every step. The reference gets the RoPE object our report
 * prints, so the comparison also covers how we spell it.
 */
class LogitsCommandTest {
  static final Path BUNDLED = Path.of("../models/bundled");
  static final int PROMPT = 250;
  static final int NEW = 12;
  @TempDir static Path work;

  @BeforeAll
  static void needsTorchAndFactors() throws IOException {
    TorchReference.require();
    JsonNode rs = Json.readObject(Path.of("../results/quickstart-full/export/config.json"));
    List<String> lines = new ArrayList<>();
    rs.get("rope_scaling").get("long_factor").forEach(v -> lines.add(v.asText()));
    Files.write(work.resolve("long.csv"), lines);
    Files.write(work.resolve("short.csv"), lines.stream().map(v -> "1.0").toList());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "checkpoint's own (none) |",
        "yarn 4x | --type yarn --factor 4",
        "dynamic NTK 4x | --type dynamic --factor 4",
        "longrope pair, recompute | --type longrope --factors LONG --short-factors SHORT"
            + " --target-length 2048",
        "longrope pair, fixed | --type longrope --factors LONG --short-factors SHORT"
            + " --target-length 2048 --policy fixed",
      })
  void greedyIdsAndLogitsMatchTheReference(String label, String flags) throws IOException {
    int[] ids = prompt();
    List<String> args =
        new ArrayList<>(
            List.of(
                CliRun.words(
                    "logits --model {} --ids {} --max-new-tokens {} --top-k 5 --json",
                    BUNDLED,
                    join(ids),
                    NEW)));
    if (flags != null) {
      for (String f : flags.split(" ")) {
        args.add(
            f.replace("LONG", work.resolve("long.csv").toString())
                .replace("SHORT", work.resolve("short.csv").toString()));
      }
    }
    JsonNode ours = CliRun.of(args.toArray(String[]::new)).json();
    assertEquals(PROMPT, ours.get("tokens").asInt());

    Path out = work.resolve("ref-" + Integer.toHexString(label.hashCode()) + ".json");
    List<String> ref =
        new ArrayList<>(
            List.of(
                CliRun.words(
                    "generate --model {} --ids {} --max-new-tokens {} --top-k 5 --out {}"
                        + " --rope-scaling {}",
                    BUNDLED,
                    join(ids),
                    NEW,
                    out,
                    Json.write(ours.get("rope_scaling")))));
    if (ours.get("policy").asText().equals("fixed")) {
      ref.add("--table-length");
      ref.add("" + (PROMPT + NEW));
    }
    TorchReference.script(ref.toArray(String[]::new));
    JsonNode theirs = Json.readObject(out);

    assertArrayEquals(
        ints(theirs.get("generated")), ints(ours.get("generated")), label + ": greedy ids");
    assertTrue(PROMPT + ours.get("generated").size() > 256, label + ": crosses L");
    double scale = 0;
    for (JsonNode v : theirs.get("last_logits")) {
      scale = Math.max(scale, Math.abs(v.asDouble()));
    }
    for (int k = 0; k < 5; k++) {
      JsonNode c = ours.get("top_k").get(k);
      assertEquals(theirs.get("top_k").get(k).get(0).asInt(), c.get("id").asInt(), label);
      double want = theirs.get("last_logits").get(c.get("id").asInt()).asDouble();
      assertEquals(want, c.get("logit").asDouble(), 1e-4 * scale, label + ": top-k logit");
    }
  }

  @Test
  void npyHoldsEveryPositionsLogits() throws IOException {
    Path npy = work.resolve("logits.npy");
    JsonNode r =
        CliRun.of(
                "logits",
                "--model",
                BUNDLED.toString(),
                "--text",
                "It is a truth universally acknowledged",
                "--max-new-tokens",
                "0",
                "--out",
                npy.toString(),
                "--json")
            .json();
    int t = r.get("tokens").asInt();
    assertEquals(1, r.get("ids").get(0).asInt(), "BOS first");
    assertEquals(t - 1, r.get("nll").size());
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(npy)).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = b.getShort(8);
    String header = new String(b.array(), 10, headerLength, StandardCharsets.US_ASCII);
    assertTrue(header.contains("'shape': (" + t + ", 32000)"), header);
    assertEquals(0, (10 + headerLength) % 64, "npy data aligned to 64 bytes");
    assertEquals(10 + headerLength + 4L * t * 32000, b.capacity());
    JsonNode best = r.get("top_k").get(0);
    float stored = b.getFloat(10 + headerLength + 4 * ((t - 1) * 32000 + best.get("id").asInt()));
    assertEquals(best.get("logit").asDouble(), stored, 1e-5, "last row of the .npy");
  }

  /** {@code --dtype f16} computes in f16: losses close to f32's, not the same bits. */
  @Test
  void theDtypeFlagIsWhatRuns() {
    String[] base = {
      "logits",
      "--model",
      BUNDLED.toString(),
      "--text",
      "It is a truth universally acknowledged",
      "--max-new-tokens",
      "0",
      "--device",
      "cpu",
      "--json"
    };
    JsonNode f32 = CliRun.of(base).json();
    String[] half = Arrays.copyOf(base, base.length + 2);
    half[base.length] = "--dtype";
    half[base.length + 1] = "f16";
    JsonNode f16 = CliRun.of(half).json();
    assertEquals("f16", f16.get("dtype").asText(), f16.toString());
    boolean differs = false;
    for (int i = 0; i < f32.get("nll").size(); i++) {
      double a = f32.get("nll").get(i).asDouble();
      double b = f16.get("nll").get(i).asDouble();
      assertEquals(a, b, 0.05, "token " + i);
      differs |= a != b;
    }
    assertTrue(differs, "f16 gave f32's exact losses: the flag was not applied");
  }

  @Test
  void badInputIsNamed() {
    CliRun r = CliRun.of("logits", "--model", BUNDLED.toString(), "--ids", "1,x");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--ids"), r.err());
    r = CliRun.of("logits", "--model", BUNDLED.toString(), "--ids", "1,32000");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("position 1"), r.err());
    r = CliRun.of("logits", "--model", BUNDLED.toString(), "--ids", "1", "--policy", "lazy");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--policy"), r.err());
  }

  /** BOS, then seeded ids from the bundled vocabulary (no special tokens). */
  static int[] prompt() {
    SplittableRandom r = new SplittableRandom(17);
    int[] ids = new int[PROMPT];
    ids[0] = 1;
    for (int i = 1; i < PROMPT; i++) {
      ids[i] = 3 + r.nextInt(32000 - 3);
    }
    return ids;
  }

  static String join(int[] ids) {
    return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
  }

  static int[] ints(JsonNode a) {
    int[] v = new int[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).asInt();
    }
    return v;
  }
}
