package io.github.longrope.kernel.comm;

import com.google.gson.JsonObject;
import io.github.longrope.kernel.display.Renderers;
import io.github.longrope.kernel.widgets.Widget;
import io.github.longrope.kernel.widgets.WidgetHost;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishDisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishUpdateDisplayData;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Widgets on the kernel's comms: models on the {@code jupyter.widget} target, their views as {@code
 * application/vnd.jupyter.widget-view+json} outputs, and the version handshake the front end opens
 * on {@code jupyter.widget.version}.
 *
 * <p>Displays go straight to iopub through the {@link CommRouter}, not through the base kernel's
 * per-cell display stream: an {@code interact} output is redrawn from a front-end message after its
 * cell has finished, and the front end finds it by display id.
 */
public final class KernelWidgetHost implements WidgetHost {
  /** The comm target of widget models. */
  public static final String TARGET = "jupyter.widget";

  /** The comm target the front end opens to compare its version with the kernel's range. */
  public static final String VERSION_TARGET = "jupyter.widget.version";

  /** The MIME type of a widget view output. */
  public static final String VIEW_MIME = "application/vnd.jupyter.widget-view+json";

  /** Display ids of widget views: this prefix and the model id. */
  public static final String VIEW_DISPLAY_PREFIX = "widget-view-";

  private final CommRouter router;
  private final Renderers renderers;
  private volatile Boolean frontEndValidated;

  public KernelWidgetHost(CommRouter router, Renderers renderers) {
    this.router = router;
    this.renderers = renderers;
    router.target(VERSION_TARGET, (r, id, data) -> versionHandshake(id));
  }

  /** What the front end answered to the version handshake (null before it did). */
  public Boolean frontEndValidated() {
    return frontEndValidated;
  }

  private CommRouter.Handler versionHandshake(String id) {
    JsonObject version = new JsonObject();
    version.addProperty("version", Widget.MODULE_VERSION);
    CommRouter.Handler handler =
        (data, buffers) -> {
          if (data.has("validated")) {
            frontEndValidated = data.get("validated").getAsBoolean();
          }
        };
    // the comm is registered when this handler returns; the reply can go first (same parent)
    router.publish(
        new io.github.spencerpark.jupyter.messages.comm.CommMsgCommand(id, version), List.of());
    return handler;
  }

  @Override
  public String open(JsonObject state, Consumer<JsonObject> onMessage) {
    return router.open(TARGET, state, List.of(), (data, buffers) -> onMessage.accept(data));
  }

  @Override
  public void send(String id, JsonObject data) {
    router.send(id, data, List.of());
  }

  @Override
  public void close(String id) {
    router.close(id);
  }

  @Override
  public void showWidget(String id, String text) {
    JsonObject display = new JsonObject();
    display.addProperty("method", "display");
    router.send(id, display, List.of());
    router.publish(new PublishDisplayData(view(id, text)), List.of());
  }

  @Override
  public void updateWidget(String id, String text) {
    router.publish(new PublishUpdateDisplayData(view(id, text)), List.of());
  }

  /** A widget view output; its display id is the model id, so the fallback can be updated. */
  private static DisplayData view(String id, String text) {
    DisplayData data = new DisplayData(text);
    data.putData(VIEW_MIME, Map.of("model_id", id, "version_major", 2, "version_minor", 0));
    data.setDisplayId(VIEW_DISPLAY_PREFIX + id);
    return data;
  }

  @Override
  public String display(Object value) {
    String displayId = UUID.randomUUID().toString();
    DisplayData data = renderers.render(value);
    data.setDisplayId(displayId);
    router.publish(new PublishDisplayData(data), List.of());
    return displayId;
  }

  @Override
  public void updateDisplay(String displayId, Object value) {
    DisplayData data = renderers.render(value);
    data.setDisplayId(displayId);
    router.publish(new PublishUpdateDisplayData(data), List.of());
  }
}
