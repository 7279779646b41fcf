package io.github.longrope.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.NpyFile;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.KvCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the model predicts for one token sequence ({@code longrope logits}): the last position's
 * top-k logits, the per-token NLL, a greedy continuation, and optionally every position's logits as
 * a {@code .npy}. It is the token-by-token view for comparing the workbench with another engine
 * (transformers, the PyTorch reference in test-tools/) under the same {@code config.json}.
 */
public final class LogitsJob {
  private LogitsJob() {}

  /**
   * @param ids the tokens (already encoded, BOS included when wanted)
   * @param maxNewTokens greedy tokens to generate (0: none)
   * @param policy how the generation's KV cache handles a length-dependent RoPE
   * @param out a {@code .npy} for all logits {@code [T, vocab]}, or null
   */
  public record Request(
      ModelUnderTest model,
      int[] ids,
      int topK,
      int maxNewTokens,
      KvCache.Policy policy,
      Path out) {
    public Request {
      if (ids.length == 0) {
        throw new IllegalArgumentException("no tokens to run (--ids or --text is empty)");
      }
      if (topK < 1) {
        throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
      }
      if (maxNewTokens < 0) {
        throw new IllegalArgumentException("--max-new-tokens must be >= 0, got " + maxNewTokens);
      }
    }
  }

  /** One of the most likely next tokens; {@code token} is null without a tokenizer. */
  public record Candidate(int id, String token, double logit, double logprob) {}

  /** The report; JSON as {@code logits --json} prints it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      @JsonUnwrapped ModelUnderTest model,
      int tokens,
      int[] ids,
      List<Candidate> topK,
      double[] nll,
      double meanNll,
      String policy,
      int[] generated,
      String generatedText,
      Path logitsFile,
      @JsonIgnore String tokenizer) {

    public String text() {
      StringBuilder s = new StringBuilder();
      s.append(
          String.format(
              Locale.ROOT,
              "model %s, rope %s, %d tokens, mean NLL %.6f%n%nnext token after position %d:%n",
              model.dir(),
              model.scaling().typeName(),
              tokens,
              meanNll,
              tokens - 1));
      s.append("| rank | id | token | logit | log p |\n|---:|---:|---|---:|---:|\n");
      for (int i = 0; i < topK.size(); i++) {
        Candidate c = topK.get(i);
        s.append(
            String.format(
                Locale.ROOT,
                "| %d | %d | %s | %.6f | %.6f |%n",
                i + 1,
                c.id(),
                c.token() == null ? "" : c.token().replace("|", "\\|").replace("\n", "\\n"),
                c.logit(),
                c.logprob()));
      }
      if (generated.length > 0) {
        s.append(
            String.format(Locale.ROOT, "%ngreedy (%s): %s%n", policy, Arrays.toString(generated)));
        if (generatedText != null) {
          s.append("text: ").append(generatedText).append('\n');
        }
      }
      if (logitsFile != null) {
        s.append("logits [").append(tokens).append(", vocab] written to ").append(logitsFile);
        s.append('\n');
      }
      return s.toString();
    }
  }

  /** Whether {@code dir} has a tokenizer (needed for --text and for token strings). */
  public static boolean hasTokenizer(Path dir) {
    return Files.isRegularFile(dir.resolve("tokenizer.json"));
  }

  /** Encodes text with the model's tokenizer, BOS first when the model has one. */
  public static int[] encode(ModelUnderTest m, String text) {
    if (!hasTokenizer(m.dir())) {
      throw new IllegalArgumentException(
          m.dir().resolve("tokenizer.json") + ": not found; --text needs it (give --ids instead)");
    }
    try (HfTokenizer t = HfTokenizer.load(m.dir())) {
      return TextCodec.of(t).encodeWithBos(text, m.config().bosTokenId());
    }
  }

  public static Report run(Request r) {
    ModelUnderTest m = r.model();
    int vocab = m.config().vocabSize();
    for (int i = 0; i < r.ids().length; i++) {
      int id = r.ids()[i];
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException(
            "token id "
                + id
                + " at position "
                + i
                + " is outside the vocabulary [0, "
                + vocab
                + ")");
      }
    }
    HfTokenizer tokenizer = hasTokenizer(m.dir()) ? HfTokenizer.load(m.dir()) : null;
    try (Decoder d = m.load()) {
      float[] last;
      try (KvCache cache = d.newCache(m.scaling())) {
        last = d.step(cache, r.ids());
      }
      double[] nll = r.ids().length > 1 ? d.nll(r.ids(), m.scaling(), 0) : new double[0];
      int[] generated =
          r.maxNewTokens() > 0
              ? d.generate(r.ids(), r.maxNewTokens(), m.scaling(), r.policy())
              : new int[0];
      if (r.out() != null) {
        NpyFile.writeFloat32(r.out(), d.logits(r.ids(), m.scaling()), r.ids().length, vocab);
      }
      return new Report(
          m,
          r.ids().length,
          r.ids(),
          topK(last, r.topK(), tokenizer),
          nll,
          Arrays.stream(nll).average().orElse(Double.NaN),
          r.policy().name().toLowerCase(Locale.ROOT),
          generated,
          tokenizer == null || generated.length == 0 ? null : tokenizer.decode(generated),
          r.out(),
          tokenizer == null ? null : tokenizer.file().toString());
    } finally {
      if (tokenizer != null) {
        tokenizer.close();
      }
    }
  }

  /** The k largest logits of one row, with log-softmax values, best first. */
  static List<Candidate> topK(float[] row, int k, HfTokenizer tokenizer) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : row) {
      sum += Math.exp(v - max);
    }
    double logZ = max + Math.log(sum);
    Integer[] order = new Integer[row.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(
        order,
        (a, b) -> a.equals(b) ? 0 : row[a] != row[b] ? Float.compare(row[b], row[a]) : a - b);
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < Math.min(k, row.length); i++) {
      int id = order[i];
      String token = tokenizer == null ? null : tokenizer.decode(new int[] {id});
      out.add(new Candidate(id, token, row[id], row[id] - logZ));
    }
    return out;
  }
}
