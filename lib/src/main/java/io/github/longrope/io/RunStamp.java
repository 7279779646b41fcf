package io.github.longrope.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The reproducibility stamp that run records carry under {@value #KEY} when a stamp source is
 * installed: the notebooks' {@code notebook.Workbench} installs {@code notebook.Stamp} (git commit
 * and dirty flag, library version, model and data fingerprints, seeds, threads, device), so a
 * search's {@code config.json} or a pipeline's {@code pipeline.json} written from a notebook says
 * which code and inputs produced it. The command line installs none, and its records stay as they
 * were.
 *
 * <p>Not a setting: a resume never compares it (old records without one resume as before), and a
 * search record holds the stamp of the last session that opened it. A source that fails (no git, an
 * unreadable file) leaves the record without a stamp rather than failing the run; the reason is
 * logged.
 */
public final class RunStamp {
  /** The record key. */
  public static final String KEY = "stamp";

  private static final Logger LOG = Logger.getLogger(RunStamp.class.getName());

  /**
   * Computes a stamp for a run on {@code model} reading {@code data}, seeded with {@code seeds}.
   */
  @FunctionalInterface
  public interface Source {
    ObjectNode stamp(Path model, List<Path> data, Map<String, Long> seeds);
  }

  private static volatile Source source;

  private RunStamp() {}

  /** Installs the source of stamps (null removes it: records get none). */
  public static void install(Source stampSource) {
    source = stampSource;
  }

  /** Whether records get a stamp. */
  public static boolean installed() {
    return source != null;
  }

  /**
   * Puts the stamp under {@value #KEY} into {@code record} when a source is installed and it can
   * stamp these inputs; otherwise leaves the record as it is.
   */
  public static void addTo(
      ObjectNode record, Path model, List<Path> data, Map<String, Long> seeds) {
    Source s = source;
    if (s == null) {
      return;
    }
    try {
      ObjectNode stamp = s.stamp(model, data, seeds);
      if (stamp != null) {
        record.set(KEY, stamp);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "no reproducibility stamp for the run record: " + e.getMessage(), e);
    }
  }
}
