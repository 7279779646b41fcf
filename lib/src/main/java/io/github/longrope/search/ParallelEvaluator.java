package io.github.longrope.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Evaluates a batch on several workers, each owning one {@link Fitness} (for example a model on its
 * own device). Workers take the next unevaluated index until the batch is done; results are stored
 * by index, so the outcome does not depend on the number of workers or on timing. The listener runs
 * on the calling thread, one finished candidate at a time.
 *
 * <p>When the calling thread is interrupted, no new candidate starts; candidates already running
 * finish and are reported, then {@link CancellationException} is thrown. A failing fitness stops
 * the batch the same way and its exception is rethrown.
 */
final class ParallelEvaluator implements Evaluator {
  private final List<Fitness> fitnesses;
  private final ExecutorService pool;

  ParallelEvaluator(List<? extends Fitness> fitnesses) {
    if (fitnesses.isEmpty()) {
      throw new IllegalArgumentException("a parallel evaluator needs at least one fitness");
    }
    this.fitnesses = List.copyOf(fitnesses);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            fitnesses.size(),
            r -> {
              Thread t = new Thread(r, "search-worker-" + n.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
  }

  private record Done(int index, Evaluation evaluation, double seconds, Throwable error) {}

  @Override
  public double[] evaluate(List<Candidate> batch, List<Racing.Race> races, Listener listener) {
    Evaluator.checkCancelled();
    int n = batch.size();
    double[] out = new double[n];
    if (n == 0) {
      return out;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    List<Future<?>> tasks = new ArrayList<>();
    for (Fitness f : fitnesses) {
      tasks.add(
          pool.submit(
              () -> {
                while (!stop.get()) {
                  int i = next.getAndIncrement();
                  if (i >= n) {
                    return;
                  }
                  long t0 = System.nanoTime();
                  try {
                    Evaluation v = Racing.run(f, batch.get(i), races.get(i)).sanitized();
                    done.add(new Done(i, v, (System.nanoTime() - t0) / 1e9, null));
                  } catch (Throwable e) {
                    stop.set(true);
                    done.add(new Done(i, null, 0, e));
                    return;
                  }
                }
              }));
    }
    int received = 0;
    boolean cancelled = false;
    Throwable failure = null;
    while (received < n) {
      Done d;
      if (cancelled || failure != null) {
        // drain what running workers still finish, then stop
        d = done.poll();
        if (d == null) {
          if (allDone(tasks)) {
            d = done.poll();
            if (d == null) {
              break;
            }
          } else {
            sleepUninterruptibly();
            continue;
          }
        }
      } else {
        try {
          d = done.take();
        } catch (InterruptedException e) {
          cancelled = true;
          stop.set(true);
          continue;
        }
      }
      received++;
      if (d.error() != null) {
        if (failure == null) {
          failure = d.error();
        }
        continue;
      }
      out[d.index()] = d.evaluation().rank();
      listener.evaluated(d.index(), batch.get(d.index()), d.evaluation(), d.seconds());
      if (!cancelled && Thread.interrupted()) {
        cancelled = true;
        stop.set(true);
      }
    }
    if (failure != null) {
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException("fitness failed: " + failure, failure);
    }
    if (cancelled) {
      Thread.interrupted();
      throw new CancellationException("search cancelled (thread interrupted)");
    }
    return out;
  }

  private static boolean allDone(List<Future<?>> tasks) {
    for (Future<?> t : tasks) {
      if (!t.isDone()) {
        return false;
      }
    }
    return true;
  }

  private static void sleepUninterruptibly() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      // keep draining: cancellation is already under way
    }
  }

  @Override
  public int workers() {
    return fitnesses.size();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
