package io.github.longrope.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A built dataset as {@code data prepare NAME} reports it: where it went, the packages and texts it
 * came from (with their hashes, to compare with the recipe's pins), the splits and the time per
 * stage. The JSON form keys splits by name, so a script reads {@code splits.valid.tokens}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DatasetReport(
    String dataset,
    Path dir,
    String tokenizerSha256,
    long tokens,
    List<Package> packages,
    Map<String, Split> splits,
    List<Text> texts,
    DatasetBuilder.Timings seconds) {

  public record Package(String name, String version) {}

  public record Split(String file, int documents, long tokens) {}

  public record Text(
      String id,
      @JsonProperty("package") String debianPackage,
      String version,
      long chars,
      int tokens,
      String sha256) {}

  public static DatasetReport of(DatasetBuilder.Result r) {
    Map<String, Split> splits = new LinkedHashMap<>();
    for (DatasetBuilder.SplitResult s : r.splits()) {
      splits.put(
          s.split().name(), new Split(s.prefix() + ".bin", s.documents().size(), s.tokens()));
    }
    return new DatasetReport(
        r.recipe().name(),
        r.dir(),
        r.tokenizerSha256(),
        r.tokens(),
        r.packages().stream().map(p -> new Package(p.name(), p.version())).toList(),
        splits,
        r.texts().stream()
            .map(
                t ->
                    new Text(
                        t.text().id(),
                        t.source().name(),
                        t.source().version(),
                        t.chars(),
                        t.tokens(),
                        t.sha256()))
            .toList(),
        r.timings());
  }

  /** The table printed without {@code --json}. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "dataset %s in %s: %,d tokens%n%-12s %9s %12s%n",
            dataset,
            dir,
            tokens,
            "split",
            "documents",
            "tokens"));
    splits.forEach(
        (name, s) ->
            sb.append(
                String.format(Locale.ROOT, "%-12s %9d %,12d%n", name, s.documents(), s.tokens())));
    sb.append(
        String.format(
            Locale.ROOT,
            "seconds: fetch %.1f, extract %.1f, tokenize %.1f, write %.1f%n",
            seconds.fetch(),
            seconds.extract(),
            seconds.tokenize(),
            seconds.write()));
    return sb.toString();
  }
}
