package io.github.longrope.kernel;

import io.github.longrope.kernel.comm.CommRouter;
import io.github.longrope.kernel.comm.KernelWidgetHost;
import io.github.longrope.kernel.display.Renderers;
import io.github.longrope.kernel.display.TracebackColors;
import io.github.longrope.kernel.jshell.CellEvaluator;
import io.github.longrope.kernel.jshell.CellEvaluator.Result;
import io.github.longrope.kernel.jshell.EvalFailure;
import io.github.longrope.kernel.jshell.SessionView;
import io.github.longrope.kernel.magic.CellCompleter;
import io.github.longrope.kernel.magic.CellParser;
import io.github.longrope.kernel.magic.LocalRepository;
import io.github.longrope.kernel.magic.MagicException;
import io.github.longrope.kernel.magic.Magics;
import io.github.longrope.kernel.magic.MavenResolver;
import io.github.longrope.kernel.runtime.DisplaySink;
import io.github.longrope.kernel.runtime.Notebook;
import io.github.longrope.kernel.widgets.Widgets;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Jupyter kernel: cells go through the magics parser, Java parts through {@link CellEvaluator}
 * (JShell in this JVM), and the cell's value through {@link Renderers}.
 *
 * <p>Protocol handling (sockets, signing, execute/complete/inspect/interrupt/shutdown requests,
 * stdout capture) comes from {@code jupyter-jvm-basekernel}; this class only supplies the
 * callbacks, so the protocol layer can be swapped without touching evaluation or rendering.
 */
public final class LongRopeKernel extends BaseKernel implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LongRopeKernel.class.getName());

  private final CellEvaluator evaluator;
  private final Renderers renderers;
  private final Magics magics;
  private final CellCompleter completer = new CellCompleter(LocalRepository.standard());
  private final LanguageInfo languageInfo;
  private volatile EvalFailure lastFailure;

  public LongRopeKernel(KernelConfig config) {
    this.evaluator = new CellEvaluator(config.interruptGraceMillis());
    this.renderers = new Renderers(getRenderer(), config.maxRows());
    this.magics =
        new Magics(new MavenResolver(LocalRepository.standard().root(), config.mavenOfflineOnly()));
    this.languageInfo =
        new LanguageInfo(
            "java",
            Runtime.version().toString(),
            "text/x-java-source",
            ".jshell",
            "java",
            "java",
            "script");
    Notebook.install(new KernelDisplaySink());
    CommRouter comms = new CommRouter();
    this.commManager = comms; // the base kernel routes comm_open/msg/close/info to it
    Widgets.install(new KernelWidgetHost(comms, renderers));
    startUp(config);
  }

  /**
   * Run records written from a notebook (a search's config.json, a pipeline's pipeline.json) carry
   * the reproducibility stamp: the library's {@code io.RunStamp} gets {@code notebook.Stamp}'s
   * {@code forRecord} as its source. A snippet, because the kernel does not compile against the
   * library; the command line installs no source, so its records stay as they were.
   */
  static final String STAMP_RECORDS =
      "io.github.longrope.io.RunStamp.install(io.github.longrope.notebook.Stamp::forRecord);";

  private void startUp(KernelConfig config) {
    try {
      evaluator.importDefaults();
    } catch (EvalFailure f) {
      LOG.severe("default imports failed: " + String.join("\n", f.traceback()));
    }
    try {
      evaluator.eval(STAMP_RECORDS, 0, 1);
    } catch (EvalFailure f) {
      LOG.warning("run records will carry no stamp: " + String.join("\n", f.traceback()));
    }
    if (config.classpath() != null) {
      try {
        magics.line(new CellParser.LineMagic("classpath", config.classpath(), 0), context(0));
      } catch (Exception e) {
        LOG.log(Level.SEVERE, "LONGROPE_KERNEL_CLASSPATH: " + e.getMessage(), e);
      }
    }
    if (config.startup() != null) {
      try {
        evaluator.eval(Files.readString(config.startup()), 0, 1);
      } catch (EvalFailure f) {
        LOG.severe(
            "LONGROPE_KERNEL_STARTUP "
                + config.startup()
                + ":\n"
                + String.join("\n", f.traceback()));
      } catch (IOException e) {
        LOG.severe("cannot read LONGROPE_KERNEL_STARTUP " + config.startup() + ": " + e);
      }
    }
  }

  @Override
  public DisplayData eval(String code) throws Exception {
    int cell = executionCount.get() - 1; // the base kernel counts before calling eval
    evaluator.beginCell();
    lastFailure = null;
    Result result;
    try {
      result = runCell(code, cell);
    } catch (EvalFailure f) {
      lastFailure = f;
      throw f.reported();
    }
    return result.present() ? renderers.render(result.value()) : null;
  }

  /** Evaluates a cell (magics and Java); public for tests that drive the kernel in-process. */
  public Result runCell(String code, int cell) throws Exception {
    CellParser.Parsed parsed = CellParser.parse(code);
    Magics.Context ctx = context(cell);
    if (parsed.cellMagic().isPresent()) {
      return magics.cell(parsed.cellMagic().get(), ctx);
    }
    Result result = Result.NONE;
    for (CellParser.Part part : parsed.parts()) {
      if (part instanceof CellParser.Code c) {
        result = evaluator.eval(c.source(), cell, c.firstLine());
      } else if (part instanceof CellParser.LineMagic m) {
        result = magics.line(m, ctx);
      }
    }
    return result;
  }

  private Magics.Context context(int cell) {
    return new Magics.Context() {
      @Override
      public Result evalJava(String code, int firstLine) throws Exception {
        return evaluator.eval(code, cell, firstLine);
      }

      @Override
      public Result evalScript(String code, String name) throws Exception {
        return evaluator.evalScript(code, name);
      }

      @Override
      public SessionView session() {
        return evaluator.session();
      }

      @Override
      public void addToClasspath(List<Path> entries) {
        evaluator.addToClasspath(entries);
      }

      @Override
      public PrintStream out() {
        return System.out;
      }
    };
  }

  /** The renderers (tables, charts); e.g. to change the row limit. */
  public Renderers renderers() {
    return renderers;
  }

  @Override
  public List<String> formatError(Exception e) {
    EvalFailure f = lastFailure;
    if (f != null && (e == f.reported() || e == f)) {
      return TracebackColors.of(f.traceback());
    }
    if (e instanceof MagicException) {
      List<String> lines = new ArrayList<>();
      lines.add("MagicException: " + e.getMessage().lines().findFirst().orElse(""));
      e.getMessage().lines().skip(1).forEach(l -> lines.add("    " + l));
      return TracebackColors.of(lines);
    }
    return super.formatError(e);
  }

  @Override
  public LanguageInfo getLanguageInfo() {
    return languageInfo;
  }

  @Override
  public String getBanner() {
    return "LongRoPE workbench kernel: Java " + Runtime.version() + " (JShell in the kernel's JVM)";
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    var options = completer.complete(code, at, evaluator::complete);
    return new ReplacementOptions(options.matches(), options.start(), options.end());
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    String doc = evaluator.inspect(CellCompleter.javaView(code, at), at);
    return doc == null ? null : new DisplayData(doc);
  }

  @Override
  public String isComplete(String code) {
    CellParser.Parsed parsed = CellParser.parse(code);
    if (parsed.cellMagic().isPresent()) {
      return IS_COMPLETE_YES;
    }
    for (CellParser.Part part : parsed.parts()) {
      if (part instanceof CellParser.Code c) {
        String verdict = evaluator.isComplete(c.source());
        if (!verdict.equals(IS_COMPLETE_YES)) {
          return verdict.equals("invalid") ? IS_COMPLETE_BAD : verdict;
        }
      }
    }
    return IS_COMPLETE_YES;
  }

  @Override
  public void interrupt() {
    evaluator.interrupt();
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    close();
  }

  @Override
  public void close() {
    try {
      evaluator.close();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "closing JShell", e);
    }
  }

  /** display()/updateDisplay() from cells: render, then publish on the running cell. */
  private final class KernelDisplaySink implements DisplaySink {
    @Override
    public void display(String id, Object value, String... mimeTypes) {
      DisplayData data = renderers.render(value, mimeTypes);
      data.setDisplayId(id);
      getIO().display.display(data);
    }

    @Override
    public void update(String id, Object value, String... mimeTypes) {
      DisplayData data = renderers.render(value, mimeTypes);
      getIO().display.updateDisplay(id, data);
    }
  }
}
