"""Building blocks of pipeline mutants: patch targets, graphs for direct examples, running an example.

A pipeline patch is ``patch(ref) -> {target: callable}`` over :class:`Ref`, the unpatched modules of
the pipeline reference (``accord.reference.pipeline``). A target is

- ``transform:<name>``: the entry of ``evaluate.TRANSFORMS`` that runs the graph transform ``<name>``;
- ``<module>.<name>``: an attribute of ``accord.reference.pipeline.<module>`` (``evaluate``, ``windowing``,
  ``triggers``, ``stateful``), which the reference looks up at call time;
- ``run_wire``: the package's ``run_wire``, which the reference adapter calls for every run.

Building a patch changes nothing; only :func:`install`, called by the mutant adapter inside a worker,
puts the callables in place, so the kit's own oracle (the reference in the kit's process) never sees one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from accord.spec.pipeline.graph import FORMAT, GLOBAL, Window, encode_value, normalise_graph

Patch = Callable[["Ref"], dict[str, Callable[..., Any]]]


class Ref:
    """The pipeline reference's modules, as a patch reads them (never changed by building a patch)."""

    def __init__(self) -> None:
        from accord.reference import pipeline
        from accord.reference.pipeline import evaluate, stateful, triggers, windowing

        self.package, self.evaluate, self.windowing = pipeline, evaluate, windowing
        self.triggers, self.stateful = triggers, stateful

    def transform(self, name: str) -> Callable[..., Any]:
        return self.evaluate.TRANSFORMS[name]


def install(overrides: dict[str, Callable[..., Any]]) -> None:
    """Put a mutant's overrides in place in this process (the mutant adapter calls it in a worker only)."""
    ref = Ref()
    for target, value in overrides.items():
        if target.startswith("transform:"):
            ref.evaluate.TRANSFORMS[target.split(":", 1)[1]] = value
        elif "." in target:
            module, name = target.split(".", 1)
            setattr(getattr(ref, module), name, value)
        else:
            setattr(ref.package, target, value)


# ------------------------------------------------------------------ writing patches


def transform(name: str, body: Callable[..., Any]) -> Patch:
    """Replace graph transform ``name`` by ``body(orig, params, inputs, sides, stream)``."""
    def patch(ref: Ref) -> dict[str, Callable[..., Any]]:
        orig = ref.transform(name)
        return {f"transform:{name}": lambda params, inputs, sides, stream: body(orig, params, inputs, sides, stream)}
    return patch


def attribute(target: str, body: Callable[..., Any]) -> Patch:
    """Replace ``<module>.<name>`` by ``body(orig, *args, **kwargs)``."""
    def patch(ref: Ref) -> dict[str, Callable[..., Any]]:
        module, name = target.split(".", 1)
        orig = getattr(getattr(ref, module), name)
        return {target: lambda *args, **kwargs: body(orig, *args, **kwargs)}
    return patch


def outputs(body: Callable[[dict, dict], dict]) -> Patch:
    """Rewrite a whole run's wire result: ``body(graph, result) -> result`` (outputs and metrics)."""
    def patch(ref: Ref) -> dict[str, Callable[..., Any]]:
        orig = ref.package.run_wire
        return {"run_wire": lambda graph: body(graph, orig(graph))}
    return patch


def elements(collection: Any, change: Callable[[Any], Any]) -> Any:
    """A copy of a reference ``Collection`` with ``change(element)`` applied to every element."""
    return replace(collection, elements=[change(e) for e in collection.elements])


def interval(window: Any) -> bool:
    return isinstance(window, Window)


# ------------------------------------------------------------------ direct examples


def el(value: Any, timestamp: int | None = None) -> dict:
    """One create element (``value`` is a Python value, encoded here)."""
    return {"value": encode_value(value), **({"timestamp": timestamp} if timestamp is not None else {})}


def node(node_id: str, transform_: str, inputs: tuple[str, ...] = (), params: dict | None = None,
         sides: list[dict] | None = None) -> dict:
    return {"id": node_id, "transform": transform_, "inputs": list(inputs), "params": params or {},
            "side_inputs": sides or []}


def graph(*nodes: dict, outputs_: list[str] | None = None) -> dict:
    """A graph of these nodes; its output is the last node unless ``outputs_`` says otherwise."""
    return normalise_graph({"format": FORMAT, "nodes": list(nodes), "outputs": outputs_ or [nodes[-1]["id"]]})


def chain(values: list[Any], *steps: tuple[str, dict], stamps: list[int] | None = None) -> dict:
    """create(values) followed by each ``(transform, params)`` step in turn; the last step is the output."""
    created = [el(v, stamps[i] if stamps else None) for i, v in enumerate(values)]
    nodes = [node("src", "create", params={"elements": created})]
    for i, (name, params) in enumerate(steps):
        nodes.append(node(f"s{i}", name, (nodes[-1]["id"],), params))
    return graph(*nodes)


def stream(events: list[dict], windowing: dict, aggregate: str = "group_by_key", fn: dict | None = None) -> dict:
    """test_stream -> window_into -> aggregate (a transcript graph); event elements are (value, timestamp)."""
    encoded = [{**e, "elements": [el(v, t) for v, t in e["elements"]]} if e["kind"] == "elements" else e
               for e in events]
    return graph(node("stream", "test_stream", params={"events": encoded}),
                 node("windowed", "window_into", ("stream",), windowing),
                 node("panes", aggregate, ("windowed",), {"fn": fn} if fn else {}))


def arrive(*values: tuple[Any, int]) -> dict:
    return {"kind": "elements", "elements": list(values)}


def watermark(to: int) -> dict:
    return {"kind": "watermark", "to": to}


def clock(advance: int) -> dict:
    return {"kind": "processing_time", "advance": advance}


# ------------------------------------------------------------------ running a direct example


#: a read_text example reads this path; :func:`difference` writes :data:`TEXT` there while the example runs
TEXT_PATH = "/accord-mutant-example.txt"
TEXT = "first line \nlast line"  # whitespace at a line's end, and a last line without a terminator


def _with_text_file(example: dict, folder: str) -> dict:
    """The example with :data:`TEXT_PATH` replaced by a real file holding :data:`TEXT` in ``folder``."""
    path = os.path.join(folder, "text.txt")
    with open(path, "w", encoding="utf-8") as out:
        out.write(TEXT)
    return json.loads(json.dumps(example).replace(json.dumps(TEXT_PATH), json.dumps(path)))


def canonical_result(result: Any) -> Any:
    """A run's answer in comparable form: outputs as sorted multisets, metrics sorted; errors by name."""
    if isinstance(result, BaseException):
        return ("raised",)
    outputs_ = {ref: sorted(json.dumps(e, sort_keys=True) for e in elements_)
                for ref, elements_ in result["outputs"].items()}
    metrics = sorted(json.dumps(m, sort_keys=True) for m in result.get("metrics", ()))
    return {"outputs": outputs_, "metrics": metrics}


def difference(mutant_set: Any, mutant: Any) -> str | None:
    """Run the mutant's direct example in a worker of the mutant adapter and on the kit's reference (unpatched)."""
    from accord.conformance.client import BackendClient, BackendRaised
    from accord.reference.pipeline import PipelineError, run_wire

    with tempfile.TemporaryDirectory(prefix="accord-mutant-") as folder:
        example = _with_text_file(mutant.example, folder)
        try:
            want: Any = canonical_result(run_wire(example))
        except PipelineError as exc:
            want = canonical_result(exc)
        client = BackendClient(mutant_set.adapter, family="pipeline", options=mutant_set.options(mutant))
        try:
            client.start()
            try:
                got = canonical_result(client.invoke("run", {"graph": example}))
            except BackendRaised as exc:
                got = canonical_result(exc)
        finally:
            client.close()
    if want == got:
        return None
    return f"reference {_short(want)}; mutant {_short(got)}"


def _short(value: Any, limit: int = 300) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, tuple) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["GLOBAL", "TEXT_PATH", "Ref", "arrive", "chain", "clock", "difference", "el", "graph", "install", "node", "stream",
           "watermark"]
