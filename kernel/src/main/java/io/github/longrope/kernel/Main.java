package io.github.longrope.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Kernel entry point, started by Jupyter as {@code java ... io.github.longrope.kernel.Main
 * CONNECTION_FILE} (see {@code ./longrope kernel install}).
 *
 * <p>Logging goes to the process's stderr (the Jupyter server's console), never into a cell: the
 * JUL console handler is created before the base kernel swaps {@code System.err} per cell.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: java io.github.longrope.kernel.Main CONNECTION_FILE");
      System.exit(2);
    }
    Logger root = Logger.getLogger("");
    root.getHandlers(); // creates the console handler on the real stderr now
    if (System.getProperty("java.util.logging.config.file") == null) {
      // the base kernel logs every message and every socket loop start/stop at INFO
      root.setLevel(Level.WARNING);
      JupyterSocket.JUPYTER_LOGGER.setLevel(Level.WARNING);
    }
    System.setProperty("java.awt.headless", "true");

    ParentWatchdog.start(System.getenv("JPY_PARENT_PID"));

    KernelConnectionProperties connection =
        KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
    KernelConfig config = KernelConfig.fromEnvironment(System.getenv());
    LongRopeKernel kernel = new LongRopeKernel(config);
    JupyterConnection conn = new JupyterConnection(connection);
    kernel.becomeHandlerForConnection(conn);
    conn.connect();
    conn.waitUntilClose();
    kernel.close();
    // cell threads are daemons, but a cell may have started its own non-daemon threads
    System.exit(0);
  }
}
