#!/usr/bin/python3
"""Protocol round trip against the LongRoPE Java kernel, driven by Debian's jupyter_client.

Started by KernelProtocolTest (JUnit) with JUPYTER_DATA_DIR pointing at a temporary kernelspec.
Runs every check, prints one line per check ("ok NAME" / "FAIL NAME: why") and exits 1 if any
failed. Run it by hand against an installed kernel:

    /usr/bin/python3 kernel/src/test/python/kernel_roundtrip.py --kernel longrope

Modes:
    (default)   execute, display, update_display, errors, complete, inspect, is_complete,
                interrupt, out-of-memory, magics, shutdown
    --orphan    start the kernel, print "KERNEL_PID <pid>", then sleep: the caller kills this
                process and checks that the kernel exits on its own
"""
import argparse
import base64
import sys
import time
import traceback

from jupyter_client.manager import KernelManager

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class Failed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failed(message)


class Session:
    def __init__(self, kc, timeout):
        self.kc = kc
        self.timeout = timeout

    def execute(self, code, timeout=None, on_busy=None):
        """Runs code; returns (reply content, [iopub messages of this request])."""
        timeout = timeout or self.timeout
        msg_id = self.kc.execute(code, allow_stdin=False)
        deadline = time.time() + timeout
        outputs = []
        busy_seen = False
        while True:
            remaining = deadline - time.time()
            expect(remaining > 0, f"no idle status within {timeout}s for {code[:60]!r}")
            try:
                msg = self.kc.get_iopub_msg(timeout=min(remaining, 1.0))
            except Exception:  # queue.Empty
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "status":
                state = msg["content"]["execution_state"]
                if state == "busy" and not busy_seen:
                    busy_seen = True
                    if on_busy:
                        on_busy()
                if state == "idle":
                    break
                continue
            if kind == "execute_input":
                continue
            outputs.append(msg)
        reply = self.shell_reply(msg_id, max(5.0, deadline - time.time()))
        return reply["content"], outputs

    def shell_reply(self, msg_id, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=1.0)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        raise Failed(f"no shell reply for {msg_id}")

    def request(self, send, timeout=None):
        msg_id = send()
        return self.shell_reply(msg_id, timeout or self.timeout)["content"]


def of_type(outputs, kind):
    return [m for m in outputs if m["msg_type"] == kind]


def result_data(outputs):
    results = of_type(outputs, "execute_result")
    expect(len(results) == 1, f"expected one execute_result, got {summary(outputs)}")
    return results[0]["content"]["data"]


def stdout_text(outputs):
    return "".join(
        m["content"]["text"]
        for m in of_type(outputs, "stream")
        if m["content"]["name"] == "stdout"
    )


def summary(outputs):
    parts = []
    for m in outputs:
        c = m["content"]
        if m["msg_type"] == "error":
            parts.append(f"error {c['ename']}: {c['evalue']} | " + " / ".join(c["traceback"]))
        elif m["msg_type"] == "stream":
            parts.append(f"{c['name']}: {c['text'][:300]!r}")
        else:
            parts.append(f"{m['msg_type']} {sorted(c.get('data', {}).keys())}")
    return "; ".join(parts) or "(no output)"


def error_of(reply, outputs):
    expect(reply["status"] == "error", f"expected an error, got {reply['status']}: {summary(outputs)}")
    errors = of_type(outputs, "error")
    expect(len(errors) == 1, f"expected one error output, got {summary(outputs)}")
    return errors[0]["content"]


def ok_result(s, code, timeout=None):
    reply, outputs = s.execute(code, timeout)
    expect(reply["status"] == "ok", f"{code!r} failed: {summary(outputs)}")
    return outputs


# ---------------------------------------------------------------------------------- checks


def check_kernel_info(s):
    s.kc.kernel_info()
    reply = s.kc.get_shell_msg(timeout=s.timeout)
    info = reply["content"]["language_info"]
    expect(info["name"] == "java", f"language_info {info}")


def check_execute_result(s):
    outputs = ok_result(s, "int x = 21;\nx * 2")
    data = result_data(outputs)
    expect(data["text/plain"] == "42", f"text/plain {data}")


def check_semicolon_hides_value(s):
    outputs = ok_result(s, "x * 2;")
    expect(not of_type(outputs, "execute_result"), f"value shown: {summary(outputs)}")


def check_stdout(s):
    outputs = ok_result(s, 'System.out.println("hello from java");')
    expect("hello from java" in stdout_text(outputs), summary(outputs))


def check_array_text(s):
    data = result_data(ok_result(s, "new double[] {0.5, 0.25}"))
    expect(data["text/plain"] == "[0.5, 0.25]", f"{data}")


def check_table_html(s):
    code = (
        'Table t = Table.create("demo", DoubleColumn.create("v", new double[] {1.5, 2.5}),\n'
        '    StringColumn.create("s", new String[] {"<a>", "b&c"}));\n'
        "t"
    )
    data = result_data(ok_result(s, code))
    html = data.get("text/html", "")
    expect("<table" in html and "&lt;a&gt;" in html and "b&amp;c" in html, f"html {html[:400]}")
    expect("demo" in data.get("text/plain", ""), f"text {data}")


def check_table_row_limit(s):
    code = 'Table.create("big", IntColumn.create("i", java.util.stream.IntStream.range(0, 100).toArray()))'
    html = result_data(ok_result(s, code)).get("text/html", "")
    expect("70 more rows" in html, f"no row-limit note: {html[-300:]}")


def check_display_chart_png(s):
    code = (
        'XYChart c = new XYChartBuilder().width(300).height(200).title("squares").build();\n'
        'c.addSeries("y", new double[] {1, 2, 3}, new double[] {1, 4, 9});\n'
        "display(c);"
    )
    outputs = ok_result(s, code)
    shown = of_type(outputs, "display_data")
    expect(len(shown) == 1, f"expected one display_data: {summary(outputs)}")
    png = base64.b64decode(shown[0]["content"]["data"]["image/png"])
    expect(png.startswith(PNG_MAGIC), "image/png is not a PNG")


def check_display_table_html(s):
    outputs = ok_result(s, "display(t);")
    shown = of_type(outputs, "display_data")
    expect(len(shown) == 1 and "<table" in shown[0]["content"]["data"].get("text/html", ""), summary(outputs))


def check_update_display(s):
    code = (
        'String id = display(Table.create("progress", IntColumn.create("step", new int[] {0})));\n'
        "for (int i = 1; i <= 3; i++) {\n"
        '  updateDisplay(id, Table.create("progress", IntColumn.create("step", new int[] {i})));\n'
        "}"
    )
    outputs = ok_result(s, code)
    shown = of_type(outputs, "display_data")
    updates = of_type(outputs, "update_display_data")
    expect(len(shown) == 1 and len(updates) == 3, summary(outputs))
    display_id = shown[0]["content"]["transient"]["display_id"]
    expect(all(u["content"]["transient"]["display_id"] == display_id for u in updates), "display ids differ")
    expect("<table" in updates[-1]["content"]["data"]["text/html"], "update has no HTML")


def check_runtime_error(s):
    reply, outputs = s.execute('int y = 1;\nthrow new IllegalStateException("boom");')
    err = error_of(reply, outputs)
    expect(err["ename"] == "IllegalStateException", f"ename {err['ename']}")
    expect(err["evalue"] == "boom", f"evalue {err['evalue']}")
    text = "\n".join(err["traceback"])
    expect("java.lang.IllegalStateException: boom" in text, text)
    expect("line 2" in text, f"no cell line in {text}")


def check_error_in_earlier_cell_method(s):
    ok_result(s, "int divide(int a, int b) {\n  return a / b;\n}")
    reply, outputs = s.execute("divide(1, 0)")
    err = error_of(reply, outputs)
    expect(err["ename"] == "ArithmeticException", f"ename {err['ename']}")
    text = "\n".join(err["traceback"])
    expect("divide (cell [" in text and "line 2" in text and "return a / b;" in text, text)


def check_compile_error(s):
    reply, outputs = s.execute('int ok = 1;\nint z = "s";')
    err = error_of(reply, outputs)
    expect(err["ename"] == "CompilationException", f"ename {err['ename']}")
    text = "\n".join(err["traceback"])
    expect("line 2" in text and "incompatible types" in text and "^" in text, text)


def check_complete(s):
    content = s.request(lambda: s.kc.complete("int k = 1;\nMath.ma", 18))
    expect(content["status"] == "ok", f"{content}")
    expect("max(" in content["matches"], f"matches {content['matches']}")
    expect(content["cursor_start"] == 16 and content["cursor_end"] == 18, f"{content}")
    content = s.request(lambda: s.kc.complete("%cl", 3))
    expect(content["matches"] == ["%classpath"], f"{content}")
    expect(content["cursor_start"] == 0 and content["cursor_end"] == 3, f"{content}")
    content = s.request(lambda: s.kc.complete("%time Math.ma", 13))
    expect("max(" in content["matches"], f"matches {content['matches']}")
    content = s.request(lambda: s.kc.complete("", 0))
    expect(not any(m.startswith("$") for m in content["matches"]), f"{content['matches'][:5]}")


def check_inspect(s):
    content = s.request(lambda: s.kc.inspect("Math.max(1, 2)", 6))
    expect(content["status"] == "ok" and content["found"], f"{content}")
    expect("max(int a, int b)" in content["data"]["text/plain"], f"{content['data']}")


def check_is_complete(s):
    content = s.request(lambda: s.kc.is_complete("for (int i = 0; i < 3; i++) {"))
    expect(content["status"] == "incomplete", f"{content}")
    content = s.request(lambda: s.kc.is_complete("int a = 1;"))
    expect(content["status"] == "complete", f"{content}")


def interrupt_after(km, seconds):
    def fire():
        time.sleep(seconds)
        km.interrupt_kernel()

    return fire


def check_interrupt_cooperative(s, km):
    # what a library loop does at a step boundary
    code = (
        "for (long spins = 0; ; spins++) {\n"
        "  if (Thread.currentThread().isInterrupted()) {\n"
        '    throw new java.util.concurrent.CancellationException("stopped after " + spins);\n'
        "  }\n"
        "}"
    )
    start = time.time()
    reply, outputs = s.execute(code, timeout=60, on_busy=interrupt_after(km, 1.5))
    err = error_of(reply, outputs)
    expect(err["ename"] == "CancellationException", f"ename {err['ename']}: {summary(outputs)}")
    expect(time.time() - start < 30, "interrupt took too long")


def check_interrupt_sleep(s, km):
    reply, outputs = s.execute("Thread.sleep(60_000);", timeout=60, on_busy=interrupt_after(km, 1.0))
    err = error_of(reply, outputs)
    expect(err["ename"] == "InterruptedException", f"ename {err['ename']}")


def check_interrupt_busy_loop(s, km):
    start = time.time()
    reply, outputs = s.execute("while (true) {}", timeout=90, on_busy=interrupt_after(km, 1.0))
    err = error_of(reply, outputs)
    expect(err["ename"] == "InterruptedException", f"ename {err['ename']}: {summary(outputs)}")
    expect(time.time() - start < 60, "stopping the loop took too long")


def check_usable_after_interrupts(s):
    data = result_data(ok_result(s, "1 + 1"))
    expect(data["text/plain"] == "2", f"{data}")


def check_out_of_memory(s):
    code = (
        "{\n"
        "  List<long[]> hog = new ArrayList<>();\n"
        "  while (true) hog.add(new long[1 << 20]);\n"
        "}"
    )
    reply, outputs = s.execute(code, timeout=120)
    err = error_of(reply, outputs)
    text = "\n".join(err["traceback"])
    expect("OutOfMemoryError" in err["evalue"] and "OutOfMemoryError" in text, f"{err['ename']}: {text}")
    data = result_data(ok_result(s, '"still alive"'))
    expect(data["text/plain"] == "still alive", f"{data}")


def check_time_magic(s):
    outputs = ok_result(s, "%time Thread.sleep(20)")
    expect("Wall time:" in stdout_text(outputs), summary(outputs))
    outputs = ok_result(s, "%%time\nint q = 6;\nq * 7")
    expect("Wall time:" in stdout_text(outputs), summary(outputs))
    expect(result_data(outputs)["text/plain"] == "42", summary(outputs))


def check_lsmagic_and_unknown_magic(s):
    data = result_data(ok_result(s, "%lsmagic"))
    expect("%maven" in data["text/plain"], f"{data}")
    reply, outputs = s.execute("%nosuchmagic")
    err = error_of(reply, outputs)
    expect(err["ename"] == "MagicException", f"{err}")


def check_maven_magic(s):
    code = (
        "%maven org.apache.commons:commons-text:1.12.0\n"
        'org.apache.commons.text.WordUtils.capitalizeFully("hello world")'
    )
    reply, outputs = s.execute(code, timeout=600)
    expect(reply["status"] == "ok", f"%maven failed: {summary(outputs)}")
    expect(result_data(outputs)["text/plain"] == "Hello World", summary(outputs))
    expect("commons-text-1.12.0.jar" in stdout_text(outputs), summary(outputs))


def check_shutdown(s, km):
    msg_id = s.kc.shutdown()
    deadline = time.time() + 30
    reply = None
    while time.time() < deadline and reply is None:
        try:
            msg = s.kc.get_control_msg(timeout=1.0)
        except Exception:
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            reply = msg
    expect(reply is not None, "no shutdown_reply")
    expect(reply["content"].get("status", "ok") == "ok", f"shutdown reply {reply['content']}")
    while time.time() < deadline and km.is_alive():
        time.sleep(0.2)
    expect(not km.is_alive(), "kernel still alive 30 s after shutdown_request")


def run_checks(km, kc, timeout, skip_maven):
    s = Session(kc, timeout)
    checks = [
        ("kernel_info", lambda: check_kernel_info(s)),
        ("execute_result", lambda: check_execute_result(s)),
        ("semicolon hides value", lambda: check_semicolon_hides_value(s)),
        ("stdout stream", lambda: check_stdout(s)),
        ("array as text", lambda: check_array_text(s)),
        ("table as html", lambda: check_table_html(s)),
        ("table row limit", lambda: check_table_row_limit(s)),
        ("display chart png", lambda: check_display_chart_png(s)),
        ("display table html", lambda: check_display_table_html(s)),
        ("update_display_data", lambda: check_update_display(s)),
        ("runtime error", lambda: check_runtime_error(s)),
        ("error in earlier cell's method", lambda: check_error_in_earlier_cell_method(s)),
        ("compile error", lambda: check_compile_error(s)),
        ("complete", lambda: check_complete(s)),
        ("inspect", lambda: check_inspect(s)),
        ("is_complete", lambda: check_is_complete(s)),
        ("interrupt cooperative loop", lambda: check_interrupt_cooperative(s, km)),
        ("interrupt sleep", lambda: check_interrupt_sleep(s, km)),
        ("interrupt busy loop", lambda: check_interrupt_busy_loop(s, km)),
        ("usable after interrupts", lambda: check_usable_after_interrupts(s)),
        ("out of memory", lambda: check_out_of_memory(s)),
        ("%time", lambda: check_time_magic(s)),
        ("%lsmagic, unknown magic", lambda: check_lsmagic_and_unknown_magic(s)),
    ]
    if not skip_maven:
        checks.append(("%maven", lambda: check_maven_magic(s)))
    checks.append(("shutdown", lambda: check_shutdown(s, km)))
    failures = 0
    for name, check in checks:
        start = time.time()
        try:
            check()
            print(f"ok   {name} ({time.time() - start:.1f} s)", flush=True)
        except Failed as e:
            failures += 1
            print(f"FAIL {name}: {e}", flush=True)
        except Exception:
            failures += 1
            print(f"FAIL {name}: {traceback.format_exc()}", flush=True)
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", default="longrope", help="kernelspec name")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per request")
    ap.add_argument("--skip-maven", action="store_true", help="leave out the %%maven check")
    ap.add_argument("--orphan", action="store_true", help="start, print the pid, sleep")
    args = ap.parse_args()

    km = KernelManager(kernel_name=args.kernel)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=args.timeout)
    except Exception as e:
        print(f"FAIL start: kernel not ready within {args.timeout}s: {e}", flush=True)
        km.shutdown_kernel(now=True)
        return 1
    if args.orphan:
        print(f"KERNEL_PID {km.provisioner.process.pid}", flush=True)
        time.sleep(600)
        return 0
    failures = 1
    try:
        failures = run_checks(km, kc, args.timeout, args.skip_maven)
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
    print(f"{failures} check(s) failed" if failures else "all checks passed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
