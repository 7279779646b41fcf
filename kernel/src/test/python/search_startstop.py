#!/usr/bin/python3
"""Start/Stop of a real search through the comm protocol (what notebook 03's buttons do).

Started by WidgetProtocolTest with JUPYTER_DATA_DIR pointing at a temporary kernelspec and a fresh
run directory. The kernel runs a small search on the bundled model (L' = 512, population 6, two
iterations, one document) under StartStop; this script clicks Start, waits for history.jsonl to
grow, clicks Stop, and checks that the search stopped within one evaluation of the click (at most
one more candidate in the history) with a "stopped" status; then clicks Start again and checks
that the search finishes, taking every candidate of the first session from the history.

    /usr/bin/python3 kernel/src/test/python/search_startstop.py --kernel longrope --run /tmp/run
"""
import argparse
import os
import sys
import time

from jupyter_client.manager import KernelManager

sys.path.insert(0, os.path.dirname(__file__))
from widgets_roundtrip import Failed, Session, expect, of_type  # noqa: E402

SETUP = """import io.github.longrope.kernel.widgets.*;
import io.github.longrope.notebook.*;
import io.github.longrope.search.*;
import io.github.longrope.search.run.*;
Path runDir = Path.of(%s);
SearchConfig h = SearchConfig.parse("{\\"version\\": 1, \\"algorithm\\": \\"dim_mono\\", \\"population\\": 6,"
    + " \\"iterations\\": 2, \\"mutations\\": 3, \\"crossovers\\": 3, \\"parents\\": 3,"
    + " \\"init\\": [\\"pi\\", \\"ntk\\", \\"yarn\\"], \\"seed\\": 7}", "test");
SearchSpec spec = SearchSpec.builder(Workbench.path("models/bundled"), Workbench.corpus("search").resolve("search"), 512, h)
    .samples(1).build();
StartStop job = StartStop.show("search", () -> {
  SearchResult r = SearchJob.run(spec, runDir, Files.isRegularFile(runDir.resolve(RunRecord.CONFIG)), SearchMonitor.of(runDir)).result();
  return r.cacheHits() + " from the history, " + r.evaluatedNow() + " evaluated now";
});
"""


def history_lines(run):
    path = os.path.join(run, "history.jsonl")
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if line.strip())


def wait(condition, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise Failed(f"timed out after {seconds} s waiting for {what}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="longrope")
    ap.add_argument("--run", required=True)
    ap.add_argument("--timeout", type=int, default=600)
    args = ap.parse_args()
    km = KernelManager(kernel_name=args.kernel)
    km.start_kernel()
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=180)
        s = Session(kc, args.timeout)
        out = s.execute(SETUP % ('"' + args.run + '"'))
        buttons = {m["content"]["data"].get("description"): m["content"]["comm_id"]
                   for m in of_type(out, "comm_open") if m["content"]["data"]["_model_name"] == "ButtonModel"}
        status = [m["content"]["comm_id"] for m in of_type(out, "comm_open")
                  if m["content"]["data"]["_model_name"] == "LabelModel"][-1]

        def click(name):
            s.comm("comm_msg", {"comm_id": buttons[name], "data": {"method": "custom", "content": {"event": "click"}}})

        click("Start")
        wait(lambda: history_lines(args.run) >= 3, args.timeout, "three candidates in history.jsonl")
        at_click = history_lines(args.run)
        click("Stop")
        final = s.wait_value(status, lambda v: "stopped" in v or "finished" in v or "failed" in v, 120)
        expect(final is not None and "stopped" in final, f"status after Stop: {final}")
        after = history_lines(args.run)
        print(f"ok stopped: {at_click} candidates at the click, {after} after the stop ({final})", flush=True)
        expect(after - at_click <= 1, f"the search went on for {after - at_click} evaluations after Stop")

        click("Start")
        final = s.wait_value(status, lambda v: "finished" in v or "failed" in v or "stopped" in v, args.timeout)
        expect(final is not None and "finished" in final, f"status after the second Start: {final}")
        took = int(final.split("finished: ")[1].split(" ")[0])
        expect(took >= after, f"resume took {took} candidates from the history, expected >= {after}")
        print(f"ok resumed and finished: {final}", flush=True)
        kc.stop_channels()
        return 0
    except Failed as e:
        print(f"FAIL search start/stop: {e}", flush=True)
        return 1
    finally:
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    sys.exit(main())
