package io.github.longrope.spark;

import io.github.longrope.search.Candidate;
import io.github.longrope.search.Evaluator;
import io.github.longrope.search.Racing;
import io.github.longrope.search.run.FitnessSource;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Function0;
import scala.Function1;
import scala.Function2;
import scala.collection.Iterator;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * Evaluates each generation as one Spark job with one candidate per task (one partition each), so
 * that a slow or lost executor holds back one evaluation, not a share of the generation; Spark
 * retries a failed or lost task ({@code spark.task.maxFailures}) and may run slow ones twice
 * ({@code spark.speculation}). Spark hands a partition's result to the driver once even when a task
 * ran twice, so a candidate is never recorded twice; the driver (this object, on the search's
 * thread) reports results in completion order to the search, which alone appends {@code
 * history.jsonl}. Results are stored by batch index: the outcome does not depend on the cluster.
 *
 * <p>Executors build the fitness from a {@link FitnessSource} with {@link ExecutorDecoders} (one
 * decoder per task slot, kept for the executor's life).
 *
 * <p>Cancellation: when the search's thread is interrupted, results already back are reported, the
 * job is cancelled (running tasks are killed; their candidates are evaluated again on resume) and
 * {@link CancellationException} is thrown.
 */
final class SparkEvaluator implements Evaluator {
  private final JavaSparkContext sc;
  private final FitnessSource source;
  private final boolean ownsContext;
  private final List<Generation> generations = new ArrayList<>();

  /**
   * One generation's timing on the driver.
   *
   * @param candidates tasks in the job
   * @param wallSeconds from job submission to the last result
   * @param evaluations the executors' fitness seconds, by batch index
   * @param loadSeconds decoder loads during the job (first jobs only)
   * @param slots task slots of the cluster at submission
   */
  record Generation(
      int candidates,
      double wallSeconds,
      double[] evaluations,
      double loadSeconds,
      int slots,
      List<String> executors) {}

  SparkEvaluator(JavaSparkContext sc, FitnessSource source, boolean ownsContext) {
    this.sc = sc;
    this.source = source;
    this.ownsContext = ownsContext;
  }

  /** The generations evaluated so far (benchmarks). */
  List<Generation> generations() {
    return List.copyOf(generations);
  }

  /**
   * Races are not shipped to the executors, so every candidate runs in full: correct, without
   * racing's savings.
   */
  @Override
  public double[] evaluate(List<Candidate> batch, List<Racing.Race> races, Listener listener) {
    Evaluator.checkCancelled();
    int n = batch.size();
    double[] out = new double[n];
    if (n == 0) {
      return out;
    }
    List<CandidateTask> tasks = new ArrayList<>(n);
    List<Object> partitions = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(CandidateTask.of(i, batch.get(i)));
      partitions.add(i);
    }
    int slots = workers();
    long t0 = System.nanoTime();
    JavaRDD<CandidateTask> rdd = sc.parallelize(tasks, n);
    BlockingQueue<Evaluated> done = new LinkedBlockingQueue<>();
    FitnessSource src = source;
    Function1<Iterator<CandidateTask>, Evaluated> task =
        (Function1<Iterator<CandidateTask>, Evaluated> & Serializable)
            it -> ExecutorDecoders.evaluate(src, it.next());
    Function2<Object, Evaluated, BoxedUnit> onResult =
        (i, r) -> {
          done.add(r);
          return BoxedUnit.UNIT;
        };
    Function0<BoxedUnit> whenDone = () -> BoxedUnit.UNIT;
    sc.setJobDescription("longrope search: " + n + " candidates");
    SimpleFutureAction<BoxedUnit> job =
        sc.sc()
            .submitJob(
                rdd.rdd(),
                task,
                scala.jdk.javaapi.CollectionConverters.asScala(partitions).toSeq(),
                onResult,
                whenDone);
    double[] seconds = new double[n];
    double load = 0;
    java.util.Set<String> executors = new java.util.TreeSet<>();
    int received = 0;
    boolean cancelled = false;
    while (received < n) {
      Evaluated r;
      try {
        r = done.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        cancelled = true;
        break;
      }
      if (r == null) {
        if (job.isCompleted() && done.isEmpty()) {
          throw failure(job);
        }
        if (Thread.currentThread().isInterrupted()) {
          cancelled = true;
          break;
        }
        continue;
      }
      received++;
      out[r.index()] = r.fitness();
      seconds[r.index()] = r.seconds();
      load += r.loadSeconds();
      executors.add(r.executor());
      listener.evaluated(r.index(), batch.get(r.index()), r.fitness(), r.seconds());
      if (Thread.currentThread().isInterrupted()) {
        cancelled = true;
        break;
      }
    }
    if (cancelled) {
      job.cancel();
      Thread.interrupted();
      throw new CancellationException("search cancelled (thread interrupted)");
    }
    generations.add(
        new Generation(
            n, (System.nanoTime() - t0) / 1e9, seconds, load, slots, List.copyOf(executors)));
    return out;
  }

  /** The job's failure (the first task error after Spark's retries), as the search sees it. */
  private static RuntimeException failure(SimpleFutureAction<BoxedUnit> job) {
    scala.Option<Try<BoxedUnit>> v = job.value();
    if (v.isDefined() && v.get().isFailure()) {
      Throwable t = v.get().failed().get();
      return new IllegalStateException("Spark job failed: " + t.getMessage(), t);
    }
    return new IllegalStateException("Spark job ended without all results");
  }

  /** Task slots of the cluster now ({@code spark.default.parallelism}, else all executor cores). */
  @Override
  public int workers() {
    return Math.max(1, sc.defaultParallelism());
  }

  @Override
  public void close() {
    if (ownsContext) {
      sc.stop();
    }
  }
}
