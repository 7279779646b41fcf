package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.rope.NoScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A forward never leaks native memory across calls: 50 repeated forwards keep RSS flat. */
class NativeMemoryTest {
  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no VmRSS");
  }

  @Test
  void fiftyForwardsKeepResidentMemoryFlat() throws IOException {
    ModelConfig c =
        ModelConfig.builder()
            .shape(2000, 128, 256, 3)
            .heads(4, 2, 32)
            .maxPositionEmbeddings(512)
            .rope(new io.github.longrope.rope.RopeGeometry(32, 10000))
            .build();
    int[] ids = TinyModels.randomIds(c, 512, 1);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 1)).withAttentionChunk(128)) {
      for (int i = 0; i < 15; i++) {
        m.nll(ids, new NoScaling(), 0); // warm-up: allocator pools and arenas settle
      }
      long before = rssKb();
      int[] prompt = java.util.Arrays.copyOf(ids, 16);
      for (int i = 0; i < 50; i++) {
        m.nll(ids, new NoScaling(), 0);
        m.generate(prompt, 4, new NoScaling(), KvCache.Policy.RECOMPUTE);
      }
      long grownMb = (rssKb() - before) / 1024;
      // One forward's intermediates are ~40 MB here, so a leak would grow RSS by gigabytes. (Only
      // small Java arrays are returned, so the Java heap does not blur the measurement.)
      assertTrue(grownMb < 64, "RSS grew by " + grownMb + " MB over 50 forwards");
    }
  }
}
