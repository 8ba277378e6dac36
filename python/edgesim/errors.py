"""The exceptions of the package."""

from __future__ import annotations

from typing import Sequence


class EdgeSimError(Exception):
    """Base class of every error this package raises on purpose."""


class BinaryNotFoundError(EdgeSimError, FileNotFoundError):
    """No usable ``edgesim`` executable was found."""


class CommandError(EdgeSimError):
    """``edgesim`` ran and exited with a non-zero status.

    ``command`` is the argument list, ``returncode`` the exit status and
    ``stderr`` what the binary wrote on standard error (its diagnostic and
    hint).
    """

    def __init__(self, command: Sequence[str], returncode: int, stderr: str):
        self.command = list(command)
        self.returncode = returncode
        self.stderr = stderr
        detail = stderr.strip() or "(nothing on standard error)"
        super().__init__(
            f"edgesim exited with status {returncode}: {' '.join(self.command)}\n{detail}"
        )


class FormatError(EdgeSimError, ValueError):
    """A trace folder or results file is not what EdgeSim writes."""
