package io.github.longrope.pipeline;

import java.util.List;

/**
 * The data splits of a pipeline run, each a token file ({@code PREFIX.bin}) or any format {@code
 * longrope ppl} reads (the search and evaluation splits); the fine-tuning files must be token
 * files. Keeping the splits apart is the point: the search fits factors on held-out books, the
 * fine-tune trains on {@code train}, and the final table is measured on data neither has seen.
 *
 * @param search fitness documents of the three searches (a stage's own {@code data} overrides)
 * @param train fine-tuning token files
 * @param validation fine-tuning validation token file (optional)
 * @param passkey passkey mixture token file (optional)
 * @param passkeyFraction share of passkey sequences in fine-tuning (0)
 * @param eval documents of the final perplexity table
 * @param field text field of {@code .jsonl} data
 */
public record PipelineData(
    String search,
    List<String> train,
    String validation,
    String passkey,
    Double passkeyFraction,
    String eval,
    String field) {

  public PipelineData {
    train = train == null ? null : List.copyOf(train);
    passkeyFraction = passkeyFraction == null ? 0.0 : passkeyFraction;
    field = field == null ? "text" : field;
  }

  void validate() {
    PipelineConfig.require(search != null, "data.search", "required: the search split");
    PipelineConfig.require(
        train != null && !train.isEmpty(), "data.train", "required: one or more token files");
    PipelineConfig.require(
        passkeyFraction >= 0 && passkeyFraction < 1,
        "data.passkey_fraction",
        "must be in [0, 1), got " + passkeyFraction);
    PipelineConfig.require(
        passkeyFraction == 0 || passkey != null,
        "data.passkey",
        "required when passkey_fraction > 0");
  }
}
