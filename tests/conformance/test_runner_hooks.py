"""The runner's policies: the spec version a run defaults to; a suite may clean the backend up after a failure."""

from __future__ import annotations

from accord.conformance.check import Context, Outcome, RunSettings
from accord.conformance.families import FamilySuite
from accord.conformance.runner import default_version, run_requirement
from accord.spec import load_spec


def test_a_run_defaults_to_the_latest_released_version_the_adapter_declares() -> None:
    assert default_version("tensor", ("1.0",)) == "1.0"  # an adapter written for 1.0 keeps running on 1.0
    assert default_version("tensor", ("1.0", "1.1")) == "1.1"
    assert default_version("tensor", ("1.0", "1.1", "draft")) == "1.1"  # the draft is only ever chosen by name
    assert default_version("tensor", None) is None  # not known here (another venv): the latest released
    assert default_version("tensor", ("9.9",)) is None


def test_after_failure_runs_only_after_a_failure() -> None:
    spec = load_spec("tensor")
    failing, passing = spec.requirement("tensor.add.values"), spec.requirement("tensor.subtract.values")
    cleaned: list[str] = []

    def check(ctx, req, doc):  # noqa: ANN001, ANN202 — the check signature
        return Outcome("fail" if req is failing else "pass", message="wrong")

    def after_failure(ctx):  # noqa: ANN001, ANN202
        cleaned.append("yes")
        raise RuntimeError("undeploy went wrong")

    suite = FamilySuite("tensor", checks={"values": check}, after_failure=after_failure)
    ctx = Context(backend=None, spec=spec, settings=RunSettings())  # type: ignore[arg-type]
    assert run_requirement(ctx, suite, passing)["status"] == "pass"
    assert cleaned == []
    result = run_requirement(ctx, suite, failing)
    assert cleaned == ["yes"]
    assert result["status"] == "fail"  # the recorded result stands, the cleanup problem is noted
    assert "cleaning up after the failure raised RuntimeError: undeploy went wrong" in result["message"]
