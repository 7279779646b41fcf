package io.github.longrope.cli;

import io.github.longrope.data.DatasetBuilder;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/** Stage messages and one progress bar per long step, on stderr. */
final class Bars implements DatasetBuilder.Listener, AutoCloseable {
  private final PrintWriter err;
  private final String prefix;
  private final Map<String, Progress> bars = new HashMap<>();

  /** Messages start with {@code prefix} (the command's name). */
  Bars(PrintWriter err, String prefix) {
    this.err = err;
    this.prefix = prefix;
  }

  @Override
  public synchronized void message(String text) {
    err.println(prefix + text);
    err.flush();
  }

  @Override
  public synchronized void progress(String task, long done, long total) {
    Progress bar = bars.computeIfAbsent(task, t -> new Progress(t, total));
    bar.stepTo(done);
    if (done >= total) {
      bar.close();
      bars.remove(task);
    }
  }

  @Override
  public synchronized void close() {
    bars.values().forEach(Progress::close);
    bars.clear();
  }
}
