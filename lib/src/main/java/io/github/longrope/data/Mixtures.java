package io.github.longrope.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The synthetic training mixtures ({@link PasskeyMixture}, {@link RecallMixture}) prepared as
 * dataset folders: generated, written as {@code PREFIX.bin/.idx}, and, in the default place ({@code
 * DATASETS/NAME/data/train}), given a README that says how to rebuild them. An explicit {@code
 * output} prefix gets the token files only, since a README there would describe a folder the user
 * laid out.
 */
public final class Mixtures {
  private Mixtures() {}

  /** What was written (the {@code data prepare passkey|recall --json} document). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String dataset,
      String file,
      int documents,
      long tokens,
      int minTokens,
      int maxTokens,
      int length,
      long seed,
      double seconds) {
    static Report of(
        String dataset, Path prefix, List<int[]> seqs, int length, long seed, long t0) {
      return new Report(
          dataset,
          prefix + ".bin",
          seqs.size(),
          seqs.stream().mapToLong(q -> q.length).sum(),
          seqs.stream().mapToInt(q -> q.length).min().orElse(0),
          seqs.stream().mapToInt(q -> q.length).max().orElse(0),
          length,
          seed,
          (System.nanoTime() - t0) / 1e9);
    }

    public String text() {
      return String.format(
          Locale.ROOT,
          "%s: %d %s sequences, %,d tokens (%d to %d each, window %d) in %.1f s%n",
          file,
          documents,
          dataset,
          tokens,
          minTokens,
          maxTokens,
          length,
          seconds);
    }
  }

  /**
   * Passkey sequences of {@code template}, tokenized by {@code tokenizer}.
   *
   * @param output token file prefix, or null for {@code datasets/passkey/data/train} and a README
   */
  public static Report passkey(
      PasskeyMixture.Config c,
      PasskeyMixture.Template template,
      Path tokenizer,
      Path datasets,
      Path output,
      DatasetBuilder.Listener listener) {
    Path prefix = output != null ? output : datasets.resolve("passkey/data/train");
    long t0 = System.nanoTime();
    List<PasskeyMixture.Sample> samples;
    try (HfTokenizer t = HfTokenizer.load(tokenizer)) {
      samples =
          PasskeyMixture.generate(
              c, template, t::encode, done -> listener.progress("passkey", done, c.count()));
    }
    PasskeyMixture.write(prefix, samples);
    if (output == null) {
      String sha = Hashes.sha256(readAllBytes(tokenizer));
      AtomicFiles.writeString(
          datasets.resolve("passkey/README.md"), PasskeyMixture.readme(c, samples, sha, "train"));
    }
    List<int[]> tokens = samples.stream().map(PasskeyMixture.Sample::tokens).toList();
    return Report.of("passkey", prefix, tokens, c.length(), c.seed(), t0);
  }

  /**
   * Recall sequences over the vocabulary of {@code tokenizer}.
   *
   * @param output token file prefix, or null for {@code datasets/recall/data/train} and a README
   */
  public static Report recall(
      int count, int length, long seed, Path tokenizer, Path datasets, Path output) {
    long t0 = System.nanoTime();
    RecallMixture r = RecallMixture.of(count, length, vocabSize(tokenizer), seed);
    List<int[]> sequences = r.generate();
    Path prefix = output != null ? output : datasets.resolve("recall/data/train");
    RecallMixture.write(prefix, sequences);
    if (output == null) {
      AtomicFiles.writeString(datasets.resolve("recall/README.md"), r.readme(sequences));
    }
    return Report.of("recall", prefix, sequences, r.length(), r.seed(), t0);
  }

  /** Entries of the tokenizer's {@code model.vocab} plus its added tokens. */
  static int vocabSize(Path tokenizer) {
    JsonNode t = Json.readObject(tokenizer);
    JsonNode vocab = t.path("model").path("vocab");
    if (!vocab.isObject() || vocab.size() == 0) {
      throw new FormatException(tokenizer.toString(), "model.vocab", "no vocabulary object");
    }
    int max = vocab.size();
    for (JsonNode added : t.path("added_tokens")) {
      max = Math.max(max, added.path("id").asInt() + 1);
    }
    return max;
  }

  private static byte[] readAllBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
