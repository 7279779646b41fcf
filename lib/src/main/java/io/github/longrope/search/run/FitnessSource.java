package io.github.longrope.search.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.Documents;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.Placement;
import io.github.longrope.search.Fitness;
import io.github.longrope.search.RopeTarget;
import io.github.longrope.search.fitness.NeedleFitness;
import io.github.longrope.search.fitness.PerplexityFitness;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a worker on another JVM needs to build the very fitness {@link SearchJob} builds
 * locally: the spec (as JSON text with absolute paths, so it travels as a plain string to a
 * cluster's executors, which must see the same model and data paths) and the runtime knobs of the
 * decoder. One place turns a spec into a fitness ({@link Inputs}), for the local workers and the
 * remote ones alike, so the engine changes where a forward runs, never what it computes.
 *
 * @param spec the {@code problem} and {@code search} objects of a run's config.json, paths absolute
 * @param attentionChunk query rows per attention chunk of each decoder
 */
public record FitnessSource(String spec, int attentionChunk) implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private static final Path ROOT = Path.of("/");

  /** The source of {@code spec}'s fitness. */
  public static FitnessSource of(SearchSpec spec, int attentionChunk) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.set("problem", spec.toJson(ROOT));
    o.set("search", spec.search().toJson());
    return new FitnessSource(Json.write(o), attentionChunk);
  }

  /** The spec back. */
  public SearchSpec searchSpec() {
    return SearchSpec.fromJson(Json.parseObject(spec, "fitness source"), "fitness source", ROOT);
  }

  /**
   * What decides whether a loaded decoder can serve this source on {@code device}: the model
   * directory, its RoPE geometry (pairs, base, original length), the attention chunk and the
   * device. Two searches on the same model (two pipeline stages, two generations) share it.
   */
  public String decoderKey(SearchJob.Plan plan, String device) {
    var rope = plan.config().rope();
    return searchSpec().model().toAbsolutePath().normalize()
        + "|pairs="
        + rope.pairs()
        + "|base="
        + rope.base()
        + "|L="
        + plan.config().originalLength()
        + "|chunk="
        + attentionChunk
        + "|device="
        + device;
  }

  /** The plan of the spec (reads the model's config.json only). */
  public SearchJob.Plan plan() {
    return SearchJob.plan(searchSpec());
  }

  /**
   * Loads one decoder for this source (the weights of the model directory) onto {@code device}:
   * {@code cpu}, or {@code gpu:N} for CUDA device N (the address Spark's GPU scheduling assigned).
   */
  public Decoder loadDecoder(SearchJob.Plan plan, String device) {
    return HfModel.load(
            searchSpec().model(), plan.config(), searchSpec().precision(), Placement.parse(device))
        .withAttentionChunk(attentionChunk);
  }

  /**
   * The data side of a fitness, read once and shared by every decoder that evaluates it: the
   * windows of the chosen documents in memory (ppl) or the needle items.
   */
  public static final class Inputs {
    private final RopeTarget target;
    private final Documents docs;
    private final Perplexity protocol;
    private final List<NeedleFitness.Item> items;

    private Inputs(
        RopeTarget target, Documents docs, Perplexity protocol, List<NeedleFitness.Item> items) {
      this.target = target;
      this.docs = docs;
      this.protocol = protocol;
      this.items = items;
    }

    /** Reads the data of {@code spec} (errors name the data and the flag to change). */
    public static Inputs prepare(SearchSpec spec, SearchJob.Plan plan) {
      Documents docs = SearchJob.documents(spec);
      int minTokens = spec.minTokens() == null ? spec.targetLength() : spec.minTokens();
      Perplexity protocol =
          new Perplexity(spec.targetLength(), 256, spec.samples(), minTokens, spec.truncate());
      RopeTarget target = plan.problem().target();
      if (spec.fitness() == SearchSpec.FitnessKind.NEEDLE) {
        try (HfTokenizer tok = HfTokenizer.load(spec.model())) {
          List<NeedleFitness.Item> items =
              NeedleFitness.items(
                  docs,
                  tok::encode,
                  plan.config().bosTokenId(),
                  spec.targetLength(),
                  spec.samples(),
                  spec.search().seed());
          return new Inputs(target, docs, protocol, items);
        }
      }
      if (protocol.eligible(docs).isEmpty()) {
        throw new IllegalArgumentException(
            "no document in "
                + spec.data()
                + " has at least "
                + Math.max(1, minTokens)
                + " tokens (of "
                + docs.size()
                + "); lower --min-tokens, or use --split-documents");
      }
      // read once: the windows of the chosen documents, held in memory for every candidate
      Documents windows = SearchJob.windowed(docs, protocol, plan.config().bosTokenId() >= 0);
      Perplexity all =
          new Perplexity(spec.targetLength(), protocol.stride(), 0, 0, protocol.truncate());
      return new Inputs(target, windows, all, null);
    }

    /** The fitness of one decoder (not thread-safe: one per worker). */
    public Fitness fitness(Decoder decoder) {
      return items == null
          ? new PerplexityFitness(decoder, docs, protocol, target)
          : new NeedleFitness(decoder, items, target);
    }
  }
}
