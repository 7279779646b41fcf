package io.github.longrope.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A Spark standalone cluster on this machine for tests and benchmarks: a master and {@code N}
 * workers, each its own JVM bound to 127.0.0.1, started from this JVM's class path (the library,
 * this module and Spark), the way {@code sbin/start-master.sh} and {@code start-worker.sh} start
 * them on a real cluster. Executors, which the workers start per application, get the same class
 * path through {@code spark.executor.extraClassPath} ({@link #executorConf}). Every wait is
 * bounded; {@link #close} kills every process it started (workers' executors included).
 *
 * <p>Spark's launcher needs a Spark home with a {@code jars} folder; a temporary one with an empty
 * folder stands in (nothing is installed).
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final long START_SECONDS = 120;

  private final Path dir;
  private final int port;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();
  private final Thread cleanup;

  private StandaloneCluster(Path dir, int port, Process master) {
    this.dir = dir;
    this.port = port;
    this.master = master;
    this.cleanup = new Thread(this::killAll, "standalone-cluster-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /**
   * Starts a master and {@code workers} workers of {@code cores} cores each and waits (bounded)
   * until every worker has registered.
   */
  public static StandaloneCluster start(int workers, int cores, Path dir) {
    try {
      Files.createDirectories(dir.resolve("spark-home/jars"));
      Files.writeString(dir.resolve("spark-home/RELEASE"), "stand-in Spark home (no jars)\n");
      int port = freePort();
      Process master =
          java(
              dir,
              "master",
              "256m",
              List.of(
                  "org.apache.spark.deploy.master.Master",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--webui-port",
                  Integer.toString(freePort())));
      StandaloneCluster c = new StandaloneCluster(dir, port, master);
      try {
        c.waitFor(() -> canConnect(port), "the master to listen on port " + port);
        for (int w = 0; w < workers; w++) {
          c.addWorker(cores);
        }
        for (int w = 0; w < workers; w++) {
          Path log = dir.resolve("worker" + w + ".log");
          c.waitFor(
              () -> Files.exists(log) && Files.readString(log).contains("Successfully registered"),
              "worker " + w + " to register (" + log + ")");
        }
        return c;
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void addWorker(int cores) throws IOException {
    int w = workers.size();
    Path work = Files.createDirectories(dir.resolve("work" + w));
    workers.add(
        java(
            dir,
            "worker" + w,
            "256m",
            List.of(
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                "127.0.0.1",
                "--cores",
                Integer.toString(cores),
                "--memory",
                "2g",
                "--work-dir",
                work.toString(),
                "--webui-port",
                Integer.toString(freePort()),
                url())));
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String url() {
    return "spark://127.0.0.1:" + port;
  }

  /** The worker JVMs, in start order. */
  public List<Process> workers() {
    return List.copyOf(workers);
  }

  /**
   * Kills worker {@code w} and the executors it started with SIGKILL: a machine lost in the middle
   * of a generation.
   */
  public void killWorker(int w) {
    kill(workers.get(w));
  }

  /**
   * The settings an application needs on this cluster: executors on this JVM's class path, bound to
   * 127.0.0.1, offline DJL with a shared native cache, one core each.
   */
  public List<String> executorConf() {
    List<String> conf =
        new ArrayList<>(
            List.of(
                "spark.executor.extraClassPath=" + System.getProperty("java.class.path"),
                "spark.executor.extraJavaOptions=-Dai.djl.offline=true"
                    + " -Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "spark.executor.cores=1",
                "spark.executor.memory=1g",
                "spark.driver.host=127.0.0.1",
                "spark.driver.bindAddress=127.0.0.1"));
    String cache = System.getenv("DJL_CACHE_DIR");
    if (cache != null) {
      // the natives this JVM already extracted (else DJL's default cache, shared as well)
      conf.add("spark.executorEnv.DJL_CACHE_DIR=" + cache);
    }
    return conf;
  }

  /**
   * A JVM with Spark's module options, this class path and {@code heap} (e.g. {@code 256m}; a
   * driver needs at least 450 MB), its output in {@code dir/NAME.log}.
   */
  static Process java(Path dir, String name, String heap, List<String> mainAndArgs)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return pb.start();
  }

  @FunctionalInterface
  interface Check {
    boolean ok() throws IOException;
  }

  private void waitFor(Check check, String what) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (!check.ok()) {
      if (!master.isAlive()) {
        throw new IllegalStateException("the Spark master exited while waiting for " + what);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "timed out after " + START_SECONDS + " s waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }

  private static boolean canConnect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** SIGKILL to a process and everything it started; waits (bounded) until it is gone. */
  static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void killAll() {
    workers.forEach(StandaloneCluster::kill);
    kill(master);
  }

  /** Kills every process of the cluster and deletes nothing it did not create. */
  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway
    }
    deleteTree(dir.resolve("spark-home"));
  }

  private static void deleteTree(Path p) {
    try (var files = Files.walk(p)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary folder
    }
  }
}
