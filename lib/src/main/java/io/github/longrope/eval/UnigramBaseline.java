package io.github.longrope.eval;

import io.github.longrope.data.Documents;

/**
 * The perplexity a context-free model reaches: token frequencies counted on a training split with
 * add-one (Laplace) smoothing over the vocabulary, scored on every token of an evaluation split but
 * each document's first. A language model that is learning anything from context must land clearly
 * below it; the bundled model's card reports both.
 */
public final class UnigramBaseline {
  private final double[] logProb;

  private UnigramBaseline(double[] logProb) {
    this.logProb = logProb;
  }

  /** Counts the tokens of {@code train}; ids must lie in {@code [0, vocabSize)}. */
  public static UnigramBaseline fit(Documents train, int vocabSize) {
    if (vocabSize < 1) {
      throw new IllegalArgumentException("vocabSize must be >= 1, got " + vocabSize);
    }
    long[] counts = new long[vocabSize];
    long total = 0;
    for (int d = 0; d < train.size(); d++) {
      for (int t : train.document(d)) {
        if (t < 0 || t >= vocabSize) {
          throw new IllegalArgumentException(
              "token id "
                  + t
                  + " in training document "
                  + d
                  + " is outside [0, "
                  + vocabSize
                  + ")");
        }
        counts[t]++;
        total++;
      }
    }
    double[] logProb = new double[vocabSize];
    double denominator = Math.log(total + (double) vocabSize);
    for (int i = 0; i < vocabSize; i++) {
      logProb[i] = Math.log(counts[i] + 1.0) - denominator;
    }
    return new UnigramBaseline(logProb);
  }

  /** log p(token) under the smoothed counts. */
  public double logProb(int token) {
    return logProb[token];
  }

  /** exp of the mean negative log-probability over the scored tokens of {@code eval}. */
  public double perplexity(Documents eval) {
    double nll = 0;
    long n = 0;
    for (int d = 0; d < eval.size(); d++) {
      int[] doc = eval.document(d);
      for (int i = 1; i < doc.length; i++) {
        if (doc[i] < 0 || doc[i] >= logProb.length) {
          throw new IllegalArgumentException(
              "token id " + doc[i] + " in evaluation document " + d + " is outside the vocabulary");
        }
        nll -= logProb[doc[i]];
        n++;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("the evaluation split has no scored tokens");
    }
    return Math.exp(nll / n);
  }
}
