"""Deliberately hostile pipeline adapters: the reference runner, except on pipelines that filter.

Every ``run`` of a graph with a ``filter`` step first does the act of :mod:`behaviours` the
adapter is named after (hang, die, flood, leak children), or answers it in a hostile way
(garbage, an object the wire cannot carry, an exception that cannot be printed, another random
answer each time). Other pipelines run as the reference runs them, so ``pipeline.filter.values``
shows the misbehaviour and ``pipeline.map.example`` that the run went on. Loaded by the worker as
``hostile_pipeline:<name>`` with this folder on PYTHONPATH.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, ClassVar

from behaviours import ACTS
from hostile_answers import Unprintable

from accord.adapters.base import AdapterMeta
from accord.adapters.pipeline.reference_adapter import ReferencePipelineAdapter


def _meta(name: str) -> AdapterMeta:
    return AdapterMeta(name=f"hostile-{name.replace('_', '-')}", family="pipeline", backend_package="accord",
                       spec_versions=("1.0", "1.1", "1.2"), description=f"the reference, hostile on filters: {name}")


def _filters(op: str, args: Any) -> bool:
    nodes = args.get("graph", {}).get("nodes", []) if op == "run" and isinstance(args, dict) else []
    return any(node.get("transform") == "filter" for node in nodes)


class Hostile(ReferencePipelineAdapter):
    """The reference; on a pipeline that filters, ``act`` first, then ``answer`` the reference's result."""

    act: ClassVar[Callable[[], None] | None] = None

    def answer(self, result: dict[str, Any]) -> Any:
        return result

    def invoke(self, op: str, args: Any) -> Any:
        if not _filters(op, args):
            return super().invoke(op, args)
        if type(self).act is not None:
            type(self).act()
        return self.answer(super().invoke(op, args))


def acting(name: str) -> Hostile:
    cls = type(f"Acts_{name}", (Hostile,), {"meta": _meta(name), "act": staticmethod(ACTS[name])})
    return cls()


class Garbage(Hostile):
    """Outputs that are a string, not lists of elements."""

    meta = _meta("garbage")

    def answer(self, result: dict[str, Any]) -> Any:
        return {"outputs": "no elements at all"}


class NotJson(Hostile):
    """An object the wire cannot carry: garbage on the protocol."""

    meta = _meta("not_json")

    def answer(self, result: dict[str, Any]) -> Any:
        return {"outputs": object()}


class RaisesUnprintable(Hostile):
    meta = _meta("raises_unprintable")

    def answer(self, result: dict[str, Any]) -> Any:
        raise Unprintable()


class RandomAnswers(Hostile):
    """One more element, a fresh random integer each time, in every output: the same pipeline, another answer."""

    meta = _meta("random")

    def answer(self, result: dict[str, Any]) -> Any:
        extra = {"value": secrets.randbelow(1 << 30)}  # not `random`: a seeded generator repeats itself
        return {**result, "outputs": {ref: [*elements, extra] for ref, elements in result["outputs"].items()}}


hangs = acting("hangs")
segfaults = acting("segfaults")
exits = acting("exits")
floods_stdout = acting("floods_stdout")
floods_stderr = acting("floods_stderr")
leaks_child = acting("leaks_child")
leaks_detached = acting("leaks_detached")
detaches_and_dies = acting("detaches_and_dies")
garbage = Garbage()
not_json = NotJson()
raises_unprintable = RaisesUnprintable()
random_answers = RandomAnswers()
