package io.github.longrope.kernel.jshell;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs snippet code on a dedicated "cell" thread and stops it on request.
 *
 * <p>An interrupt first calls {@link Thread#interrupt()}: blocking calls throw, and library loops
 * that check {@code Thread.currentThread().isInterrupted()} stop at their next step (throwing
 * {@code CancellationException}). A snippet that ignores the interrupt for {@code graceMillis} is
 * stopped with {@code Thread.stop} (still available on Java 17); if even that does not end it
 * within another grace period, the thread is abandoned and replaced, so the kernel stays usable
 * (the abandoned thread keeps whatever it holds until the kernel restarts).
 *
 * <p>A snippet that <em>handles</em> the interrupt — it returns normally with its thread's
 * interrupt flag cleared, as code that catches {@code InterruptedException} or a library's {@code
 * CancellationException} does — consumes the request, and the rest of the cell runs (as a caught
 * {@code KeyboardInterrupt} in IPython). One that returns with the flag still set ignored it: the
 * request stays and the rest of the cell is skipped.
 */
final class SnippetRunner implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SnippetRunner.class.getName());
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final long graceMillis;
  private ExecutorService executor = newExecutor();
  private volatile Thread worker;
  private volatile Future<?> current;
  private volatile long interruptedAt; // System.nanoTime() of the request, 0 when none
  private volatile boolean interruptRequested;
  private final Object interruptLock = new Object();

  SnippetRunner(long graceMillis) {
    this.graceMillis = graceMillis;
  }

  /** Called at the start of every cell: forgets an earlier interrupt request. */
  void beginCell() {
    interruptRequested = false;
    interruptedAt = 0;
  }

  /** Whether an interrupt was requested since {@link #beginCell()}. */
  boolean interruptRequested() {
    return interruptRequested;
  }

  /** Requests an interrupt of the running snippet (and makes the rest of the cell skip). */
  void interrupt() {
    synchronized (interruptLock) {
      interruptRequested = true;
      interruptedAt = System.nanoTime();
      Thread t = worker;
      Future<?> f = current;
      if (t != null && f != null && !f.isDone()) {
        t.interrupt();
      }
    }
  }

  /**
   * Runs {@code task} on the cell thread with {@code loader} as its context class loader and waits
   * for it, escalating an interrupt as described above. Exceptions of the task propagate unchanged;
   * an abandoned snippet throws {@link Abandoned}.
   */
  Object run(Callable<Object> task, ClassLoader loader) throws Exception {
    Future<Object> future =
        executor.submit(
            () -> {
              Thread self = Thread.currentThread();
              worker = self;
              Thread.interrupted(); // a stale interrupt must not hit the next snippet
              self.setContextClassLoader(loader);
              if (interruptRequested) {
                self.interrupt();
              }
              Object value = task.call();
              synchronized (interruptLock) {
                // under the lock: an interrupt either set the flag already or comes after this
                if (interruptRequested && !self.isInterrupted()) {
                  interruptRequested = false;
                  interruptedAt = 0;
                }
              }
              return value;
            });
    current = future;
    boolean stopped = false;
    long stoppedAt = 0;
    try {
      while (true) {
        try {
          return future.get(50, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          long requested = interruptedAt;
          if (requested == 0) {
            continue;
          }
          long now = System.nanoTime();
          if (!stopped && now - requested > TimeUnit.MILLISECONDS.toNanos(graceMillis)) {
            stopped = true;
            stoppedAt = now;
            hardStop(future);
          } else if (stopped && now - stoppedAt > TimeUnit.MILLISECONDS.toNanos(graceMillis)) {
            abandon();
            throw new Abandoned();
          }
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof Exception ex) {
            throw ex;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw e;
        }
      }
    } finally {
      current = null;
    }
  }

  @SuppressWarnings(
      "deprecation") // Thread.stop: the last resort for a loop that ignores interrupts
  private void hardStop(Future<?> future) {
    Thread t = worker;
    if (t == null || future.isDone()) {
      return;
    }
    LOG.warning("cell ignored the interrupt; stopping its thread");
    try {
      t.stop();
    } catch (UnsupportedOperationException e) {
      LOG.log(Level.WARNING, "Thread.stop is not supported by this JVM", e);
    }
  }

  private void abandon() {
    LOG.warning("cell thread did not stop; abandoning it");
    ExecutorService old = executor;
    executor = newExecutor();
    worker = null;
    old.shutdownNow();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private static ExecutorService newExecutor() {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(null, r, "cell-" + THREADS.incrementAndGet(), 64L * 1024 * 1024);
          t.setDaemon(true);
          return t;
        });
  }

  /** The snippet ignored interrupt and stop and was left running on an abandoned thread. */
  static final class Abandoned extends Exception {
    private static final long serialVersionUID = 1L;

    Abandoned() {
      super("the cell did not stop; its thread was abandoned (restart the kernel to reclaim it)");
    }
  }
}
