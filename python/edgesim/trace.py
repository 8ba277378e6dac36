"""Reading a trace folder (``edgesim simulate --trace DIR``) into DataFrames.

The folder's ``summary.json`` (schema ``edgesim.trace/2`` (or ``/1``), described in the
repository's Documentation/Traces.md) holds every figure; ``layers.csv``
repeats the per-layer ones with a column per on-chip level, so its columns
depend on the device. This module reads ``summary.json`` only and gives
every device the same columns: per-level energies and traffic are long
tables, one row per layer and level.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Tuple, Union

import pandas as pd

from .errors import FormatError

#: The summary schema this package reads.
TRACE_SCHEMA = "edgesim.trace/2"
# Version 1 named the on-chip energies ``on_chip``; both are read.
READABLE_SCHEMAS = (TRACE_SCHEMA, "edgesim.trace/1")

OPERANDS = ("weights", "inputs", "outputs")

# (column, dtype). Every frame is built with exactly these columns and types,
# whatever the device, so frames of different runs concatenate cleanly.
_STRING = "string"
_INT = "Int64"
_FLOAT = "float64"
_BOOL = "boolean"

TOTALS_COLUMNS: List[Tuple[str, str]] = [
    ("model", _STRING),
    ("device", _STRING),
    ("precision", _STRING),
    ("batch", _INT),
    ("inference", _STRING),
    ("parameters", _STRING),
    ("dram_coding", _STRING),
    ("clock_hz", _FLOAT),
    ("peak_macs_per_s", _FLOAT),
    ("cycles", _INT),
    ("latency_s", _FLOAT),
    ("throughput_per_s", _FLOAT),
    ("energy_j", _FLOAT),
    ("energy_mac_j", _FLOAT),
    ("energy_ops_j", _FLOAT),
    ("energy_dram_j", _FLOAT),
    ("energy_onchip_j", _FLOAT),
    ("energy_static_j", _FLOAT),
    ("energy_weights_j", _FLOAT),
    ("energy_inputs_j", _FLOAT),
    ("energy_outputs_j", _FLOAT),
    ("backing_store", _STRING),
    ("average_power_w", _FLOAT),
    ("macs", _INT),
    ("operations", _INT),
    ("ops_per_s", _FLOAT),
    ("mac_utilization", _FLOAT),
    ("dram_bytes", _INT),
    ("dram_bytes_read", _INT),
    ("dram_bytes_written", _INT),
    ("accuracy_arithmetic", _STRING),
    ("accuracy_samples", _INT),
    ("top1", _FLOAT),
    ("top5", _FLOAT),
    ("float_top1", _FLOAT),
    ("top1_agreement", _FLOAT),
    ("output_sqnr_db", _FLOAT),
]

LAYER_COLUMNS: List[Tuple[str, str]] = [
    ("position", _INT),
    ("layer", _STRING),
    ("op", _STRING),
    ("cycles", _INT),
    ("latency_s", _FLOAT),
    ("start_s", _FLOAT),
    ("stall_s", _FLOAT),
    ("energy_j", _FLOAT),
    ("energy_mac_j", _FLOAT),
    ("energy_ops_j", _FLOAT),
    ("energy_dram_j", _FLOAT),
    ("energy_onchip_j", _FLOAT),
    ("energy_static_j", _FLOAT),
    ("energy_weights_j", _FLOAT),
    ("energy_inputs_j", _FLOAT),
    ("energy_outputs_j", _FLOAT),
    ("dram_bytes", _INT),
    ("dram_read_weights", _INT),
    ("dram_read_inputs", _INT),
    ("dram_read_outputs", _INT),
    ("dram_written_weights", _INT),
    ("dram_written_inputs", _INT),
    ("dram_written_outputs", _INT),
    ("bound", _STRING),
    ("bound_detail", _STRING),
    ("utilization", _FLOAT),
    ("spatial_utilization", _FLOAT),
    ("tiles", _INT),
    ("output_on_chip", _BOOL),
    ("inputs_on_chip", _BOOL),
    ("fused_into", _STRING),
    ("buffer_bytes", _INT),
    ("macs", _INT),
    ("operations", _INT),
    ("mapping", _STRING),
    ("widths", _STRING),
    ("arithmetic_intensity", _FLOAT),
    ("peak_ops_per_s", _FLOAT),
    ("bandwidth_bytes_per_s", _FLOAT),
    ("attainable_ops_per_s", _FLOAT),
    ("roofline_bound_s", _FLOAT),
    ("dram_coding_weights", _FLOAT),
    ("dram_coding_inputs", _FLOAT),
    ("dram_coding_outputs", _FLOAT),
]

ENERGY_COLUMNS: List[Tuple[str, str]] = [
    ("position", _INT),
    ("layer", _STRING),
    ("kind", _STRING),
    ("level", _STRING),
    ("joules", _FLOAT),
]

TOTAL_ENERGY_COLUMNS: List[Tuple[str, str]] = [
    ("kind", _STRING),
    ("level", _STRING),
    ("joules", _FLOAT),
]

TRAFFIC_COLUMNS: List[Tuple[str, str]] = [
    ("position", _INT),
    ("layer", _STRING),
    ("depth", _INT),
    ("level", _STRING),
    ("operand", _STRING),
    ("direction", _STRING),
    ("bytes", _INT),
]


class Trace(NamedTuple):
    """One simulated run, as DataFrames.

    Attributes:
        path: the trace folder (``None`` for a run read from JSON alone).
        summary: ``summary.json`` as parsed, for anything not tabulated.
        totals: one row: the run's names and totals. Energies are per
            inference, the other figures for the whole batch
            (Documentation/Traces.md, "Scope of each figure").
        layers: one row per layer in execution order (``position`` from 0),
            whole-batch figures.
        energy: long format, one row per layer and energy component:
            ``kind`` is ``mac``, ``ops``, ``dram`` (the backing store,
            whatever its level's name), ``onchip`` or ``static``; ``level`` is the memory level's name for the two
            memory kinds (``dram``, ``glb``, …) and repeats ``kind`` for
            the others. Joules of the whole batch.
        total_energy: the same components for the run, joules per inference.
        traffic: long format, bytes read and written per layer, memory level
            (``depth`` 0 is the backing store), operand and direction.
    """

    path: Union[Path, None]
    summary: Dict[str, Any]
    totals: pd.DataFrame
    layers: pd.DataFrame
    energy: pd.DataFrame
    total_energy: pd.DataFrame
    traffic: pd.DataFrame


def _onchip(energy: dict) -> dict:
    """The on-chip energies by level: ``onchip`` (schema 2) or ``on_chip`` (1)."""
    levels = energy.get("onchip")
    if levels is None:
        levels = energy.get("on_chip")
    return levels or {}


def _frame(rows: List[Dict[str, Any]], columns: List[Tuple[str, str]]) -> pd.DataFrame:
    names = [name for name, _ in columns]
    frame = pd.DataFrame.from_records(rows, columns=names) if rows else pd.DataFrame(columns=names)
    return frame.astype(dict(columns))


def _number(value: Any) -> Any:
    """A JSON number as is; ``None`` (the summary's non-finite values) as NaN."""
    return math.nan if value is None else value


def _energy_components(energy: Dict[str, Any]) -> List[Tuple[str, str, float]]:
    """(kind, level, joules) for each component of an energy object."""
    store = energy.get("backing_store") or "backing_store"
    components = [
        ("mac", "mac", _number(energy.get("mac", 0.0))),
        ("ops", "ops", _number(energy.get("ops", 0.0))),
        ("dram", store, _number(energy.get("dram", 0.0))),
    ]
    for level, joules in _onchip(energy).items():
        components.append(("onchip", level, _number(joules)))
    components.append(("static", "static", _number(energy.get("static", 0.0))))
    return components


def _energy_columns(energy: Dict[str, Any]) -> Dict[str, Any]:
    on_chip = _onchip(energy)
    by_operand = energy.get("by_operand") or {}
    columns = {
        "energy_mac_j": _number(energy.get("mac")),
        "energy_ops_j": _number(energy.get("ops")),
        "energy_dram_j": _number(energy.get("dram")),
        "energy_onchip_j": math.fsum(_number(j) for j in on_chip.values()),
        "energy_static_j": _number(energy.get("static")),
    }
    for operand in OPERANDS:
        columns[f"energy_{operand}_j"] = _number(by_operand.get(operand))
    return columns


def _require(condition: bool, where: Path, message: str) -> None:
    if not condition:
        raise FormatError(f"{where}: {message}")


def trace_from_summary(summary: Dict[str, Any], path: Union[Path, None] = None) -> Trace:
    """A :class:`Trace` from a parsed ``summary.json`` (or the object
    ``edgesim simulate --json`` prints).

    Raises:
        FormatError: not an ``edgesim.trace/2`` (or ``/1``) summary.
    """
    where = path / "summary.json" if path is not None else Path("<summary>")
    _require(isinstance(summary, dict), where, "not a JSON object")
    schema = summary.get("schema")
    _require(
        schema in READABLE_SCHEMAS,
        where,
        f"schema {schema!r}, but this package reads {TRACE_SCHEMA!r} (or version 1); "
        "write the trace again with this edgesim, or update the Python package",
    )
    totals = summary.get("totals")
    _require(
        isinstance(totals, dict)
        and "latency_s" in totals
        and isinstance(totals.get("energy"), dict),
        where,
        "'totals' lacks 'latency_s' or 'energy'",
    )
    layers = summary.get("layers")
    _require(isinstance(layers, list), where, "'layers' is not a list")

    accuracy = summary.get("accuracy") or {}
    total_row = {
        name: summary.get(name)
        for name in (
            "model",
            "device",
            "precision",
            "batch",
            "inference",
            "parameters",
            "dram_coding",
            "clock_hz",
            "peak_macs_per_s",
        )
    }
    for name, _ in TOTALS_COLUMNS:
        if name in totals and not isinstance(totals[name], dict):
            total_row[name] = _number(totals[name])
    total_row.update(_energy_columns(totals["energy"]))
    total_row["backing_store"] = totals["energy"].get("backing_store")
    total_row["accuracy_arithmetic"] = accuracy.get("arithmetic")
    total_row["accuracy_samples"] = accuracy.get("samples")
    for name in ("top1", "top5", "float_top1", "top1_agreement", "output_sqnr_db"):
        total_row[name] = _number(accuracy.get(name))

    layer_rows: List[Dict[str, Any]] = []
    energy_rows: List[Dict[str, Any]] = []
    traffic_rows: List[Dict[str, Any]] = []
    plain = {name for name, _ in LAYER_COLUMNS}
    for position, layer in enumerate(layers):
        _require(
            isinstance(layer, dict)
            and "name" in layer
            and "latency_s" in layer
            and isinstance(layer.get("energy"), dict),
            where,
            f"layers[{position}] lacks 'name', 'latency_s' or 'energy'",
        )
        name = layer["name"]
        row: Dict[str, Any] = {"position": position, "layer": name}
        for key, value in layer.items():
            if key in plain and key not in row and not isinstance(value, (dict, list)):
                row[key] = _number(value) if not isinstance(value, (str, bool)) else value
        row.update(_energy_columns(layer["energy"]))
        for direction in ("read", "written"):
            counts = layer.get(f"dram_{direction}") or {}
            for operand in OPERANDS:
                row[f"dram_{direction}_{operand}"] = counts.get(operand, 0)
        roofline = layer.get("roofline") or {}
        for key in (
            "arithmetic_intensity",
            "peak_ops_per_s",
            "bandwidth_bytes_per_s",
            "attainable_ops_per_s",
        ):
            row[key] = _number(roofline.get(key))
        row["roofline_bound_s"] = _number(roofline.get("bound_s"))
        coding = layer.get("dram_coding") or {}
        for operand in OPERANDS:
            row[f"dram_coding_{operand}"] = _number(coding.get(operand))
        layer_rows.append(row)

        for kind, level, joules in _energy_components(layer["energy"]):
            energy_rows.append(
                {
                    "position": position,
                    "layer": name,
                    "kind": kind,
                    "level": level,
                    "joules": joules,
                }
            )
        for depth, level in enumerate(layer.get("levels") or []):
            for direction, key in (("read", "reads"), ("write", "writes")):
                for operand, count in sorted((level.get(key) or {}).items()):
                    traffic_rows.append(
                        {
                            "position": position,
                            "layer": name,
                            "depth": depth,
                            "level": level.get("level"),
                            "operand": operand,
                            "direction": direction,
                            "bytes": count,
                        }
                    )

    total_energy_rows = [
        {"kind": kind, "level": level, "joules": joules}
        for kind, level, joules in _energy_components(totals["energy"])
    ]
    return Trace(
        path=path,
        summary=summary,
        totals=_frame([total_row], TOTALS_COLUMNS),
        layers=_frame(layer_rows, LAYER_COLUMNS),
        energy=_frame(energy_rows, ENERGY_COLUMNS),
        total_energy=_frame(total_energy_rows, TOTAL_ENERGY_COLUMNS),
        traffic=_frame(traffic_rows, TRAFFIC_COLUMNS),
    )


def load_trace(directory: Union[str, "os.PathLike[str]"]) -> Trace:
    """Reads a trace folder written by ``edgesim simulate --trace DIR``.

    Raises:
        FileNotFoundError: the folder, or its ``summary.json``, is missing.
        FormatError: ``summary.json`` is not JSON or not an
            ``edgesim.trace/2`` (or ``/1``) summary.
    """
    folder = Path(os.fspath(directory))
    if not folder.is_dir():
        if folder.is_file() and folder.name == "summary.json":
            folder = folder.parent
        else:
            raise FileNotFoundError(
                f"{folder}: no such trace folder "
                "(a folder written by 'edgesim simulate --trace DIR')"
            )
    summary_path = folder / "summary.json"
    if not summary_path.is_file():
        raise FileNotFoundError(
            f"{folder}: not a trace folder: it has no summary.json "
            "(write one with 'edgesim simulate --trace DIR')"
        )
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FormatError(f"{summary_path}: not JSON ({error})") from None
    return trace_from_summary(summary, folder)
