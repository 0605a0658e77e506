"""Spec 1.1: stateful_par_do and metrics - the reference, the registry against the spec, and broken adapters."""

from __future__ import annotations

from pathlib import Path

import pytest
from accord_testing import InProcess

from accord.adapters.pipeline.reference_adapter import adapter as reference
from accord.adapters.registry import resolve
from accord.conformance.check import Context, Mismatch, RunSettings
from accord.conformance.families.pipeline import SUITE
from accord.conformance.families.pipeline.compare import compare_metrics
from accord.conformance.runner import evaluate
from accord.reference.pipeline import UnportablePipeline
from accord.spec.loader import load_spec
from accord.spec.pipeline import functions
from accord.spec.pipeline.api import (
    Create,
    Filter,
    FixedWindows,
    Map,
    ParDo,
    Pipeline,
    TimestampedValue,
    WindowInto,
    render,
    run,
)

HERE = Path(__file__).resolve().parent



SPEC = "1.1"
S = 1_000_000

# broken adapter -> requirements that must fail
CASES = {
    "timers_in_set_order": ["pipeline.stateful_par_do.timer_order"],
    "first_setting_wins": ["pipeline.stateful_par_do.timer_reset", "pipeline.stateful_par_do.timer_loop",
                           "pipeline.stateful_par_do.random"],
    "counts_per_consumer": ["pipeline.metrics.once_per_element"],
    "attempted_below_committed": ["pipeline.metrics.counter"],
}


@pytest.mark.parametrize("broken", sorted(CASES))
def test_broken_adapter_fails_its_checks(broken: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(HERE))
    adapter = resolve(f"pipeline_broken_stateful:{broken}", "pipeline")
    spec = load_spec("pipeline", SPEC)
    ctx = Context(backend=InProcess(adapter), spec=spec, settings=RunSettings(seed=0, max_examples=100),  # type: ignore[arg-type]
                  adapter=adapter.meta.to_json())
    for requirement_id in CASES[broken]:
        outcome = evaluate(ctx, SUITE, spec.requirement(requirement_id))
        assert outcome.status == "fail", (requirement_id, outcome)
        assert outcome.message and outcome.snippet and "run(p" in outcome.snippet


def test_reference_passes_the_new_requirements() -> None:
    spec = load_spec("pipeline", SPEC)
    ctx = Context(backend=InProcess(reference), spec=spec, settings=RunSettings(seed=0, max_examples=20),  # type: ignore[arg-type]
                  adapter=reference.meta.to_json())
    ids = [r.id for r in spec.requirements if r.feature in ("stateful", "metrics")]
    assert len(ids) >= 15
    for requirement_id in ids:
        assert evaluate(ctx, SUITE, spec.requirement(requirement_id)).status == "pass", requirement_id


def test_spec_documents_match_the_registry() -> None:
    """Every vetted stateful DoFn and metered function is documented, with the cells, timers and metrics it has."""
    spec = load_spec("pipeline", SPEC)
    stateful_docs = {d.name: d.data for d in spec.documents_of("pipeline.stateful_fn")}
    assert set(stateful_docs) == set(functions.names("stateful"))
    for name, doc in stateful_docs.items():
        fn = functions.bind({"name": name}, "stateful")
        assert [(s["name"], s["kind"], s.get("combine_fn")) for s in doc["state"]] == \
            [(s.name, s.kind, s.combine) for s in fn.state], name
        assert [t["name"] for t in doc["timers"]] == list(fn.timers), name
        assert set(doc.get("on_timer", {})) == set(fn.on_timer) == set(fn.timers), name
        assert bool(doc.get("event_time")) == fn.event_time, name
    metric_docs = {d.name: d.data for d in spec.documents_of("pipeline.metric_fn")}
    assert set(metric_docs) == {n for n, e in functions.REGISTRY.items() if e.metrics}
    for name, doc in metric_docs.items():
        entry = functions.REGISTRY[name]
        assert doc["step"] == entry.kind
        assert sorted(f"{r['kind']}:{r['name']}" for r in doc["reports"]) == sorted(entry.metrics)


def test_state_and_timers_through_the_api() -> None:
    p = Pipeline()
    src = p | Create([TimestampedValue(("k", 1), 1 * S), TimestampedValue(("k", 2), 12 * S),
                      TimestampedValue(("j", 3), 2 * S)])
    buffered = src | WindowInto(FixedWindows(10 * S)) | ParDo("buffer_until_window_end")
    ticks = src | ParDo("tick_three")
    result = run(p, reference, outputs=[buffered, ticks])
    assert sorted((e.value, e.timestamp) for e in result.elements(buffered)) == \
        [(("j", [3]), 10 * S - 1000), (("k", [1]), 10 * S - 1000), (("k", [2]), 20 * S - 1000)]
    assert sorted((e.value, e.timestamp) for e in result.elements(ticks)) == \
        [(("j", 0), 3 * S), (("j", 1), 4 * S), (("j", 2), 5 * S), (("k", 0), 2 * S), (("k", 1), 3 * S), (("k", 2), 4 * S)]
    assert "ParDo('buffer_until_window_end')" in render(p.to_graph([buffered]))


def test_timers_outside_the_window_or_without_event_time_are_not_portable() -> None:
    p = Pipeline()
    late = p | Create([TimestampedValue(("k", 1), 9 * S)]) | WindowInto(FixedWindows(10 * S)) | ParDo("count_after_quiet")
    with pytest.raises(UnportablePipeline):
        run(p, reference, outputs=[late])
    q = Pipeline()
    untimed = q | Create([("k", 1)]) | ParDo("tick_three")
    with pytest.raises(UnportablePipeline):
        run(q, reference, outputs=[untimed])


def test_metrics_through_the_api() -> None:
    p = Pipeline()
    nums = p | Create([1, 2, 3, 5]) | "nums" >> Map("counted_identity")
    evens = nums | "evens" >> Filter("is_even_counting_odd") | "recorded" >> Map("distributed_identity")
    result = run(p, reference, outputs=[evens])
    assert {(m.step, m.name, m.kind): m.committed for m in result.metrics()} == {
        ("nums", "elements", "counter"): 4,
        ("evens", "odd", "counter"): 3,
        ("recorded", "values", "distribution"): {"count": 1, "sum": 2, "min": 2, "max": 2},
    }
    assert [m.committed for m in result.metrics(nums, "elements")] == [4]
    assert "print(result.metrics())" in render(p.to_graph([evens]))


def test_metric_values_must_be_64_bit_ints() -> None:
    p = Pipeline()
    big = p | Create([2**63]) | Map("distributed_identity")
    with pytest.raises(ValueError, match="64-bit"):
        run(p, reference, outputs=[big])


@pytest.mark.parametrize(("reported", "problem"), [
    ([], "missing"),
    ([{"step": "s", "name": "n", "kind": "counter", "committed": 2}], "wrong"),
    ([{"step": "s", "name": "n", "kind": "counter", "committed": 1, "attempted": 0}], "attempted"),
    ([{"step": "s", "name": "n", "kind": "counter", "committed": 1},
      {"step": "s", "name": "m", "kind": "counter", "committed": 1}], "unexpected"),
])
def test_compare_metrics_names_the_problem(reported: list, problem: str) -> None:
    expected = [{"step": "s", "name": "n", "kind": "counter", "committed": 1}]
    with pytest.raises(Mismatch, match=problem):
        compare_metrics(expected, {"outputs": {}, "metrics": reported})
    compare_metrics(expected, {"outputs": {}, "metrics": expected})
