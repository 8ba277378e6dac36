"""Finding the edgesim binary."""

from __future__ import annotations

import os

import pytest

import edgesim
import edgesim.binary


def test_an_explicit_binary_wins(binary, monkeypatch):
    monkeypatch.setenv("EDGESIM", "/nonexistent/edgesim")
    assert edgesim.find_binary(binary) == binary
    trace = edgesim.simulate("systolic-32x32", "lenet5", binary=binary)
    assert len(trace.layers) > 0


def test_the_environment_variable_comes_next(binary, monkeypatch):
    monkeypatch.setenv("EDGESIM", str(binary))
    monkeypatch.setenv("PATH", "")
    assert edgesim.find_binary() == binary


def test_a_wrong_explicit_or_environment_binary_does_not_fall_through(
    binary, tmp_path, monkeypatch
):
    monkeypatch.setenv("PATH", str(binary.parent))
    with pytest.raises(edgesim.BinaryNotFoundError, match="binary= argument"):
        edgesim.find_binary(tmp_path / "edgesim")
    monkeypatch.setenv("EDGESIM", str(tmp_path / "edgesim"))
    with pytest.raises(edgesim.BinaryNotFoundError, match="environment variable EDGESIM"):
        edgesim.find_binary()
    with pytest.raises(edgesim.BinaryNotFoundError, match="EDGESIM"):
        edgesim.simulate()


def test_then_path_then_the_repository_build(binary, tmp_path, monkeypatch):
    monkeypatch.delenv("EDGESIM", raising=False)
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "edgesim").symlink_to(binary)
    monkeypatch.setenv("PATH", str(folder))
    assert edgesim.find_binary() == folder / "edgesim"

    monkeypatch.setenv("PATH", "")
    built = tmp_path / "release" / "edgesim"
    monkeypatch.setattr(
        edgesim.binary, "_repository_candidates", lambda: [built, folder / "edgesim"]
    )
    assert edgesim.find_binary() == folder / "edgesim"


def test_no_binary_anywhere_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.delenv("EDGESIM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    candidate = tmp_path / ".build" / "debug" / "edgesim"
    monkeypatch.setattr(edgesim.binary, "_repository_candidates", lambda: [candidate])
    with pytest.raises(edgesim.BinaryNotFoundError) as caught:
        edgesim.find_binary()
    message = str(caught.value)
    assert "EDGESIM (not set)" in message and "PATH" in message and str(candidate) in message
    assert isinstance(caught.value, FileNotFoundError)


def test_a_file_that_is_not_executable_is_not_a_binary(tmp_path):
    script = tmp_path / "edgesim"
    script.write_text("#!/bin/sh\n")
    os.chmod(script, 0o644)
    if os.access(script, os.X_OK):
        pytest.fail(
            "cannot make a non-executable file here (running as a user that bypasses permissions?)"
        )
    with pytest.raises(edgesim.BinaryNotFoundError, match="not an executable"):
        edgesim.find_binary(script)
