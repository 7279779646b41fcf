package io.github.longrope.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.Fingerprint;
import io.github.longrope.io.Json;
import io.github.longrope.model.EngineInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What produced a notebook's numbers, in one cell: the code (git commit and whether the checkout
 * had uncommitted changes), the library version, the model (its {@code config.json} hash and its
 * weights' fingerprint), the data files' fingerprints, the seeds, the engine's threads and device.
 *
 * <pre>{@code
 * Stamp stamp = Stamp.of(modelDir, data.resolve("search")).withSeed("search", seed);
 * stamp.writeTo(runDir);     // stamp.json beside the run's config.json and history.jsonl
 * stamp.table()              // the cell's output
 * }</pre>
 *
 * <p>Hashes are {@link Fingerprint}s ({@code sha256:HEX}; weight files over 64 MB are sampled), the
 * same values run records store, so a stamp can be compared with a run directory's record. The
 * notebook kernel installs {@link #forRecord} as the {@link io.github.longrope.io.RunStamp} source:
 * the search and pipeline records a notebook writes carry the stamp under {@code stamp}.
 */
public record Stamp(
    String gitCommit,
    boolean gitDirty,
    String libraryVersion,
    String java,
    String model,
    String modelConfigSha256,
    String modelWeightsSha256,
    Map<String, String> data,
    Map<String, Long> seeds,
    String threads,
    String device) {

  /** The file {@link #writeTo} writes in a run directory. */
  public static final String FILE = "stamp.json";

  public Stamp {
    data = Map.copyOf(data);
    seeds = Map.copyOf(seeds);
  }

  /** The stamp of this checkout with a model directory and data files (token files, folders). */
  public static Stamp of(Path modelDir, Path... dataFiles) {
    Map<String, String> data = new LinkedHashMap<>();
    for (Path d : dataFiles) {
      data.put(d.getFileName().toString(), DocumentSources.fingerprint(d));
    }
    Path config = modelDir.resolve("config.json");
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException(modelDir + ": no config.json (not a model directory)");
    }
    String[] git = git(Workbench.home());
    return new Stamp(
        git[0],
        Boolean.parseBoolean(git[1]),
        versionOfLibrary(),
        Runtime.version().toString(),
        shown(modelDir),
        Fingerprint.files(List.of(config)),
        Fingerprint.files(weights(modelDir)),
        new LinkedHashMap<>(data),
        Map.of(),
        EngineInfo.threads(),
        EngineInfo.device());
  }

  /** This stamp with one more named seed. */
  public Stamp withSeed(String name, long seed) {
    Map<String, Long> s = new LinkedHashMap<>(seeds);
    s.put(name, seed);
    return new Stamp(
        gitCommit,
        gitDirty,
        libraryVersion,
        java,
        model,
        modelConfigSha256,
        modelWeightsSha256,
        data,
        s,
        threads,
        device);
  }

  /**
   * The {@link RunStamp} source the notebook kernel installs: the stamp of {@code model} and {@code
   * data} (files or folders that exist) with {@code seeds}, as the JSON object a run record stores
   * under {@value RunStamp#KEY} (the keys of {@link #FILE}).
   */
  public static ObjectNode forRecord(Path model, List<Path> data, Map<String, Long> seeds) {
    Stamp s = of(model, data.stream().filter(Files::exists).toArray(Path[]::new));
    for (Map.Entry<String, Long> e : seeds.entrySet()) {
      s = s.withSeed(e.getKey(), e.getValue());
    }
    return Json.MAPPER.valueToTree(s);
  }

  /** The stamp as a two-column table titled "reproducibility stamp". */
  public Table table() {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("git commit", gitCommit + (gitDirty ? " (uncommitted changes)" : ""));
    rows.put("library version", libraryVersion);
    rows.put("java", java);
    rows.put("model", model);
    rows.put("model config.json", modelConfigSha256);
    rows.put("model weights", modelWeightsSha256);
    data.forEach((name, hash) -> rows.put("data " + name, hash));
    seeds.forEach((name, seed) -> rows.put("seed " + name, Long.toString(seed)));
    rows.put("threads", threads);
    rows.put("device", device);
    Table t =
        Table.create(
            "reproducibility stamp", StringColumn.create("property"), StringColumn.create("value"));
    rows.forEach(
        (k, v) -> {
          t.stringColumn(0).append(k);
          t.stringColumn(1).append(v);
        });
    return t;
  }

  /** Writes {@link #FILE} into {@code dir} (atomically), e.g. a run directory. */
  public Path writeTo(Path dir) {
    Path file = dir.resolve(FILE);
    AtomicFiles.writeString(file, Json.write(this) + "\n");
    return file;
  }

  private static List<Path> weights(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files =
          s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException(dir + ": no *.safetensors weights");
      }
      return files;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A path relative to the repository when it lies inside it, else absolute. */
  private static String shown(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path home = Workbench.home();
    return abs.startsWith(home) ? home.relativize(abs).toString() : abs.toString();
  }

  static String versionOfLibrary() {
    try (InputStream in = Stamp.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** {commit, dirty} of the checkout at {@code home}, or "unknown" when git cannot say. */
  static String[] git(Path home) {
    String commit = run(home, "git", "rev-parse", "HEAD");
    if (commit == null) {
      return new String[] {"unknown (not a git checkout)", "false"};
    }
    String status = run(home, "git", "status", "--porcelain", "--untracked-files=no");
    return new String[] {commit, Boolean.toString(status != null && !status.isBlank())};
  }

  private static String run(Path dir, String... command) {
    try {
      Process p =
          new ProcessBuilder(new ArrayList<>(List.of(command)))
              .directory(dir.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return new String(out, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
