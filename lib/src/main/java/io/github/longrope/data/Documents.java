package io.github.longrope.data;

/** A list of tokenized documents. */
public interface Documents {
  /** Number of documents. */
  int size();

  /** Length of document i in tokens. */
  int length(int i);

  /** The token ids of document i. */
  int[] document(int i);

  /** Total tokens over all documents. */
  default long totalTokens() {
    long n = 0;
    for (int i = 0; i < size(); i++) {
      n += length(i);
    }
    return n;
  }
}
