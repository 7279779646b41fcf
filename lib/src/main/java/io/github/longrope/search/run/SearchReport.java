package io.github.longrope.search.run;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.SearchResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A finished {@link SearchJob} as {@code longrope search} reports it. The JSON opens with the keys
 * of the run's {@code final/summary.json} ({@link RunRecord#summary}), so that the report and the
 * file read alike and the summary has one writer; what only the report knows (where the run lives,
 * its target, stage and fitness, the HF {@code rope_scaling} and the warnings) follows.
 *
 * @param summary the summary document's keys in its order (an any-getter: written first, inline)
 * @param engine where the candidates were evaluated: engine name, master, workers and the local
 *     decoders' devices (a runtime choice, not part of the run's config.json)
 * @param ropeScaling the HF {@code rope_scaling} object of the result
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SearchReport(
    @JsonAnyGetter Map<String, JsonNode> summary,
    Path run,
    int targetLength,
    String mode,
    String fitnessKind,
    ObjectNode engine,
    ObjectNode ropeScaling,
    List<String> warnings,
    @JsonIgnore SearchResult result) {

  /** The report of {@code o}, the outcome of a search run with {@code spec}. */
  public static SearchReport of(SearchJob.Outcome o, SearchSpec spec) {
    Map<String, JsonNode> summary = new LinkedHashMap<>();
    o.summary().properties().forEach(e -> summary.put(e.getKey(), e.getValue()));
    return new SearchReport(
        summary,
        o.run(),
        spec.targetLength(),
        spec.mode().name().toLowerCase(Locale.ROOT),
        spec.fitness().name().toLowerCase(Locale.ROOT),
        o.engine(),
        o.ropeScaling(),
        o.warnings(),
        o.result());
  }

  /** The best candidate with its seeds, the counts and times, λ, and where the run was written. */
  public String text() {
    SearchResult r = result;
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "search %s at %d tokens (%s): best %s %.4f, n̂ %d, s %s%n",
            mode,
            targetLength,
            fitnessKind,
            fitnessKind.equals("ppl") ? "ppl" : "needle ppl",
            r.fitness(),
            r.best().startTokens(),
            r.scale()));
    for (SearchResult.SeedFitness seed : r.seeds()) {
      sb.append(String.format(Locale.ROOT, "  seed %-10s %.4f%n", seed.name(), seed.fitness()));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%d candidates (%d evaluated now, %d from history), %.1f s (%.1f s in the fitness)%n",
            r.evaluations(),
            r.evaluatedNow(),
            r.cacheHits(),
            r.seconds(),
            r.fitnessSeconds()));
    if (engine != null) {
      sb.append("evaluated on: ").append(engine.path("name").asText());
      if (engine.hasNonNull("master")) {
        sb.append(' ').append(engine.get("master").asText());
      }
      sb.append(", ").append(engine.path("workers").asInt()).append(" worker(s)");
      if (engine.has("devices")) {
        List<String> names = new java.util.ArrayList<>();
        engine.get("devices").forEach(d -> names.add(d.asText()));
        sb.append(" on ").append(String.join(", ", names));
      }
      sb.append('\n');
    }
    JsonNode c = summary.get("critical_dim");
    if (c != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "critical dimension (L_train %d): d_tcd %d (pair %d), d10_tcd %d (pair %d);"
                  + " searched pairs [%d, %d]; found d_rcd = pair %d%n",
              c.get("train_length").asInt(),
              c.get("d_tcd").asInt(),
              c.get("theoretical_pair").asInt(),
              c.get("d10_tcd").asInt(),
              c.get("ten_period_pair").asInt(),
              c.get("low").asInt(),
              c.get("high").asInt(),
              c.get("found_pair").asInt()));
    }
    sb.append("factors: ").append(Arrays.toString(r.factors().row(0))).append('\n');
    sb.append("written: ").append(run.resolve(RunRecord.FINAL)).append('\n');
    return sb.toString();
  }
}
