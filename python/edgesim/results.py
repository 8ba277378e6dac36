"""Reading a sweep results file (``edgesim sweep SPEC --db FILE``).

The file is SQLite (the repository's Documentation/ResultsDatabase.md); it
is opened read-only with Python's ``sqlite3``. The ``points`` table keeps a
point's precision settings and hardware overrides packed in two text
columns; :func:`load_sweep` splits them into one column per setting.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union
from urllib.parse import quote

import pandas as pd

from .errors import FormatError

#: ``PRAGMA application_id`` of a results file: ASCII ``EdSm``.
APPLICATION_ID = 0x4564536D

#: Hardware parameters whose values are whole numbers.
COUNT_PARAMETERS = frozenset({"array_size", "array_rows", "array_columns", "dsp_slices"})

_SETTING = re.compile(
    r"(?P<bits>\d+)(?:/fl(?P<fl>-?\d+)|(?:/wfl(?P<wfl>-?\d+))?(?:/afl(?P<afl>-?\d+))?)"
)

_POINT_COLUMNS: List[Tuple[str, str]] = [
    ("point_id", "string"),
    ("status", "string"),
    ("reason", "string"),
    ("model", "string"),
    ("device", "string"),
    ("batch", "Int64"),
    ("default_bits", "Int64"),
]

_METRIC_COLUMNS: List[Tuple[str, str]] = [
    ("latency_s", "float64"),
    ("energy_j", "float64"),
    ("energy_mac_j", "float64"),
    ("energy_ops_j", "float64"),
    ("energy_dram_j", "float64"),
    ("energy_onchip_j", "float64"),
    ("energy_static_j", "float64"),
    ("dram_bytes", "Int64"),
    ("top1", "float64"),
]

_SEARCH_COLUMNS: List[Tuple[str, str]] = [
    ("context", "string"),
    ("objective", "string"),
    ("max_accuracy_drop", "float64"),
    ("float_top1", "float64"),
    ("start_point_id", "string"),
    ("chosen_point_id", "string"),
    ("steps", "string"),
    ("evaluations", "Int64"),
    ("reason", "string"),
]


class PrecisionSetting(tuple):
    """``(bits, weight_fl, activation_fl)``; a fractional length is ``None``
    when the point leaves it to calibration."""

    __slots__ = ()

    def __new__(cls, bits: int, weight_fl: Optional[int], activation_fl: Optional[int]):
        return super().__new__(cls, (bits, weight_fl, activation_fl))

    @property
    def bits(self) -> int:
        return self[0]

    @property
    def weight_fl(self) -> Optional[int]:
        return self[1]

    @property
    def activation_fl(self) -> Optional[int]:
        return self[2]


def parse_setting(text: str) -> PrecisionSetting:
    """A precision setting as point identifiers write it: ``8``, ``8/fl5``
    (weights and output share fl 5), ``8/wfl7``, ``8/afl3``, ``8/wfl7/afl3``.

    Raises:
        ValueError: any other text.
    """
    match = _SETTING.fullmatch(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a precision setting (bits, then /flN, /wflN, /aflN or /wflN/aflN)"
        )
    if match["fl"] is not None:
        fl = int(match["fl"])
        return PrecisionSetting(int(match["bits"]), fl, fl)
    weight = int(match["wfl"]) if match["wfl"] is not None else None
    activation = int(match["afl"]) if match["afl"] is not None else None
    return PrecisionSetting(int(match["bits"]), weight, activation)


def _pairs(text: str, what: str) -> List[Tuple[str, str]]:
    """``key=value`` pairs joined by ``;``. A key may itself contain ``=``
    (values never do), so each pair splits at its last ``=``."""
    if text is None or text == "":
        return []
    pairs = []
    for part in text.split(";"):
        key, equals, value = part.rpartition("=")
        if not equals or not key or not value:
            raise ValueError(f"{what} {text!r}: {part!r} is not 'name=value'")
        pairs.append((key, value))
    return pairs


def parse_precision(text: Optional[str]) -> Dict[str, PrecisionSetting]:
    """The ``precision`` column: ``axis=setting`` pairs joined by ``;``
    (``/conv1/Conv=8/fl5;convs=4``), in axis order. An axis is a layer name,
    a group's name, layer names joined by ``+``, or ``all``.

    Raises:
        ValueError: text not of that form, or an axis named twice.
    """
    settings: Dict[str, PrecisionSetting] = {}
    for axis, value in _pairs(text or "", "precision"):
        if axis in settings:
            raise ValueError(f"precision {text!r}: axis {axis!r} appears twice")
        try:
            settings[axis] = parse_setting(value)
        except ValueError as error:
            raise ValueError(f"precision {text!r}: {error}") from None
    return settings


def parse_hardware(text: Optional[str]) -> Dict[str, float]:
    """The ``hardware`` column: ``parameter=value`` pairs joined by ``;``
    (``array_size=16;clock=150000000``), values in base units (bytes,
    bytes per second, hertz).

    Raises:
        ValueError: text not of that form, a value that is not a number, or
            a parameter named twice.
    """
    values: Dict[str, float] = {}
    for name, value in _pairs(text or "", "hardware"):
        if name in values:
            raise ValueError(f"hardware {text!r}: parameter {name!r} appears twice")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"hardware {text!r}: {value!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"hardware {text!r}: {value!r} is not finite")
        values[name] = number
    return values


def _open(database: Path) -> sqlite3.Connection:
    """A read-only connection to a results file, after checking that it is one."""
    if not database.exists():
        raise FileNotFoundError(f"{database}: no such results file")
    if not database.is_file():
        raise FormatError(f"{database}: not a file")
    with open(database, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise FormatError(
            f"{database}: not a SQLite database; "
            "name a results file of 'edgesim sweep SPEC --db FILE'"
        )
    # Read-write but query-only where the file and its folder are writable:
    # then, as with the sqlite3 shell, the last connection to a file in WAL
    # mode removes the -wal and -shm files it made on closing (a read-only
    # connection would leave them beside the file). Nothing is written
    # through it; SQLite may fold the log of a killed sweep into the file.
    resolved = database.resolve()
    writable = os.access(resolved, os.W_OK) and os.access(resolved.parent, os.W_OK)
    uri = "file:" + quote(str(resolved)) + ("?mode=rw" if writable else "?mode=ro")
    connection = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        connection.execute("PRAGMA query_only = 1")
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            row[0]: {column[1] for column in connection.execute(f'PRAGMA table_info("{row[0]}")')}
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as error:
        connection.close()
        raise FormatError(f"{database}: unreadable SQLite database ({error})") from None
    if application_id not in (APPLICATION_ID, 0):
        connection.close()
        raise FormatError(
            f"{database}: a SQLite database of another application "
            f"(application_id {application_id:#x}); "
            "name a results file of 'edgesim sweep'"
        )
    needed = {name for name, _ in _POINT_COLUMNS + _METRIC_COLUMNS} | {
        "precision",
        "hardware",
        "parameters",
    }
    missing = needed - tables.get("points", set())
    if missing:
        connection.close()
        what = (
            "no 'points' table"
            if "points" not in tables
            else "'points' lacks " + ", ".join(sorted(missing))
        )
        raise FormatError(f"{database}: not a results file of 'edgesim sweep': {what}")
    return connection


def _typed(frame: pd.DataFrame, columns: List[Tuple[str, str]]) -> pd.DataFrame:
    return frame.astype(dict(columns))


def load_sweep(database: Union[str, "os.PathLike[str]"]) -> pd.DataFrame:
    """The points of a results file, one row per point, ordered by
    ``point_id``.

    Columns: ``point_id``, ``status`` (``done``, ``infeasible``, ``failed``),
    ``reason``, ``model``, ``device``, ``batch``, ``default_bits``; then, per
    precision axis in the order the points name them, ``bits[AXIS]``,
    ``weight_fl[AXIS]`` and ``activation_fl[AXIS]`` (nullable integers: NA
    where the point has no setting on that axis or leaves the fractional
    length to calibration); then ``hardware[PARAMETER]`` per hardware
    override (base units; whole-number parameters as integers); then the
    metrics ``latency_s``, ``energy_j``, ``energy_mac_j``, ``energy_ops_j``,
    ``energy_dram_j``, ``energy_onchip_j``, ``energy_static_j``,
    ``dram_bytes``, ``top1`` (NA unless the point is done); and
    ``parameters``, the point's canonical text.

    ``frame.attrs["sweep_info"]`` holds the ``sweep_info`` table as a dict
    (``sweep`` is the sweep file's name).

    Raises:
        FileNotFoundError: no such file.
        FormatError: not a results file, or a point whose ``precision`` or
            ``hardware`` text is not of the documented form.
    """
    path = Path(os.fspath(database))
    with closing(_open(path)) as connection:
        names = [name for name, _ in _POINT_COLUMNS + _METRIC_COLUMNS] + [
            "precision",
            "hardware",
            "parameters",
        ]
        query = (
            "SELECT " + ", ".join(f'"{name}"' for name in names) + " FROM points ORDER BY point_id"
        )
        rows = [dict(zip(names, row)) for row in connection.execute(query)]
        info: Dict[str, Any] = {}
        if connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sweep_info'"
        ).fetchone():
            info = dict(connection.execute("SELECT key, value FROM sweep_info"))

    axes: Dict[str, None] = {}
    parameters: Dict[str, None] = {}
    for row in rows:
        try:
            row["precision"] = parse_precision(row["precision"])
            row["hardware"] = parse_hardware(row["hardware"])
        except ValueError as error:
            raise FormatError(f"{path}: point {row['point_id']}: {error}") from None
        axes.update(dict.fromkeys(row["precision"]))
        parameters.update(dict.fromkeys(row["hardware"]))

    setting_columns: List[Tuple[str, str]] = []
    for axis in axes:
        setting_columns += [
            (f"bits[{axis}]", "Int64"),
            (f"weight_fl[{axis}]", "Int64"),
            (f"activation_fl[{axis}]", "Int64"),
        ]
    hardware_columns = [
        (f"hardware[{name}]", "Int64" if name in COUNT_PARAMETERS else "float64")
        for name in parameters
    ]
    records = []
    for row in rows:
        record = {name: row[name] for name, _ in _POINT_COLUMNS}
        for axis, setting in row["precision"].items():
            record[f"bits[{axis}]"] = setting.bits
            record[f"weight_fl[{axis}]"] = setting.weight_fl
            record[f"activation_fl[{axis}]"] = setting.activation_fl
        for name, value in row["hardware"].items():
            record[f"hardware[{name}]"] = value
        for name, _ in _METRIC_COLUMNS:
            record[name] = row[name]
        record["parameters"] = row["parameters"]
        records.append(record)

    columns = (
        _POINT_COLUMNS
        + setting_columns
        + hardware_columns
        + _METRIC_COLUMNS
        + [("parameters", "string")]
    )
    names = [name for name, _ in columns]
    frame = (
        pd.DataFrame.from_records(records, columns=names)
        if records
        else pd.DataFrame(columns=names)
    )
    frame = _typed(frame, columns)
    frame.attrs["sweep_info"] = info
    return frame


def load_search(database: Union[str, "os.PathLike[str]"]) -> pd.DataFrame:
    """The precision searches' outcomes (``search_choices``), one row per
    context; empty for a file without searches (or written before them).

    Raises:
        FileNotFoundError, FormatError: as :func:`load_sweep`.
    """
    path = Path(os.fspath(database))
    names = [name for name, _ in _SEARCH_COLUMNS]
    with closing(_open(path)) as connection:
        present = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_choices'"
        ).fetchone()
        rows = []
        if present:
            query = (
                "SELECT "
                + ", ".join(f'"{name}"' for name in names)
                + " FROM search_choices ORDER BY context"
            )
            rows = connection.execute(query).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=names) if rows else pd.DataFrame(columns=names)
    return _typed(frame, _SEARCH_COLUMNS)
