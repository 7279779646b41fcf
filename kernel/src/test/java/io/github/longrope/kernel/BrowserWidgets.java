package io.github.longrope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * The widget part of {@link BrowserNotebookTest}: notebook 01's "scale s" slider, moved by a real
 * mouse click on its track (Chrome DevTools input events, handled by the front end's jQuery UI
 * slider), must redraw the λ plot below it and reach the kernel ({@code scaleControl.value()}).
 */
final class BrowserWidgets {
  private static final String SLIDER_LABEL = "scale s";
  private static final Duration RENDER = Duration.ofSeconds(60);
  private static final Duration REDRAW = Duration.ofSeconds(60);

  private BrowserWidgets() {}

  /** JavaScript: the interact cell (the one that calls Controls.interact). */
  private static final String CELL =
      "Jupyter.notebook.get_cells().find(c => c.cell_type === 'code'"
          + " && c.get_text().includes('Controls.interact'))";

  /** JavaScript: the "scale s" slider's element (label, track, readout). */
  private static final String SLIDER =
      "[...document.querySelectorAll('.widget-hslider')].find(s =>"
          + " (s.querySelector('.widget-label') || {}).textContent === '"
          + SLIDER_LABEL
          + "')";

  /** Moves the slider, checks the redraw and the kernel's value; saves a picture of the cell. */
  static void moveSliderAndCheck(DevTools page, Duration command, Path pictures) throws Exception {
    waitFor(
        page,
        "!!(" + SLIDER + ") && " + CELL + ".output_area.element.find('img').length >= 2",
        RENDER,
        "the sliders and the two interact plots to render",
        command);
    String before = imageSource(page, command);
    String readoutBefore =
        page.evaluate("(" + SLIDER + ").querySelector('.widget-readout').textContent", command)
            .getAsString();

    JsonObject track =
        json(
            page.evaluate(
                "(() => { const t = ("
                    + SLIDER
                    + ").querySelector('.ui-slider');"
                    + " t.scrollIntoView({block: 'center'}); const r = t.getBoundingClientRect();"
                    + " return JSON.stringify({x: r.left + 0.75 * r.width,"
                    + " y: r.top + r.height / 2}); })()",
                command));
    mouseClick(page, track.get("x").getAsDouble(), track.get("y").getAsDouble(), command);

    waitFor(
        page,
        CELL + ".output_area.element.find('img')[0].src !== " + new Gson().toJson(before),
        REDRAW,
        "the λ plot to be redrawn after the slider moved",
        command);
    String readout =
        page.evaluate("(" + SLIDER + ").querySelector('.widget-readout').textContent", command)
            .getAsString();
    assertNotEquals(readoutBefore, readout, "the slider's readout did not change");

    // the kernel's view of the slider, through the page's own kernel connection
    String kernelValue =
        page.evaluate(
                "new Promise(r => Jupyter.notebook.kernel.execute('scaleControl.value()',"
                    + " {iopub: {output: m => r(m.content.data ?"
                    + " m.content.data['text/plain'] : JSON.stringify(m.content))}},"
                    + " {silent: false, store_history: false}))",
                command)
            .getAsString();
    assertEquals(
        Double.parseDouble(readout),
        Double.parseDouble(kernelValue),
        "the kernel's scaleControl.value() differs from the slider's readout");
    String title =
        page.evaluate(CELL + ".output_area.outputs[1].data['text/plain']", command).getAsString();
    assertTrue(
        title.contains("s = " + readout),
        "the redrawn plot is not for s = " + readout + ": " + title);
    System.out.printf(
        "[browser] slider '%s' %s -> %s; kernel sees %s; redrawn: %s%n",
        SLIDER_LABEL, readoutBefore, readout, kernelValue, title);
    Files.write(pictures.resolve("01-rope-variants-widgets.png"), cellPicture(page, CELL, command));
  }

  /** A real left click (mouse pressed, then released) at page coordinates x, y. */
  static void mouseClick(DevTools page, double x, double y, Duration command) throws Exception {
    for (String type : new String[] {"mousePressed", "mouseReleased"}) {
      JsonObject click = new JsonObject();
      click.addProperty("type", type);
      click.addProperty("x", x);
      click.addProperty("y", y);
      click.addProperty("button", "left");
      click.addProperty("clickCount", 1);
      page.send("Input.dispatchMouseEvent", click, command);
    }
  }

  private static String imageSource(DevTools page, Duration command) throws Exception {
    return page.evaluate(CELL + ".output_area.element.find('img')[0].src", command).getAsString();
  }

  /**
   * A screenshot of a cell ({@code cell}: JavaScript for it), from its top to the viewport's end.
   */
  static byte[] cellPicture(DevTools page, String cell, Duration command) throws Exception {
    JsonObject r =
        json(
            page.evaluate(
                "(() => { const e = "
                    + cell
                    + ".element[0]; e.scrollIntoView({block: 'start'});"
                    + " const r = e.getBoundingClientRect();"
                    + " return JSON.stringify({x: r.left, y: r.top, w: r.width,"
                    + " h: Math.min(r.height, window.innerHeight - r.top)}); })()",
                command));
    JsonObject clip = new JsonObject();
    clip.addProperty("x", r.get("x").getAsDouble());
    clip.addProperty("y", r.get("y").getAsDouble());
    clip.addProperty("width", r.get("w").getAsDouble());
    clip.addProperty("height", r.get("h").getAsDouble());
    clip.addProperty("scale", 1);
    JsonObject params = new JsonObject();
    params.addProperty("format", "png");
    params.add("clip", clip);
    JsonObject shot = page.send("Page.captureScreenshot", params, Duration.ofSeconds(120));
    return Base64.getDecoder().decode(shot.get("data").getAsString());
  }

  private static JsonObject json(JsonElement text) {
    return new Gson().fromJson(text.getAsString(), JsonObject.class);
  }

  /** Polls a JavaScript condition until it is true (errors, e.g. while a page loads, are false). */
  static void waitFor(
      DevTools page, String condition, Duration timeout, String what, Duration command)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "false";
    while (System.nanoTime() < deadline) {
      try {
        JsonElement v =
            page.evaluate(
                "(() => { try { return " + condition + "; } catch (e) { return String(e); } })()",
                command);
        if (v != null
            && v.isJsonPrimitive()
            && v.getAsJsonPrimitive().isBoolean()
            && v.getAsBoolean()) {
          return;
        }
        last = String.valueOf(v);
      } catch (IllegalStateException e) {
        last = e.getMessage(); // no execution context while a page navigates
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException(
        "timed out after "
            + timeout.toSeconds()
            + " s waiting for "
            + what
            + " (last: "
            + last
            + ")");
  }
}
