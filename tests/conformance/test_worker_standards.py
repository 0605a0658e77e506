"""The kit tells the worker which standard revisions the run's spec version follows (hello ``params.standards``):
the reference answers tensor 3.0 (2024.12) with lists and the 4.0 draft (2025.12) with tuples, in a real worker,
and numpy's 3.0-only expected failure does not hold for 4.0."""

from __future__ import annotations

import pytest

from accord.conformance.check import RunSettings
from accord.conformance.runner import RunConfig, run
from accord.spec import load_spec

SELECT = ["tensor.meshgrid.result-container", "tensor.broadcast_arrays.result-container"]


@pytest.mark.parametrize("version", ["3.0", "draft"])
def test_the_reference_answers_as_the_revision_of_the_run(version: str) -> None:
    result = run(RunConfig("tensor", "reference", spec_version=version, select=SELECT,
                           settings=RunSettings(seed=1, max_examples=10)))
    statuses = {r["id"]: r["status"] for r in result.report.results()}
    assert statuses == dict.fromkeys(SELECT, "pass")
    revision = load_spec("tensor", version).standards[0].revision
    assert revision == ("2024.12" if version == "3.0" else "2025.12")


def test_a_hello_without_standards_leaves_the_default() -> None:
    """An older kit says nothing: the reference keeps 2024.12 (lists), so 3.0 still passes and 4.0 fails."""
    from accord_testing import InProcess

    from accord.adapters.tensor.reference_adapter import adapter

    InProcess(adapter, start=True)  # no spec: follow([])
    assert type(adapter.invoke("call", {"fn": "meshgrid", "args": [], "kwargs": {}})) is list


@pytest.mark.parametrize(("version", "status"), [("3.0", "xfail"), ("draft", "pass")])
def test_numpy_s_tuples_are_expected_to_fail_only_in_3_0(version: str, status: str) -> None:
    result = run(RunConfig("tensor", "numpy", spec_version=version, select=SELECT[:1],
                           settings=RunSettings(seed=1, max_examples=10)))
    assert [r["status"] for r in result.report.results()] == [status]
