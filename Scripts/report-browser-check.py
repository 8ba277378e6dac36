#!/usr/bin/env python3
"""Loads edgesim HTML reports in headless Chromium and checks what a reader sees.

    Scripts/report-browser-check.py [--out DIR] [--chromium PATH] REPORT.html...

For each report, through the Chrome DevTools Protocol (standard library only:
a small WebSocket client below), it

- fails on any console error, uncaught exception or error logged by the
  browser (a resource that does not load, a blocked request);
- fails when an <svg> has an empty bounding box (width or height 0);
- fails when a <text> of a chart lies outside its <svg>'s box (by more than
  half a pixel): the label would be clipped or spill over the page;
- saves a full-page screenshot as OUT/<name>.png (OUT defaults to
  .build/browser-check);
- measures first contentful paint, the load event and the first frame after
  it (the charts drawn), and the time Chromium takes to handle a mouse move
  over the first chart (hover: the tooltips' hit test), and prints them.

Exit status 0 when every report passes, 1 when one fails, 2 on a usage or
browser error. Writes OUT/results.json with every figure.
"""

import argparse
import base64
import hashlib
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

VIEWPORT = (1400, 1000)
TOLERANCE = 0.5  # pixels a text may stick out of its svg (anti-aliasing)


class WebSocket:
    """A minimal RFC 6455 client: text frames, masking, continuation."""

    def __init__(self, url):
        parts = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), 30)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        header = b""
        while b"\r\n\r\n" not in header:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            header += chunk
        if b" 101 " not in header.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"WebSocket upgrade refused: {header!r}")
        accept = base64.b64encode(
            hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()
        ).decode()
        if accept.encode() not in header:
            raise ConnectionError("WebSocket accept key does not match")

    def send(self, text):
        payload = text.encode()
        head = bytearray([0x81])
        n = len(payload)
        if n < 126:
            head.append(0x80 | n)
        elif n < 1 << 16:
            head.append(0x80 | 126)
            head += struct.pack(">H", n)
        else:
            head.append(0x80 | 127)
            head += struct.pack(">Q", n)
        mask = os.urandom(4)
        head += mask
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes(head) + masked)

    def _exact(self, n):
        data = bytearray()
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            data += chunk
        return bytes(data)

    def receive(self):
        message = bytearray()
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            mask = self._exact(4) if b1 & 0x80 else None
            data = self._exact(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the WebSocket")
            if opcode in (0x9, 0xA):  # ping, pong: not used by DevTools
                continue
            message += data
            if b0 & 0x80:
                return message.decode()


class DevTools:
    """Commands and events over one browser connection (flat sessions)."""

    def __init__(self, url):
        self.ws = WebSocket(url)
        self.next_id = 0
        self.events = []

    def call(self, method, params=None, session=None, timeout=120):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = json.loads(self.ws.receive())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)
        raise TimeoutError(f"{method}: no answer in {timeout} s")

    def wait_for(self, method, session, timeout=120):
        for i, event in enumerate(self.events):
            if event["method"] == method and event.get("sessionId") == session:
                return self.events.pop(i)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event = json.loads(self.ws.receive())
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            if "method" in event:
                self.events.append(event)
        raise TimeoutError(f"no {method} in {timeout} s")


# Runs in the page once it has loaded: every svg's box, every text that
# leaves its svg, and the page's timing figures.
PAGE_CHECK = r"""
(() => {
  const problems = [];
  const svgs = [...document.querySelectorAll('svg')];
  svgs.forEach((svg, n) => {
    const box = svg.getBoundingClientRect();
    const name = `svg ${n + 1} (${svg.getAttribute('aria-label') || 'no label'})`;
    if (!(box.width > 0 && box.height > 0)) {
      problems.push(`${name}: empty bounding box ${box.width}x${box.height}`);
      return;
    }
    for (const text of svg.querySelectorAll('text')) {
      const t = text.getBoundingClientRect();
      if (t.width === 0 && t.height === 0) continue;
      const tol = %TOLERANCE%;
      if (t.left < box.left - tol || t.right > box.right + tol ||
          t.top < box.top - tol || t.bottom > box.bottom + tol) {
        problems.push(`${name}: text "${text.textContent}" at ` +
          `[${t.left.toFixed(1)}, ${t.right.toFixed(1)}] x [${t.top.toFixed(1)}, ${t.bottom.toFixed(1)}] ` +
          `overflows the chart [${box.left.toFixed(1)}, ${box.right.toFixed(1)}] x [${box.top.toFixed(1)}, ${box.bottom.toFixed(1)}]`);
      }
    }
  });
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    svgs: svgs.length,
    elements: document.getElementsByTagName('*').length,
    problems,
    fcp_ms: paint ? paint.startTime : null,
    dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
    load_ms: nav ? nav.loadEventEnd : null,
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  };
})()
""".replace("%TOLERANCE%", str(TOLERANCE))

# Resolves at the first frame after the load event (the charts laid out and
# painted) and once first contentful paint is reported, which Chromium does
# asynchronously, when the frame is presented.
FRAME_AFTER_LOAD = """
new Promise(resolve => requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    const drawn = performance.now();
    const done = () => resolve(drawn);
    if (performance.getEntriesByName('first-contentful-paint').length) return done();
    new PerformanceObserver(done).observe({type: 'paint', buffered: true});
    setTimeout(done, 10000);
  })))
"""

# The centre of the first chart's plot, in viewport coordinates after
# scrolling it into view.
FIRST_CHART_CENTRE = """
(() => {
  const svg = document.querySelector('svg');
  if (!svg) return null;
  svg.scrollIntoView({block: 'center'});
  const b = svg.getBoundingClientRect();
  return {x: b.left + b.width / 2, y: b.top + b.height / 2};
})()
"""


def start_chromium(binary, profile):
    """Starts headless Chromium; returns the process and the browser's URL."""
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu",
        "--hide-scrollbars", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking",
        "--remote-debugging-port=0", f"--user-data-dir={profile}",
        f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}", "about:blank",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "chromium exited: " + process.stderr.read().decode(errors="replace"))
        if os.path.exists(port_file):
            lines = open(port_file).read().split()
            if len(lines) >= 2:
                return process, f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("chromium did not open its DevTools port in 60 s")


def describe(args):
    """A console message's text from its remote-object arguments."""
    out = []
    for a in args:
        out.append(str(a.get("value", a.get("description", a.get("type")))))
    return " ".join(out)


def check(devtools, path, out_dir, name):
    """Loads one report in a fresh tab; returns its figures and problems."""
    target = devtools.call("Target.createTarget", {"url": "about:blank"})
    session = devtools.call(
        "Target.attachToTarget",
        {"targetId": target["targetId"], "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        devtools.call(f"{domain}.enable", session=session)
    # A tab in the background reports no paint timing.
    devtools.call("Page.bringToFront", session=session)
    devtools.call("Emulation.setDeviceMetricsOverride", {
        "width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1,
        "mobile": False}, session=session)
    devtools.events.clear()
    url = "file://" + urllib.parse.quote(os.path.abspath(path))
    started = time.monotonic()
    navigation = devtools.call("Page.navigate", {"url": url}, session=session)
    if navigation.get("errorText"):
        raise RuntimeError(f"{path}: {navigation['errorText']}")
    devtools.wait_for("Page.loadEventFired", session)
    wall_load = (time.monotonic() - started) * 1000
    frame = devtools.call("Runtime.evaluate", {
        "expression": FRAME_AFTER_LOAD, "awaitPromise": True,
        "returnByValue": True}, session=session)["result"]["value"]
    page = devtools.call("Runtime.evaluate", {
        "expression": PAGE_CHECK, "returnByValue": True},
        session=session)["result"]["value"]
    result = {"report": path, "wall_load_ms": round(wall_load, 1),
              "charts_drawn_ms": round(frame, 1), **page}

    # Hover: time a few mouse moves over the first chart (each call returns
    # once the renderer has handled the event, hit test included).
    centre = devtools.call("Runtime.evaluate", {
        "expression": FIRST_CHART_CENTRE, "returnByValue": True},
        session=session)["result"].get("value")
    if centre:
        times = []
        for i in range(7):
            t0 = time.monotonic()
            devtools.call("Input.dispatchMouseEvent", {
                "type": "mouseMoved", "x": centre["x"] + 13 * i - 39,
                "y": centre["y"] + 7 * i - 21}, session=session)
            times.append((time.monotonic() - t0) * 1000)
        result["hover_ms_median"] = round(sorted(times)[len(times) // 2], 1)

    # Console errors, exceptions and the browser's own error log, from load
    # to now.
    errors = []
    for event in devtools.events:
        if event.get("sessionId") != session:
            continue
        params = event.get("params", {})
        if event["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append("console." + params["type"] + ": " + describe(params.get("args", [])))
        elif event["method"] == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            errors.append("uncaught: " + details.get("exception", {}).get(
                "description", details.get("text", "")))
        elif event["method"] == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())
    devtools.events.clear()
    result["console_errors"] = errors

    # The whole page as one screenshot, for the CI artifact.
    devtools.call("Emulation.setDeviceMetricsOverride", {
        "width": VIEWPORT[0], "height": min(page["height"], 16000),
        "deviceScaleFactor": 1, "mobile": False}, session=session)
    shot = devtools.call("Page.captureScreenshot", {"format": "png"},
                         session=session)
    png = os.path.join(out_dir, name + ".png")
    with open(png, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    result["screenshot"] = png
    devtools.call("Target.closeTarget", {"targetId": target["targetId"]})
    return result


def screenshot_name(path, used):
    """A file name for a report's screenshot, unique within this run."""
    parts = os.path.normpath(path).split(os.sep)
    base = "-".join(p for p in parts[-2:] if p not in (".", ""))
    base = base[:-5] if base.endswith(".html") else base
    name, n = base, 2
    while name in used:
        name, n = f"{base}-{n}", n + 1
    used.add(name)
    return name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reports", nargs="+", help="HTML reports to check")
    parser.add_argument("--out", default=".build/browser-check",
                        help="folder for screenshots and results.json")
    parser.add_argument("--chromium", default=shutil.which("chromium")
                        or shutil.which("chromium-browser"),
                        help="the Chromium binary (default: chromium on PATH)")
    args = parser.parse_args()
    if not args.chromium:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    for path in args.reports:
        if not os.path.isfile(path):
            print(f"{path}: no such file", file=sys.stderr)
            return 2
    os.makedirs(args.out, exist_ok=True)

    profile = tempfile.mkdtemp(prefix="report-browser-check-")
    process = None
    results, failed, used = [], 0, set()
    try:
        process, url = start_chromium(args.chromium, profile)
        devtools = DevTools(url)
        for path in args.reports:
            r = check(devtools, path, args.out, screenshot_name(path, used))
            results.append(r)
            problems = r["console_errors"] + r["problems"]
            if r["svgs"] == 0:
                problems.append("no <svg> chart in the page")
            status = "FAIL" if problems else "ok"
            failed += bool(problems)
            fcp = r["fcp_ms"]
            print(f"{status:4} {path}: {r['svgs']} charts, {r['elements']} elements, "
                  f"first paint {fcp if fcp is None else round(fcp)} ms, "
                  f"load {round(r['load_ms'])} ms, charts drawn {round(r['charts_drawn_ms'])} ms, "
                  f"hover {r.get('hover_ms_median')} ms -> {r['screenshot']}")
            for p in problems:
                print(f"     {p}")
    except (RuntimeError, ConnectionError, TimeoutError, OSError) as error:
        print(f"browser error: {error}", file=sys.stderr)
        return 2
    finally:
        if process:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(profile, ignore_errors=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"{len(results) - failed} of {len(results)} reports pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
