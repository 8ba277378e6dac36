"""EdgeSim from Python: run the ``edgesim`` binary and read its traces and
sweep results as pandas DataFrames.

>>> import edgesim
>>> run = edgesim.simulate("eyeriss-v1", "alexnet")
>>> run.totals[["latency_s", "energy_j"]]
>>> run.energy.groupby("level").joules.sum()
>>> points = edgesim.load_sweep("results.sqlite")
"""

from .binary import ENVIRONMENT_VARIABLE, find_binary
from .errors import BinaryNotFoundError, CommandError, EdgeSimError, FormatError
from .results import load_search, load_sweep, parse_hardware, parse_precision, parse_setting
from .run import simulate, sweep
from .trace import TRACE_SCHEMA, Trace, load_trace, trace_from_summary

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "TRACE_SCHEMA",
    "BinaryNotFoundError",
    "CommandError",
    "EdgeSimError",
    "FormatError",
    "Trace",
    "find_binary",
    "load_search",
    "load_sweep",
    "load_trace",
    "parse_hardware",
    "parse_precision",
    "parse_setting",
    "simulate",
    "sweep",
    "trace_from_summary",
]

__version__ = "0.1.0"
