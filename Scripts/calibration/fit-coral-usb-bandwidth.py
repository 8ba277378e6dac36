#!/usr/bin/env python3
"""Fit the Coral USB Accelerator's practical USB bandwidth (issue 15, item 2).

`edgesim calibrate` fits the `runtime:` figures of processors and `efficiency`
factors; the Edge TPU has neither, so this script fits its one streaming
figure, `memory[usb].bandwidth` of Hardware/coral-edgetpu-usb.yaml, the same
way `calibrate` would: on the rows of Hardware/measurements/published.csv,
with a leave-one-model-out error for every row it is fitted to.

How:
1. `edgesim calibrate published.csv --hardware D --no-fit --json` predicts
   every coral-edgetpu-usb row with the device file at 400, 450 and 500 MB/s
   (temporary copies that differ only in that figure).
2. Each row's latency is interpolated in 1/bandwidth (quadratic through the
   three points).
3. The rows fitted are those whose time is mostly USB streaming, chosen by
   mechanism, not by error: latency at 400 MB/s at least 1.15x that at
   500 MB/s (parameters that do not fit the 8 MiB cache stream on every
   inference). Other rows barely move with the figure and are predictions.
4. The bandwidth minimises the sum of |log(predicted / measured)| over the
   fitted rows (L1: one outlier does not drag it), searched in 0.5 MB/s steps
   from 300 to 600 MB/s; each fitted model is also predicted by the fit to the
   other fitted models (leave-one-model-out).

Python 3 standard library only. Usage (EDGESIM: a built edgesim binary):

    EDGESIM=.build/release/edgesim python3 Scripts/calibration/fit-coral-usb-bandwidth.py
"""
import json
import math
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
DEVICE = ROOT / "Hardware" / "coral-edgetpu-usb.yaml"
CSV = ROOT / "Hardware" / "measurements" / "published.csv"
POINTS = (400.0, 450.0, 500.0)


def predictions(edgesim, bandwidth, folder):
    text = DEVICE.read_text()
    new, count = re.subn(r"(?m)^(    bandwidth: )[0-9.]+ MB/s", rf"\g<1>{bandwidth:g} MB/s", text, count=1)
    assert count == 1, "the usb level's bandwidth line was not found"
    path = pathlib.Path(folder) / f"coral-{bandwidth:g}.yaml"
    path.write_text(new)
    out = subprocess.run([edgesim, "calibrate", str(CSV), "--hardware", str(path), "--no-fit", "--json"],
                         capture_output=True, text=True, check=True).stdout
    return {r["row"]: r for r in json.loads(out)["measurements"]}


def main():
    edgesim = os.environ.get("EDGESIM", "edgesim")
    with tempfile.TemporaryDirectory() as folder:
        runs = {b: predictions(edgesim, b, folder) for b in POINTS}
    rows = sorted(runs[POINTS[0]], key=lambda r: int(r.rsplit(":", 1)[1]))
    xs = [1 / b for b in POINTS]

    def latency(row, bandwidth):
        x = 1 / bandwidth
        total = 0.0
        for i, xi in enumerate(xs):
            weight = 1.0
            for j, xj in enumerate(xs):
                if i != j:
                    weight *= (x - xj) / (xi - xj)
            total += runs[POINTS[i]][row]["as_given_ms"] * weight
        return total

    measured = {r: runs[POINTS[0]][r]["measured_ms"] for r in rows}
    model = {r: runs[POINTS[0]][r]["model"] for r in rows}
    streaming = [r for r in rows if latency(r, 400) >= 1.15 * latency(r, 500)]

    def fit(fitted):
        best = None
        for step in range(600, 1201):
            b = step / 2
            loss = sum(abs(math.log(latency(r, b) / measured[r])) for r in fitted)
            if best is None or loss < best[0]:
                best = (loss, b)
        return best[1]

    bandwidth = fit(streaming)
    print(f"fitted to {len(streaming)} rows ({', '.join(model[r] for r in streaming)}): {bandwidth:g} MB/s")
    print()
    print("| row | model | measured ms | at 400 MB/s | fitted / held out | error |")
    print("|---|---|---|---|---|---|")
    held, errors = [], []
    for r in rows:
        if r in streaming:
            b = fit([s for s in streaming if model[s] != model[r]])
            kind = f"held out ({b:g} MB/s)"
        else:
            b, kind = bandwidth, "predicted"
        error = latency(r, b) / measured[r] - 1
        errors.append(abs(error))
        if r in streaming:
            held.append(abs(error))
        before = runs[POINTS[0]][r]["as_given_ms"] / measured[r] - 1
        print(f"| {r.replace(str(ROOT) + '/', '')} | {model[r]} | {measured[r]:g} | {100 * before:+.1f}% | {kind} | {100 * error:+.1f}% |")
    print()
    print(f"fitted rows, leave-one-model-out: median |error| {100 * statistics.median(held):.1f}%, worst {100 * max(held):.1f}%")
    print(f"all {len(rows)} rows at {bandwidth:g} MB/s (fitted rows held out): median |error| "
          f"{100 * statistics.median(errors):.1f}%, worst {100 * max(errors):.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
