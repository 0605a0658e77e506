"""The bench family modules by family name (apart from :mod:`.workloads`, which they all import)."""

from __future__ import annotations

from .workloads import BenchFamily


def family_module(name: str) -> BenchFamily:
    """The bench family called ``name``; LookupError (one line) for a family without one yet."""
    if name == "tensor":
        from .tensor import TensorBench

        return TensorBench()
    if name == "pipeline":
        from .pipeline import PipelineBench

        return PipelineBench()
    if name == "faas":
        from .faas import FaasBench

        return FaasBench()
    raise LookupError(f"family {name!r} has no bench workloads yet (known: tensor, pipeline, faas)")
