package io.github.longrope.notebook;

import io.github.longrope.data.Corpus;
import io.github.longrope.data.DatasetBuilder;
import io.github.longrope.eval.EvalReport;
import io.github.longrope.model.EngineThreads;
import io.github.longrope.model.ModelConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The repository a notebook runs in, and the set-up its first cells need.
 *
 * <pre>{@code
 * Workbench.threads(2);                              // before the first model is loaded
 * Path model = Workbench.path("models/bundled");
 * Path data = Workbench.corpus("eval-books");        // builds datasets/corpus on first use
 * }</pre>
 *
 * <p>The root is the system property {@code longrope.home} (set by {@code ./longrope} and by the
 * kernelspec that {@code ./longrope kernel install} writes), else the first folder at or above the
 * working directory that holds the {@code longrope} launcher and {@code lib/pom.xml} (a notebook
 * runs in {@code notebooks/}).
 */
public final class Workbench {
  /** slf4j-simple's level for DJL's GPU probe (which warns on every CPU-only start). */
  static final String CUDA_LOG_PROPERTY = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";

  private Workbench() {}

  /** The repository root. */
  public static Path home() {
    return home(System.getProperty("longrope.home"), Path.of(""));
  }

  static Path home(String property, Path workingDir) {
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    Path start = workingDir.toAbsolutePath().normalize();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("longrope"))
          && Files.isRegularFile(p.resolve("lib/pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the workbench repository at or above "
            + start
            + " (no 'longrope' launcher with lib/pom.xml); set -Dlongrope.home=REPO");
  }

  /** A path relative to the repository root (absolute paths are returned as they are). */
  public static Path path(String relative) {
    return home().resolve(relative);
  }

  /**
   * libtorch intra-op threads for this JVM ({@code n} ≥ 1), one inter-op thread; {@code 0} leaves
   * libtorch's default (all cores). DJL reads the setting when its engine starts, so call this
   * before the first model is loaded in the kernel; later calls have no effect until a restart.
   * Also keeps DJL's GPU probe from printing a warning into the cells of a machine without a GPU.
   */
  public static void threads(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0: all cores), got " + n);
    }
    System.setProperty(CUDA_LOG_PROPERTY, "error");
    if (n > 0) {
      EngineThreads.set(n);
    }
  }

  /**
   * A model's facts as a two-column table (property, value): what a researcher checks before
   * extending a checkpoint — architecture, heads, the rotary dimension and base, the original
   * context L, {@code max_position_embeddings} and the RoPE scaling it already carries.
   */
  public static Table modelFacts(String name, ModelConfig config) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("model_type", config.modelType());
    f.put("layers × hidden", config.numLayers() + " × " + config.hiddenSize());
    f.put(
        "heads (query / key-value) × head dim",
        config.numHeads() + " / " + config.numKvHeads() + " × " + config.headDim());
    f.put("rotary dim, base", config.rope().rotaryDim() + ", " + config.rope().base());
    f.put("original context L", config.originalLength());
    f.put("max_position_embeddings", config.maxPositionEmbeddings());
    f.put("rope_scaling", EvalReport.describe(config.ropeScaling()));
    f.put("vocabulary, BOS", config.vocabSize() + ", " + config.bosTokenId());
    Table t = Table.create(name, StringColumn.create("property"), StringColumn.create("value"));
    f.forEach(
        (k, v) -> {
          t.stringColumn(0).append(k);
          t.stringColumn(1).append(String.valueOf(v));
        });
    return t;
  }

  /**
   * The corpus data folder ({@code datasets/corpus/data}), built from Debian packages first when a
   * split is missing (a few minutes, once; progress printed to {@code System.out}).
   */
  public static Path corpus(String... splits) {
    return Corpus.ensure(path("datasets"), List.of(splits), printing(System.out));
  }

  /** A dataset-build listener that prints messages and every quarter of each long task. */
  static DatasetBuilder.Listener printing(PrintStream out) {
    Map<String, Integer> shown = new HashMap<>();
    return new DatasetBuilder.Listener() {
      @Override
      public void message(String text) {
        out.println(text);
      }

      @Override
      public void progress(String task, long done, long total) {
        int quarter = total <= 0 ? 4 : (int) Math.min(4, 4 * done / total);
        Integer before = shown.put(task, quarter);
        if (before == null || quarter > before) {
          out.println(task + ": " + 25 * quarter + "%");
        }
      }
    };
  }
}
