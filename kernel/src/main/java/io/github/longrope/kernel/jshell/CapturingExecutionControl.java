package io.github.longrope.kernel.jshell;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell execution in the kernel's own JVM that keeps the real result objects.
 *
 * <p>JShell's local engine turns every value into a string. This control runs each snippet on the
 * {@link SnippetRunner}'s cell thread, stores the returned object under a generated key and hands
 * JShell only the key, which the evaluator exchanges for the object. The last exception thrown by a
 * snippet is kept too, so the kernel can report the real exception object.
 *
 * <p>Snippet classes load in JShell's class loader, whose parent is the application class loader:
 * classes of the kernel's class path (the workbench library, Tablesaw, XChart) are shared with the
 * kernel, so renderers registered on them match objects made in cells.
 */
final class CapturingExecutionControl extends LocalExecutionControl {
  private static final String KEY_PREFIX = "longrope-value#";

  private final SnippetRunner runner;
  private final Map<String, Object> values = new HashMap<>();
  private final AtomicLong keys = new AtomicLong();
  private volatile Throwable lastThrown;

  CapturingExecutionControl(SnippetRunner runner) {
    this.runner = runner;
  }

  @Override
  protected String invoke(Method doitMethod) throws Exception {
    lastThrown = null;
    Object value;
    try {
      value =
          runner.run(
              () -> doitMethod.invoke(null), doitMethod.getDeclaringClass().getClassLoader());
    } catch (InvocationTargetException e) {
      lastThrown = e.getCause();
      throw e;
    } catch (SnippetRunner.Abandoned e) {
      throw new ExecutionControl.StoppedException();
    }
    String key = KEY_PREFIX + keys.incrementAndGet();
    synchronized (values) {
      values.put(key, value);
    }
    return key;
  }

  @Override
  public void stop() {
    runner.interrupt();
  }

  /** Whether {@code valueString} (a snippet event's value) is one of our keys. */
  static boolean isKey(String valueString) {
    return valueString != null && valueString.startsWith(KEY_PREFIX);
  }

  /** Takes (and forgets) the object stored under {@code key}. */
  Object take(String key) {
    synchronized (values) {
      return values.remove(key);
    }
  }

  /** Forgets every stored object (values of snippets that were not displayed). */
  void clearValues() {
    synchronized (values) {
      values.clear();
    }
  }

  /** The exception thrown by the last snippet, or null; cleared by reading. */
  Throwable takeLastThrown() {
    Throwable t = lastThrown;
    lastThrown = null;
    return t;
  }

  /** Hands JShell this very instance (JShell asks its provider for a control). */
  static final class Provider implements ExecutionControlProvider {
    private final CapturingExecutionControl control;

    Provider(CapturingExecutionControl control) {
      this.control = control;
    }

    @Override
    public String name() {
      return "longrope-capturing";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
      return control;
    }
  }
}
