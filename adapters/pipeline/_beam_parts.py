"""Translation of an Accord pipeline graph into Apache Beam transforms (imports Beam).

Kept apart from ``beam_adapter`` so that listing adapters never imports Beam,
and so that the DoFn / CombineFn classes here are importable by name: Beam
pickles them by reference, which lets the in-process runners append results to
this module's :data:`SINK`.

Mapping (every transform is Beam's own):

=================  ==================================================================
create             ``beam.Create`` (elements with a timestamp as ``TimestampedValue``)
read_text          ``beam.io.ReadFromText``
test_stream        ``apache_beam.testing.test_stream.TestStream`` (+ watermark to ∞ at the end)
map / flat_map /   ``beam.Map`` / ``beam.FlatMap`` / ``beam.Filter``; side inputs as
filter             ``pvalue.AsSingleton(default_value=…)`` / ``AsList`` / ``AsDict``
with_timestamps    ``beam.Map`` returning ``TimestampedValue``
keys/values/       ``beam.Keys`` / ``beam.Values`` / ``beam.WithKeys``
with_keys
group_by_key       ``beam.GroupByKey``
co_group_by_key    ``beam.CoGroupByKey`` on ``{tag: pcoll}``
combine_globally   ``beam.CombineGlobally`` (``.without_defaults()`` outside the global window)
combine_per_key    ``beam.CombinePerKey``
count_*            ``beam.combiners.Count.Globally / PerKey / PerElement``
distinct           ``beam.Distinct``
flatten            ``beam.Flatten``
partition          ``beam.Partition``
top_per_key        ``beam.combiners.Top.PerKey(n, key=order_key, reverse=not largest)``
window_into        ``beam.WindowInto`` with Fixed/Sliding/Sessions/GlobalWindows, triggers,
                   accumulation mode and allowed lateness
stateful_par_do    ``beam.ParDo`` of a DoFn with Beam's state and timer specs (``_beam_state``)
metrics            ``apache_beam.metrics.Metrics`` counters / distributions (``_beam_state``)
=================  ==================================================================

The keyed transforms (group_by_key, co_group_by_key, combine_per_key, count_per_key,
count_per_element, distinct, top_per_key) run on canonical stand-ins of their keys,
between a ``Map`` there and a ``Map`` back, and every collection is typed ``Any``;
``beam_adapter``'s docstring says which Beam behaviour each works around.
"""

from __future__ import annotations

import shutil
import threading
from typing import Any

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.runners.direct.direct_runner import BundleBasedDirectRunner
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.test_stream import TestStream
from apache_beam.transforms import trigger as beam_trigger
from apache_beam.transforms import window as beam_window
from apache_beam.typehints import typehints
from apache_beam.utils.timestamp import MIN_TIMESTAMP, Duration, Timestamp

from accord.spec.pipeline.graph import GLOBAL, Window, decode_value, encode_element, order_key

from . import _beam_state
from ._beam_combine import CombineVia
from ._engine_common import bound_fn, canonical_key, canonical_pair, is_streaming, original_key, walk

SINK: dict[str, list[tuple]] = {}  # run id -> gathered (ref, value, timestamp, window, pane)
_SINK_LOCK = threading.Lock()
# The global window's last instant, as the portable runner's millisecond wire format carries it.
_GLOBAL_MAX_MICROS = beam_window.GlobalWindow().max_timestamp().micros // 1000 * 1000
_TIMING = {0: "EARLY", 1: "ON_TIME", 2: "LATE"}


class Gather(beam.DoFn):
    """Appends every element with its timestamp, window (and pane) to SINK[run]."""

    def __init__(self, run: str, ref: str, with_pane: bool) -> None:
        self.run, self.ref, self.with_pane = run, ref, with_pane

    def process(self, element: Any, timestamp: Any = beam.DoFn.TimestampParam,
                window: Any = beam.DoFn.WindowParam, pane: Any = beam.DoFn.PaneInfoParam) -> None:
        with _SINK_LOCK:
            SINK.setdefault(self.run, []).append((self.ref, element, timestamp, window, pane))


def _stamp(fn: Any) -> Any:
    return lambda x: beam_window.TimestampedValue(x, Timestamp(micros=fn(x)))


def _windowfn(spec: dict) -> Any:
    kind = spec["type"]
    if kind == "global":
        return beam_window.GlobalWindows()
    if kind == "fixed":
        return beam_window.FixedWindows(Duration(micros=spec["size"]), Timestamp(micros=spec.get("offset", 0)))
    if kind == "sliding":
        return beam_window.SlidingWindows(Duration(micros=spec["size"]), Duration(micros=spec["period"]),
                                          Timestamp(micros=spec.get("offset", 0)))
    return beam_window.Sessions(Duration(micros=spec["gap"]))


def _trigger(spec: dict) -> Any:
    kind = spec["type"]
    if kind == "default":
        return beam_trigger.DefaultTrigger()
    if kind == "after_watermark":
        return beam_trigger.AfterWatermark(early=_trigger(spec["early"]) if "early" in spec else None,
                                           late=_trigger(spec["late"]) if "late" in spec else None)
    if kind == "after_count":
        return beam_trigger.AfterCount(spec["count"])
    if kind == "after_processing_time":
        # Beam's AfterProcessingTime takes seconds (and its proto form keeps whole milliseconds).
        delay = spec["delay"]
        return beam_trigger.AfterProcessingTime(delay // 10**6 if delay % 10**6 == 0 else delay / 10**6)
    if kind == "repeatedly":
        return beam_trigger.Repeatedly(_trigger(spec["trigger"]))
    return beam_trigger._Never()  # Beam's own never-firing trigger (window closing still emits)


def _test_stream(events: list) -> Any:
    stream = TestStream()
    for event in events:
        if event["kind"] == "elements":
            stream = stream.add_elements([beam_window.TimestampedValue(decode_value(e["value"]),
                                                                       Timestamp(micros=e["timestamp"]))
                                          for e in event["elements"]])
        elif event["kind"] == "watermark":
            stream = stream.advance_watermark_to(Timestamp(micros=event["to"]))
        else:
            stream = stream.advance_processing_time(Duration(micros=event["advance"]))
    return stream.advance_watermark_to_infinity()  # the spec's stream ends with the watermark at +∞


def _side_views(node: dict, sides: list) -> list:
    views = []
    for side, pcoll in zip(node.get("side_inputs", []), sides, strict=True):
        if side["view"] == "singleton":
            if "default" in side:
                views.append(pvalue.AsSingleton(pcoll, default_value=decode_value(side["default"])))
            else:
                views.append(pvalue.AsSingleton(pcoll))
        elif side["view"] == "iter":
            views.append(pvalue.AsList(pcoll))
        else:
            views.append(pvalue.AsDict(pcoll))
    return views


class CreateAny(beam.Create):
    """``beam.Create`` whose elements are typed ``Any`` (see :func:`_any`).

    Create picks its coder from the type it infers for its values while it is
    constructed, before ``with_output_types`` could apply, so the type is given here.
    """

    def infer_output_type(self, unused_input_type: Any) -> Any:
        return typehints.Any


def _any(transform: Any) -> Any:
    """The transform with output type ``Any``, so its collection gets Beam's FastPrimitivesCoder.

    Beam infers ``int`` from Create's values and from functions and then picks the
    64-bit ``VarIntCoder``, which raises ``OverflowError`` on ints of 2**63 and
    beyond; FastPrimitivesCoder writes such ints through its pickle fallback.
    """
    return transform.with_output_types(typehints.Any)


def _on_canonical_keys(main: Any, label: str, keyed: Any, restore: Any = None) -> Any:
    """``keyed`` (a Beam per-key transform) applied to canonical stand-ins of the keys.

    The stand-ins make Beam's lifted pre-combining (a Python dict per bundle) and
    its byte-wise GroupByKey agree with the spec's key rule; ``restore(key, result)``
    (default: the original key, the result as is) turns each output back.
    """
    restore = restore or (lambda k, result: (original_key(k), result))
    return (main | f"{label}/canonical_key" >> _any(beam.Map(canonical_pair)) | label >> keyed
            | f"{label}/original_key" >> _any(beam.MapTuple(restore)))


def _in_global_window(pcoll: Any) -> bool:
    return isinstance(pcoll.windowing.windowfn, beam_window.GlobalWindows)


class Translator:
    """Builds one Beam pipeline from one graph, node by node: ``t_<transform>`` per transform."""

    def __init__(self, pipeline: Any, streaming: bool) -> None:
        self.p = pipeline
        self.streaming = streaming

    def __call__(self, node: dict, inputs: list, sides: list) -> Any:
        handler = getattr(self, f"t_{node['transform']}", None)
        if handler is None:
            raise ValueError(f"node {node['id']!r}: transform {node['transform']!r} has no Beam translation")
        return handler(node, node["id"], node["params"], inputs, sides)

    # --- sources

    def t_create(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        raw = [decode_value(e["value"]) for e in params["elements"]]
        stamped = [v if e.get("timestamp") is None else
                   beam_window.TimestampedValue(v, Timestamp(micros=e["timestamp"]))
                   for v, e in zip(raw, params["elements"], strict=True)]
        return self.p | label >> CreateAny(stamped)

    def t_read_text(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return self.p | label >> beam.io.ReadFromText(params["path"])

    def t_test_stream(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return self.p | label >> _test_stream(params["events"])

    # --- element-wise

    def t_map(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return inputs[0] | label >> _any(beam.Map(bound_fn(node), *_side_views(node, sides)))

    def t_flat_map(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return inputs[0] | label >> _any(beam.FlatMap(bound_fn(node), *_side_views(node, sides)))

    def t_filter(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return inputs[0] | label >> _any(beam.Filter(bound_fn(node), *_side_views(node, sides)))

    def t_with_timestamps(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return inputs[0] | label >> _any(beam.Map(_stamp(bound_fn(node))))

    def t_keys(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return inputs[0] | label >> _any(beam.Keys())

    def t_values(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return inputs[0] | label >> _any(beam.Values())

    def t_with_keys(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return inputs[0] | label >> _any(beam.WithKeys(bound_fn(node)))

    def t_flatten(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return tuple(inputs) | label >> beam.Flatten()

    def t_partition(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return inputs[0] | label >> beam.Partition(bound_fn(node), params["n"])

    def t_window_into(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        options: dict[str, Any] = {}
        if "trigger" in params:
            options["trigger"] = _trigger(params["trigger"])
        if "accumulation" in params or "trigger" in params:
            # The graph's default is discarding; Beam insists on an explicit mode with a trigger.
            options["accumulation_mode"] = (beam_trigger.AccumulationMode.ACCUMULATING
                                            if params.get("accumulation") == "accumulating"
                                            else beam_trigger.AccumulationMode.DISCARDING)
        if "allowed_lateness" in params:
            options["allowed_lateness"] = Duration(micros=params["allowed_lateness"])
        return inputs[0] | label >> beam.WindowInto(_windowfn(params["windowfn"]), **options)

    # --- keyed (on canonical stand-ins of the keys)

    def t_group_by_key(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return _on_canonical_keys(inputs[0], label, beam.GroupByKey(), lambda k, vs: (original_key(k), list(vs)))

    def t_co_group_by_key(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        tags = params["tags"]
        keyed = {tag: pc | f"{label}/canonical_key/{i}" >> _any(beam.Map(canonical_pair))
                 for i, (tag, pc) in enumerate(zip(tags, inputs, strict=True))}
        return (keyed | label >> beam.CoGroupByKey()
                | f"{label}/original_key" >> _any(beam.MapTuple(
                    lambda k, d: (original_key(k), {t: list(d[t]) for t in tags}))))

    def t_combine_per_key(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return _on_canonical_keys(inputs[0], label, beam.CombinePerKey(CombineVia(params["fn"])))

    def t_count_per_key(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return _on_canonical_keys(inputs[0], label, beam.combiners.Count.PerKey())

    def t_count_per_element(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return (inputs[0] | f"{label}/canonical_key" >> _any(beam.Map(canonical_key))
                | label >> beam.combiners.Count.PerElement()
                | f"{label}/original_key" >> _any(beam.MapTuple(lambda k, n: (original_key(k), n))))

    def t_distinct(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return (inputs[0] | f"{label}/canonical_key" >> _any(beam.Map(canonical_key)) | label >> beam.Distinct()
                | f"{label}/original_key" >> _any(beam.Map(original_key)))

    def t_top_per_key(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        top = beam.combiners.Top.PerKey(params["n"], key=order_key, reverse=not params["largest"])
        return _on_canonical_keys(inputs[0], label, top)

    def t_stateful_par_do(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        return _beam_state.stateful_par_do(inputs[0], label, params["fn"]["name"])  # spec 1.1 (_beam_state)

    # --- global aggregates

    def t_combine_globally(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        main = inputs[0]
        return main | label >> self._globally(main, beam.CombineGlobally(CombineVia(params["fn"])))

    def t_count_globally(self, node: dict, label: str, params: dict, inputs: list, sides: list) -> Any:
        main = inputs[0]
        if _in_global_window(main) and not self.streaming:
            return main | label >> beam.combiners.Count.Globally()
        return main | label >> beam.CombineGlobally(beam.combiners.CountCombineFn()).without_defaults()

    def _globally(self, main: Any, combine: Any) -> Any:
        """Beam only allows a default (empty-input) result in the global window of a batch pipeline."""
        return combine if _in_global_window(main) and not self.streaming else combine.without_defaults()


def run(graph: dict, run_id: str) -> dict:
    """Build, run and gather one graph; returns the ``{"outputs": …}`` result."""
    streaming = is_streaming(graph)
    # Finishing triggers (after_count, after_watermark without late firings …) are part of the
    # spec; Beam refuses them unless the user opts in with this documented flag.
    options = PipelineOptions(["--allow_unsafe_triggers"])
    if streaming:
        options.view_as(StandardOptions).streaming = True
        runner: Any = BundleBasedDirectRunner()
    else:
        runner = FnApiRunner()
    _beam_state.install_metrics()  # metered functions report to Beam's Metrics API (spec 1.1)
    pipeline = beam.Pipeline(runner=runner, options=options)
    try:
        with pipeline:
            done = walk(graph, Translator(pipeline, streaming))
            for position, ref in enumerate(graph["outputs"]):
                node_id, _, index = ref.partition("#")
                pcoll = done[node_id][int(index)] if index else done[node_id]
                pcoll | f"accord_gather_{position}" >> beam.ParDo(Gather(run_id, ref, streaming))
        gathered = SINK.get(run_id, [])
        reported = _beam_state.metrics_of(pipeline.result, {n["id"] for n in graph["nodes"]})
    finally:
        SINK.pop(run_id, None)
        # Pipeline() makes a local temp dir ("beam-pipeline-temp…") that only Pipeline.run removes:
        # a graph that fails while it is being built (a bad transform, a coder error in Create)
        # would leave it behind, one per failing run.
        shutil.rmtree(pipeline.local_tempdir, ignore_errors=True)
    outputs: dict[str, list] = {ref: [] for ref in graph["outputs"]}
    for ref, value, timestamp, window, pane in gathered:
        outputs[ref].append(encode_element(value, _wire_timestamp(timestamp), _wire_window(window),
                                           _wire_pane(pane) if streaming else None))
    return {"outputs": outputs, "metrics": reported} if reported else {"outputs": outputs}


def _wire_timestamp(timestamp: Any) -> int | None:
    if timestamp <= MIN_TIMESTAMP or timestamp.micros >= _GLOBAL_MAX_MICROS:
        return None  # no defined event time: Beam's minimum, or the global window's end
    return timestamp.micros


def _wire_window(window: Any) -> Window | str:
    if isinstance(window, beam_window.IntervalWindow):
        return Window(window.start.micros, window.end.micros)
    return GLOBAL


def _wire_pane(pane: Any) -> dict | None:
    """A fired pane's metadata; None for Beam's UNKNOWN timing (PANE_INFO_UNKNOWN: no trigger fired this element).

    The spec gives pane metadata only to panes a trigger fires (EARLY / ON_TIME / LATE, as the reference);
    an element that passed no triggered aggregation has none, so it carries no pane on the wire either.
    """
    timing = _TIMING.get(pane.timing)
    if timing is None:
        return None
    return {"index": pane.index, "timing": timing, "is_first": pane.is_first, "is_last": pane.is_last}
