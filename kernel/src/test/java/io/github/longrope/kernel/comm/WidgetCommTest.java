package io.github.longrope.kernel.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.github.longrope.kernel.display.Renderers;
import io.github.longrope.kernel.widgets.Button;
import io.github.longrope.kernel.widgets.Controls;
import io.github.longrope.kernel.widgets.Dropdown;
import io.github.longrope.kernel.widgets.FloatSlider;
import io.github.longrope.kernel.widgets.IntSlider;
import io.github.longrope.kernel.widgets.Label;
import io.github.longrope.kernel.widgets.SelectMultiple;
import io.github.longrope.kernel.widgets.VBox;
import io.github.longrope.kernel.widgets.Widget;
import io.github.longrope.kernel.widgets.Widgets;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.comm.CommCloseCommand;
import io.github.spencerpark.jupyter.messages.comm.CommMsgCommand;
import io.github.spencerpark.jupyter.messages.comm.CommOpenCommand;
import io.github.spencerpark.jupyter.messages.publish.PublishDisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishUpdateDisplayData;
import io.github.spencerpark.jupyter.messages.reply.CommInfoReply;
import io.github.spencerpark.jupyter.messages.request.CommInfoRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The comm protocol of widgets, driven through the kernel's message handlers (the methods the base
 * kernel's shell loop calls) with the messages the installed front end (jupyter-js-widgets 2.1)
 * sends: open, update both ways, custom (a click), request_state, close, comm_info and the version
 * handshake.
 */
class WidgetCommTest {
  private final List<Message<?>> iopub = new ArrayList<>();
  private CommRouter router;
  private KernelWidgetHost host;

  @BeforeEach
  void connect() {
    router = new CommRouter();
    router.setPublisher(iopub::add);
    host = new KernelWidgetHost(router, new Renderers(new Renderer(), 30));
    Widgets.install(host);
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> sent(MessageType<T> type) {
    return iopub.stream()
        .filter(m -> m.getHeader().getType().equals(type))
        .map(m -> (T) m.getContent())
        .toList();
  }

  private static JsonObject json(String text) {
    return new Gson().fromJson(text, JsonObject.class);
  }

  private static <T> Message<T> fromFrontEnd(MessageType<T> type, T content) {
    return new Message<>(null, type, content);
  }

  private void frontEndSends(String commId, String data) {
    router.handleCommMsgCommand(
        new FakeShell(),
        fromFrontEnd(CommMsgCommand.MESSAGE_TYPE, new CommMsgCommand(commId, json(data))));
  }

  @Test
  void openSendsTheWholeStateInTheInstalledFrontEndsForm() {
    IntSlider slider = new IntSlider("n", 0, 10, 3);
    CommOpenCommand open = sent(CommOpenCommand.MESSAGE_TYPE).get(0);
    assertEquals("jupyter.widget", open.getTargetName());
    assertEquals(slider.id(), open.getCommID());
    JsonObject data = open.getData();
    assertEquals("IntSliderModel", data.get("_model_name").getAsString());
    assertEquals("IntSliderView", data.get("_view_name").getAsString());
    assertEquals("jupyter-js-widgets", data.get("_model_module").getAsString());
    assertEquals("~2.1.4", data.get("_model_module_version").getAsString());
    assertEquals("jupyter-js-widgets", data.get("_view_module").getAsString());
    assertEquals(3, data.get("value").getAsInt());
    assertEquals(10, data.get("max").getAsInt());
    // the protocol-2 form for headless executors: the same state under "state"
    assertEquals(3, data.getAsJsonObject("state").get("value").getAsInt());
    assertEquals(0, data.getAsJsonArray("buffer_paths").size());
  }

  @Test
  void frontEndUpdatesReachValueAndObservers() {
    FloatSlider scale = new FloatSlider("scale s", 1, 64, 8);
    List<Double> seen = new ArrayList<>();
    scale.observe(seen::add);
    frontEndSends(scale.id(), "{\"method\": \"backbone\", \"sync_data\": {\"value\": 16}}");
    assertEquals(16.0, scale.value());
    assertEquals(List.of(16.0), seen);
    // private keys and keys the model does not have stay the kernel's
    frontEndSends(
        scale.id(), "{\"method\": \"backbone\", \"sync_data\": {\"_model_name\": \"x\"}}");
    assertEquals(List.of(16.0), seen);
  }

  @Test
  void kernelUpdatesSendOnlyTheChangedKey() {
    Dropdown method = new Dropdown("method", List.of("PI", "YaRN"), "PI");
    method.value("YaRN");
    CommMsgCommand update = sent(CommMsgCommand.MESSAGE_TYPE).get(0);
    assertEquals(method.id(), update.getCommID());
    assertEquals(
        json("{\"method\": \"update\", \"state\": {\"value\": \"YaRN\"}, \"buffers\": []}"),
        update.getData());
  }

  @Test
  void requestStateAnswersWithTheFullState() {
    Label status = new Label("idle");
    frontEndSends(status.id(), "{\"method\": \"request_state\"}");
    JsonObject update = sent(CommMsgCommand.MESSAGE_TYPE).get(0).getData();
    assertEquals("update", update.get("method").getAsString());
    assertEquals("LabelModel", update.getAsJsonObject("state").get("_model_name").getAsString());
    assertEquals("idle", update.getAsJsonObject("state").get("value").getAsString());
  }

  @Test
  void aClickIsACustomMessage() {
    AtomicInteger clicks = new AtomicInteger();
    Button stop = new Button("Stop").onClick(clicks::incrementAndGet);
    frontEndSends(stop.id(), "{\"method\": \"custom\", \"content\": {\"event\": \"click\"}}");
    frontEndSends(stop.id(), "{\"method\": \"custom\", \"content\": {\"event\": \"hover\"}}");
    assertEquals(1, clicks.get());
  }

  @Test
  void displayAnnouncesTheViewAndLeavesATextFallback() {
    IntSlider a = new IntSlider("a", 0, 4, 1);
    VBox box = new VBox(a, new Button("Go"));
    box.display();
    CommMsgCommand display = sent(CommMsgCommand.MESSAGE_TYPE).get(0);
    assertEquals(box.id(), display.getCommID());
    assertEquals("display", display.getData().get("method").getAsString());
    PublishDisplayData shown = sent(PublishDisplayData.MESSAGE_TYPE).get(0);
    assertTrue(shown.hasDataForType(MIMEType.parse(KernelWidgetHost.VIEW_MIME)));
    assertEquals("a = 1 · [Go]", shown.getData(MIMEType.TEXT_PLAIN));
    JsonObject boxOpen = sent(CommOpenCommand.MESSAGE_TYPE).get(2).getData();
    assertEquals(
        Widget.REFERENCE + a.id(), boxOpen.getAsJsonArray("children").get(0).getAsString());
  }

  @Test
  void interactRedrawsItsOutputInPlaceWhenAControlMoves() {
    IntSlider rows = new IntSlider("rows", 1, 5, 2);
    Controls.interact(() -> Table.create("t", IntColumn.create("i", new int[rows.value()])), rows);
    PublishDisplayData first = sent(PublishDisplayData.MESSAGE_TYPE).get(1);
    String displayId = first.getDisplayId();
    frontEndSends(rows.id(), "{\"method\": \"backbone\", \"sync_data\": {\"value\": 4}}");
    PublishUpdateDisplayData text = sent(PublishUpdateDisplayData.MESSAGE_TYPE).get(0);
    assertEquals("rows = 4", text.getData(MIMEType.TEXT_PLAIN));
    assertEquals(sent(PublishDisplayData.MESSAGE_TYPE).get(0).getDisplayId(), text.getDisplayId());
    PublishUpdateDisplayData redrawn = sent(PublishUpdateDisplayData.MESSAGE_TYPE).get(1);
    assertEquals(displayId, redrawn.getDisplayId());
    String html = (String) redrawn.getData(MIMEType.TEXT_HTML);
    assertEquals(4 + 1, html.split("<tr").length - 1, html); // header row + 4 rows
  }

  @Test
  void commInfoListsOpenWidgetsAndCloseWorksFromBothSides() {
    IntSlider a = new IntSlider("a", 0, 1, 0);
    IntSlider b = new IntSlider("b", 0, 1, 0);
    FakeShell shell = new FakeShell();
    router.handleCommInfoRequest(
        shell, fromFrontEnd(CommInfoRequest.MESSAGE_TYPE, new CommInfoRequest("jupyter.widget")));
    CommInfoReply info = assertInstanceOf(CommInfoReply.class, shell.replies.get(0));
    assertEquals(2, info.getComms().size());
    assertEquals("jupyter.widget", info.getComms().get(a.id()).getTargetName());

    a.close();
    assertEquals(a.id(), sent(CommCloseCommand.MESSAGE_TYPE).get(0).getCommID());
    router.handleCommCloseCommand(
        new FakeShell(),
        fromFrontEnd(
            CommCloseCommand.MESSAGE_TYPE, new CommCloseCommand(b.id(), new JsonObject())));
    assertFalse(router.isOpen(a.id()));
    assertFalse(router.isOpen(b.id()));
    b.value(1); // a closed comm sends nothing
    assertEquals(List.of(), sent(CommMsgCommand.MESSAGE_TYPE));
  }

  @Test
  void versionHandshakeAndUnknownTargets() {
    assertNull(host.frontEndValidated());
    FakeShell shell = new FakeShell();
    router.handleCommOpenCommand(
        shell,
        fromFrontEnd(
            CommOpenCommand.MESSAGE_TYPE,
            new CommOpenCommand("v1", "jupyter.widget.version", new JsonObject())));
    CommMsgCommand version = sent(CommMsgCommand.MESSAGE_TYPE).get(0);
    assertEquals("v1", version.getCommID());
    assertEquals("~2.1.4", version.getData().get("version").getAsString());
    frontEndSends("v1", "{\"validated\": true, \"frontend_version\": \"2.1.4\"}");
    assertEquals(Boolean.TRUE, host.frontEndValidated());

    router.handleCommOpenCommand(
        shell,
        fromFrontEnd(
            CommOpenCommand.MESSAGE_TYPE,
            new CommOpenCommand("x1", "no.such.target", new JsonObject())));
    CommCloseCommand refused = assertInstanceOf(CommCloseCommand.class, shell.published.get(0));
    assertEquals("x1", refused.getCommID());
  }

  @Test
  void binaryBuffersTravelBothWays() {
    List<byte[]> received = new ArrayList<>();
    String id =
        router.open(
            "test.binary",
            new JsonObject(),
            List.of(new byte[] {1, 2}),
            (d, b) -> received.addAll(b));
    assertEquals(1, iopub.get(0).getBlobs().size());
    assertEquals(2, iopub.get(0).getBlobs().get(0)[1]);
    router.send(id, new JsonObject(), List.of(new byte[] {3}, new byte[] {4, 5}));
    assertEquals(2, iopub.get(1).getBlobs().size());
    router.handleCommMsgCommand(
        new FakeShell(),
        new Message<>(
            List.of(),
            new io.github.spencerpark.jupyter.messages.Header<>(CommMsgCommand.MESSAGE_TYPE),
            null,
            null,
            new CommMsgCommand(id, json("{\"method\": \"custom\"}")),
            List.of(new byte[] {9, 8, 7})));
    assertEquals(1, received.size());
    assertEquals(7, received.get(0)[2]);
  }

  @Test
  void badValuesFromJavaNameTheWidget() {
    IntSlider n = new IntSlider("n", 0, 10, 3);
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> n.value(11));
    assertTrue(e.getMessage().contains("IntSlider"), e.getMessage());
  }

  @Test
  void bothSlidersCheckTheirRangeAndStepThroughTheCommonBase() {
    FloatSlider beta = new FloatSlider("beta", 0.5, 64, 32);
    assertTrue(
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> beta.value(Double.NaN))
            .getMessage()
            .contains("FloatSlider"));
    assertTrue(
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new IntSlider("n", 0, 10, 1).step(0))
            .getMessage()
            .contains("IntSlider step"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new FloatSlider("x", 2, 1, 1.5));
    beta.step(0.5);
    CommMsgCommand step = sent(CommMsgCommand.MESSAGE_TYPE).get(0);
    assertEquals(0.5, step.getData().getAsJsonObject("state").get("step").getAsDouble());
    JsonObject open = sent(CommOpenCommand.MESSAGE_TYPE).get(0).getData();
    assertTrue(open.has("slider_color") && open.get("slider_color").isJsonNull(), open.toString());
    assertEquals(".2f", open.get("readout_format").getAsString());
    assertFalse(open.get("continuous_update").getAsBoolean());
  }

  @Test
  void selectMultipleKeepsLabelsInTheOptionsOrderBothWays() {
    SelectMultiple lengths =
        SelectMultiple.ofInts("lengths", List.of(256, 512, 1024), List.of(1024, 256));
    JsonObject open = sent(CommOpenCommand.MESSAGE_TYPE).get(0).getData();
    assertEquals("SelectMultipleModel", open.get("_model_name").getAsString());
    assertEquals("SelectMultipleView", open.get("_view_name").getAsString());
    assertEquals(
        json("{\"a\": [\"256\", \"512\", \"1024\"]}").get("a"), open.get("_options_labels"));
    assertEquals(json("{\"a\": [\"256\", \"1024\"]}").get("a"), open.get("value"));
    List<List<String>> seen = new ArrayList<>();
    lengths.observe(seen::add);
    frontEndSends(
        lengths.id(), "{\"method\": \"backbone\", \"sync_data\": {\"value\": [\"512\"]}}");
    assertEquals(List.of(512), lengths.intValues());
    assertEquals(List.of(List.of("512")), seen);
    assertEquals("lengths = 512", lengths.describe());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> lengths.value(List.of("300")));
    assertTrue(
        e.getMessage().contains("'lengths'") && e.getMessage().contains("300"), e.getMessage());
  }
}
