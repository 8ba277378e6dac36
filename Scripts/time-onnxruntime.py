#!/usr/bin/env python3
"""Times onnxruntime's float inference of one model on one .npy batch.

Prints one JSON line: {"best_seconds", "median_seconds", "cpu_median_seconds",
"runs", "threads", "onnxruntime"}. Only session.run is timed (not Python
start-up, imports or session creation), after one warm-up run; this is the
reference that Scripts/benchmark-run.sh compares `edgesim run`'s executor time
with. "cpu_median_seconds" is the median of the process's CPU time
(time.process_time: every thread, user + system) per session.run, the figure
that a loaded machine disturbs least; `--threads 1` sets intra_op_num_threads.

    Scripts/.venv/bin/python Scripts/time-onnxruntime.py MODEL.onnx INPUT.npy [--runs 7] [--threads 1]

(The venv: python3 -m venv V && V/bin/pip install onnx onnxruntime numpy.)
"""
import argparse
import json
import statistics
import time

import numpy as np
import onnxruntime as ort


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("input")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--threads", type=int, default=0,
                        help="intra-op threads (0: onnxruntime's default, every core)")
    args = parser.parse_args()

    options = ort.SessionOptions()
    # Default threading (every core), as edgesim run uses every core.
    if args.threads > 0:
        options.intra_op_num_threads = args.threads
    session = ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    x = np.load(args.input)
    session.run(None, {name: x})  # warm-up
    times = []
    cpu = []
    for _ in range(args.runs):
        start = time.perf_counter()
        cpu_start = time.process_time()
        session.run(None, {name: x})
        cpu.append(time.process_time() - cpu_start)
        times.append(time.perf_counter() - start)
    print(json.dumps({
        "best_seconds": min(times),
        "median_seconds": statistics.median(times),
        "cpu_median_seconds": statistics.median(cpu),
        "runs": args.runs,
        "threads": options.intra_op_num_threads,
        "onnxruntime": ort.__version__,
    }))


if __name__ == "__main__":
    main()
