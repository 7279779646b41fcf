package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CPU model's weights live in the JVM's direct buffers, whose limit defaults to the heap's: a
 * model over that limit is refused before loading with a message that names the JVM option, not a
 * {@code java.lang.OutOfMemoryError} stack trace halfway through the load.
 */
class JvmLimitsTest {
  @TempDir Path dir;

  @Test
  void weightsOverTheDirectMemoryLimitAreRefusedByName() throws Exception {
    List<String> c =
        new ArrayList<>(
            ChildJvm.command(
                Main.class.getName(),
                "logits",
                "--model",
                "../models/bundled",
                "--text",
                "The",
                "--max-new-tokens",
                "1",
                "--device",
                "cpu"));
    // the bundled model's weights: 48 MiB in f32, 24 MiB in f16
    c.add(1, "-XX:MaxDirectMemorySize=32m");
    Path log = dir.resolve("child.log");
    assertEquals(2, ChildJvm.finish(ChildJvm.start(log, c), 300, log), ChildJvm.log(log));
    String out = ChildJvm.log(log);
    assertTrue(
        out.contains("longrope logits: error: ../models/bundled: cannot load the weights on cpu")
            && out.contains("direct memory")
            && out.contains("-XX:MaxDirectMemorySize")
            && out.contains("or load in f16, which fits"),
        out);
    assertTrue(!out.contains("\tat ") && !out.contains("OutOfMemoryError"), out);
    // and the advice holds: the same limit loads and runs the model in f16
    c.addAll(List.of("--dtype", "f16"));
    Path half = dir.resolve("half.log");
    assertEquals(0, ChildJvm.finish(ChildJvm.start(half, c), 300, half), ChildJvm.log(half));
  }
}
