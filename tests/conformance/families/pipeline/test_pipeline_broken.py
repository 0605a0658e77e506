"""Each deliberately broken adapter must make the checks of its category fail.

Two adapters go through the real CLI and worker (loaded as ``module:attribute``);
the others are loaded the same way but run in-process, to keep the suite fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from accord_testing import InProcess

from accord.adapters.registry import resolve
from accord.conformance.check import Context, RunSettings
from accord.conformance.families.pipeline import SUITE
from accord.conformance.runner import evaluate
from accord.spec.loader import load_spec

HERE = Path(__file__).resolve().parent

# broken adapter -> requirements that must fail (each run selects exactly these)
CASES = {
    "python_key_equality": ["pipeline.key_equality.numeric_types", "pipeline.key_equality.signed_zero", "pipeline.key_equality.random"],
    "touching_sessions_merge": ["pipeline.sessions.boundary", "pipeline.sessions.random"],
    "closed_fixed_windows": ["pipeline.fixed.assignment", "pipeline.fixed.random"],
    "no_empty_default": ["pipeline.combine_globally.empty", "pipeline.count_globally.empty",
                         "pipeline.model.random_empty_inputs"],
    "deduplicating_flatten": ["pipeline.flatten.same_input_twice"],
    "late_data_kept": ["pipeline.allowed_lateness.drop", "pipeline.allowed_lateness.window_expires"],
    "always_discarding": ["pipeline.accumulation.accumulating_late", "pipeline.after_watermark.early_and_late"],
    "lost_signed_zero": ["pipeline.create.values", "pipeline.key_equality.signed_zero"],
    "sloppy_float_sum": ["pipeline.combine_globally.values"],
    "wrong_pane_timing": ["pipeline.after_watermark.early_and_late", "pipeline.after_count.repeatedly"],
    "garbage": ["pipeline.map.example"],
    "never_fails": ["pipeline.side_inputs.singleton_empty_fails", "pipeline.side_inputs.singleton_many_fails"],
    "global_window_label": ["pipeline.fixed.output_timestamp", "pipeline.model.random_windowed_pipelines"],
}

VIA_CLI = ["python_key_equality", "never_fails"]


def run_cli(adapter: str, select: list[str], tmp_path: Path, max_examples: int = 60) -> dict:
    report = tmp_path / "report.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run(
        [sys.executable, "-c", "from accord.conformance.cli import main; main()", "run", "-f", "pipeline", "-a", adapter,
         "-s", ",".join(select), "--seed", "0", "--max-examples", str(max_examples), "--report", str(report), "-q"],
        env=env, capture_output=True, text=True, timeout=240,
    )
    assert report.exists(), done.stderr[-2000:]
    return {r["id"]: r for r in json.loads(report.read_text())["requirements"]} | {"_rc": done.returncode}


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Context]:
    """The run context of one of ``pipeline_broken_adapters`` in this process (spec 1.0, seed 0, 60 examples)."""
    monkeypatch.syspath_prepend(str(HERE))
    spec = load_spec("pipeline", "1.0")

    def context(broken: str) -> Context:
        adapter = resolve(f"pipeline_broken_adapters:{broken}", "pipeline")
        return Context(backend=InProcess(adapter), spec=spec, settings=RunSettings(seed=0, max_examples=60),  # type: ignore[arg-type]
                       adapter=adapter.meta.to_json())

    return context


@pytest.mark.parametrize("broken", sorted(set(CASES) - set(VIA_CLI)))
def test_broken_adapter_fails_its_checks(broken: str, in_process: Callable[[str], Context]) -> None:
    ctx = in_process(broken)
    for requirement_id in CASES[broken]:
        outcome = evaluate(ctx, SUITE, ctx.spec.requirement(requirement_id))
        assert outcome.status == "fail", (requirement_id, outcome)
        assert outcome.message and outcome.snippet and "run(p" in outcome.snippet


@pytest.mark.parametrize("broken", VIA_CLI)
def test_broken_adapter_fails_through_the_worker(broken: str, tmp_path: Path) -> None:
    results = run_cli(f"pipeline_broken_adapters:{broken}", CASES[broken], tmp_path)
    must_failed = any(results[r]["level"] == "MUST" for r in CASES[broken])
    assert results.pop("_rc") == (1 if must_failed else 0)
    for requirement in CASES[broken]:
        result = results[requirement]
        assert result["status"] == "fail", (requirement, result)
        assert result.get("message")
        assert result.get("snippet") and "run(p" in result["snippet"]


# Aspect isolation: a deviation fails the requirements about it and no other. An engine that groups
# by Python equality (1 == 1.0 == True) fails the key-equality requirements above; the targeted and
# random requirements that are not about keys draw plain keys, so they judge their own aspect.
NOT_ABOUT_KEYS = ["pipeline.group_by_key.values", "pipeline.count_per_element.values", "pipeline.distinct.values",
                  "pipeline.combine_per_key.values", "pipeline.model.random_pipelines"]


def test_a_key_equality_deviation_fails_only_the_key_requirements(in_process: Callable[[str], Context]) -> None:
    ctx = in_process("python_key_equality")
    assert evaluate(ctx, SUITE, ctx.spec.requirement("pipeline.key_equality.random")).status == "fail"
    for requirement_id in NOT_ABOUT_KEYS:
        outcome = evaluate(ctx, SUITE, ctx.spec.requirement(requirement_id))
        assert outcome.status == "pass", (requirement_id, outcome.message)


def test_one_failing_transform_kind_does_not_mask_another(in_process: Callable[[str], Context]) -> None:
    """A random-pipeline requirement keeps exploring past its first failing class and reports each once."""
    ctx = in_process("two_defects")
    outcome = evaluate(ctx, SUITE, ctx.spec.requirement("pipeline.model.random_pipelines"))
    classes = [case.input_class for case in outcome.cases]
    assert outcome.status == "fail", outcome
    assert len(set(classes)) == len(classes), classes  # each class at most once
    assert "transform:flatten" in classes, classes  # the flatten defect, found beside the empty-default one
    assert any(c in ("transform:combine_globally", "transform:count_globally") for c in classes), classes
