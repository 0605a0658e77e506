"""The pipeline family's check kinds: each turns one requirement into runs on the backend.

- ``example``: a literal graph from the requirement's params, compared with its ``expect`` (or
  ``expect_error``), and with ``expect_metrics`` (pipeline.contract:metrics) when given;
- ``transform_property`` / ``random_pipeline``: hypothesis graphs, run on the reference (in process,
  through the reference adapter) and on the backend, compared per window as multisets;
- ``transcript``: a streaming transcript (events → expected panes) from the spec;
- ``empty_combine``: every combine_fn document's ``empty_result`` over an empty input;
- ``combine_law``: the combine-function laws on the vetted registry (no backend call).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from typing import Any

import hypothesis

from accord.adapters.pipeline.reference_adapter import adapter as reference
from accord.conformance.check import Context, Mismatch, Outcome, Property
from accord.conformance.client import BackendRaised
from accord.reference.pipeline import PipelineError, UnportablePipeline
from accord.spec.model import Document, Requirement, thaw
from accord.spec.pipeline.graph import FORMAT, encode_value, normalise_graph
from accord.spec.pipeline.render import render

from . import classes, compare, generate, laws


def _tolerance(ctx: Context) -> tuple[tuple[float, float], set[str]]:
    """pipeline.contract:floats - the tolerance and the functions it applies to."""
    doc = ctx.spec.document("pipeline.contract", "floats")
    tol = doc.data["tolerance"]
    return (float(tol["rtol"]), float(tol["atol"])), set(tol.get("functions", ()))


def _aggregate_timestamp(ctx: Context) -> tuple[int, int]:
    """pipeline.contract:model - where in its window an aggregate's timestamp may lie (relative to the end)."""
    bounds = ctx.spec.document("pipeline.contract", "model").data["aggregate_timestamp"]
    return int(bounds["earliest"]), int(bounds["latest"])


def _adapter_name(ctx: Context) -> str:
    return str(ctx.adapter.get("name", "reference"))


def _budget(ctx: Context, divisor: int, floor: int) -> int | None:
    """Examples for one property requirement.

    Engines pay about a second per pipeline (Beam's runner, Spark's jobs), and a
    default run has ~30 property requirements: a tenth of the run's budget per
    transform property and a quarter per random-pipeline property keep a default
    run (max_examples=100) near 300-400 pipelines, under 10 minutes. The
    reference costs milliseconds, so it gets the full budget (20-seed runs).
    """
    if ctx.adapter.get("is_reference"):
        return None
    return max(floor, ctx.settings.max_examples // divisor)


def _run_backend(ctx: Context, graph: Mapping) -> tuple[Any, BackendRaised | None]:
    try:
        return ctx.backend.invoke("run", {"graph": dict(graph)}), None
    except BackendRaised as exc:
        return None, exc


def differential(ctx: Context, graph: dict) -> None:
    """Run on the reference and the backend; raise Mismatch when they differ."""
    try:
        try:
            expected, expected_error = reference.invoke("run", {"graph": graph}), None
        except UnportablePipeline:
            hypothesis.reject()  # the spec leaves this pipeline's result open: not a test case
        except PipelineError as exc:
            expected, expected_error = None, exc
        actual, raised = _run_backend(ctx, graph)
    finally:
        _remove_temp_files(graph)
    if raised is not None and expected_error is None:
        raise Mismatch(f"the backend raised {raised.type_name}: {raised.message}",
                       expected=expected, actual=f"raised {raised.type_name}: {raised.message}")
    if expected_error is not None:
        if raised is None:
            raise Mismatch(f"the run must fail ({expected_error}) but the backend produced outputs",
                           expected=f"fails: {expected_error}", actual=actual)
        return
    tolerance, functions_ = _tolerance(ctx)
    compare.compare_runs(graph, expected["outputs"], actual, tolerance=tolerance,
                         fuzzy=compare.fuzzy_outputs(graph, functions_), aggregate=_aggregate_timestamp(ctx))


def _remove_temp_files(graph: Mapping) -> None:
    for node in graph["nodes"]:
        path = node.get("params", {}).get("path", "")
        if node["transform"] == "read_text" and os.path.dirname(path) == generate.scratch_dir():
            try:
                os.remove(path)
            except OSError:
                pass


SHRINK_SECONDS = 45.0


def _graph_property(ctx: Context, strategy: Any, budget: int | None, classify: Any, max_cases: int) -> Property:
    """A differential property with a bounded shrink, explored class by class (``classes.py``).

    Shrinking a failure can take hundreds of pipeline runs, about a second each
    on an engine. Once a failure of one input class has been shrinking for
    SHRINK_SECONDS, graphs of that class not yet run count as passing (so
    hypothesis settles on the smallest failure found so far), and graphs that
    failed before fail again from a cache, so the final replay of the
    counterexample stays consistent (the replay that tells a backend answering at random
    runs the graph again: ``retest``). The bound is per class: the core's next
    search (that class excluded) runs every graph again. The reference is exempt.
    """
    name = _adapter_name(ctx)
    failures: dict[str, Mismatch] = {}
    first_failure: dict[str | None, float] = {}  # input class -> when its first failure was seen
    bounded = not ctx.adapter.get("is_reference")

    def test(graph: dict) -> None:
        key = json.dumps(graph, sort_keys=True)
        if key in failures:
            raise failures[key]
        input_class = classify(graph)
        if bounded and input_class in first_failure and time.monotonic() - first_failure[input_class] > SHRINK_SECONDS:
            return
        try:
            differential(ctx, graph)
        except Mismatch as exc:
            failures[key] = exc
            first_failure.setdefault(input_class, time.monotonic())
            raise

    def snippet(graph: dict) -> str:
        """The pipeline as Accord code, then both outputs (reference and backend) as comments."""
        code = render(graph, name)
        failure = failures.get(json.dumps(graph, sort_keys=True))
        if failure is None:
            return code
        lines = ["", f"# reference vs {name}:"] + [f"#   {line}" for line in failure.message.splitlines()]
        return code + "\n".join(lines)

    return Property(strategy=strategy, test=test, snippet=snippet, max_examples=budget, classify=classify,
                    max_cases=max_cases, retest=lambda graph: differential(ctx, graph))


def check_transform_property(ctx: Context, req: Requirement, doc: Document) -> Property:
    params = thaw(req.params)
    return _graph_property(ctx, generate.transform_graph(params), _budget(ctx, 10, 3), classes.targeted(params),
                           max_cases=6)


def check_random_pipeline(ctx: Context, req: Requirement, doc: Document) -> Property:
    params = thaw(req.params)
    strategy = generate.random_pipeline(windowed=bool(params.get("windowed")), empty=bool(params.get("empty")))
    return _graph_property(ctx, strategy, _budget(ctx, 4, 5), classes.pipeline_class, max_cases=6)


def _literal(ctx: Context, graph: dict, expect: Mapping | None, expect_error: bool, panes: bool,
             expect_metrics: list | None = None) -> Outcome:
    """Run one literal graph and compare with the spec's expectation (and its metrics, when given)."""
    snippet = render(graph, _adapter_name(ctx))
    actual, raised = _run_backend(ctx, graph)
    if expect_error:
        if raised is not None:
            return Outcome("pass", examples=1)
        return Outcome("fail", 1, "the run must fail, but the backend produced outputs",
                       counterexample=graph, expected="the run fails", actual=actual, snippet=snippet)
    if raised is not None:
        return Outcome("fail", 1, f"the backend raised {raised.type_name}: {raised.message}",
                       counterexample=graph, expected={"outputs": expect}, actual=f"raised {raised.type_name}",
                       snippet=snippet)
    tolerance, functions_ = _tolerance(ctx)
    try:
        compare.compare_runs(graph, expect or {}, actual, panes=panes, tolerance=tolerance,
                             fuzzy=compare.fuzzy_outputs(graph, functions_), aggregate=_aggregate_timestamp(ctx))
        if expect_metrics is not None:
            compare.compare_metrics(expect_metrics, actual)
    except Mismatch as exc:
        return Outcome("fail", 1, exc.message, counterexample=graph, expected=exc.expected, actual=exc.actual,
                       snippet=snippet)
    return Outcome("pass", examples=1)


def check_example(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    params = thaw(req.params)
    graph = normalise_graph({"format": FORMAT, "nodes": params["nodes"], "outputs": params["outputs"]})
    return _literal(ctx, graph, params.get("expect"), bool(params.get("expect_error")), panes=False,
                    expect_metrics=params.get("expect_metrics"))


def transcript_graph(params: Mapping) -> dict:
    """test_stream → window_into → (aggregate) as a graph; the last node is the output."""
    nodes: list[dict] = [
        {"id": "stream", "transform": "test_stream", "params": {"events": params["events"]}},
        {"id": "windowed", "transform": "window_into", "inputs": ["stream"], "params": params["windowing"]},
    ]
    aggregate = params.get("aggregate")
    if aggregate:
        node_params = {"fn": aggregate["fn"]} if "fn" in aggregate else {}
        nodes.append({"id": "panes", "transform": aggregate["transform"], "inputs": ["windowed"],
                      "params": node_params})
    return normalise_graph({"format": FORMAT, "nodes": nodes, "outputs": [nodes[-1]["id"]]})


def check_transcript(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    params = thaw(req.params)
    graph = transcript_graph(params)
    return _literal(ctx, graph, {graph["outputs"][0]: params["expect"]}, False, panes=True)


def check_empty_combine(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """One graph: an empty Create fanned out to combine_globally with every documented combine function."""
    nodes: list[dict] = [{"id": "empty", "transform": "create", "params": {"elements": []}}]
    expect = {}
    for fn_doc in ctx.spec.documents_of("pipeline.combine_fn"):
        params = {p["name"]: 1 for p in fn_doc.data.get("parameters", ())}
        fn = {"name": fn_doc.name, "params": params} if params else {"name": fn_doc.name}
        node_id = f"combine_{fn_doc.name}"
        nodes.append({"id": node_id, "transform": "combine_globally", "inputs": ["empty"], "params": {"fn": fn}})
        expect[node_id] = [{"value": thaw(fn_doc.data["empty_result"]), "window": "global"}]
    graph = normalise_graph({"format": FORMAT, "nodes": nodes, "outputs": list(expect)})
    return _literal(ctx, graph, expect, False, panes=False)


def check_combine_law(ctx: Context, req: Requirement, doc: Document) -> Property:
    law = req.params["law"]
    tolerance, _ = _tolerance(ctx)
    reassociating = {d.name for d in ctx.spec.documents_of("pipeline.combine_fn") if d.data.get("reassociates")}

    def tolerance_for(name: str) -> tuple[float, float] | None:
        return tolerance if name in reassociating else None

    def test(case: Mapping) -> None:
        laws.check_law(law, case, tolerance_for)

    # in-process and cheap: the run's full budget, whatever the adapter
    return Property(strategy=laws.law_case(), test=test, snippet=lambda case: laws.snippet(law, case))


CHECKS = {
    "example": check_example,
    "transform_property": check_transform_property,
    "random_pipeline": check_random_pipeline,
    "transcript": check_transcript,
    "empty_combine": check_empty_combine,
    "combine_law": check_combine_law,
}

__all__ = ["CHECKS", "differential", "encode_value", "transcript_graph"]
