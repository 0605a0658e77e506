"""The pipeline reference adapter: the in-memory reference runner behind the adapter interface.

The kit also calls it in-process as the oracle; as a worker it lets
``accord run --family pipeline --adapter reference`` check the reference itself.
"""

from __future__ import annotations

from typing import Any

from accord.adapters.base import Adapter, AdapterMeta, AdapterUnsupported


class ReferencePipelineAdapter(Adapter):
    meta = AdapterMeta(
        name="reference",
        family="pipeline",
        backend_package="accord",
        spec_versions=("1.0", "1.1", "1.2"),
        claims=("streaming", "stateful", "metrics"),
        is_reference=True,
        description="Accord's single-threaded in-memory pipeline evaluator (the oracle)",
    )

    def invoke(self, op: str, args: Any) -> Any:
        if op == "bench_pipeline":  # accord bench: the run below, timed here in the worker
            from accord.adapters.pipeline.bench_op import bench

            return bench(self, args)
        if op != "run":
            raise AdapterUnsupported(op)
        from accord.reference.pipeline import run_wire

        return run_wire(args["graph"])


adapter = ReferencePipelineAdapter()
