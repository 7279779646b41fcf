package io.github.longrope.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Chrome DevTools Protocol client over {@link java.net.http.WebSocket}: one page target,
 * commands answered by id, and the page's console errors and uncaught exceptions kept for failure
 * messages.
 */
final class DevTools implements AutoCloseable {
  private static final Gson GSON = new Gson();
  private static final int MAX_CONSOLE = 50;

  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final List<String> console = new ArrayList<>();

  private DevTools(WebSocket socket) {
    this.socket = socket;
  }

  /** Connects to a target's {@code webSocketDebuggerUrl}. */
  static DevTools connect(HttpClient http, URI webSocketUrl, Duration timeout) throws Exception {
    Listener listener = new Listener();
    WebSocket ws =
        http.newWebSocketBuilder()
            .connectTimeout(timeout)
            .buildAsync(webSocketUrl, listener)
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    DevTools devTools = new DevTools(ws);
    listener.owner = devTools;
    return devTools;
  }

  /** Sends a command and waits for its result; a protocol error becomes an exception. */
  JsonObject send(String method, JsonObject params, Duration timeout) throws Exception {
    int id = ids.incrementAndGet();
    JsonObject message = new JsonObject();
    message.addProperty("id", id);
    message.addProperty("method", method);
    message.add("params", params == null ? new JsonObject() : params);
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    pending.put(id, reply);
    try {
      socket.sendText(GSON.toJson(message), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      JsonObject response = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (response.has("error")) {
        throw new IllegalStateException(method + ": " + response.get("error"));
      }
      return response.has("result") ? response.getAsJsonObject("result") : new JsonObject();
    } catch (TimeoutException e) {
      throw new TimeoutException(method + ": no answer within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IllegalStateException(method + ": " + e.getCause(), e.getCause());
    } finally {
      pending.remove(id);
    }
  }

  /**
   * Evaluates a JavaScript expression in the page (promises awaited) and returns its value; a
   * thrown exception becomes an {@link IllegalStateException} with the page's description.
   */
  JsonElement evaluate(String expression, Duration timeout) throws Exception {
    JsonObject params = new JsonObject();
    params.addProperty("expression", expression);
    params.addProperty("returnByValue", true);
    params.addProperty("awaitPromise", true);
    JsonObject result = send("Runtime.evaluate", params, timeout);
    if (result.has("exceptionDetails")) {
      JsonObject details = result.getAsJsonObject("exceptionDetails");
      JsonElement description =
          details.has("exception") && details.getAsJsonObject("exception").has("description")
              ? details.getAsJsonObject("exception").get("description")
              : details.get("text");
      throw new IllegalStateException("page script failed: " + description);
    }
    JsonObject value = result.getAsJsonObject("result");
    return value.has("value") ? value.get("value") : null;
  }

  /** Console errors and uncaught exceptions the page reported (after {@code Runtime.enable}). */
  synchronized List<String> console() {
    return List.copyOf(console);
  }

  private synchronized void noteConsole(String line) {
    if (console.size() < MAX_CONSOLE) {
      console.add(line);
    }
  }

  private void onMessage(String text) {
    JsonObject message = GSON.fromJson(text, JsonObject.class);
    if (message.has("id")) {
      CompletableFuture<JsonObject> reply = pending.get(message.get("id").getAsInt());
      if (reply != null) {
        reply.complete(message);
      }
      return;
    }
    String method = message.has("method") ? message.get("method").getAsString() : "";
    JsonObject params = message.has("params") ? message.getAsJsonObject("params") : null;
    if (params == null) {
      return;
    }
    if (method.equals("Runtime.exceptionThrown")) {
      JsonObject details = params.getAsJsonObject("exceptionDetails");
      JsonElement exception = details.get("exception");
      noteConsole(
          "uncaught: "
              + (exception != null && exception.getAsJsonObject().has("description")
                  ? exception.getAsJsonObject().get("description").getAsString()
                  : details.get("text")));
    } else if (method.equals("Runtime.consoleAPICalled")) {
      String type = params.get("type").getAsString();
      if (type.equals("error") || type.equals("warning")) {
        StringBuilder line = new StringBuilder("console.").append(type).append(':');
        for (JsonElement arg : params.getAsJsonArray("args")) {
          JsonObject a = arg.getAsJsonObject();
          line.append(' ')
              .append(
                  a.has("value")
                      ? a.get("value").toString()
                      : a.has("description") ? a.get("description").getAsString() : "?");
        }
        noteConsole(line.toString());
      }
    }
  }

  private void onClosed(String why) {
    IllegalStateException closed = new IllegalStateException("DevTools connection closed: " + why);
    pending.values().forEach(f -> f.completeExceptionally(closed));
  }

  @Override
  public void close() {
    socket.abort();
  }

  /** Reassembles fragmented text frames and hands whole messages to the client. */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private volatile DevTools owner;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        DevTools devTools = owner;
        if (devTools != null) {
          devTools.onMessage(text);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      DevTools devTools = owner;
      if (devTools != null) {
        devTools.onClosed(statusCode + " " + reason);
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      DevTools devTools = owner;
      if (devTools != null) {
        devTools.onClosed(String.valueOf(error));
      }
    }
  }
}
