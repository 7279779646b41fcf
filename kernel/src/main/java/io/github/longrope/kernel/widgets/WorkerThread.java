package io.github.longrope.kernel.widgets;

/**
 * The thread a {@link StartStop} job runs on. Stop interrupts it, and an interrupt that lands while
 * a thread writes to the kernel's sockets would close them (ZeroMQ's signalling uses NIO channels,
 * which close when their thread is interrupted): so the kernel hands what such a thread publishes
 * to its own publishing thread instead of writing on it.
 */
public final class WorkerThread extends Thread {
  WorkerThread(Runnable task, String name) {
    super(task, name);
    setDaemon(true);
  }
}
