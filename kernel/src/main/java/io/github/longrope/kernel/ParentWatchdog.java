package io.github.longrope.kernel;

import java.util.Optional;
import java.util.logging.Logger;

/**
 * Exits the kernel when the process that started it dies (a Jupyter server or client killed without
 * a shutdown request would otherwise leave an orphaned JVM holding memory).
 *
 * <p>The watched process is {@code JPY_PARENT_PID} (set by jupyter_client for non-independent
 * kernels), else the direct parent.
 */
final class ParentWatchdog {
  private static final Logger LOG = Logger.getLogger(ParentWatchdog.class.getName());

  private ParentWatchdog() {}

  static void start(String jpyParentPid) {
    Optional<ProcessHandle> parent;
    if (jpyParentPid != null && jpyParentPid.matches("\\d+")) {
      parent = ProcessHandle.of(Long.parseLong(jpyParentPid));
      if (parent.isEmpty()) {
        exit("parent process " + jpyParentPid + " is already gone");
        return;
      }
    } else {
      parent = ProcessHandle.current().parent();
    }
    parent.ifPresent(p -> p.onExit().thenRun(() -> exit("parent process " + p.pid() + " exited")));
  }

  private static void exit(String why) {
    LOG.warning(why + "; kernel exiting");
    // halt: shutdown hooks could block on the cell thread; there is nobody left to talk to
    Runtime.getRuntime().halt(0);
  }
}
