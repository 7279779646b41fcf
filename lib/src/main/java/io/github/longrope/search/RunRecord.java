package io.github.longrope.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.Json;
import io.github.longrope.io.JsonDiff;
import io.github.longrope.rope.FactorTable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The run directory of a search, readable by notebooks and resumable after a kill at any instant.
 *
 * <pre>
 * RUN/config.json                  resolved settings, inputs' paths and fingerprints (resume)
 * RUN/history.jsonl                one line per evaluated candidate, appended, fsynced per line
 * RUN/iterations/result_itNNN.csv  best factors at the start of iteration NNN (official layout)
 * RUN/final/result_final.csv       best factors (official layout)
 * RUN/final/summary.json           best candidate, fitness, baselines, counts, times
 * </pre>
 *
 * <p>The config's paths are relative to RUN and are not compared on resume; the inputs' content
 * fingerprints are ({@link io.github.longrope.io.Fingerprint}), so a run resumes from any clone or
 * folder that holds the same model and data, and never on changed ones.
 *
 * <p>History lines are {@code {"generation", "factors", "start_tokens", "scale", "fitness",
 * "seconds", "tokens", "losses"}} (tokens forwarded and per-window losses; absent in histories
 * written before they were recorded, which still resume); a candidate stopped by racing also has
 * {@code "rejected": true} and {@code "bound"} (its fitness is then the partial value of the
 * windows it ran). A non-finite fitness is written as null. A kill during an append leaves a torn
 * last line: opening the run drops it (truncating the file), and the search replays from its seed
 * with the history as a fitness cache, so at most the candidates that were being evaluated are
 * lost.
 *
 * <p>Factor CSVs follow the official {@code numpy.savetxt} layout: one value per line in {@code
 * %.18e} (exact decimal expansion rounded to 19 significant digits, as C's printf); per-layer
 * tables as comma-separated rows.
 */
public final class RunRecord implements AutoCloseable {
  public static final String CONFIG = "config.json";
  public static final String HISTORY = "history.jsonl";
  public static final String ITERATIONS = "iterations";
  public static final String FINAL = "final";

  /**
   * Set by {@link #writeFinal}: a finished run resumed without evaluating keeps its final files.
   */
  private boolean keptFinal;

  private static final ObjectWriter LINE =
      Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final RandomAccessFile history;
  private final List<HistoryEntry> loaded;
  private final long droppedBytes;

  private RunRecord(
      Path dir, RandomAccessFile history, List<HistoryEntry> loaded, long droppedBytes) {
    this.dir = dir;
    this.history = history;
    this.loaded = List.copyOf(loaded);
    this.droppedBytes = droppedBytes;
  }

  /**
   * A resume whose settings differ from the ones the run was started with: the message names the
   * first difference, and {@link #difference()} gives it alone (the quickstart starts over on it).
   */
  public static final class SettingsChanged extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String difference;

    public SettingsChanged(Path dir, String difference) {
      super(
          "cannot resume "
              + dir
              + ": it was started with other settings ("
              + difference
              + (difference.startsWith("'fingerprints.")
                  ? ": its files changed since the run started"
                  : "")
              + "); resume with the same settings or start a new run");
      this.difference = difference;
    }

    /** The first difference, e.g. {@code 'search.seed' was 42, now 7}. */
    public String difference() {
      return difference;
    }
  }

  /** Opens a run directory whose config holds no locations (every key is compared on resume). */
  public static RunRecord open(Path dir, ObjectNode config, boolean resume) {
    return open(dir, config, Set.of(), resume);
  }

  /**
   * Opens a run directory.
   *
   * @param config the resolved config; written on a new run, compared with the stored one on resume
   * @param locations dotted keys of {@code config} that say where an input was found (a model or
   *     data path): not compared on resume, since the same run may be resumed from another clone or
   *     folder; the config must identify those inputs by content elsewhere (a fingerprint)
   * @param resume continue a run whose directory holds a history; without it, a directory that
   *     already holds evaluations is refused
   * @throws SettingsChanged on a resume whose settings differ from the stored ones
   */
  public static RunRecord open(Path dir, ObjectNode config, Set<String> locations, boolean resume) {
    Path configFile = dir.resolve(CONFIG);
    Path historyFile = dir.resolve(HISTORY);
    try {
      ObjectNode stored = null;
      if (resume) {
        if (!Files.isRegularFile(configFile)) {
          throw new IllegalArgumentException(
              "nothing to resume in " + dir + ": it has no " + CONFIG);
        }
        stored = Json.readObject(configFile);
        String difference = JsonDiff.first(stored, config, "", locations);
        if (difference != null) {
          throw new SettingsChanged(dir, difference);
        }
      } else if (Files.isRegularFile(historyFile) && Files.size(historyFile) > 0) {
        throw new IllegalArgumentException(
            "run directory "
                + dir
                + " already holds a search ("
                + HISTORY
                + "); pass --resume to continue it, or choose another run directory");
      }
      Files.createDirectories(dir);
      // on resume the stored config differs at most in its locations: keep them current, so
      // that the next resume finds the inputs where this one did
      if (stored == null || !stored.equals(config)) {
        AtomicFiles.writeString(configFile, Json.write(config));
      }
      // a stream-like file, not an NIO channel: an interrupt must not close it mid-append
      RandomAccessFile file = new RandomAccessFile(historyFile.toFile(), "rw");
      try {
        Read read = readLines(Files.readAllBytes(historyFile), historyFile.toString());
        if (read.validBytes < file.length()) {
          file.setLength(read.validBytes);
          file.getFD().sync();
        }
        file.seek(read.validBytes);
        return new RunRecord(dir, file, read.entries, read.droppedBytes);
      } catch (RuntimeException e) {
        file.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open run directory " + dir + ": " + e, e);
    }
  }

  /** Reads a history file, tolerating a torn last line (for notebooks and reports). */
  public static List<HistoryEntry> readHistory(Path historyFile) {
    try {
      return readLines(Files.readAllBytes(historyFile), historyFile.toString()).entries;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + historyFile + ": " + e, e);
    }
  }

  private record Read(List<HistoryEntry> entries, long validBytes, long droppedBytes) {}

  private static Read readLines(byte[] bytes, String source) {
    List<HistoryEntry> entries = new ArrayList<>();
    int start = 0;
    int lineNo = 0;
    long valid = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      lineNo++;
      String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
      int next = i + 1;
      if (!line.isEmpty()) {
        try {
          entries.add(parse(line));
        } catch (RuntimeException e) {
          if (next == bytes.length) {
            break; // a damaged last line: treated like a torn one
          }
          throw new FormatException(
              source,
              "line " + lineNo,
              "damaged history line (" + e.getMessage() + "); the run cannot be resumed safely");
        }
      }
      valid = next;
      start = next;
    }
    return new Read(entries, valid, bytes.length - valid);
  }

  /** Bytes of a torn last line dropped when the run was opened (0 normally). */
  public long droppedBytes() {
    return droppedBytes;
  }

  /** The entries found when the run was opened. */
  public List<HistoryEntry> loaded() {
    return loaded;
  }

  public Path dir() {
    return dir;
  }

  /** Appends one line (a single write) and fsyncs it before returning. */
  public synchronized void append(HistoryEntry e) {
    byte[] line = (format(e) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      history.write(line);
      history.getFD().sync();
    } catch (IOException x) {
      throw new UncheckedIOException("cannot append to " + dir.resolve(HISTORY) + ": " + x, x);
    }
  }

  static String format(HistoryEntry e) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("generation", e.generation());
    o.set("factors", Json.array(e.candidate().factors()));
    o.put("start_tokens", e.candidate().startTokens());
    o.put("scale", e.candidate().scale());
    if (Double.isFinite(e.fitness())) {
      o.put("fitness", e.fitness());
    } else {
      o.putNull("fitness");
    }
    o.put("seconds", e.seconds());
    if (e.tokens() >= 0) {
      o.put("tokens", e.tokens());
    }
    if (e.losses().length > 0 && java.util.Arrays.stream(e.losses()).allMatch(Double::isFinite)) {
      o.set("losses", Json.array(e.losses()));
    }
    if (e.rejected()) {
      o.put("rejected", true);
      o.put("bound", e.bound());
    }
    try {
      return LINE.writeValueAsString(o);
    } catch (JsonProcessingException x) {
      throw new IllegalStateException(x);
    }
  }

  static HistoryEntry parse(String line) {
    JsonNode o = Json.parseObject(line, "history line");
    JsonNode f = o.get("factors");
    if (f == null || !f.isArray() || f.isEmpty()) {
      throw new IllegalArgumentException("'factors' must be a non-empty array");
    }
    double[] factors = new double[f.size()];
    for (int i = 0; i < factors.length; i++) {
      if (!f.get(i).isNumber()) {
        throw new IllegalArgumentException("'factors' must hold numbers");
      }
      factors[i] = f.get(i).asDouble();
    }
    JsonNode fit = required(o, "fitness");
    double fitness = fit.isNull() ? Double.POSITIVE_INFINITY : number(fit, "fitness");
    Candidate c =
        new Candidate(
            factors,
            (int) number(required(o, "start_tokens"), "start_tokens"),
            number(required(o, "scale"), "scale"));
    double[] losses = null;
    if (o.has("losses")) {
      JsonNode l = o.get("losses");
      if (!l.isArray()) {
        throw new IllegalArgumentException("'losses' must be an array");
      }
      losses = new double[l.size()];
      for (int i = 0; i < losses.length; i++) {
        losses[i] = number(l.get(i), "losses");
      }
    }
    boolean rejected = o.path("rejected").asBoolean(false);
    return new HistoryEntry(
        (int) number(required(o, "generation"), "generation"),
        c,
        fitness,
        o.has("seconds") ? o.get("seconds").asDouble() : 0,
        // a history written before accounting has no tokens: unknown, not zero
        o.has("tokens") ? (long) number(o.get("tokens"), "tokens") : -1,
        rejected,
        rejected ? number(required(o, "bound"), "bound") : Double.NaN,
        losses);
  }

  private static JsonNode required(JsonNode o, String key) {
    JsonNode v = o.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing '" + key + "'");
    }
    return v;
  }

  private static double number(JsonNode v, String key) {
    if (!v.isNumber()) {
      throw new IllegalArgumentException("'" + key + "' must be a number");
    }
    return v.asDouble();
  }

  /** Writes {@code iterations/result_itNNN.csv}. */
  public void writeIteration(int iteration, FactorTable factors) {
    AtomicFiles.writeString(
        dir.resolve(ITERATIONS).resolve(String.format(Locale.ROOT, "result_it%03d.csv", iteration)),
        csv(factors));
  }

  /** The keys of a summary that describe the session that wrote it, not the run. */
  static final Set<String> SESSION_KEYS =
      Set.of("evaluated_this_session", "cache_hits", "seconds", "fitness_seconds");

  /**
   * Writes {@code final/result_final.csv} and {@code final/summary.json}, unless this session
   * evaluated nothing and the stored summary already says the same about the run: a resume of a
   * finished run replays the same result from the history, and its summary would replace the
   * session that did the work (its seconds, evaluations and cache hits) with one that did none. A
   * summary that differs in anything else (one written by an older version, say) is rewritten.
   */
  public void writeFinal(SearchResult r) {
    Path fin = dir.resolve(FINAL);
    ObjectNode summary = summary(r);
    keptFinal = r.evaluatedNow() == 0 && sameRun(fin.resolve("summary.json"), summary);
    if (keptFinal) {
      return;
    }
    AtomicFiles.writeString(fin.resolve("result_final.csv"), csv(r.factors()));
    AtomicFiles.writeString(fin.resolve("summary.json"), Json.write(summary));
  }

  private static boolean sameRun(Path stored, ObjectNode summary) {
    if (!Files.isRegularFile(stored)) {
      return false;
    }
    try {
      return JsonDiff.first(Json.readObject(stored), summary, "", SESSION_KEYS) == null;
    } catch (RuntimeException unreadable) {
      return false;
    }
  }

  /**
   * Writes another file into {@code final/} (for example the HF {@code rope_scaling} object),
   * unless {@link #writeFinal} kept a finished run's files.
   */
  public void writeFinalFile(String name, String text) {
    if (!keptFinal) {
      AtomicFiles.writeString(dir.resolve(FINAL).resolve(name), text);
    }
  }

  /** The summary document of a result. */
  public static ObjectNode summary(SearchResult r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    putFitness(o, "fitness", r.fitness());
    o.put("start_tokens", r.best().startTokens());
    o.put("scale", r.scale());
    o.set("factors", Json.factors(r.factors()));
    o.set("searched_factors", Json.array(r.best().factors()));
    ArrayNode seeds = o.putArray("seeds");
    for (SearchResult.SeedFitness s : r.seeds()) {
      ObjectNode x = seeds.addObject();
      x.put("name", s.name());
      putFitness(x, "fitness", s.fitness());
    }
    if (!r.rescaleTrials().isEmpty()) {
      ArrayNode trials = o.putArray("auto_rescale");
      for (SearchResult.ScaleTrial t : r.rescaleTrials()) {
        ObjectNode x = trials.addObject();
        x.put("scale", t.scale());
        x.put("seed", t.seed());
        putFitness(x, "fitness", t.fitness());
      }
    }
    ArrayNode best = o.putArray("best_per_iteration");
    for (double b : r.bestPerIteration()) {
      if (Double.isFinite(b)) {
        best.add(b);
      } else {
        best.addNull();
      }
    }
    o.put("evaluations", r.evaluations());
    o.put("evaluated_this_session", r.evaluatedNow());
    o.put("cache_hits", r.cacheHits());
    o.put("skipped_children", r.skipped());
    o.put("seconds", r.seconds());
    o.put("fitness_seconds", r.fitnessSeconds());
    SearchCost c = r.cost();
    o.put("forward_tokens", c.forwardTokens());
    o.put("forward_tokens_complete", c.tokensKnown());
    o.put("rejected", c.rejected());
    o.put("history_fitness_seconds", c.fitnessSeconds());
    ArrayNode curve = o.putArray("best_vs_tokens");
    for (SearchCost.Point p : c.curve()) {
      curve
          .addObject()
          .put("evaluations", p.evaluations())
          .put("tokens", p.tokens())
          .put("seconds", p.seconds())
          .put("best", p.best());
    }
    return o;
  }

  private static void putFitness(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  /** The official factor layout: one {@code %.18e} value per line (rows comma-separated). */
  public static String csv(FactorTable t) {
    StringBuilder sb = new StringBuilder();
    if (t.isShared()) {
      for (double v : t.row(0)) {
        sb.append(e18(v)).append('\n');
      }
    } else {
      for (double[] row : t.rows()) {
        for (int i = 0; i < row.length; i++) {
          sb.append(i == 0 ? "" : ",").append(e18(row[i]));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** C's {@code %.18e} of a finite double (what numpy.savetxt writes by default). */
  static String e18(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("not finite: " + v);
    }
    if (v == 0) {
      return (1 / v < 0 ? "-" : "") + "0.000000000000000000e+00";
    }
    BigDecimal bd = new BigDecimal(v).round(new MathContext(19, RoundingMode.HALF_EVEN));
    String digits = bd.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - bd.scale();
    StringBuilder d = new StringBuilder(digits);
    while (d.length() < 19) {
      d.append('0');
    }
    d.setLength(19);
    int e = Math.abs(exponent);
    return (v < 0 ? "-" : "")
        + d.charAt(0)
        + "."
        + d.substring(1)
        + "e"
        + (exponent < 0 ? "-" : "+")
        + (e < 10 ? "0" : "")
        + e;
  }

  @Override
  public void close() {
    try {
      history.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
