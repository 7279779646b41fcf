package io.github.longrope.search.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.Fingerprint;
import io.github.longrope.io.Json;
import io.github.longrope.io.RecordedPath;
import io.github.longrope.io.RunStamp;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.SearchConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A search run's {@code config.json} as {@link SearchJob} writes and resumes it: what it holds (the
 * spec, the hyper-parameters, what was derived from the model, the inputs' fingerprints), which
 * keys a resume does not compare, and how a record from before fingerprints is brought up to date.
 */
final class SearchRecordConfig {
  private SearchRecordConfig() {}

  /**
   * Keys of config.json that a resume does not compare: where the model and data were found (it
   * compares {@code fingerprints}, what those paths held when the run started), and the
   * reproducibility stamp ({@link RunStamp}: the session that last opened the run).
   */
  public static final Set<String> LOCATIONS = Set.of("problem.model", "problem.data", RunStamp.KEY);

  /** The fingerprint keys, compared on resume unless changed inputs are accepted. */
  static final Set<String> FINGERPRINTS = Set.of("fingerprints.model", "fingerprints.data");

  /** A warning per input whose fingerprint differs from the stored config's. */
  static void warnChangedInputs(ObjectNode stored, ObjectNode resolved, List<String> warnings) {
    for (String input : List.of("model", "data")) {
      String was = stored.path("fingerprints").path(input).asText("");
      String now = resolved.path("fingerprints").path(input).asText();
      if (!was.equals(now)) {
        warnings.add(
            "the "
                + input
                + " changed since the run started ("
                + (was.isEmpty() ? "no fingerprint" : was)
                + " → "
                + now
                + "); resumed as asked: the history's earlier fitness values came from the old "
                + input);
      }
    }
  }

  /**
   * The resolved config.json of a spec and its plan, for the run directory {@code runDir}: the spec
   * ({@code problem}, paths relative to {@code runDir}), the hyper-parameters ({@code search}),
   * what was derived from the model ({@code derived}) and the content fingerprints of the model and
   * data ({@code fingerprints}); and, when one is installed (a notebook's kernel), the {@link
   * RunStamp} ({@code stamp}).
   */
  static ObjectNode resolvedConfig(SearchSpec spec, SearchJob.Plan plan, Path runDir) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("version", SearchConfig.VERSION);
    o.set("problem", spec.toJson(runDir));
    o.set("search", spec.search().toJson());
    o.set("derived", plan.toJson());
    ObjectNode f = o.putObject("fingerprints");
    f.put("model", Fingerprint.model(spec.model()));
    f.put("data", DocumentSources.fingerprint(spec.data()));
    RunStamp.addTo(o, spec.model(), List.of(spec.data()), Map.of("search", spec.search().seed()));
    return o;
  }

  /**
   * A record written before fingerprints existed stores absolute paths and no {@code fingerprints}.
   * When its paths name the very files of this spec, it is brought up to date (the fingerprints of
   * today's files, relative paths) so that the resume can compare the rest; when they name other
   * files (or none), the resume is refused, naming both.
   */
  static void upgradeLegacyRecord(
      Path runDir, ObjectNode stored, SearchSpec spec, ObjectNode resolved) {
    JsonNode p = stored.get("problem");
    if (stored.has("fingerprints") || p == null || !p.has("model") || !p.has("data")) {
      return;
    }
    Path model = RecordedPath.resolve(runDir, p.get("model").asText());
    List<Path> storedData =
        DocumentSources.files(RecordedPath.resolve(runDir, p.get("data").asText()));
    List<Path> data = DocumentSources.files(spec.data());
    boolean same = RecordedPath.sameFile(model, spec.model()) && storedData.size() == data.size();
    for (int i = 0; same && i < data.size(); i++) {
      same = RecordedPath.sameFile(storedData.get(i), data.get(i));
    }
    if (!same) {
      throw new RunRecord.SettingsChanged(
          runDir,
          "'problem.model' and 'problem.data' were "
              + p.get("model").asText()
              + " and "
              + p.get("data").asText()
              + ", now "
              + spec.model()
              + " and "
              + spec.data()
              + "; the record predates content fingerprints, so only the same files are accepted");
    }
    ((ObjectNode) p).setAll((ObjectNode) resolved.get("problem").deepCopy());
    stored.set("fingerprints", resolved.get("fingerprints").deepCopy());
    AtomicFiles.writeString(runDir.resolve(RunRecord.CONFIG), Json.write(stored));
  }
}
