"""Beam's pane timing UNKNOWN (an element no trigger fired) travels as no pane, as the spec and the reference say.

Beam gives every element a PaneInfo; one that passed no triggered aggregation (a TestStream element
windowed but not grouped) has PANE_INFO_UNKNOWN. The spec's pane timings are EARLY / ON_TIME / LATE
(spec/pipeline/*/streaming/test_stream.yaml), panes belong to trigger firings, and the reference
leaves the pane out of such an element; the adapter maps UNKNOWN to no pane instead of sending a
timing the graph schema's ``pane`` rejects.
"""

from __future__ import annotations

from accord.conformance import protocol
from accord.reference.pipeline import run_wire
from accord.spec.pipeline.api import (
    CombinePerKey,
    FixedWindows,
    Pipeline,
    TestStream,
    TimestampedValue,
    WindowInto,
)

S = 1_000_000
RESULT = "urn:accord:meta:pipeline.graph#/$defs/result-run"


def _stream() -> TestStream:
    return (TestStream().advance_watermark_to(0)
            .add_elements([TimestampedValue(("k", 1), 1 * S), TimestampedValue(("k", 2), 12 * S)])
            .advance_watermark_to(30 * S))


def test_an_element_no_trigger_fired_has_no_pane(engines) -> None:
    p = Pipeline()
    windowed = p | _stream() | WindowInto(FixedWindows(10 * S))
    graph = p.to_graph([windowed])
    result = engines.get("beam").invoke("run", {"graph": graph})
    protocol.check(RESULT, result)  # was: $.outputs.window_into_1[0].pane.timing: 'UNKNOWN' is not one of [...]
    assert all("pane" not in e for e in result["outputs"][graph["outputs"][0]]), result
    engines.compare(graph, run_wire(graph)["outputs"], result, "beam", panes=True)


def test_fired_panes_keep_their_timing(engines) -> None:
    p = Pipeline()
    sums = p | _stream() | WindowInto(FixedWindows(10 * S)) | CombinePerKey("sum")
    graph = p.to_graph([sums])
    result = engines.get("beam").invoke("run", {"graph": graph})
    protocol.check(RESULT, result)
    assert [e["pane"]["timing"] for e in result["outputs"][graph["outputs"][0]]] == ["ON_TIME", "ON_TIME"], result
    engines.compare(graph, run_wire(graph)["outputs"], result, "beam", panes=True)
