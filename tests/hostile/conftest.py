"""The hostile adapters importable here (as the worker imports them), and the ``traces`` of each case."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = str(Path(__file__).parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from harness import Traces  # noqa: E402 — importable only once this folder is on the path


@pytest.fixture
def traces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Traces]:
    """This case's mark and pid folder, in the environment every worker and host of the case inherits;
    whatever is still alive when the test ends is killed (the test asserts there is nothing)."""
    found = Traces(tmp_path / "pids")
    found.pids.mkdir()
    for name, value in found.env().items():
        monkeypatch.setenv(name, value)
    try:
        yield found
    finally:
        found.kill_all()
