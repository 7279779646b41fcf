package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.eval.EvalConfig;
import io.github.longrope.eval.EvalSuite;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

/**
 * One registry of RoPE names ({@link RopeNames}): the same setting spelled as flags, as a
 * config.json {@code rope_scaling} and as an evaluation-plan entry is one equal {@link
 * RopeScaling}; every name accepted anywhere resolves there; the comparison methods and the search
 * seeds are the registry's.
 */
class RopeNamesTest {
  @TempDir Path dir;

  @Command
  static final class Flags {
    @ArgGroup(validate = false)
    RopeOptions rope = new RopeOptions();
  }

  private static RopeScaling fromFlags(String flags) {
    Flags f = new Flags();
    new CommandLine(f).parseArgs(flags.split(" "));
    return f.rope.resolve(4, 64, new ArrayList<>());
  }

  private static RopeScaling fromConfig(String json) {
    return HfRopeConfig.parseScaling(Json.parseObject(json.replace('\'', '"'), "t"), 4, "t");
  }

  /** The same setting, three spellings: flags, rope_scaling, and an eval-plan setting. */
  private void same(String flags, String ropeScaling) throws Exception {
    RopeScaling cli = fromFlags(flags);
    assertEquals(cli, fromConfig(ropeScaling), flags);
    Path model = dir.resolve("model");
    if (!Files.isDirectory(model)) {
      ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 64);
      HfModel.write(
          Files.createDirectory(model),
          c,
          TinyModelsAccess.weights(c, 1),
          SafetensorsFile.Dtype.F32);
    }
    assertEquals(cli, fromPlan(ropeScaling), flags + " (eval plan)");
    // a plan's setting may leave L out: like a flag, it is then the checkpoint's (64 here)
    String withoutL = ropeScaling.replace(", 'original_max_position_embeddings': 64", "");
    assertEquals(cli, fromPlan(withoutL), flags + " (eval plan, the model's L)");
  }

  private RopeScaling fromPlan(String ropeScaling) {
    ObjectNode plan = Json.parseObject(ropeScaling.replace('\'', '"'), "t");
    EvalConfig.Setting s = new EvalConfig.Setting("s", dir.resolve("model").toString(), plan);
    return EvalSuite.resolve(s, new ArrayList<>()).scaling();
  }

  @Test
  void flagsConfigAndEvalPlanAgree() throws Exception {
    String l = "'original_max_position_embeddings': 64";
    same("--type none", "{'rope_type': 'default'}");
    same("--type default", "{'rope_type': 'none'}");
    same("--type pi --factor 4", "{'rope_type': 'linear', 'factor': 4}");
    same("--type linear --factor 4", "{'rope_type': 'pi', 'factor': 4}");
    same("--type ntk --factor 4", "{'rope_type': 'ntk', 'factor': 4}");
    same("--type dynamic --factor 4", "{'rope_type': 'dynamic', 'factor': 4, " + l + "}");
    same("--type yarn --factor 4", "{'type': 'yarn', 'factor': 4, " + l + "}");
    // llama3's frequency factors: one set of defaults (Llama 3.1's) for flags and files
    same("--type llama3 --factor 8", "{'rope_type': 'llama3', 'factor': 8, " + l + "}");
    same(
        "--type llama3 --factor 8 --low-freq-factor 2 --high-freq-factor 8",
        "{'rope_type': 'llama3', 'factor': 8, 'low_freq_factor': 2, 'high_freq_factor': 8, "
            + l
            + "}");
    String lambda = "1,2,3.5,4";
    String json = "[1,2,3.5,4]";
    same(
        "--type su --factor 4 --factor-values " + lambda,
        "{'rope_type': 'longrope', 'factor': 4, 'short_factor': "
            + json
            + ", 'long_factor': "
            + json
            + ", "
            + l
            + "}");
  }

  @Test
  void everyTypeAndAliasIsAcceptedEverywhereAndUnknownOnesNameTheKnown() {
    for (String t : List.of("default", "none", "linear", "pi", "ntk", "dynamic", "yarn")) {
      String canonical = RopeNames.type(t);
      assertTrue(RopeNames.TYPES.contains(canonical), t);
      String extra = t.equals("default") || t.equals("none") ? "" : " --factor 2";
      assertEquals(canonical, fromFlags("--type " + t + extra).typeName(), t);
      String factor = extra.isEmpty() ? "" : ", 'factor': 2";
      String original = ", 'original_max_position_embeddings': 64";
      assertEquals(
          canonical,
          fromConfig("{'rope_type': '" + t.toUpperCase() + "'" + factor + original + "}")
              .typeName(),
          t);
    }
    IllegalArgumentException cli =
        assertThrows(IllegalArgumentException.class, () -> fromFlags("--type rope2"));
    assertTrue(cli.getMessage().startsWith("--type: unknown RoPE type 'rope2'"), cli.getMessage());
    FormatException file =
        assertThrows(FormatException.class, () -> fromConfig("{'rope_type': 'rope2'}"));
    assertTrue(file.getMessage().contains("rope_type"), file.getMessage());
    assertTrue(file.getMessage().contains("known: default, linear, ntk"), file.getMessage());
  }

  @Test
  void methodsAndSeedsResolveThroughTheRegistryWhereverTheyAreNamed() {
    RopeGeometry g = new RopeGeometry(16, 10000);
    for (String m : RopeNames.METHODS) {
      RopeScaling at4 = RopeNames.method(m, g, 64).apply(4);
      assertEquals(m.equals("none") ? "default" : RopeNames.type(at4.typeName()), at4.typeName());
      assertEquals(new NoScaling(), RopeNames.method(m, g, 64).apply(1), m);
    }
    // a method named by its HF type is that type's variant
    assertEquals(fromFlags("--type pi --factor 4"), RopeNames.method("linear", g, 64).apply(4));
    assertEquals(fromFlags("--type ntk --factor 4"), RopeNames.method("ntk", g, 64).apply(4));
    for (String seed : RopeNames.SEEDS) {
      // the seed command and the search's init sources are the registry's seeds
      assertEquals(RopeNames.seed(seed, g, 4, 64, 32, 1), SeedCommand.run(seed, g, 4, 64, 32, 1));
    }
    assertThrows(IllegalArgumentException.class, () -> SeedCommand.run("yarn", g, 4, null, 32, 1));
    // the λ a seed gives is the one its method's variant applies (pi: λ = s everywhere)
    assertEquals(
        RopeNames.seed("pi", g, 4, 64, 32, 1).row(0)[3],
        RopeNames.method("pi", g, 64).apply(4).frequencies(g, 256).factors()[3],
        1e-12);
  }
}
