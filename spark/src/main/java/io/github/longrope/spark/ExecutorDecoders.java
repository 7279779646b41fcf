package io.github.longrope.spark;

import io.github.longrope.model.Decoder;
import io.github.longrope.model.EngineThreads;
import io.github.longrope.search.Evaluator;
import io.github.longrope.search.run.FitnessSource;
import io.github.longrope.search.run.SearchJob;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The executor side: decoders that live as long as the executor JVM, so that a model is loaded once
 * per task slot and then serves every generation, job and search that needs the same model
 * directory, RoPE geometry, attention chunk and device ({@link FitnessSource#decoderKey}). A task
 * borrows an idle decoder of its key (loading one when all are busy) and gives it back when done: a
 * decoder is never used by two tasks at once, and an executor holds at most as many as it runs
 * tasks concurrently. The data side of a fitness (the documents' windows) is read once per spec.
 */
final class ExecutorDecoders {
  private ExecutorDecoders() {}

  private static final Map<String, Deque<Decoder>> IDLE = new ConcurrentHashMap<>();
  private static final Map<String, SearchJob.Plan> PLANS = new ConcurrentHashMap<>();
  private static final Map<String, FitnessSource.Inputs> INPUTS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  /** Decoders loaded in this JVM so far (tests: a second job must not load again). */
  static int loads() {
    return LOADS.get();
  }

  /** Evaluates one candidate on this executor. */
  static Evaluated evaluate(FitnessSource source, CandidateTask task) {
    TaskContext ctx = TaskContext.get();
    if (ctx != null && System.getProperty("ai.djl.pytorch.num_threads") == null) {
      // libtorch reads it once, before its first model: the CPUs Spark gave each task
      EngineThreads.set(Math.max(1, ctx.cpus()));
    }
    String device = device(ctx);
    SearchJob.Plan plan = PLANS.computeIfAbsent(source.spec(), k -> source.plan());
    FitnessSource.Inputs inputs =
        INPUTS.computeIfAbsent(
            source.spec(), k -> FitnessSource.Inputs.prepare(source.searchSpec(), plan));
    Deque<Decoder> idle =
        IDLE.computeIfAbsent(source.decoderKey(plan, device), k -> new ConcurrentLinkedDeque<>());
    Decoder decoder = idle.pollFirst();
    double loadSeconds = 0;
    if (decoder == null) {
      long t0 = System.nanoTime();
      decoder = source.loadDecoder(plan, device);
      LOADS.incrementAndGet();
      loadSeconds = (System.nanoTime() - t0) / 1e9;
    }
    try {
      long t0 = System.nanoTime();
      double f = Evaluator.sanitize(inputs.fitness(decoder).evaluate(task.candidate()));
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Evaluated(task.index(), f, seconds, loadSeconds, executorId(), device);
    } finally {
      idle.addFirst(decoder);
    }
  }

  /**
   * The device Spark assigned to this task: the first of its {@code gpu} addresses when GPU
   * scheduling is on ({@code spark.task.resource.gpu.amount}), else {@code cpu}.
   */
  static String device(TaskContext ctx) {
    if (ctx == null) {
      return "cpu";
    }
    ResourceInformation gpu = ctx.resourcesJMap().get("gpu");
    if (gpu == null || gpu.addresses().length == 0) {
      return "cpu";
    }
    return "gpu:" + gpu.addresses()[0];
  }

  private static String executorId() {
    SparkEnv env = SparkEnv.get();
    return env == null ? "?" : env.executorId();
  }
}
