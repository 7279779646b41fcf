package io.github.longrope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel behind the real front end: Debian's classic notebook server (notebook 6) serves a copy
 * of {@code notebooks/01-rope-variants.ipynb} with its outputs cleared, headless Chromium opens it
 * (driven over the Chrome DevTools Protocol), runs all cells through the page's own {@code
 * Jupyter.notebook.execute_all_cells()}, and the test checks the rendered DOM (an HTML table and a
 * PNG {@code <img>} from the kernel, no error output) and saves a screenshot of the whole notebook
 * to {@code kernel/target/browser/01-rope-variants.png}; then moves a slider ({@link
 * BrowserWidgets}) and stops and resumes notebook 03's search with its buttons ({@link
 * BrowserStartStop}).
 *
 * <p>Needs Debian's {@code chromium} and {@code jupyter-notebook} ({@code scripts/ensure-tools
 * --tests}): skipped locally without them, failed under {@code CI=true}.
 */
@EnabledOnOs(OS.LINUX)
class BrowserNotebookTest {
  private static final String NOTEBOOK = "01-rope-variants.ipynb";
  private static final String KERNEL = "longrope-browser-test";
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 900;

  /** Cap on the screenshot's height (the whole notebook is about 6000 px). */
  private static final int MAX_HEIGHT = 16_000;

  private static final Duration SERVER_START = Duration.ofSeconds(90);
  private static final Duration BROWSER_START = Duration.ofSeconds(60);
  private static final Duration PAGE_LOAD = Duration.ofSeconds(90);
  private static final Duration KERNEL_READY = Duration.ofSeconds(180);
  private static final Duration RUN_ALL = Duration.ofSeconds(900);
  private static final Duration COMMAND = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private String step = "setup";
  private Path serverLog;
  private Path browserLog;
  private DevTools page;

  @Test
  void runsTheNotebookInHeadlessChromiumAndScreenshotsIt() throws Exception {
    String chromium = requireTools();
    Path out = JupyterTools.home().resolve("kernel/target/browser");
    Files.createDirectories(out);
    serverLog = out.resolve("notebook-server.log");
    browserLog = out.resolve("chromium.log");
    Path screenshot = out.resolve(NOTEBOOK.replace(".ipynb", ".png"));
    Files.deleteIfExists(screenshot);

    long start = System.nanoTime();
    Process server = null;
    Process browser = null;
    try {
      step("install the test kernelspec");
      Path dataDir = Files.createDirectories(tmp.resolve("jupyter-data"));
      JupyterTools.installTestKernel(dataDir, KERNEL, List.of(), Map.of());

      step("copy the notebook with its outputs cleared");
      Path root = Files.createDirectories(tmp.resolve("notebooks"));
      int codeCells = copyCleared(JupyterTools.home().resolve("notebooks").resolve(NOTEBOOK), root);

      step("start the notebook server");
      int port = freePort();
      String token = HexFormat.of().formatHex(randomBytes(16));
      server = startServer(root, dataDir, port, token);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      String base = "http://127.0.0.1:" + port;
      waitForServer(http, server, base + "/api/status?token=" + token);
      log("notebook server up on port " + port, start);

      step("start headless Chromium");
      Path profile = Files.createDirectories(tmp.resolve("chromium-profile"));
      browser = startBrowser(chromium, profile);
      int devToolsPort = waitForDevToolsPort(browser, profile);
      page = DevTools.connect(http, pageWebSocket(http, devToolsPort), COMMAND);
      page.send("Runtime.enable", null, COMMAND);
      page.send("Page.enable", null, COMMAND);
      setViewport(HEIGHT);
      log("chromium up, DevTools on port " + devToolsPort, start);

      step("open the notebook in the browser");
      JsonObject navigate = new JsonObject();
      navigate.addProperty("url", base + "/notebooks/" + NOTEBOOK + "?token=" + token);
      JsonObject nav = page.send("Page.navigate", navigate, COMMAND);
      assertFalse(nav.has("errorText"), "navigation failed: " + nav);
      waitFor(
          "typeof Jupyter !== 'undefined' && !!Jupyter.notebook && Jupyter.notebook._fully_loaded"
              + " === true",
          PAGE_LOAD,
          "the classic notebook page to load");
      log("notebook page loaded", start);

      step("wait for the kernel to be idle");
      waitFor(
          "!!Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()"
              + " && !!Jupyter.notebook.kernel.info_reply"
              + " && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null",
          KERNEL_READY,
          "kernel " + KERNEL + " to start and go idle");
      log("kernel idle", start);

      step("run all cells");
      page.evaluate("Jupyter.notebook.execute_all_cells(); true", COMMAND);
      waitForRunAll(codeCells);
      log("all " + codeCells + " code cells ran", start);

      step("check the rendered outputs");
      JsonObject dom = domSummary();
      System.out.println("[browser] rendered: " + dom);
      assertEquals(
          0, dom.get("errorOutputs").getAsInt(), "error outputs in the page: " + dom.get("errors"));
      assertTrue(dom.get("tables").getAsInt() >= 1, "no rendered HTML table output: " + dom);
      assertTrue(dom.get("pngs").getAsInt() >= 1, "no rendered PNG <img> output: " + dom);

      step("move a widget slider and check the redraw (BrowserWidgets)");
      BrowserWidgets.moveSliderAndCheck(page, COMMAND, out);
      log("slider moved, plot redrawn, kernel saw the value", start);

      step("take the screenshot");
      byte[] png = screenshot();
      Files.write(screenshot, png);
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      assertNotNull(image, "the screenshot is not a decodable PNG: " + screenshot);
      int colours = distinctColours(image, 1000);
      System.out.printf(
          "[browser] screenshot %s: %dx%d, %s distinct colours%n",
          screenshot, image.getWidth(), image.getHeight(), colours >= 1000 ? "≥1000" : colours);
      assertEquals(WIDTH, image.getWidth(), "screenshot width");
      assertTrue(image.getHeight() >= HEIGHT, "screenshot shorter than the viewport");
      assertTrue(colours >= 50, "the screenshot looks blank: " + colours + " distinct colours");
      magicCompletionAndAStoppedSearch(screenshot);
      log("completion popup and stopped search checked", start);

      step("stop and resume notebook 03's search with its buttons (BrowserStartStop)");
      copyCleared(
          JupyterTools.home().resolve("notebooks").resolve(BrowserStartStop.NOTEBOOK), root);
      BrowserStartStop.stopAndResume(
          page,
          base + "/notebooks/" + BrowserStartStop.NOTEBOOK + "?token=" + token,
          tmp.resolve("03-interactive"),
          out,
          COMMAND);
      log("notebook 03 stopped by its Stop button and resumed by Start", start);
      log("done", start);
    } catch (Throwable e) {
      throw new AssertionError(failure(e), e);
    } finally {
      if (page != null) {
        page.close();
      }
      stop(browser);
      stop(server);
    }
  }

  /** The chromium command; skips (locally) or fails (CI) without chromium or the server. */
  /** A search that the live table shows stopping: synthetic fitness, 0.3 s per candidate. */
  static final String STOPPED_SEARCH_CELL =
      """
      import io.github.longrope.notebook.*;
      import io.github.longrope.rope.*;
      import io.github.longrope.search.*;
      SearchConfig cfg = SearchConfig.parse(\"""
          {"version": 1, "population": 6, "iterations": 3, "mutations": 3, "crossovers": 3,
           "parents": 3, "init": ["pi", "ntk", "yarn"]}
          \""", "browser test");
      InitialFactors.Seeds seeds =
          InitialFactors.resolve(cfg, new RopeGeometry(16, 10000), 4, 64, 32, 1, null);
      SearchProblem problem = new SearchProblem(
          RopeTarget.longFactors(64, 4, new MagnitudeScaling.Su()), 4, seeds.seeds(), 0);
      SearchMonitor monitor = SearchMonitor.create();
      String live = display(monitor.table());
      monitor.onUpdate(m -> updateDisplay(live, m.table()));
      try (Evaluator ev = Evaluator.sequential(c -> {
          java.util.concurrent.locks.LockSupport.parkNanos(300_000_000L);
          return 1.0 + c.factor(0); })) {
        new EvolutionSearch(cfg, problem).run(ev, null, monitor);
      }
      """;

  /**
   * Tab in a magic line offers magic names (the notebook's own completer popup), and a live search
   * table stopped with the kernel's interrupt reads {@code stopped}.
   */
  private void magicCompletionAndAStoppedSearch(Path screenshot) throws Exception {
    step("complete a magic name in a magic line");
    page.evaluate(
        "(() => { const c = Jupyter.notebook.insert_cell_at_bottom('code'); c.set_text('%');"
            + " Jupyter.notebook.select(Jupyter.notebook.ncells() - 1); c.focus_editor();"
            + " c.code_mirror.setCursor(0, 1); c.completer.startCompletion(); return true; })()",
        COMMAND);
    waitFor(
        "document.querySelectorAll('.completions select option').length > 3",
        COMMAND,
        "the completion popup");
    String options =
        page.evaluate(
                "Array.from(document.querySelectorAll('.completions select option'))"
                    + ".map(o => o.textContent).join(' ')",
                COMMAND)
            .getAsString();
    System.out.println("[browser] completion popup for '%': " + options);
    assertTrue(options.contains("%maven") && options.contains("%time"), options);
    assertFalse(options.contains("$"), options);
    page.evaluate(
        "(() => { const c = Jupyter.notebook.get_cell(Jupyter.notebook.ncells() - 1);"
            + " c.completer.close(); c.set_text(''); return true; })()",
        COMMAND);

    step("stop a live search");
    page.evaluate(
        "(() => { const c = Jupyter.notebook.insert_cell_at_bottom('code'); c.set_text("
            + new Gson().toJson(STOPPED_SEARCH_CELL)
            + "); c.execute(); return true; })()",
        COMMAND);
    String rows =
        "Array.from(document.querySelectorAll('.output_html td')).map(td => td.textContent)";
    waitFor(rows + ".includes('running')", RUN_ALL, "the live table to show a running generation");
    page.evaluate("Jupyter.notebook.kernel.interrupt(); true", COMMAND);
    waitFor(rows + ".includes('stopped')", KERNEL_READY, "the live table to read 'stopped'");
    String caption =
        page.evaluate(
                "Array.from(document.querySelectorAll('.output_html caption'))"
                    + ".map(c => c.textContent).filter(t => t.includes('search stopped')).join('|')",
                COMMAND)
            .getAsString();
    System.out.println("[browser] stopped table: " + caption);
    assertTrue(caption.contains("search stopped in generation"), caption);
    Files.write(screenshot.resolveSibling("stopped-search.png"), screenshot());
  }

  private static String requireTools() {
    JupyterTools.require();
    boolean ci = "true".equals(System.getenv("CI"));
    boolean notebook = pythonImports("notebook");
    String chromium = findChromium();
    String missing =
        (chromium == null ? "Debian chromium" : "")
            + (notebook ? "" : (chromium == null ? " and " : "") + "the notebook server");
    if (!missing.isEmpty() && ci) {
      throw new AssertionError(
          "CI must install " + missing + " (scripts/ensure-tools --tests) for the browser test");
    }
    Assumptions.assumeTrue(missing.isEmpty(), missing + " not installed: browser test skipped");
    return chromium;
  }

  private static String findChromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "chromium"))) {
        return Path.of(dir, "chromium").toString();
      }
    }
    return Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : null;
  }

  private static boolean pythonImports(String module) {
    try {
      Process p =
          new ProcessBuilder(JupyterTools.PYTHON, "-c", "import " + module)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Copies the notebook into {@code dir} with every output and execution count removed and the test
   * kernelspec as its kernel; returns the number of code cells.
   */
  private static int copyCleared(Path notebook, Path dir) throws IOException {
    Gson gson = new GsonBuilder().serializeNulls().setPrettyPrinting().create();
    JsonObject nb =
        gson.fromJson(Files.readString(notebook, StandardCharsets.UTF_8), JsonObject.class);
    int code = 0;
    for (JsonElement c : nb.getAsJsonArray("cells")) {
      JsonObject cell = c.getAsJsonObject();
      if (cell.get("cell_type").getAsString().equals("code")) {
        cell.add("outputs", new JsonArray());
        cell.add("execution_count", JsonNull.INSTANCE);
        code++;
      }
    }
    JsonObject spec = nb.getAsJsonObject("metadata").getAsJsonObject("kernelspec");
    spec.addProperty("name", KERNEL);
    Files.writeString(dir.resolve(notebook.getFileName()), gson.toJson(nb), StandardCharsets.UTF_8);
    assertTrue(code > 0, "no code cells in " + notebook);
    return code;
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Process startServer(Path root, Path dataDir, int port, String token) throws IOException {
    List<String> cmd =
        List.of(
            JupyterTools.PYTHON,
            "-m",
            "notebook",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            "--port=" + port,
            "--port-retries=0",
            "--NotebookApp.token=" + token,
            "--NotebookApp.password=",
            "--notebook-dir=" + root);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(serverLog.toFile());
    pb.environment().putAll(JupyterTools.jupyterEnv(dataDir));
    return pb.start();
  }

  private void waitForServer(HttpClient http, Process server, String statusUrl) throws Exception {
    long deadline = System.nanoTime() + SERVER_START.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the notebook server exited with " + server.exitValue());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(statusUrl))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = "HTTP " + r.statusCode();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the notebook server did not answer within " + SERVER_START.toSeconds() + " s: " + last);
  }

  private Process startBrowser(String chromium, Path profile) throws IOException {
    List<String> cmd =
        List.of(
            chromium,
            "--headless=new",
            // a throwaway browser on localhost; the sandbox cannot start as root or in most
            // containers
            "--no-sandbox",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "--user-data-dir=" + profile,
            "--window-size=" + WIDTH + "," + HEIGHT,
            "--hide-scrollbars",
            "--disable-gpu",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--mute-audio",
            "about:blank");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(browserLog.toFile());
    // Chromium keeps its singleton socket in $TMPDIR: inside the test's folder, it goes with it
    pb.environment().put("TMPDIR", Files.createDirectories(tmp.resolve("chromium-tmp")).toString());
    return pb.start();
  }

  /** Chromium writes its DevTools port to {@code DevToolsActivePort} in the profile. */
  private static int waitForDevToolsPort(Process browser, Path profile) throws Exception {
    Path file = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + BROWSER_START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!browser.isAlive()) {
        throw new IllegalStateException("chromium exited with " + browser.exitValue());
      }
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() >= 2 && !lines.get(0).isBlank()) {
          return Integer.parseInt(lines.get(0).strip());
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "chromium wrote no DevToolsActivePort within " + BROWSER_START.toSeconds() + " s");
  }

  /** The WebSocket URL of Chromium's first page target. */
  private static URI pageWebSocket(HttpClient http, int port) throws Exception {
    long deadline = System.nanoTime() + BROWSER_START.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      for (JsonElement t : new Gson().fromJson(r.body(), JsonArray.class)) {
        JsonObject target = t.getAsJsonObject();
        if (target.get("type").getAsString().equals("page") && target.has("webSocketDebuggerUrl")) {
          return URI.create(target.get("webSocketDebuggerUrl").getAsString());
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("chromium shows no page target");
  }

  private void setViewport(int height) throws Exception {
    JsonObject metrics = new JsonObject();
    metrics.addProperty("width", WIDTH);
    metrics.addProperty("height", height);
    metrics.addProperty("deviceScaleFactor", 1);
    metrics.addProperty("mobile", false);
    page.send("Emulation.setDeviceMetricsOverride", metrics, COMMAND);
  }

  /** Polls a JavaScript condition until it is true; page errors while loading count as false. */
  private void waitFor(String condition, Duration timeout, String what) throws Exception {
    BrowserWidgets.waitFor(page, condition, timeout, what, COMMAND);
  }

  /**
   * Waits until no cell is running and every code cell has an execution count; fails at once on an
   * error output, and when execution stalls with cells never run.
   */
  private void waitForRunAll(int codeCells) throws Exception {
    String probe =
        "(() => { const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');"
            + " const errors = cells.flatMap(c => c.output_area.outputs)"
            + "   .filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue + '\\n'"
            + "     + (o.traceback || []).slice(0, 20).join('\\n'));"
            + " return JSON.stringify({ code: cells.length,"
            + "   running: document.querySelectorAll('.cell.running').length,"
            + "   done: cells.filter(c => typeof c.input_prompt_number === 'number').length,"
            + "   errors: errors }); })()";
    long deadline = System.nanoTime() + RUN_ALL.toNanos();
    long idleSince = -1;
    JsonObject state = null;
    while (System.nanoTime() < deadline) {
      state = new Gson().fromJson(page.evaluate(probe, COMMAND).getAsString(), JsonObject.class);
      JsonArray errors = state.getAsJsonArray("errors");
      if (errors.size() > 0) {
        StringBuilder text = new StringBuilder("a cell failed in the browser:");
        errors.forEach(e -> text.append('\n').append(e.getAsString()));
        throw new IllegalStateException(text.toString());
      }
      int running = state.get("running").getAsInt();
      int done = state.get("done").getAsInt();
      if (running == 0 && done == codeCells) {
        return;
      }
      if (running == 0) {
        if (idleSince < 0) {
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(15)) {
          throw new IllegalStateException("execution stopped with cells not run: " + state);
        }
      } else {
        idleSince = -1;
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException(
        "cells still running after " + RUN_ALL.toSeconds() + " s: " + state);
  }

  /** What the page rendered: HTML tables and loaded PNG images in outputs, error outputs. */
  private JsonObject domSummary() throws Exception {
    String js =
        "(() => { const imgs = [...document.querySelectorAll('.output_png img')];"
            + " const errs = [...document.querySelectorAll('.output_error')];"
            + " return JSON.stringify({"
            + "   tables: document.querySelectorAll('.output_html table').length,"
            + "   pngs: imgs.filter(i => i.src.startsWith('data:image/png;base64,')"
            + "     && i.complete && i.naturalWidth > 0).length,"
            + "   imgs: imgs.length,"
            + "   errorOutputs: errs.length,"
            + "   errors: errs.map(e => e.textContent.slice(0, 500)) }); })()";
    return new Gson().fromJson(page.evaluate(js, COMMAND).getAsString(), JsonObject.class);
  }

  /**
   * The whole notebook: the classic page scrolls inside {@code #site}, so the viewport grows to the
   * header plus the notebook's full height before the capture.
   */
  private byte[] screenshot() throws Exception {
    page.evaluate(
        "Jupyter.notebook.get_selected_cell().unselect(); document.activeElement.blur(); true",
        COMMAND);
    int height =
        page.evaluate(
                "document.getElementById('header').offsetHeight"
                    + " + document.getElementById('site').scrollHeight",
                COMMAND)
            .getAsInt();
    setViewport(Math.max(HEIGHT, Math.min(height, MAX_HEIGHT)));
    page.evaluate(
        "window.dispatchEvent(new Event('resize'));"
            + " new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() =>"
            + " setTimeout(() => r(true), 300))))",
        COMMAND);
    JsonObject params = new JsonObject();
    params.addProperty("format", "png");
    JsonObject shot = page.send("Page.captureScreenshot", params, Duration.ofSeconds(120));
    return Base64.getDecoder().decode(shot.get("data").getAsString());
  }

  private static int distinctColours(BufferedImage image, int enough) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        seen.add(image.getRGB(x, y) & 0xFFFFFF);
        if (seen.size() >= enough) {
          return seen.size();
        }
      }
    }
    return seen.size();
  }

  /**
   * Ends a process and everything it started: SIGTERM to the process (the notebook server shuts its
   * kernel down, Chromium its helpers), then SIGKILL to whatever is left after 10 s.
   */
  private static void stop(Process process) throws InterruptedException {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    tree.addAll(process.descendants().toList());
    for (ProcessHandle p : tree) {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }

  private void step(String name) {
    step = name;
  }

  private static void log(String what, long start) {
    System.out.printf("[browser] %6.1f s  %s%n", (System.nanoTime() - start) / 1e9, what);
  }

  private String failure(Throwable e) {
    StringBuilder s =
        new StringBuilder("browser test failed at step '")
            .append(step)
            .append("': ")
            .append(e.getMessage());
    if (page != null && !page.console().isEmpty()) {
      s.append("\n--- page console ---\n").append(String.join("\n", page.console()));
    }
    s.append(tail("notebook server log", serverLog)).append(tail("chromium log", browserLog));
    return s.toString();
  }

  private static String tail(String title, Path log) {
    if (log == null || !Files.exists(log)) {
      return "";
    }
    try {
      // Chromium's complaints about the missing D-Bus are noise here
      List<String> lines =
          Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .filter(l -> !l.contains(":ERROR:dbus/"))
              .toList();
      return "\n--- "
          + title
          + " ("
          + log
          + ", last 40 lines) ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "\n--- " + title + ": unreadable (" + e + ")";
    }
  }
}
