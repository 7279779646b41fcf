#!/usr/bin/python3
"""Widgets over the comm protocol against the LongRoPE Java kernel, driven by Debian's
jupyter_client and nbclient (the wire format, not the kernel's Java objects).

Started by WidgetProtocolTest (JUnit) with JUPYTER_DATA_DIR pointing at a temporary kernelspec.
Prints one line per check ("ok NAME" / "FAIL NAME: why") and exits 1 if any failed. By hand:

    /usr/bin/python3 kernel/src/test/python/widgets_roundtrip.py --kernel longrope

Checks: a cell's widgets arrive as comm_open on the jupyter.widget target with the state the
installed front end (jupyter-js-widgets ~2.1.4) reads; the view as a display_data with the
widget-view MIME type and a text/plain fallback; a front-end update (comm_msg "backbone") reaches
the Java value; interact redraws its output with update_display_data parented to that comm_msg;
a click (comm_msg "custom"); every model's keys against the installed ipywidgets' synced traits
(layout and style aside: the front end makes its own); a multiple selection both ways; comm_info; the version handshake; comm_close from the front end; and
a notebook executed headless by nbclient keeps its widget state and static outputs.
"""
import argparse
import sys
import time
import traceback

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

VIEW = "application/vnd.jupyter.widget-view+json"


class Failed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failed(message)


class Session:
    def __init__(self, kc, timeout):
        self.kc = kc
        self.timeout = timeout
        self.backlog = []  # messages collect() passed over (e.g. a background job's updates)

    def collect(self, msg_id, timeout=None):
        """iopub messages parented to msg_id until its idle status."""
        deadline = time.time() + (timeout or self.timeout)
        out = []
        while True:
            expect(time.time() < deadline, f"no idle status for {msg_id}")
            try:
                msg = self.kc.get_iopub_msg(timeout=1.0)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                self.backlog.append(msg)
                continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    return out
                continue
            out.append(msg)

    def execute(self, code):
        msg_id = self.kc.execute(code, allow_stdin=False)
        out = self.collect(msg_id)
        errors = [m for m in out if m["msg_type"] == "error"]
        expect(not errors, f"{code!r} failed: {errors and errors[0]['content']}")
        return out

    def value(self, expression):
        out = self.execute(expression)
        results = [m for m in out if m["msg_type"] == "execute_result"]
        expect(len(results) == 1, f"no result for {expression!r}: {out}")
        return results[0]["content"]["data"]["text/plain"]

    def comm(self, msg_type, content):
        """Sends a comm message on the shell channel as a front end does; returns its iopub."""
        msg = self.kc.session.msg(msg_type, content)
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"], self.collect(msg["header"]["msg_id"])

    def updates_of(self, comm_id, seconds, stop=None):
        """'value' updates sent on comm_id during the next seconds (whatever their parent)."""
        deadline = time.time() + seconds
        values = []
        while time.time() < deadline:
            if self.backlog:
                msg = self.backlog.pop(0)
            else:
                try:
                    msg = self.kc.get_iopub_msg(timeout=0.2)
                except Exception:
                    continue
            c = msg["content"]
            if msg["msg_type"] == "comm_msg" and c.get("comm_id") == comm_id:
                state = c["data"].get("state", {})
                if "value" in state:
                    values.append(state["value"])
                    if stop and stop(state["value"]):
                        return values
        return values

    def values_of(self, comm_id, seconds):
        self.backlog.clear()
        return self.updates_of(comm_id, seconds)

    def wait_value(self, comm_id, condition, seconds):
        values = self.updates_of(comm_id, seconds, condition)
        return values[-1] if values and condition(values[-1]) else None

    def shell_reply(self, msg_id):
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=1.0)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        raise Failed(f"no shell reply to {msg_id}")


START_STOP = """Label ticks = new Label("0");
StartStop job = StartStop.show("count", () -> {
  for (int i = 1; ; i++) {
    if (Thread.interrupted()) throw new java.util.concurrent.CancellationException("stopped after " + i);
    ticks.value("" + i);
    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
  }
});
"""


def of_type(msgs, kind):
    return [m for m in msgs if m["msg_type"] == kind]


SETUP = """import io.github.longrope.kernel.widgets.*;
IntSlider rows = new IntSlider("rows", 1, 5, 2);
Button go = new Button("Go");
int[] clicks = {0};
go.onClick(() -> clicks[0]++);
Controls.interact(() -> Table.create("t", IntColumn.create("i", new int[rows.value()])), rows, go);
"""


KINDS = """IntSlider depth = new IntSlider("depth", 1, 9, 5);
FloatSlider beta = new FloatSlider("beta", 0.5, 64, 32);
SelectMultiple pick = SelectMultiple.ofInts("lengths", List.of(256, 512, 1024, 2048), List.of(1024, 256));
String picked = "";
pick.observe(v -> picked = pick.intValues().toString());
Dropdown method = new Dropdown("method", List.of("pi", "yarn"), "pi");
Checkbox on = new Checkbox("on", true);
Text name = new Text("name", "x");
"""


def run_checks(s):
    state = {}

    def widgets_open_and_display():
        out = s.execute(SETUP)
        opens = of_type(out, "comm_open")
        expect(len(opens) == 3, f"expected 3 comm_open (slider, button, box), got {len(opens)}")
        by_model = {m["content"]["data"]["_model_name"]: m["content"] for m in opens}
        slider = by_model["IntSliderModel"]
        expect(slider["target_name"] == "jupyter.widget", f"target {slider['target_name']}")
        data = slider["data"]
        for key, want in [("_model_module", "jupyter-js-widgets"), ("_model_module_version", "~2.1.4"),
                          ("_view_name", "IntSliderView"), ("_view_module", "jupyter-js-widgets"),
                          ("value", 2), ("min", 1), ("max", 5), ("description", "rows")]:
            expect(data.get(key) == want, f"slider {key} = {data.get(key)!r}, want {want!r}")
        box = by_model["VBoxModel"]["data"]
        expect(box["children"] == ["IPY_MODEL_" + slider["comm_id"], "IPY_MODEL_" + by_model["ButtonModel"]["comm_id"]],
               f"children {box['children']}")
        displays = [m for m in of_type(out, "comm_msg") if m["content"]["data"].get("method") == "display"]
        expect(len(displays) == 1 and displays[0]["content"]["comm_id"] == by_model["VBoxModel"]["comm_id"],
               "no display method for the box")
        shown = of_type(out, "display_data")
        expect(len(shown) == 2, f"expected the view and the output, got {len(shown)}")
        view = shown[0]["content"]["data"]
        expect(view[VIEW]["model_id"] == by_model["VBoxModel"]["comm_id"], f"view {view}")
        expect(view["text/plain"] == "rows = 2 · [Go]", f"fallback {view['text/plain']!r}")
        output = shown[1]["content"]
        expect("<table" in output["data"]["text/html"], "interact output is not a table")
        state.update(slider=slider["comm_id"], button=by_model["ButtonModel"]["comm_id"],
                     display_id=output["transient"]["display_id"])

    def front_end_update():
        msg_id, out = s.comm("comm_msg", {"comm_id": state["slider"],
                                          "data": {"method": "backbone", "sync_data": {"value": 4}}})
        updates = of_type(out, "update_display_data")
        expect(len(updates) == 2, f"expected the text line and one redraw, got {[m['msg_type'] for m in out]}")
        expect(updates[0]["content"]["data"]["text/plain"] == "rows = 4 · [Go]", f"{updates[0]['content']}")
        u = updates[1]
        expect(u["content"]["transient"]["display_id"] == state["display_id"], "redraw of another display")
        expect(u["parent_header"]["msg_id"] == msg_id, "redraw not parented to the comm_msg")
        html = u["content"]["data"]["text/html"]
        expect(html.count("<tr") == 5, f"expected header + 4 rows: {html[:300]}")
        expect(s.value("rows.value()") == "4", "the kernel did not see the new value")

    def kernel_update():
        out = s.execute("rows.value(5);")
        msgs = [m["content"] for m in of_type(out, "comm_msg")]
        expect({"comm_id": state["slider"], "data": {"method": "update", "state": {"value": 5}, "buffers": []}} in msgs,
               f"no update message: {msgs}")

    def click():
        s.comm("comm_msg", {"comm_id": state["button"], "data": {"method": "custom", "content": {"event": "click"}}})
        expect(s.value("clicks[0]") == "1", "click not seen")

    def request_state():
        _, out = s.comm("comm_msg", {"comm_id": state["slider"], "data": {"method": "request_state"}})
        full = [m for m in of_type(out, "comm_msg") if m["content"]["data"].get("method") == "update"]
        expect(full and full[0]["content"]["data"]["state"]["_model_name"] == "IntSliderModel", f"{out}")

    def keys_match_installed_models():
        import ipywidgets
        out = s.execute(KINDS)
        models = {m["content"]["data"]["_model_name"]: m["content"] for m in of_type(out, "comm_open")}
        for model, cls in [("IntSliderModel", ipywidgets.IntSlider), ("FloatSliderModel", ipywidgets.FloatSlider),
                           ("SelectMultipleModel", ipywidgets.SelectMultiple), ("DropdownModel", ipywidgets.Dropdown),
                           ("CheckboxModel", ipywidgets.Checkbox), ("TextModel", ipywidgets.Text)]:
            want = {n for n, t in cls.class_traits().items() if t.metadata.get("sync")} - {"layout", "style"}
            got = set(models[model]["data"]) - {"state", "buffer_paths"}
            expect(got == want, f"{model}: missing {sorted(want - got)}, extra {sorted(got - want)}")
        state["kinds"] = {k: v["comm_id"] for k, v in models.items()}

    def select_multiple():
        pick = state["kinds"]["SelectMultipleModel"]
        expect(s.value("pick.value()") == "[256, 1024]", "initial value")
        s.comm("comm_msg", {"comm_id": pick, "data": {"method": "backbone", "sync_data": {"value": ["2048", "512"]}}})
        expect(s.value("pick.intValues()") == "[512, 2048]", "front-end choice not seen in the options' order")
        expect(s.value("picked") == "[512, 2048]", "observer not called with the new choice")
        out = s.execute('pick.value(List.of("256"));')
        msgs = [m["content"]["data"] for m in of_type(out, "comm_msg") if m["content"]["comm_id"] == pick]
        expect({"method": "update", "state": {"value": ["256"]}, "buffers": []} in msgs, f"{msgs}")

    def comm_info():
        msg = s.kc.session.msg("comm_info_request", {"target_name": "jupyter.widget"})
        s.kc.shell_channel.send(msg)
        reply = s.shell_reply(msg["header"]["msg_id"])["content"]
        expect(reply["status"] == "ok", f"{reply}")
        expect(state["slider"] in reply["comms"] and len(reply["comms"]) == 3 + 6, f"{reply['comms']}")

    def version_handshake():
        _, out = s.comm("comm_open", {"comm_id": "version-1", "target_name": "jupyter.widget.version", "data": {}})
        msgs = of_type(out, "comm_msg")
        expect(msgs and msgs[0]["content"]["data"] == {"version": "~2.1.4"}, f"{out}")
        _, out = s.comm("comm_open", {"comm_id": "x-1", "target_name": "no.such.target", "data": {}})
        expect(of_type(out, "comm_close"), f"unknown target not closed: {out}")

    def front_end_close():
        s.comm("comm_close", {"comm_id": state["slider"], "data": {}})
        msg = s.kc.session.msg("comm_info_request", {})
        s.kc.shell_channel.send(msg)
        comms = s.shell_reply(msg["header"]["msg_id"])["content"]["comms"]
        expect(state["slider"] not in comms, f"closed comm still listed: {comms}")

    def start_stop():
        out = s.execute(START_STOP)
        buttons = {m["content"]["data"].get("description"): m["content"]["comm_id"]
                   for m in of_type(out, "comm_open") if m["content"]["data"]["_model_name"] == "ButtonModel"}
        labels = [m["content"]["comm_id"] for m in of_type(out, "comm_open")
                  if m["content"]["data"]["_model_name"] == "LabelModel"]
        ticks, status = labels[0], labels[-1]
        for round_ in (1, 2):
            s.comm("comm_msg", {"comm_id": buttons["Start"], "data": {"method": "custom", "content": {"event": "click"}}})
            seen = s.values_of(ticks, 1.0)
            expect(len(seen) >= 3, f"round {round_}: the job's updates did not arrive: {seen}")
            clicked = time.time()
            s.comm("comm_msg", {"comm_id": buttons["Stop"], "data": {"method": "custom", "content": {"event": "click"}}})
            final = s.wait_value(status, lambda v: "stopped" in v, 10)
            expect(final is not None, f"round {round_}: no 'stopped' status within 10 s")
            expect(time.time() - clicked < 2, f"round {round_}: stop took {time.time() - clicked:.1f} s")
            expect(s.value("job.running()") == "false", "job still running")
            expect("stopped after" in s.value("job.outcome()"), "outcome does not say where it stopped")

    return [
        ("widgets open and display", widgets_open_and_display),
        ("front-end update reaches Java and redraws", front_end_update),
        ("kernel update", kernel_update),
        ("click (custom message)", click),
        ("request_state", request_state),
        ("keys match the installed ipywidgets models", keys_match_installed_models),
        ("SelectMultiple both ways", select_multiple),
        ("comm_info_request", comm_info),
        ("version handshake, unknown target", version_handshake),
        ("comm_close from the front end", front_end_close),
        ("Start/Stop: stop between steps, start again", start_stop),
    ]


def check_headless_notebook(kernel, timeout):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell("rows.value()")]
    NotebookClient(nb, kernel_name=kernel, timeout=int(timeout)).execute()
    outputs = nb.cells[0].outputs
    views = [o for o in outputs if VIEW in o.get("data", {})]
    expect(len(views) == 1 and views[0]["data"]["text/plain"] == "rows = 2 · [Go]", f"{outputs}")
    expect(any("text/html" in o.get("data", {}) for o in outputs), "no static table output")
    saved = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    models = {v["model_name"]: v for v in saved.values()}
    expect(models["IntSliderModel"]["state"]["value"] == 2, f"{models.get('IntSliderModel')}")
    expect(views[0]["data"][VIEW]["model_id"] in saved, "the view's model is not in the saved state")
    # the saved file round-trips through nbformat
    again = nbformat.reads(nbformat.writes(nb), as_version=4)
    nbformat.validate(again)
    expect(again.metadata.widgets == nb.metadata.widgets, "widget state lost in the saved file")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="longrope")
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    km = KernelManager(kernel_name=args.kernel)
    km.start_kernel()
    failures = 0
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=args.timeout)
        for name, check in run_checks(Session(kc, args.timeout)):
            try:
                check()
                print(f"ok {name}", flush=True)
            except Exception as e:  # report and go on
                failures += 1
                print(f"FAIL {name}: {e}", flush=True)
                if not isinstance(e, Failed):
                    traceback.print_exc()
        kc.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
    try:
        check_headless_notebook(args.kernel, args.timeout)
        print("ok headless notebook keeps widget state and static outputs", flush=True)
    except Exception as e:
        failures += 1
        print(f"FAIL headless notebook: {e}", flush=True)
        if not isinstance(e, Failed):
            traceback.print_exc()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
