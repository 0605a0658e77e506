"""The pipeline reference runner: a plain, single-threaded evaluator of Accord pipeline graphs.

``run_graph(graph)`` returns the elements of every output; ``run_wire(graph)``
returns them in the wire form adapters return (``graph.encode_element``), with the
metrics the run reported (``metrics.py``) under ``"metrics"`` when there are any.
"""

from __future__ import annotations

from accord.spec.pipeline.graph import encode_element

from .errors import PipelineError, UnportablePipeline
from .evaluate import Element, run_graph

__all__ = ["Element", "PipelineError", "UnportablePipeline", "run_graph", "run_wire"]


def run_wire(graph: dict) -> dict:
    """The result of ``invoke("run", {"graph": graph})`` on the reference adapter."""
    metrics: list[dict] = []
    outputs = run_graph(graph, metrics)
    result: dict = {"outputs": {ref: [encode_element(e.value, e.timestamp, e.window, e.pane) for e in elements]
                                for ref, elements in outputs.items()}}
    if metrics:
        result["metrics"] = metrics
    return result
