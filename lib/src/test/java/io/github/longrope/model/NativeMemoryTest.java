package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
      int[] prompt = java.util.Arrays.copyOf(ids, 16);
      Runnable work =
          () -> {
            m.nll(ids, new NoScaling(), 0);
            m.generate(prompt, 4, new NoScaling(), KvCache.Policy.RECOMPUTE);
          };
      for (int i = 0; i < 15; i++) {
        work.run(); // warm-up: allocator pools and arenas settle
      }
      int arrays = m.liveArrays();
      for (int i = 0; i < 25; i++) {
        work.run();
      }
      long middle = rssKb();
      for (int i = 0; i < 25; i++) {
        work.run();
      }
      long grownMb = (rssKb() - middle) / 1024;
      // Exact: every native array a forward creates is closed by its scope.
      assertEquals(arrays, m.liveArrays(), "native arrays left behind by 50 forwards");
      // Coarse, for memory outside DJL's bookkeeping: one forward's intermediates are ~40 MB here,
      // so a leak would grow RSS by gigabytes; allocator settling happens before the second half.
      assertTrue(grownMb < 64, "RSS grew by " + grownMb + " MB over the last 25 forwards");
    }
  }
}
