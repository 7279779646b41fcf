package io.github.longrope.kernel.widgets;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Start and Stop buttons for a long job (a search), with a status line and optional fields.
 *
 * <pre>{@code
 * StartStop.show("search", () -> SearchJob.run(spec, runDir, resume, monitor), populationField);
 * }</pre>
 *
 * <p>Start runs the job on its own thread, so the kernel stays free to read the next click (the
 * kernel reads front-end messages only between cells). Stop interrupts that thread: exactly what
 * the kernel's interrupt does to a cell, so a job that checks for interrupts between steps (the
 * search does, between candidates) ends there with a {@code CancellationException}, its finished
 * work saved. Start again runs the job again; a search resumes from its run directory's {@code
 * history.jsonl}. The fields are disabled while the job runs.
 *
 * <p>Nothing runs until Start is clicked, so a notebook executed headless shows the controls and
 * moves on.
 */
public final class StartStop {
  private static final Logger LOG = Logger.getLogger(StartStop.class.getName());

  private final String name;
  private final Callable<?> job;
  private final Button start = new Button("Start").style("success");
  private final Button stop = new Button("Stop").style("danger");
  private final Label status;
  private final ValueWidget<?>[] fields;
  private Thread worker;
  private volatile String outcome = "not started";

  private StartStop(String name, Callable<?> job, ValueWidget<?>... fields) {
    this.name = name;
    this.job = job;
    this.fields = fields.clone();
    this.status = new Label(name + ": not started");
    stop.disabled(true);
    start.onClick(this::start);
    stop.onClick(this::stop);
  }

  /** Shows the fields, Start, Stop and the status line below the running cell. */
  public static StartStop show(String name, Callable<?> job, ValueWidget<?>... fields) {
    StartStop s = new StartStop(name, job, fields);
    Widget[] row = new Widget[fields.length + 2];
    System.arraycopy(fields, 0, row, 0, fields.length);
    row[fields.length] = s.start;
    row[fields.length + 1] = s.stop;
    new VBox(new HBox(row), s.status).display();
    return s;
  }

  /** Starts the job unless it is running (what the Start button does). */
  public synchronized void start() {
    if (worker != null && worker.isAlive()) {
      return;
    }
    worker = new WorkerThread(this::runJob, "start-stop " + name);
    running(true);
    report("running");
    worker.start();
  }

  /** Interrupts the job (what the Stop button does); it ends at its next interrupt check. */
  public synchronized void stop() {
    if (worker != null && worker.isAlive()) {
      report("stopping (at the next check between steps)");
      worker.interrupt();
    }
  }

  /** Whether the job is running. */
  public synchronized boolean running() {
    return worker != null && worker.isAlive();
  }

  /** Waits up to {@code millis} for the job to end; returns whether it has. */
  public boolean await(long millis) throws InterruptedException {
    Thread w;
    synchronized (this) {
      w = worker;
    }
    if (w != null) {
      w.join(millis);
    }
    return !running();
  }

  /** How the last run ended: "finished: …", "stopped: …", "failed: …" (or "not started"). */
  public String outcome() {
    return outcome;
  }

  /** The status line. */
  public Label status() {
    return status;
  }

  private void runJob() {
    try {
      Object result = job.call();
      outcome = "finished" + (result == null ? "" : ": " + result);
    } catch (CancellationException e) {
      outcome = "stopped: " + e.getMessage();
    } catch (InterruptedException e) {
      outcome = "stopped: interrupted";
    } catch (Exception e) {
      LOG.log(Level.FINE, name + " failed", e);
      outcome = "failed: " + e;
    } finally {
      Thread.interrupted(); // a stop that came after the last check
      report(outcome);
      running(false);
    }
  }

  private void running(boolean on) {
    start.disabled(on);
    stop.disabled(!on);
    for (ValueWidget<?> f : fields) {
      f.disabled(on);
    }
  }

  private void report(String text) {
    status.value(name + ": " + text);
  }
}
