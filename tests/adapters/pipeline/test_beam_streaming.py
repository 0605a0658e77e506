"""Beam's TestStream with triggers against the reference's trigger transcripts.

Each case plays the same test stream (elements, watermark and processing-time
advances) through a windowed, triggered CombinePerKey on Beam's streaming
runner and on the reference, and compares values, windows, timestamps and panes.
"""

from __future__ import annotations

import pytest

from accord.reference.pipeline import run_wire
from accord.spec.pipeline.api import (
    ACCUMULATING,
    DISCARDING,
    AfterCount,
    AfterProcessingTime,
    AfterWatermark,
    CombinePerKey,
    DefaultTrigger,
    FixedWindows,
    GroupByKey,
    Pipeline,
    SlidingWindows,
    TestStream,
    TimestampedValue,
    WindowInto,
)

pytestmark = pytest.mark.slow
S = 1_000_000


def stream() -> TestStream:
    """Two on-time elements, one after a processing-time advance, one late, one beyond allowed lateness."""
    return (TestStream().advance_watermark_to(0)
            .add_elements([TimestampedValue(("k", 1), 1 * S), TimestampedValue(("k", 2), 2 * S),
                           TimestampedValue(("j", 7), 12 * S)])
            .advance_processing_time(5 * S)
            .add_elements([TimestampedValue(("k", 3), 3 * S)])
            .advance_watermark_to(10 * S)
            .add_elements([TimestampedValue(("k", 4), 4 * S)])
            .advance_watermark_to(30 * S)
            .add_elements([TimestampedValue(("k", 5), 5 * S)]))


TRIGGERS = {
    "early_and_late": AfterWatermark(early=AfterCount(1), late=AfterCount(1)),
    "default": DefaultTrigger(),
    "on_time_only": AfterWatermark(),
    "after_count_once": AfterCount(2),
    "early_processing_time": AfterWatermark(early=AfterProcessingTime(2 * S)),
}
# Key "j" gets one element, so its AfterCount(2) window never fires; Beam's direct runner then
# stalls ("Monitor task detected a pipeline stall", surfaced as "TypeError: exceptions must derive
# from BaseException") instead of finishing. Related: apache/beam#11777 (watermark-hold stalls).
STALLS = pytest.mark.xfail(strict=True, raises=TypeError, reason="Beam direct runner stalls on a never-firing "
                           "AfterCount window (see module comment)")
TRIGGER_CASES = [pytest.param(name, marks=STALLS) if name == "after_count_once" else name for name in TRIGGERS]


@pytest.mark.parametrize("accumulation", [ACCUMULATING, DISCARDING])
@pytest.mark.parametrize("trigger", TRIGGER_CASES)
def test_triggered_panes_match_reference(engines, trigger: str, accumulation: str) -> None:
    p = Pipeline()
    sums = (p | stream()
            | WindowInto(FixedWindows(10 * S), trigger=TRIGGERS[trigger], accumulation_mode=accumulation,
                         allowed_lateness=15 * S)
            | CombinePerKey("sum"))
    graph = p.to_graph([sums])
    engines.compare(graph, run_wire(graph)["outputs"], engines.get("beam").invoke("run", {"graph": graph}), "beam",
            panes=True)


def test_late_data_beyond_allowed_lateness_is_dropped(engines) -> None:
    p = Pipeline()
    late = (TestStream().advance_watermark_to(0)
            .add_elements([TimestampedValue(("k", 1), 1 * S), TimestampedValue(("k", 6), 6 * S)])
            .advance_watermark_to(12 * S)
            .add_elements([TimestampedValue(("k", 5), 5 * S), TimestampedValue(("k", 8), 8 * S)]))
    grouped = p | late | WindowInto(SlidingWindows(10 * S, 5 * S), allowed_lateness=1 * S) | GroupByKey()
    graph = p.to_graph([grouped])
    result = engines.get("beam").invoke("run", {"graph": graph})
    engines.compare(graph, run_wire(graph)["outputs"], result, "beam", panes=True)
    windows = {tuple(e["window"]) for e in result["outputs"][grouped.ref] if 5 in e["value"]["$tuple"][1]}
    assert windows == {(5 * S, 15 * S)}  # [0, 10 s) expired at watermark 12 s (lateness 1 s): 5 dropped there
