package io.github.longrope.cli;

import static io.github.longrope.cli.CliRun.doubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.rope.CriticalDimension;
import io.github.longrope.rope.RopeGeometry;
import org.junit.jupiter.api.Test;

/** {@code longrope rope} and {@code longrope seed} show LongRoPE2's critical dimension. */
class CriticalDimensionCommandTest {
  static final String BUNDLED = "../models/bundled/config.json";

  @Test
  void ropeShowsTheCriticalDimensionOfAModelAndOfFlags() {
    JsonNode bundled = CliRun.of("rope", "--json", "--hf-config", BUNDLED).json();
    JsonNode c = bundled.get("critical_dimension");
    assertEquals(256, c.get("train_length").asInt());
    assertEquals(13, c.get("theoretical_pair").asInt());
    assertEquals(26, c.get("theoretical_dims").asInt());
    assertEquals(5, c.get("ten_period_pair").asInt());
    double[] k = doubles(c.get("periods_in_training"));
    assertEquals(32, k.length);
    assertTrue(k[12] >= 1 && k[13] < 1);

    // Phi3-mini as LongRoPE2 extends it: d 96, b 1e4, L_train 2048 → d_tcd 62
    JsonNode phi3 =
        CliRun.of("rope", "--json", "--head-dim", "96", "--train-length", "2048").json();
    assertEquals(62, phi3.get("critical_dimension").get("theoretical_dims").asInt());
    assertEquals(19, phi3.get("critical_dimension").get("ten_period_pair").asInt());
    CliRun text = CliRun.of("rope", "--head-dim", "96", "--train-length", "2048");
    assertTrue(text.out().contains("d_tcd=62 (pair 31), d10_tcd=38 (pair 19)"), text.out());
    // no L known: no critical dimension
    assertTrue(
        CliRun.of("rope", "--json", "--head-dim", "8")
            .json()
            .path("critical_dimension")
            .isMissingNode());
    CliRun bad = CliRun.of("rope", "--head-dim", "8", "--train-length", "0");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("--train-length"), bad.err());
  }

  @Test
  void seedWritesTheCriticalDimensionSeedForAModel() {
    JsonNode s =
        CliRun.line("seed --json --kind critical-dim --hf-config {} --factor 8", BUNDLED).json();
    double[] lambda = doubles(s.get("factors"));
    assertEquals(32, lambda.length);
    assertEquals(64, s.get("rotary_dim").asInt());
    assertEquals(13, s.get("critical_dimension").get("theoretical_pair").asInt());
    double[] expected = new CriticalDimension(new RopeGeometry(64, 10_000), 256).seed(8).row(0);
    for (int i = 0; i < 32; i++) {
      assertEquals(expected[i], lambda[i], 1e-12);
    }
    assertEquals(8.0, lambda[13]);
    assertEquals(1.0, lambda[0]);

    CliRun noLength = CliRun.of("seed", "--kind", "critical-dim", "--factor", "8");
    assertEquals(2, noLength.exit());
    assertTrue(noLength.err().contains("--original-length"), noLength.err());
    CliRun both =
        CliRun.of("seed", "--kind", "pi", "--factor", "8", "--hf-config", BUNDLED, "--base", "5");
    assertEquals(2, both.exit());
    assertTrue(both.err().contains("--hf-config"), both.err());
  }
}
