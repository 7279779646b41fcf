package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.longrope.io.HfTokenizer;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The committed tokenizer is the pinned npm file, and behaves as datasets/tokenizer/README says.
 */
class BundledTokenizerTest {
  @Test
  void isThePinnedFileWithMistralStyleIds() throws Exception {
    assertEquals(
        "fc4f0bd70b3709312d9d1d9e5ba674794b6bc5abc17429897a540f93882f25fc",
        Hashes.sha256(Files.readAllBytes(Fixtures.TOKENIZER)));
    try (HfTokenizer tok = HfTokenizer.load(Fixtures.TOKENIZER)) {
      assertArrayEquals(new int[] {22557, 1526}, tok.encode("Hello world"), "not LLaMA-2's ids");
      int[] digits = tok.encode("12345");
      for (int i = 0; i < 5; i++) {
        int[] one = {digits[digits.length - 5 + i]};
        assertEquals(Integer.toString(i + 1), tok.decode(one).strip(), "digits split singly");
      }
      String s = "The pass key is 40712. Remember it.\n\tÜnïcödé ∀x∈ℝ";
      assertEquals(s, tok.decode(tok.encode(s)));
    }
  }
}
