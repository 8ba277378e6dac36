#!/usr/bin/env python3
"""Regenerate EdgeSim's SCALE-Sim parity references (dev tooling only).

Installs `scalesim==3.0.0` with `numpy<2` in Scripts/.venv-scalesim (git-ignored),
writes SCALE-Sim configurations to Workloads/scalesim-parity/configs/, runs SCALE-Sim
on every topology in Workloads/scalesim-parity/topologies/ for every configuration, and
writes ONLY the numbers it reads from SCALE-Sim's report CSVs to
Tests/SimulationTests/Fixtures/scalesim/<config>__<topology>.csv. SCALE-Sim's code and
its traces are never copied into the repository.

Usage (from the repository root):
    python3 Scripts/scalesim/run_parity.py            # everything (about 15-30 minutes)
    python3 Scripts/scalesim/run_parity.py --only lenet5 --jobs 2

The run takes minutes because SCALE-Sim 3.0.0 walks every array cycle in Python.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "Scripts" / ".venv-scalesim"
WORKLOADS = ROOT / "Workloads" / "scalesim-parity"
TOPOLOGIES = WORKLOADS / "topologies"
CONFIGS = WORKLOADS / "configs"
FIXTURES = ROOT / "Tests" / "SimulationTests" / "Fixtures" / "scalesim"

# name: (rows, cols, dataflow, sram KiB, mode, bandwidth words/cycle, topologies or None
# for all). USER-mode runs are compared loosely (see Documentation/ScaleSimParity.md).
SMALL = {"lenet5", "mobilenet_slice"}
RUNS = {
    "os32": (32, 32, "os", 64, "CALC", 10, None),
    "ws32": (32, 32, "ws", 64, "CALC", 10, None),
    "is32": (32, 32, "is", 64, "CALC", 10, None),
    "os16x32": (16, 32, "os", 64, "CALC", 10, None),
    "ws16x32": (16, 32, "ws", 64, "CALC", 10, None),
    "is16x32": (16, 32, "is", 64, "CALC", 10, None),
    "os8": (8, 8, "os", 8, "CALC", 10, SMALL),
    "ws8": (8, 8, "ws", 8, "CALC", 10, SMALL),
    "is8": (8, 8, "is", 8, "CALC", 10, SMALL),
    "os32_user": (32, 32, "os", 64, "USER", 10, SMALL),
    "ws32_user": (32, 32, "ws", 64, "USER", 10, SMALL),
    "is32_user": (32, 32, "is", 64, "USER", 10, SMALL),
    "ws32_user8k": (32, 32, "ws", 8, "USER", 4, {"lenet5"}),
}

CONFIG_TEMPLATE = """[general]
run_name = {name}

[architecture_presets]
ArrayHeight = {rows}
ArrayWidth = {cols}
IfmapSramSzkB = {kib}
FilterSramSzkB = {kib}
OfmapSramSzkB = {kib}
IfmapOffset = 0
FilterOffset = 10000000
OfmapOffset = 20000000
Bandwidth = {bw}
Dataflow = {df}
ReadRequestBuffer = 32
WriteRequestBuffer = 32

[layout]
IfmapCustomLayout = False
IfmapSRAMBankBandwidth = {bw}
IfmapSRAMBankNum = 1
IfmapSRAMBankPort = 2
FilterCustomLayout = False
FilterSRAMBankBandwidth = {bw}
FilterSRAMBankNum = 1
FilterSRAMBankPort = 2

[sparsity]
SparsitySupport = false
SparseRep = ellpack_block
OptimizedMapping = false
BlockSize = 8
RandomNumberGeneratorSeed = 40

[run_presets]
InterfaceBandwidth = {mode}
UseRamulatorTrace = False
"""

FIELDS = [
    ("layer", None),
    ("total_cycles_incl_prefetch", "Total Cycles (incl. prefetch)"),
    ("total_cycles", "Total Cycles"),
    ("stall_cycles", "Stall Cycles"),
    ("overall_util_percent", "Overall Util %"),
    ("mapping_efficiency_percent", "Mapping Efficiency %"),
    ("compute_util_percent", "Compute Util %"),
    ("sram_ifmap_reads", "SRAM IFMAP Reads"),
    ("sram_filter_reads", "SRAM Filter Reads"),
    ("sram_ofmap_writes", "SRAM OFMAP Writes"),
    ("dram_ifmap_reads", "DRAM IFMAP Reads"),
    ("dram_filter_reads", "DRAM Filter Reads"),
    ("dram_ofmap_writes", "DRAM OFMAP Writes"),
]


def ensure_venv():
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    probe = subprocess.run(
        [str(python), "-c", "import scalesim, numpy; assert numpy.__version__ < '2'"],
        capture_output=True)
    if probe.returncode != 0:
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "scalesim==3.0.0", "numpy<2"],
            check=True)
    return python


def write_configs():
    CONFIGS.mkdir(parents=True, exist_ok=True)
    for name, (rows, cols, df, kib, mode, bw, _) in RUNS.items():
        text = CONFIG_TEMPLATE.format(
            name=name, rows=rows, cols=cols, kib=kib, df=df, mode=mode, bw=bw)
        (CONFIGS / f"{name}.cfg").write_text(text)


def layer_names(topology):
    """SCALE-Sim's layer names, with `DP` layers expanded per channel."""
    names = []
    with open(topology) as f:
        next(f)
        for row in f:
            row = row.strip()
            if not row:
                continue
            elems = [e.strip() for e in row.split(",")[:-1]]
            if "DP" in elems[0]:
                names += [f"{elems[0]}Channel_{i}" for i in range(int(elems[5]))]
            else:
                names.append(elems[0])
    return names


def write_layout(topology, path):
    """A layout file (mandatory in 3.0.0, unused without custom layouts)."""
    with open(topology) as f, open(path, "w") as out:
        out.write("Layer name," + ",".join(f"f{i}" for i in range(20)) + ",\n")
        next(f)
        for row in f:
            row = row.strip()
            if not row:
                continue
            elems = [e.strip() for e in row.split(",")[:-1]]
            out.write(",".join([elems[0]] + ["1"] * 4 + [elems[5]] + ["1"] * 15) + ",\n")


RUNNER = """
import sys
from scalesim.scale_sim import scalesim
cfg, topo, layout, out = sys.argv[1:5]
s = scalesim(save_disk_space=True, verbose=False, config=cfg, topology=topo, layout=layout)
s.run_scale(top_path=out)
"""


def read_csv(path):
    with open(path) as f:
        rows = [[c.strip() for c in line.split(",")] for line in f if line.strip()]
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:]]


def run_one(python, run, topology):
    name = f"{run}__{topology.stem}"
    with tempfile.TemporaryDirectory(prefix="scalesim-") as tmp:
        layout = Path(tmp) / "layout.csv"
        write_layout(topology, layout)
        proc = subprocess.run(
            [str(python), "-c", RUNNER, str(CONFIGS / f"{run}.cfg"), str(topology),
             str(layout), tmp],
            capture_output=True, text=True, cwd=tmp)
        if proc.returncode != 0:
            return f"{name}: FAILED\n{proc.stderr[-3000:]}"
        report_dir = Path(tmp) / run
        compute = read_csv(report_dir / "COMPUTE_REPORT.csv")
        detail = read_csv(report_dir / "DETAILED_ACCESS_REPORT.csv")
    names = layer_names(topology)
    assert len(names) == len(compute) == len(detail), name
    FIXTURES.mkdir(parents=True, exist_ok=True)
    with open(FIXTURES / f"{name}.csv", "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([key for key, _ in FIELDS])
        for layer, c, d in zip(names, compute, detail):
            merged = {**c, **d}
            writer.writerow([layer] + [merged[col] for _, col in FIELDS[1:]])
    return f"{name}: {len(names)} layers"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="topology stems to run")
    parser.add_argument("--runs", nargs="*", help="configuration names to run")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    python = ensure_venv()
    write_configs()
    jobs = []
    for topology in sorted(TOPOLOGIES.glob("*.csv")):
        if args.only and topology.stem not in args.only:
            continue
        for run, spec in RUNS.items():
            if args.runs and run not in args.runs:
                continue
            if spec[6] is not None and topology.stem not in spec[6]:
                continue
            jobs.append((run, topology))
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for message in pool.map(run_one, [python] * len(jobs), *zip(*jobs)):
            print(message, flush=True)


if __name__ == "__main__":
    main()
