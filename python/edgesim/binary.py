"""Finding the ``edgesim`` executable and running it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Optional, Sequence, Union

from .errors import BinaryNotFoundError, CommandError

PathLike = Union[str, "os.PathLike[str]"]

#: The environment variable naming the binary.
ENVIRONMENT_VARIABLE = "EDGESIM"


def _repository_candidates() -> list[Path]:
    """The binaries of the SwiftPM build folder of the checkout this package
    sits in (``python/edgesim/`` inside the repository: an editable or
    in-place install). Empty for an installed copy outside a checkout."""
    root = Path(__file__).resolve().parent.parent.parent
    if not (root / "Package.swift").is_file():
        return []
    return [root / ".build" / kind / "edgesim" for kind in ("release", "debug")]


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_binary(binary: Optional[PathLike] = None) -> Path:
    """The ``edgesim`` executable to run.

    Looked up in this order, the first that applies wins:

    1. ``binary``, when given;
    2. the environment variable ``EDGESIM``, when set and not empty;
    3. ``edgesim`` on ``PATH``;
    4. ``.build/release/edgesim`` then ``.build/debug/edgesim`` of the
       repository, when this package is used from its checkout.

    An explicit ``binary`` or ``EDGESIM`` that does not name an executable
    file is an error; it does not fall through to the later places.

    Raises:
        BinaryNotFoundError: with every place that was tried.
    """
    if binary is not None:
        path = Path(os.fspath(binary)).expanduser()
        if not _is_executable(path):
            raise BinaryNotFoundError(
                f"{path}: not an executable file (the binary= argument); "
                "build it with 'swift build' and pass its path"
            )
        return path
    from_environment = os.environ.get(ENVIRONMENT_VARIABLE, "")
    if from_environment:
        path = Path(from_environment).expanduser()
        if not _is_executable(path):
            raise BinaryNotFoundError(
                f"{path}: not an executable file (set by the environment "
                f"variable {ENVIRONMENT_VARIABLE}); point it at a built edgesim, "
                "e.g. $(swift build --show-bin-path)/edgesim"
            )
        return path
    on_path = shutil.which("edgesim")
    if on_path:
        return Path(on_path)
    tried = [f"the environment variable {ENVIRONMENT_VARIABLE} (not set)", "edgesim on PATH"]
    for candidate in _repository_candidates():
        if _is_executable(candidate):
            return candidate
        tried.append(str(candidate))
    raise BinaryNotFoundError(
        "no edgesim binary found; tried " + ", ".join(tried) + ". "
        "Build it with 'swift build' in the repository and set "
        f"{ENVIRONMENT_VARIABLE}=$(swift build --show-bin-path)/edgesim, "
        "or pass binary=PATH"
    )


def run(
    arguments: Sequence[str],
    binary: Optional[PathLike] = None,
    timeout: Optional[float] = None,
) -> subprocess.CompletedProcess:
    """Runs ``edgesim ARGUMENTS`` and returns the finished process (standard
    output and error captured as text).

    Raises:
        BinaryNotFoundError: see :func:`find_binary`.
        CommandError: when the binary exits with a non-zero status.
    """
    command = [str(find_binary(binary)), *arguments]
    finished = subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if finished.returncode != 0:
        raise CommandError(command, finished.returncode, finished.stderr)
    return finished
