"""The mutation framework on real workers: a killed mutant names the requirements that killed it, a mutant
without a behaviour change survives, the report is schema-valid, the exit code follows the score, and the
mutant adapter never runs in the kit's own process."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from accord.conformance.check import RunSettings
from accord.conformance.mutate import report
from accord.conformance.mutate.runner import MutateConfig, exit_code, group_scores, run_mutants

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def outcome() -> object:
    """One run of the two test mutants (argmax's requirements only), workers seeing this folder."""
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), previous]))
    sys.path.insert(0, str(HERE))
    try:
        import noop_mutants

        loaded_before = "accord.conformance.mutate.tensor.adapter" in sys.modules
        result = run_mutants(noop_mutants.MUTANTS, MutateConfig("tensor", "draft", settings=RunSettings(
            seed=1, max_examples=25, timeout=30.0), min_score=0.95))
        result.adapter_loaded_here = "accord.conformance.mutate.tensor.adapter" in sys.modules and not loaded_before
        return result
    finally:
        sys.path.remove(str(HERE))
        if previous is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = previous


def _by_id(outcome: object) -> dict:
    return {r.mutant.id: r for r in outcome.results}


def test_killed_mutant_names_its_killing_requirements(outcome: object) -> None:
    killed = _by_id(outcome)["tensor.argmax.last-tie"]
    assert killed.status == "killed"
    assert "tensor.argmax.values" in killed.killed_by
    assert "tensor.argmax.signature" not in killed.killed_by  # the override keeps the reference's signature


def test_mutant_without_behaviour_change_survives(outcome: object) -> None:
    same = _by_id(outcome)["tensor.argmax.same-answer"]
    assert same.status == "survived" and same.killed_by == []
    assert same.requirements == [f"tensor.argmax.{a}" for a in ("signature", "dtype", "shape", "values")]


def test_scores_and_exit_code(outcome: object) -> None:
    (searching,) = group_scores(outcome)
    assert (searching.id, searching.killed, searching.total, searching.score) == ("searching", 1, 2, 0.5)
    assert exit_code(outcome) == 1  # 50 % is below the default 95 %
    outcome.config.min_score = 0.5
    try:
        assert exit_code(outcome) == 0
    finally:
        outcome.config.min_score = 0.95


def test_report_is_schema_valid(outcome: object, tmp_path: Path) -> None:
    data = report.to_json(outcome)
    assert report.problems(data) == []
    path = tmp_path / "mutation.json"
    report.write(data, path)
    loaded = report.load(path)
    assert loaded["score"]["score"] == 0.5
    assert [m["status"] for m in loaded["mutants"]] == ["survived", "killed"]
    assert loaded["control"]["requirements"] == 4 and loaded["control"]["unstable"] == []
    broken = {**data, "mutants": [{**data["mutants"][0], "status": "maybe"}]}
    assert report.problems(broken) and report.problems(broken)[0].startswith("$.mutants[0].status")


def test_the_kit_process_never_loads_the_mutant_adapter(outcome: object) -> None:
    assert outcome.adapter_loaded_here is False
    from accord.adapters.tensor.reference_adapter import adapter as oracle

    assert dict(oracle.overrides) == {}


def test_mutant_adapter_refuses_to_start_outside_a_worker() -> None:
    from accord.conformance.mutate.tensor.adapter import TensorMutantAdapter

    adapter = TensorMutantAdapter()
    adapter.configure({"mutant": "tensor.argmax.last-tie"})
    with pytest.raises(RuntimeError, match="only inside a worker"):
        adapter.start()
    assert adapter.xp is None


def test_mutant_adapter_is_not_an_entry_point() -> None:
    from accord.adapters.registry import list_adapters

    assert all("mutant" not in info.entry_point for info in list_adapters())
