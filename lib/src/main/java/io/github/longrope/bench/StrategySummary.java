package io.github.longrope.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One strategy of a comparison over its seeds: the numbers the verdict is made of. Every value is
 * the median over the seeds, and with an even number of seeds the worse of the two middle ones
 * (more tokens, higher perplexity), so that a summary of two seeds never flatters a strategy.
 *
 * @param seeds how many seeds ran
 * @param reached how many of them reached the target
 * @param tokensToTarget forward tokens to the target (null: the median seed did not reach it)
 * @param tokenShare {@code tokensToTarget} over the paper evolution's (the target: at most
 *     1/3; null when either is null)
 * @param finalFitness final fitness
 * @param heldoutPpl2048 held-out perplexity of the final factors at L′
 * @param heldoutPpl4096 held-out perplexity of the final factors at 2L′
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StrategySummary(
    String strategy,
    int seeds,
    int reached,
    Long tokensToTarget,
    Double tokenShare,
    double finalFitness,
    @JsonProperty("heldout_ppl_2048") double heldoutPpl2048,
    @JsonProperty("heldout_ppl_4096") double heldoutPpl4096) {

  /** Per strategy of {@code rows}, in the order of {@link SearchCompare#KNOWN}. */
  static List<StrategySummary> of(List<SearchCompare.Row> rows) {
    List<StrategySummary> out = new ArrayList<>();
    Double paper = null;
    for (String s : SearchCompare.KNOWN) {
      List<SearchCompare.Row> mine = rows.stream().filter(r -> r.strategy().equals(s)).toList();
      if (mine.isEmpty()) {
        continue;
      }
      double tokens =
          worseMedian(
              mine,
              r -> r.tokensToTarget() == null ? Double.POSITIVE_INFINITY : r.tokensToTarget());
      boolean reached = Double.isFinite(tokens);
      if (s.equals(SearchCompare.KNOWN.get(0)) && reached) {
        paper = tokens;
      }
      out.add(
          new StrategySummary(
              s,
              mine.size(),
              (int) mine.stream().filter(r -> r.tokensToTarget() != null).count(),
              reached ? (long) tokens : null,
              reached && paper != null ? tokens / paper : null,
              worseMedian(mine, SearchCompare.Row::finalFitness),
              worseMedian(mine, SearchCompare.Row::heldoutPpl2048),
              worseMedian(mine, SearchCompare.Row::heldoutPpl4096)));
    }
    return out;
  }

  /** The median, and of an even count the higher of the two middle values. */
  static <T> double worseMedian(List<T> items, ToDoubleFunction<T> value) {
    double[] v = items.stream().mapToDouble(value).sorted().toArray();
    return v[v.length / 2];
  }

  /** The summaries as a table, token share in percent. */
  static Table table(List<StrategySummary> summaries) {
    Table t =
        Table.create(
            "summary",
            StringColumn.create("strategy"),
            IntColumn.create("seeds"),
            IntColumn.create("reached"),
            LongColumn.create("tokens_to_target"),
            StringColumn.create("token_share"),
            StringColumn.create("final_fitness"),
            DoubleColumn.create("heldout_ppl_2048"),
            DoubleColumn.create("heldout_ppl_4096"));
    for (StrategySummary s : summaries) {
      Row row = t.appendRow();
      row.setString("strategy", s.strategy());
      row.setInt("seeds", s.seeds());
      row.setInt("reached", s.reached());
      if (s.tokensToTarget() != null) {
        row.setLong("tokens_to_target", s.tokensToTarget());
      }
      row.setString(
          "token_share",
          s.tokenShare() == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * s.tokenShare()));
      row.setString("final_fitness", String.format(Locale.ROOT, "%.4f", s.finalFitness()));
      row.setDouble("heldout_ppl_2048", s.heldoutPpl2048());
      row.setDouble("heldout_ppl_4096", s.heldoutPpl4096());
    }
    return t;
  }

  /** One line of the report's text. */
  String line() {
    return String.format(
        Locale.ROOT,
        "%s: %d seeds, %d reached; tokens to target %s%s; final %.4f; held out %.1f / %.1f",
        strategy,
        seeds,
        reached,
        tokensToTarget == null ? "not reached" : tokensToTarget.toString(),
        tokenShare == null
            ? ""
            : String.format(Locale.ROOT, " (%.1f%% of the evolution's)", 100 * tokenShare),
        finalFitness,
        heldoutPpl2048,
        heldoutPpl4096);
  }
}
