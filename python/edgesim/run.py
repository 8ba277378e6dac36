"""Running ``edgesim simulate`` and ``edgesim sweep`` from Python."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, List, Optional

import pandas as pd

from .binary import PathLike, run
from .results import load_sweep
from .trace import Trace, load_trace

# Options simulate() manages itself: where the trace goes and how it is read.
_MANAGED = {"trace", "no_trace", "json"}


def _option_arguments(options: dict) -> List[str]:
    """``name=value`` keywords as ``--name value`` (underscores become
    dashes); ``True`` is a bare flag, ``False`` and ``None`` are left out."""
    arguments: List[str] = []
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            arguments.append(flag)
        elif isinstance(value, (str, int, float, os.PathLike)):
            arguments += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
        else:
            raise TypeError(f"option {name}={value!r}: give a string, number, path or bool")
    return arguments


def simulate(
    hardware: Optional[PathLike] = None,
    model: Optional[PathLike] = None,
    *,
    trace: Optional[PathLike] = None,
    binary: Optional[PathLike] = None,
    timeout: Optional[float] = None,
    **options: Any,
) -> Trace:
    """Simulates ``model`` on ``hardware`` with ``edgesim simulate`` and
    returns the run as a :class:`~edgesim.Trace`.

    ``hardware`` and ``model`` are bundled names (``edgesim devices``,
    ``Workloads/``) or files; ``None`` takes the binary's defaults. Every
    other option of ``edgesim simulate --help`` is a keyword with
    underscores for dashes: ``precision="int16"``, ``batch=4``,
    ``compression=path``, ``data=…``, ``labels=…``, ``cold=True``,
    ``weights_preloaded=True``, ``no_residency=True``.

    Args:
        trace: keep the trace folder there (as ``--trace``); by default it is
            written to a temporary folder, read, and removed.
        binary: the ``edgesim`` executable (see :func:`~edgesim.find_binary`).
        timeout: seconds before the run is killed (``subprocess.TimeoutExpired``).

    Raises:
        BinaryNotFoundError: no binary.
        CommandError: the binary refused the inputs or the design is
            infeasible; its message and hint are in the exception.
    """
    managed = _MANAGED & set(options)
    if managed:
        raise TypeError(
            f"simulate() sets {', '.join(sorted(managed))} itself; "
            "use trace=PATH to keep the trace folder"
        )
    arguments = ["simulate"]
    if hardware is not None:
        arguments += ["--hardware", os.fspath(hardware)]
    if model is not None:
        arguments += ["--model", os.fspath(model)]
    arguments += _option_arguments(options)
    if trace is not None:
        folder = Path(os.fspath(trace))
        run([*arguments, "--trace", str(folder)], binary=binary, timeout=timeout)
        return load_trace(folder)
    with tempfile.TemporaryDirectory(prefix="edgesim-trace-") as temporary:
        folder = Path(temporary) / "trace"
        run([*arguments, "--trace", str(folder)], binary=binary, timeout=timeout)
        loaded = load_trace(folder)
    return loaded._replace(path=None)


def sweep(
    spec: PathLike,
    db: PathLike,
    *,
    jobs: Optional[int] = None,
    shard: Optional[str] = None,
    binary: Optional[PathLike] = None,
    timeout: Optional[float] = None,
) -> pd.DataFrame:
    """Runs ``edgesim sweep SPEC --db DB`` (resuming a file that has some of
    the points) and returns :func:`~edgesim.load_sweep` of ``db``.

    Args:
        spec: the sweep file (.yaml).
        db: the SQLite results file, created if absent.
        jobs: simulations in flight at once (default: every core).
        shard: ``"K/N"``: run only the K-th of N parts.

    Raises:
        BinaryNotFoundError, CommandError: as :func:`simulate`.
    """
    arguments = ["sweep", "run", os.fspath(spec), "--db", os.fspath(db), "--quiet"]
    if jobs is not None:
        arguments += ["--jobs", str(jobs)]
    if shard is not None:
        arguments += ["--shard", str(shard)]
    run(arguments, binary=binary, timeout=timeout)
    return load_sweep(db)
