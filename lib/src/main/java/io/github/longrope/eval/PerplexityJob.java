package io.github.longrope.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleFunction;

/**
 * A {@link PerplexityGrid} on one model and one data set ({@code longrope ppl}): the model under
 * its RoPE at each length, or named methods side by side, each configured for the grid's target
 * (the layout of the paper's tables); optionally with the perplexity of a {@link UnigramBaseline},
 * the context-free floor a model must beat.
 */
public final class PerplexityJob {
  private PerplexityJob() {}

  /**
   * @param methods named RoPE rules compared instead of the model's own scaling (see {@link
   *     #methods}), or null
   * @param field text field of {@code .jsonl} data
   * @param protocol stride, samples, min tokens and truncation of every cell
   * @param compareTarget the L′ every compared method is set for, or 0 for each row's length
   * @param unigramTrain training split of the unigram baseline, or null
   */
  public record Request(
      ModelUnderTest model,
      Map<String, DoubleFunction<RopeScaling>> methods,
      Path data,
      String field,
      List<Integer> lengths,
      Perplexity protocol,
      int compareTarget,
      Path unigramTrain) {}

  /**
   * {@code names} set for the grid's scale ({@link RopeNames#methods}), and, when {@code factors}
   * is given, the searched factors λ of that file as method {@code factors}; the file's warnings go
   * to {@code warnings}.
   */
  public static Map<String, DoubleFunction<RopeScaling>> methods(
      ModelConfig config, List<String> names, Path factors, List<String> warnings) {
    Map<String, DoubleFunction<RopeScaling>> methods =
        RopeNames.methods(names, config.rope(), config.originalLength());
    if (factors != null) {
      FactorFile.Loaded f = FactorFile.read(factors, config.rope().pairs());
      warnings.addAll(f.warnings());
      methods.put("factors", Baselines.factors(f.table(), config.originalLength()));
    }
    return methods;
  }

  /** What {@code ppl} prints: as JSON with {@code --json}, else {@link #text()}. */
  public sealed interface Report permits Single, Compared {
    String text();
  }

  /** One model under one RoPE: a row per length; the unigram perplexity is null when not asked. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Single(
      @JsonUnwrapped ModelUnderTest model,
      List<Row> rows,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double unigramPpl,
      List<String> warnings)
      implements Report {

    /** A row of the table. */
    public record Row(
        int length, double ppl, long tokens, int windows, int documents, double seconds) {
      static Row of(PerplexityGrid.Cell c) {
        return new Row(c.length(), c.ppl(), c.tokens(), c.windows(), c.documents(), c.seconds());
      }
    }

    @Override
    public String text() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT, "model %s, rope %s%n", model.dir(), model.scaling().typeName()));
      sb.append(
          String.format(
              Locale.ROOT,
              "%8s  %12s  %10s  %8s  %9s%n",
              "length",
              "ppl",
              "tokens",
              "windows",
              "seconds"));
      for (Row x : rows) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%8d  %12.4f  %10d  %8d  %9.2f%n",
                x.length(),
                x.ppl(),
                x.tokens(),
                x.windows(),
                x.seconds()));
      }
      if (unigramPpl != null) {
        sb.append(String.format(Locale.ROOT, "unigram baseline ppl %.4f%n", unigramPpl));
      }
      return sb.toString();
    }
  }

  /** Methods × lengths, one row per cell; the unigram perplexity is null when not asked. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Compared(
      @JsonProperty("model") Path model,
      int compareTarget,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double unigramPpl,
      List<Row> rows,
      @JsonIgnore List<String> methods)
      implements Report {

    /** A cell. */
    public record Row(
        String method,
        int length,
        double scale,
        double ppl,
        long tokens,
        int windows,
        double seconds) {
      static Row of(PerplexityGrid.Cell c) {
        return new Row(
            c.method(), c.length(), c.scale(), c.ppl(), c.tokens(), c.windows(), c.seconds());
      }
    }

    /** Lengths down, methods across (the layout of the paper's tables). */
    @Override
    public String text() {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%8s", "length"));
      methods.forEach(m -> sb.append(String.format(Locale.ROOT, "  %18s", m)));
      sb.append('\n');
      Map<Integer, Map<String, Double>> grid = new TreeMap<>();
      for (Row r : rows) {
        grid.computeIfAbsent(r.length(), k -> new HashMap<>()).put(r.method(), r.ppl());
      }
      grid.forEach(
          (length, cells) -> {
            sb.append(String.format(Locale.ROOT, "%8d", length));
            methods.forEach(m -> sb.append(String.format(Locale.ROOT, "  %18.3f", cells.get(m))));
            sb.append('\n');
          });
      if (unigramPpl != null) {
        sb.append(String.format(Locale.ROOT, "unigram baseline ppl %.3f%n", unigramPpl));
      }
      return sb.toString();
    }
  }

  /** Runs the grid; {@code listener} (or null) hears of each window and cell. */
  public static Report run(Request q, PerplexityGrid.Listener listener) {
    ModelUnderTest m = q.model();
    ModelConfig config = m.config();
    Documents docs = DocumentSources.open(q.data(), () -> HfTokenizer.load(m.dir()), q.field());
    boolean comparing = q.methods() != null;
    PerplexityGrid grid =
        new PerplexityGrid(
            q.protocol(), q.lengths(), config.originalLength(), comparing ? q.compareTarget() : 0);
    EvalModel source =
        new EvalModel(
            m.dir().toString(), m.dir(), config, m.attentionChunk(), m.precision(), m.placement());
    List<PerplexityGrid.Cell> cells;
    try {
      cells =
          grid.run(
              comparing
                  ? grid.methods(source, q.methods())
                  : List.of(
                      PerplexityGrid.Setting.fixed(m.scaling().typeName(), source, m.scaling())),
              docs,
              listener);
    } catch (Perplexity.OutOfVocabulary e) {
      throw new IllegalArgumentException(q.data() + ": " + e.getMessage(), e);
    }
    Double unigram =
        q.unigramTrain() == null
            ? null
            : UnigramBaseline.fit(
                    DocumentSources.open(
                        q.unigramTrain(), () -> HfTokenizer.load(m.dir()), q.field()),
                    config.vocabSize())
                .perplexity(docs);
    if (comparing) {
      return new Compared(
          m.dir(),
          q.compareTarget(),
          unigram,
          cells.stream().map(Compared.Row::of).toList(),
          new ArrayList<>(q.methods().keySet()));
    }
    return new Single(m, cells.stream().map(Single.Row::of).toList(), unigram, m.warnings());
  }
}
