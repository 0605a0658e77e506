"""The user-facing API builds graphs, runs them, and renders graphs back into runnable code."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from accord.conformance.families.pipeline import generate
from accord.reference.pipeline import run_wire
from accord.spec.pipeline import api
from accord.spec.pipeline.api import (
    AfterCount,
    AfterWatermark,
    AsSingleton,
    CombineGlobally,
    CombinePerKey,
    Count,
    Create,
    FixedWindows,
    FlatMap,
    Flatten,
    Map,
    Partition,
    Pipeline,
    TestStream,
    TimestampedValue,
    Top,
    WindowInto,
    render,
    run,
)
from accord.spec.pipeline.graph import canonical


def test_word_count() -> None:
    p = Pipeline()
    counts = p | Create(["a b", "b c", ""]) | FlatMap("split_words") | Count.per_element()
    assert sorted(run(p, "reference", outputs=[counts]).values(counts)) == [("a", 1), ("b", 2), ("c", 1)]


def test_side_inputs_partition_flatten_top() -> None:
    p = Pipeline()
    nums = p | Create([1, 2, 3, 4])
    total = nums | CombineGlobally("sum")
    shifted = nums | Map("add_side", AsSingleton(total))
    evens, odds = nums | Partition("mod_n", 2)
    both = (odds, evens) | Flatten()
    top = nums | Map("key_by_mod", m=2) | Top.largest_per_key(1)
    result = run(p, "reference", outputs=[shifted, both, top])
    assert sorted(result.values(shifted)) == [11, 12, 13, 14]
    assert sorted(result.values(both)) == [1, 2, 3, 4]
    assert sorted(result.values(top)) == [(0, [4]), (1, [3])]


def test_windows_and_streams() -> None:
    p = Pipeline()
    sums = (p | Create([TimestampedValue(("k", 1), 0), TimestampedValue(("k", 2), 10_000_000)])
            | WindowInto(FixedWindows(10_000_000)) | CombinePerKey("sum"))
    elements = run(p, "reference", outputs=[sums]).elements(sums)
    assert sorted((e.value, e.window.start, e.timestamp) for e in elements) == [
        (("k", 1), 0, 9_999_000), (("k", 2), 10_000_000, 19_999_000)]

    p = Pipeline()
    stream = (TestStream().add_elements([TimestampedValue(("k", 1), 1000)]).add_elements(
        [TimestampedValue(("k", 2), 2000)]).advance_watermark_to(20_000_000))
    panes = (p | stream | WindowInto(FixedWindows(10_000_000), trigger=AfterWatermark(early=AfterCount(1)),
                                     accumulation_mode=api.ACCUMULATING) | CombinePerKey("sum"))
    out = run(p, "reference", outputs=[panes]).elements(panes)
    assert sorted((e.pane["index"], e.value[1], e.pane["timing"]) for e in out) == [
        (0, 1, "EARLY"), (1, 3, "EARLY"), (2, 3, "ON_TIME")]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(generate.random_pipeline(windowed=True))
def test_rendered_code_rebuilds_the_same_pipeline(graph: dict) -> None:
    """render(graph) is runnable Accord code whose results equal the graph's."""
    namespace: dict = {}
    exec(render(graph).replace("print(", "(lambda *a: None)("), namespace)  # noqa: S102 - our own code
    rebuilt = namespace["result"].raw["outputs"]
    original = run_wire(graph)["outputs"]
    assert len(rebuilt) == len(original)
    for got, want in zip(rebuilt.values(), original.values(), strict=True):
        assert sorted(canonical(e) for e in got) == sorted(canonical(e) for e in want)
