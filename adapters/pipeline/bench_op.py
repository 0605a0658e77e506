"""The pipeline worker op ``bench_pipeline``: time a graph's run inside the worker.

``args`` (``spec/meta/pipeline.graph.schema.json`` ``params-bench_pipeline``)::

    {"graph": <accord.pipeline/1 graph>, "repeat": k, "warm_up"?: bool}   or   {"probe": true}

Each of the ``repeat`` runs is ``time.perf_counter_ns`` around the adapter's own ``run`` op, which is
what a user of the engine pays for one pipeline: constructing it, executing it on the engine (reading
the events file included) and collecting its outputs into this Python process (as the run op's
elements). The outputs are then dropped here: they never cross the wire. ``warm_up`` first runs the graph once untimed. The answer is
``{"batches_ns": [one per run], "number": 1}`` (one run per batch: runs take seconds, not microseconds).
"""

from __future__ import annotations

import time
from typing import Any

from accord.adapters.thread_pools import probe


def bench(adapter: Any, args: dict[str, Any]) -> dict[str, Any]:
    """Run the ``bench_pipeline`` op on a started pipeline adapter."""
    if args.get("probe"):
        return probe()
    request = {"graph": args["graph"]}
    if args.get("warm_up"):
        adapter.invoke("run", request)
    batches = []
    for _ in range(int(args.get("repeat", 1))):
        start = time.perf_counter_ns()
        result = adapter.invoke("run", request)
        batches.append(time.perf_counter_ns() - start)
        del result
    return {"batches_ns": batches, "number": 1}

