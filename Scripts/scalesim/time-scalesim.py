#!/usr/bin/env python3
"""Time SCALE-Sim 3.0.0 on one parity topology and configuration (for BENCHMARKS.md).

Usage: python3 Scripts/scalesim/time-scalesim.py os32 resnet18_slice
Needs the virtualenv that run_parity.py sets up (Scripts/.venv-scalesim).
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_parity as parity  # noqa: E402

run, stem = sys.argv[1], sys.argv[2]
python = parity.VENV / "bin" / "python"
topology = parity.WORKLOADS / "topologies" / f"{stem}.csv"
start = time.perf_counter()
parity.run_one(python, run, topology)
print(f"scalesim {run} {stem}: {time.perf_counter() - start:.2f} s wall")
