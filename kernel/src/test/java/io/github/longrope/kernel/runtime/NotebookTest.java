package io.github.longrope.kernel.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotebookTest {
  @Test
  void displayReturnsFreshIdsThatUpdatesReuse() {
    List<String> calls = new ArrayList<>();
    Notebook.install(
        new DisplaySink() {
          @Override
          public void display(String id, Object value, String... mimeTypes) {
            calls.add("display " + id + " " + value + " " + List.of(mimeTypes));
          }

          @Override
          public void update(String id, Object value, String... mimeTypes) {
            calls.add("update " + id + " " + value + " " + List.of(mimeTypes));
          }
        });
    String a = Notebook.display("x");
    String b = Notebook.display("y", "text/html");
    assertNotEquals(a, b);
    Notebook.updateDisplay(a, "x2");
    assertEquals(
        List.of(
            "display " + a + " x []", "display " + b + " y [text/html]", "update " + a + " x2 []"),
        calls);
  }
}
