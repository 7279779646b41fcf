package io.github.longrope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Start/Stop part of {@link BrowserNotebookTest}: notebook 03 opened on the same server, its
 * parameter, set-up and Start/Stop cells run with a small search (L′ = 512, one document,
 * population 6, one iteration) in a fresh run directory; then the Start and Stop buttons are
 * clicked with real mouse events. Stop must end the search within one evaluation of the click
 * (history.jsonl lines) with the status line reading "stopped", and Start must resume it from
 * history.jsonl to the end. Saves a picture of the cell (the fields, buttons, status, live table).
 */
final class BrowserStartStop {
  static final String NOTEBOOK = "03-evolution-search.ipynb";

  /** A small search, assigned after the parameters cell (JShell variables can be reassigned). */
  private static final String SMALL =
      "target = 512; samples = 1; population = 6; iterations = 1; mutations = 3; crossovers = 3;"
          + " parents = 3; init = List.of(\"pi\", \"ntk\", \"yarn\");";

  private static final Duration RUN = Duration.ofSeconds(600);

  private BrowserStartStop() {}

  /** JavaScript: the code cell whose source contains {@code text}. */
  private static String cell(String text) {
    return "Jupyter.notebook.get_cells().find(c => c.cell_type === 'code' && c.get_text().includes("
        + new Gson().toJson(text)
        + "))";
  }

  private static final String CONTROLS = cell("StartStop.show");

  /** Opens notebook 03 (already copied into the served folder), stops and resumes its search. */
  static void stopAndResume(
      DevTools page, String notebookUrl, Path runDir, Path pictures, Duration command)
      throws Exception {
    // leave the current notebook without its "unsaved changes" dialog
    page.evaluate(
        "window.onbeforeunload = null; Jupyter.notebook.set_dirty(false);"
            + " Jupyter.notebook.kernel.kill(); true",
        command);
    JsonObject navigate = new JsonObject();
    navigate.addProperty("url", notebookUrl);
    JsonObject nav = page.send("Page.navigate", navigate, command);
    assertFalse(nav.has("errorText"), "navigation to notebook 03 failed: " + nav);
    BrowserWidgets.waitFor(
        page,
        "typeof Jupyter !== 'undefined' && !!Jupyter.notebook && Jupyter.notebook._fully_loaded"
            + " && !!Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()"
            + " && !!Jupyter.notebook.kernel.info_reply",
        RUN,
        "notebook 03 and its kernel",
        command);

    // parameters, the small settings, imports, set-up, then the Start/Stop cells in a fresh run dir
    String run = new Gson().toJson(runDir.toString());
    page.evaluate(
        "(() => { const nb = Jupyter.notebook; const cells = nb.get_cells();"
            + " const params = cells.findIndex(c => (c.metadata.tags || []).includes('parameters'));"
            + " const small = nb.insert_cell_at_index('code', params + 1);"
            + " small.set_text("
            + new Gson().toJson(SMALL)
            + ");"
            + " const interactive = nb.get_cells().findIndex(c => c.cell_type === 'code'"
            + "   && c.get_text().includes('Path liveRun'));"
            + " const dir = nb.insert_cell_at_index('code', interactive + 1);"
            + " dir.set_text('liveRun = Path.of(' + "
            + new Gson().toJson(run)
            + " + ');');"
            + " const wanted = nb.get_cells().filter((c, i) => c.cell_type === 'code'"
            + "   && (i <= params + 3 || i >= interactive));"
            + " wanted.forEach(c => c.execute()); window.__wanted = wanted.length; return true; })()",
        command);
    waitForControls(page, command);

    Path history = runDir.resolve("history.jsonl");
    click(page, "Start", command);
    long deadline = System.nanoTime() + RUN.toNanos();
    while (lines(history) < 3 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    int atClick = lines(history);
    assertTrue(atClick >= 3, "the search wrote " + atClick + " candidates after Start");
    click(page, "Stop", command);
    BrowserWidgets.waitFor(
        page, status() + ".includes('search: stopped')", RUN, "the status 'stopped'", command);
    int after = lines(history);
    String stopped = page.evaluate(status(), command).getAsString();
    System.out.printf(
        "[browser] notebook 03: %d candidates at the Stop click, %d after; status: %s%n",
        atClick, after, stopped);
    assertTrue(
        after - atClick <= 1,
        "the search went on for " + (after - atClick) + " evaluations after Stop");
    Thread.sleep(2000);
    assertEquals(after, lines(history), "the history grew after the search stopped");

    click(page, "Start", command);
    BrowserWidgets.waitFor(
        page, status() + ".includes('search: finished')", RUN, "the status 'finished'", command);
    String finished = page.evaluate(status(), command).getAsString();
    System.out.printf("[browser] notebook 03 resumed: %s%n", finished);
    int fromHistory =
        Integer.parseInt(finished.replaceAll("(?s).*\\((\\d+) from the history\\).*", "$1"));
    assertTrue(
        fromHistory >= after,
        "the resume took " + fromHistory + " candidates from history.jsonl, expected >= " + after);
    Files.write(
        pictures.resolve("03-start-stop.png"), BrowserWidgets.cellPicture(page, CONTROLS, command));
  }

  /**
   * Waits until no cell runs and the Start/Stop cell shows its buttons; fails at once on an error
   * output, and on a timeout with every code cell's prompt number and the cell's outputs.
   */
  private static void waitForControls(DevTools page, Duration command) throws Exception {
    String probe =
        "(() => { const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');"
            + " const controls = "
            + CONTROLS
            + "; return JSON.stringify({"
            + " running: document.querySelectorAll('.cell.running').length,"
            + " prompts: cells.map(c => c.input_prompt_number === undefined ? '-' :"
            + "   String(c.input_prompt_number)),"
            + " errors: cells.flatMap(c => c.output_area.outputs).filter(o => o.output_type ==="
            + "   'error').map(o => o.ename + ': ' + o.evalue + '\\n' + (o.traceback ||"
            + "   []).slice(0, 12).join('\\n')),"
            + " buttons: controls.element.find('.widget-button').length,"
            + " outputs: controls.output_area.outputs.map(o => o.output_type + ' ' +"
            + "   Object.keys(o.data || {}).join(',')) }); })()";
    long deadline = System.nanoTime() + RUN.toNanos();
    JsonObject state = null;
    while (System.nanoTime() < deadline) {
      state = new Gson().fromJson(page.evaluate(probe, command).getAsString(), JsonObject.class);
      if (state.getAsJsonArray("errors").size() > 0) {
        throw new IllegalStateException("a cell of notebook 03 failed in the browser: " + state);
      }
      if (state.get("running").getAsInt() == 0 && state.get("buttons").getAsInt() >= 2) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("notebook 03's Start/Stop cell never showed: " + state);
  }

  /** JavaScript: the text of the Start/Stop cell's widgets (fields, buttons, status line). */
  private static String status() {
    return CONTROLS
        + ".element.find('.widget-label').toArray()"
        + ".map(e => e.textContent).join(' | ')";
  }

  /**
   * A real click (mouse pressed and released) in the middle of the button labelled {@code text}.
   */
  private static void click(DevTools page, String text, Duration command) throws Exception {
    String button =
        CONTROLS
            + ".element.find('.widget-button').toArray().find(b => b.textContent.trim()"
            + " === "
            + new Gson().toJson(text)
            + ")";
    BrowserWidgets.waitFor(
        page, "!" + button + ".disabled", Duration.ofSeconds(60), text + " enabled", command);
    JsonObject at =
        new Gson()
            .fromJson(
                page.evaluate(
                        "(() => { const b = "
                            + button
                            + "; b.scrollIntoView({block: 'center'});"
                            + " const r = b.getBoundingClientRect();"
                            + " return JSON.stringify({x: r.left + r.width / 2,"
                            + " y: r.top + r.height / 2}); })()",
                        command)
                    .getAsString(),
                JsonObject.class);
    BrowserWidgets.mouseClick(page, at.get("x").getAsDouble(), at.get("y").getAsDouble(), command);
  }

  private static int lines(Path history) throws IOException {
    if (!Files.exists(history)) {
      return 0;
    }
    return (int)
        Files.readAllLines(history, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .count();
  }
}
