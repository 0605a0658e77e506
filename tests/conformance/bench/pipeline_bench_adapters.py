"""Pipeline adapters for the bench tests: the reference runner made wrong but fast, or made to crash.

Loaded by the worker as ``pipeline_bench_adapters:<name>`` with this folder on PYTHONPATH (``ENV`` of
``test_pipeline_bench``).
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.pipeline.reference_adapter import ReferencePipelineAdapter


def _meta(name: str) -> AdapterMeta:
    return AdapterMeta(name=name, family="pipeline", backend_package="accord", spec_versions=("1.0", "1.1", "1.2"),
                       description="a test backend of accord bench")


class DropsOne(ReferencePipelineAdapter):
    """The reference runner, but every run loses the last element of each non-empty output: as fast, and wrong."""

    meta: ClassVar[AdapterMeta] = _meta("drops-one")

    def invoke(self, op: str, args: Any) -> Any:
        result = super().invoke(op, args)
        if op == "run":
            result["outputs"] = {ref: elements[:-1] for ref, elements in result["outputs"].items()}
        return result


class CrashesWhenTimed(ReferencePipelineAdapter):
    """Answers the check right, then its worker dies as soon as a run is timed."""

    meta: ClassVar[AdapterMeta] = _meta("crashes-when-timed")

    def invoke(self, op: str, args: Any) -> Any:
        if op == "bench_pipeline" and not args.get("probe") and args.get("repeat"):
            os._exit(3)
        return super().invoke(op, args)


drops_one = DropsOne()
crashes_when_timed = CrashesWhenTimed()
