package io.github.longrope.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.longrope.data.Corpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
 * @param corpus a datasets folder (optional): the corpus splits this config reads from it ({@code
 *     CORPUS/corpus/data/NAME}) are built first when missing, as on a fresh clone
 */
public record PipelineData(
    String search,
    List<String> train,
    String validation,
    String passkey,
    Double passkeyFraction,
    String eval,
    String field,
    @JsonInclude(JsonInclude.Include.NON_NULL) String corpus) {

  public PipelineData {
    train = train == null ? null : List.copyOf(train);
    passkeyFraction = passkeyFraction == null ? 0.0 : passkeyFraction;
    field = field == null ? "text" : field;
  }

  /** Checks the values; {@code fineTunes}: whether {@code train} is needed. */
  void validate(boolean fineTunes) {
    PipelineConfig.require(search != null, "data.search", "required: the search split");
    PipelineConfig.require(
        !fineTunes || (train != null && !train.isEmpty()),
        "data.train",
        "required: one or more token files");
    PipelineConfig.require(
        passkeyFraction >= 0 && passkeyFraction < 1,
        "data.passkey_fraction",
        "must be in [0, 1), got " + passkeyFraction);
    PipelineConfig.require(
        passkeyFraction == 0 || passkey != null,
        "data.passkey",
        "required when passkey_fraction > 0");
  }

  /** The fine-tuning token files (none when the config leaves the fine-tune out). */
  List<String> trainFiles() {
    return train == null ? List.of() : train;
  }

  /**
   * The corpus splits this config reads from {@code corpus} ({@code search}, {@code eval-books},
   * …): each data path whose folder is the corpus's data folder, named without {@code .bin}.
   */
  List<String> corpusSplits(List<String> more) {
    Path dir = Corpus.dataDir(Path.of(corpus)).normalize();
    List<String> paths = new ArrayList<>(trainFiles());
    paths.addAll(Arrays.asList(search, validation, passkey, eval));
    paths.addAll(more);
    Set<String> out = new LinkedHashSet<>();
    for (String p : paths) {
      if (p == null) {
        continue;
      }
      Path f = Path.of(p).normalize();
      if (dir.equals(f.getParent())) {
        out.add(f.getFileName().toString().replaceFirst("\\.bin$", ""));
      }
    }
    return List.copyOf(out);
  }
}
