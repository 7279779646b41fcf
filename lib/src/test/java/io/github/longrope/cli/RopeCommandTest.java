package io.github.longrope.cli;

import static io.github.longrope.cli.CliRun.doubles;
import static io.github.longrope.rope.Vectors.assertPrinted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "done when": {@code longrope rope --json} reproduces T1–T13 to 1e-9 relative. */
class RopeCommandTest {
  @TempDir Path dir;

  static final String[] D8 = {"rope", "--json", "--head-dim", "8", "--base", "10000"};

  static JsonNode rope(String... args) {
    return CliRun.of(CliRun.concat(D8, args)).json();
  }

  @Test
  void t1ToT4() {
    JsonNode t1 = rope("--type", "none");
    assertPrinted(new double[] {1, 0.1, 0.01, 0.001}, doubles(t1.get("inv_freq")), "T1");
    JsonNode t2 = rope("--type", "linear", "--factor", "4");
    assertPrinted(
        new double[] {0.25, 0.025, 0.0025, 0.00025}, doubles(t2.get("inv_freq")), "T2 inv");
    assertPrinted(new double[] {4, 4, 4, 4}, doubles(t2.get("factors")), "T2 λ");
    assertEquals(1.0, t2.get("attention_scale").asDouble());
    JsonNode t3 = rope("--type", "ntk", "--factor", "4");
    assertPrinted(
        new double[] {1, 0.06299605249, 0.00396850263, 0.00025},
        doubles(t3.get("inv_freq")),
        "T3 inv");
    assertPrinted(new double[] {1, 1.587401052, 2.5198421, 4}, doubles(t3.get("factors")), "T3 λ");
    JsonNode t4 =
        rope(
            "--type", "dynamic", "--factor", "4", "--original-length", "2048", "--seq-len", "4096");
    assertPrinted(
        new double[] {1, 0.05848035476, 0.003419951893, 0.0002}, doubles(t4.get("inv_freq")), "T4");
  }

  @Test
  void t5Yarn() {
    JsonNode t5 = rope("--type", "yarn", "--factor", "4", "--original-length", "2048");
    assertPrinted(new double[] {1, 0.1, 0.00625, 0.00025}, doubles(t5.get("inv_freq")), "T5 inv");
    assertPrinted(new double[] {1, 1, 1.6, 4}, doubles(t5.get("factors")), "T5 λ");
    assertPrinted(1.138629436, t5.get("attention_scale").asDouble(), "T5 mscale");
    JsonNode untruncated =
        rope("--type", "yarn", "--factor", "4", "--original-length", "2048", "--no-truncate");
    assertPrinted(
        new double[] {1, 0.1, 0.005056971521, 0.00025},
        doubles(untruncated.get("inv_freq")),
        "T5 no-truncate");
    JsonNode l64 = rope("--type", "yarn", "--factor", "4", "--original-length", "64");
    assertPrinted(
        new double[] {1, 0.0625, 0.0025, 0.00025}, doubles(l64.get("inv_freq")), "T5 L=64");
    JsonNode s32 = rope("--type", "yarn", "--factor", "32", "--original-length", "2048");
    assertPrinted(1.34657359, s32.get("attention_scale").asDouble(), "T5 mscale s=32");
    double[] seed =
        seedFactors(
            "--kind", "yarn", "--head-dim", "8", "--factor", "4", "--original-length", "2048");
    assertPrinted(new double[] {1, 1, 2.5, 4}, seed, "T5 LongRoPE seed");
  }

  /** λ of {@code longrope seed --json} with these flags. */
  static double[] seedFactors(String... flags) {
    return doubles(
        CliRun.of(CliRun.concat(new String[] {"seed", "--json"}, flags)).json().get("factors"));
  }

  @Test
  void t6YarnSeedLlama2() {
    double[] lambda = seedFactors("--kind", "yarn", "--factor", "32", "--original-length", "4096");
    assertEquals(64, lambda.length);
    assertEquals(1.0, lambda[20]);
    assertPrinted(2.192307692, lambda[21], "λ_21");
    assertPrinted(30.80769231, lambda[45], "λ_45");
    assertEquals(32.0, lambda[46]);
    double[] mistral =
        seedFactors(
            "--kind",
            "yarn",
            "--factor",
            "32",
            "--original-length",
            "4096",
            "--beta-fast",
            "128",
            "--beta-slow",
            "2");
    assertPrinted(2.033333333, mistral[12], "mistral λ_12");
    assertPrinted(30.96666667, mistral[40], "mistral λ_40");
  }

  static final String[] T7 = {
    "--type",
    "longrope",
    "--factor-values",
    "1,1.5,3,4",
    "--original-length",
    "4096",
    "--target-length",
    "131072"
  };

  static String[] t7(String... more) {
    String[] all = Arrays.copyOf(T7, T7.length + more.length);
    System.arraycopy(more, 0, all, T7.length, more.length);
    return all;
  }

  @Test
  void t7LongRope() {
    JsonNode t7 = rope(t7("--position", "5000", "--seq-len", "5001"));
    assertPrinted(
        new double[] {1, 0.06666666667, 0.003333333333, 0.00025},
        doubles(t7.get("inv_freq")),
        "T7 inv");
    assertPrinted(1.190238071, t7.get("attention_scale").asDouble(), "T7 su");
    JsonNode p = t7.get("positions").get(0);
    assertEquals(5000, p.get("position").asInt());
    assertPrinted(
        new double[] {0.1840922255, 1.128115285, -0.683888977, 0.3753086805},
        doubles(p.get("cos")),
        "T7 cos");
    assertPrinted(
        new double[] {-1.175915269, 0.379503058, -0.9741470802, 1.129517623},
        doubles(p.get("sin")),
        "T7 sin");
    JsonNode yarnPolicy = rope(t7("--mscale", "yarn"));
    assertPrinted(1.34657359, yarnPolicy.get("attention_scale").asDouble(), "T7 yarn policy");
    JsonNode spliced = rope(t7("--start-tokens", "4", "--position", "3"));
    assertPrinted(
        new double[] {-0.9899924966, 0.9553364891, 0.9995500337, 0.9999955},
        doubles(spliced.get("positions").get(0).get("cos")),
        "T7 n̂=4");
    assertEquals(4, spliced.get("start_tokens").asInt());
  }

  @Test
  void t8AndT9DynamicLongRope() {
    assertPrinted(
        new double[] {1, 1.016129032, 1.064516129, 1.096774194},
        doubles(rope(t7("--dynamic", "--seq-len", "8192")).get("factors")),
        "T8 n=8192");
    assertPrinted(
        new double[] {1, 1.241935484, 1.967741935, 2.451612903},
        doubles(rope(t7("--dynamic", "--seq-len", "65536")).get("factors")),
        "T8/T9 n=65536 (= rescale 32→16)");
  }

  @Test
  void t10Composition() throws Exception {
    Path lambda2 = dir.resolve("l2.csv");
    Files.writeString(lambda2, "1\n1.2\n2\n2\n");
    assertPrinted(
        new double[] {1, 1.8, 6, 8},
        doubles(rope(t7("--compose-factors", lambda2.toString())).get("factors")),
        "T10");
  }

  @Test
  void t11Llama3() {
    JsonNode t11 =
        CliRun.line(
                "rope --json --head-dim 8 --base 500000 --type llama3 --factor 8"
                    + " --original-length 8192")
            .json();
    assertPrinted(
        new double[] {1, 0.03760603093, 0.000524846161, 6.647869871e-06},
        doubles(t11.get("inv_freq")),
        "T11");
    assertPrinted(new double[] {1, 1, 2.694529688, 8}, doubles(t11.get("factors")), "T11 λ");
  }

  @Test
  void t12SuTable() {
    double[][] cases = {
      {32, 4096, 1.190238071},
      {8, 4096, 1.118033989},
      {4, 2048, 1.087114613},
      {16, 8192, 1.14354375}
    };
    for (double[] c : cases) {
      JsonNode r =
          rope(
              "--type",
              "longrope",
              "--factor-values",
              "1,1,1,1",
              "--factor",
              Double.toString(c[0]),
              "--original-length",
              Integer.toString((int) c[1]));
      assertPrinted(c[2], r.get("attention_scale").asDouble(), "T12 s=" + c[0] + " L=" + c[1]);
    }
  }

  static String phi35() {
    try {
      return Path.of(RopeCommandTest.class.getResource("/hf/phi-3.5-mini-instruct.json").toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void t13Phi35FromHfConfig() {
    JsonNode lng = CliRun.of("rope", "--json", "--hf-config", phi35(), "--seq-len", "4097").json();
    JsonNode shrt = CliRun.of("rope", "--json", "--hf-config", phi35(), "--seq-len", "4096").json();
    assertEquals("long", lng.get("regime").asText());
    assertEquals("short", shrt.get("regime").asText());
    assertEquals(96, lng.get("rotary_dim").asInt());
    assertPrinted(1.190238071, lng.get("attention_scale").asDouble(), "T13 scale long");
    assertPrinted(1.190238071, shrt.get("attention_scale").asDouble(), "T13 scale short");
    double[] li = doubles(lng.get("inv_freq"));
    double[] si = doubles(shrt.get("inv_freq"));
    assertPrinted(
        new double[] {0.9259258891, 0.7436073645, 0.5976246295, 0.4196576949},
        Arrays.copyOf(li, 4),
        "T13 long");
    assertPrinted(1.868488166e-06, li[47], "T13 long[47]");
    assertPrinted(
        new double[] {1, 0.8092198046, 0.6614486291, 0.5459624668},
        Arrays.copyOf(si, 4),
        "T13 short");
    assertPrinted(4.265943305e-05, si[47], "T13 short[47]");
  }

  @Test
  void exportsRoundTripThroughFiles() throws Exception {
    Path hf = dir.resolve("rope_scaling.json");
    Path csv = dir.resolve("lambda.csv");
    JsonNode r =
        CliRun.line(
                "rope --json --hf-config {} --seq-len 8192 --write-hf {} --write-factors {}",
                phi35(),
                hf,
                csv)
            .json();
    assertEquals(
        HfRopeConfig.read(Path.of(phi35())).scaling(),
        HfRopeConfig.parseScaling(Json.readObject(hf), 48, hf.toString()));
    double[] lambda = FactorFile.read(csv, 48).table().row(0);
    double[] printed = doubles(r.get("factors"));
    for (int i = 0; i < 48; i++) {
      assertEquals(printed[i], lambda[i], 0.0, "factor file is written at full precision");
    }
  }

  @Test
  void textOutputIsATable() {
    CliRun run = CliRun.of("rope", "--hf-config", phi35(), "--seq-len", "4097");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("regime=long"), run.out());
    // header, column names, 48 pairs, the critical-dimension line
    assertEquals(2 + 1 + 48 + 1, run.out().split("\n").length);
  }

  @Test
  void badInputExitsWithAClearMessage() throws Exception {
    CliRun noFactors =
        CliRun.of("rope", "--type", "longrope", "--original-length", "4096", "--factor", "8");
    assertEquals(Main.BAD_INPUT, noFactors.exit());
    assertTrue(
        noFactors.err().contains("needs --factors FILE or --factor-values"), noFactors.err());

    CliRun unknown = CliRun.of("rope", "--type", "warp", "--factor", "2");
    assertEquals(Main.BAD_INPUT, unknown.exit());
    assertTrue(unknown.err().contains("unknown RoPE type 'warp'"), unknown.err());

    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "1\n2\nx\n");
    CliRun badFile =
        CliRun.line(
            "rope --head-dim 6 --type longrope --factors {} --original-length 4096 --factor 8",
            bad);
    assertEquals(Main.BAD_INPUT, badFile.exit());
    assertTrue(
        badFile.err().contains(bad + ": line 3, value 1: 'x' is not a number"), badFile.err());

    CliRun noLength = CliRun.of("rope", "--type", "yarn", "--factor", "8");
    assertTrue(noLength.err().contains("needs --original-length"), noLength.err());

    CliRun badLinear = CliRun.of("rope", "--type", "linear", "--factor", "0.5");
    assertTrue(
        badLinear.err().contains("linear factor must be a finite number >= 1"), badLinear.err());

    Path decreasing = dir.resolve("dec.csv");
    Files.writeString(decreasing, "1\n2\n1.5\n3\n");
    CliRun warned =
        CliRun.line(
            "rope --json --head-dim 8 --type longrope --factors {} --original-length 4096"
                + " --factor 8",
            decreasing);
    assertEquals(0, warned.exit());
    assertTrue(warned.err().contains("index 2"), warned.err());
    assertFalse(warned.json().get("warnings").isEmpty());
  }
}
