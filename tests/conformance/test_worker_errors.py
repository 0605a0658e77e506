"""A backend exception whose ``str()`` raises is the backend's recorded error, not a dead worker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accord.conformance.check import RunSettings
from accord.conformance.runner import RunConfig, run

HERE = Path(__file__).parent


@pytest.fixture
def hostile_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.syspath_prepend(str(HERE))


def test_describe_never_raises(hostile_on_path: None) -> None:
    from hostile_answers import Unprintable

    from accord.conformance.worker import describe

    assert describe(Unprintable()) == "<unprintable Unprintable>"
    assert describe(ValueError("x" * 10_000)).endswith("(10000 characters)")


def test_unprintable_exception_is_the_backends_error(hostile_on_path: None, tmp_path: Path) -> None:
    result = run(RunConfig("tensor", "hostile_answers:raises_unprintable", select=["tensor.add.values"],
                           settings=RunSettings(seed=1, max_examples=3, timeout=30),
                           report_path=tmp_path / "report.json"))
    entry = next(r for r in result.report.results() if r["id"] == "tensor.add.values")
    assert entry["status"] == "fail", entry
    raised = [case["raised"] for case in entry["findings"] if case.get("raised")]
    assert raised and raised[0]["type"] == "Unprintable", entry["findings"]
    assert raised[0]["message"] == "<unprintable Unprintable>"
    assert not any(case["status"] == "crashed" for case in entry["findings"])
