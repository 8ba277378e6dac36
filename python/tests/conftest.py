"""Shared fixtures. The tests run the real edgesim binary: set EDGESIM to it
(``EDGESIM=$(swift build --show-bin-path)/edgesim``). Without a binary every
test that needs one fails with the lookup's message; none is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

import edgesim

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def binary() -> Path:
    try:
        return edgesim.find_binary()
    except edgesim.BinaryNotFoundError as error:
        pytest.fail(f"these tests run the real edgesim binary: {error}", pytrace=False)


@pytest.fixture(scope="session")
def repository() -> Path:
    if not (REPOSITORY / "Package.swift").is_file():
        pytest.fail(
            f"{REPOSITORY}: not the EdgeSim repository (the tests read its Workloads/)",
            pytrace=False,
        )
    return REPOSITORY
