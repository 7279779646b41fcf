package io.github.longrope.pipeline;

/**
 * The stages of the progressive extension (docs/method.md, "Progressive extension"), in order, each
 * with its folder {@code results/<run>/stageN-name/}. A stage reads its inputs only from earlier
 * stages' completion markers, never from memory, so a resumed run and an uninterrupted one take the
 * same path.
 */
public enum Stage {
  /** Stage 1: λ1 at the first target (about 8×) on the base model, no fine-tuning. */
  SEARCH_LONG(1, "search-long"),
  /** Stage 2: fine-tune the base model at that length under λ1. */
  FINETUNE(2, "finetune"),
  /** Stage 3: λ2 relative to λ1 on the fine-tuned model at the final target; saved as λ2 ⊙ λ1. */
  SEARCH_RELATIVE(3, "search-relative"),
  /** Stage 4: short factors at ≤ L on the extended model (short-context recovery). */
  SEARCH_SHORT(4, "search-short"),
  /** Stage 5: the HF directory with the short/long pair and the extended context. */
  EXPORT(5, "export"),
  /** The final perplexity table: base-model baselines against each stage's model. */
  EVALUATE(6, "evaluate");

  private final int number;
  private final String label;

  Stage(int number, String label) {
    this.number = number;
    this.label = label;
  }

  public int number() {
    return number;
  }

  /** {@code search-long}, {@code finetune}, … */
  public String label() {
    return label;
  }

  /** The stage's folder name: {@code stage1-search-long}. */
  public String dirName() {
    return "stage" + number + "-" + label;
  }
}
