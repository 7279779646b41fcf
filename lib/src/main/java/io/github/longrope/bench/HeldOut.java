package io.github.longrope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.Documents;
import io.github.longrope.data.Hashes;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.RopeScaling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The held-out perplexity of one run's final factors at L′ and 2L′, as {@code bench search
 * --compare} reports it. It is kept in the run's directory as {@code heldout.json}, so that the
 * report written after each seed does not evaluate earlier seeds' runs again: the evaluation is
 * deterministic, and the stored value is used only for the same documents (the same token ids) and
 * the same factors.
 *
 * @param documents what was held out (pieces, splits, tokens)
 * @param tokensSha256 SHA-256 of the held-out documents' token SHA-256s, in order
 * @param ropeScaling the run's final {@code rope_scaling}
 * @param ppl perplexity at L′
 * @param pplTwice perplexity at 2L′
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record HeldOut(
    String documents, String tokensSha256, JsonNode ropeScaling, double ppl, double pplTwice) {
  static final String FILE = "heldout.json";

  /**
   * The held-out documents of one comparison and the model, loaded the first time a run needs an
   * evaluation. Closing it frees the model and leaves the set usable: the next evaluation loads the
   * model again (the comparison closes it after each seed's report, so that the next seed's search
   * does not share memory with it).
   */
  static final class Set implements AutoCloseable {
    private final SearchCompare.Request request;
    private final ModelConfig config;
    private final Documents documents;
    private final String described;
    private final String sha256;
    private Decoder model;

    Set(SearchCompare.Request request, ModelConfig config, Documents documents, String described) {
      this.request = request;
      this.config = config;
      this.documents = documents;
      this.described = described;
      this.sha256 = sha256(documents);
    }

    String described() {
      return described;
    }

    /**
     * The run's held-out result: stored in {@code dir} if it matches; else copied from a sibling
     * run that ended on the same factors (evolution with and without racing usually do); else
     * evaluated and stored.
     */
    HeldOut of(Path dir, ObjectNode ropeScaling, String label, Consumer<String> log) {
      Path file = dir.resolve(FILE);
      HeldOut stored = read(file);
      if (matches(stored, ropeScaling)) {
        return stored;
      }
      try (Stream<Path> runs = Files.list(dir.getParent())) {
        for (Path other : runs.sorted().toList()) {
          HeldOut same = read(other.resolve(FILE));
          if (!other.equals(dir) && matches(same, ropeScaling)) {
            log.accept("held out: " + label + ": the factors of " + other.getFileName());
            AtomicFiles.writeString(file, Json.write(same));
            return same;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      log.accept("held out: " + label + " ...");
      if (model == null) {
        model = HfModel.load(request.model(), config);
      }
      RopeScaling rope =
          HfRopeConfig.parseScaling(ropeScaling, config.rope().pairs(), "search result");
      int l = request.targetLength();
      HeldOut h =
          new HeldOut(
              described,
              sha256,
              ropeScaling,
              new Perplexity(l, l, 0, 0, true).evaluate(model, rope, documents, null).ppl(),
              new Perplexity(2 * l, 2 * l, 0, 0, true)
                  .evaluate(model, rope, documents, null)
                  .ppl());
      AtomicFiles.writeString(file, Json.write(h));
      return h;
    }

    private boolean matches(HeldOut h, ObjectNode ropeScaling) {
      return h != null
          && described.equals(h.documents())
          && sha256.equals(h.tokensSha256())
          && ropeScaling.equals(h.ropeScaling());
    }

    /** SHA-256 of the documents' own SHA-256s in order ({@link Hashes}, as the corpus stores). */
    private static String sha256(Documents documents) {
      StringBuilder each = new StringBuilder();
      for (int d = 0; d < documents.size(); d++) {
        each.append(Hashes.sha256(documents.document(d))).append('\n');
      }
      return Hashes.sha256(each.toString());
    }

    /** A stored result, or null when there is none or it cannot be read (it is then recomputed). */
    private static HeldOut read(Path file) {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      try {
        return Json.MAPPER.readValue(file.toFile(), HeldOut.class);
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public void close() {
      if (model != null) {
        model.close();
        model = null;
      }
    }
  }
}
