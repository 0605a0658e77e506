"""``BackendClient(cpus=…)``: the worker and every thread its backend starts run only on those CPUs (a bench
pins its workers so that a process is not moved between cores mid-measurement)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accord.conformance.client import BackendClient

pytestmark = pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity on this platform")


def thread_cpus(pid: int) -> dict[str, str]:
    """Thread id -> its Cpus_allowed_list, for every thread of the process."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith("Cpus_allowed_list:"):
                out[task.name] = line.split(":", 1)[1].strip()
    return out


def test_every_thread_of_a_pinned_worker_stays_on_its_cpu() -> None:
    pytest.importorskip("torch")
    cpu = max(os.sched_getaffinity(0))
    client = BackendClient("torch", family="tensor", cpus=frozenset({cpu}))
    try:
        client.start()
        fill = {"$fill": {"dtype": "float64", "shape": [300, 300], "fill": {"uniform": [0, 1]}, "seed": 1}}
        client.invoke("bench", {"inputs": {"x": fill}, "steps": [{"let": "r", "fn": "matmul", "args": [
            {"$ref": "x"}, {"$ref": "x"}], "kwargs": {}}], "result": "r", "number": 3, "repeat": 1})
        pid = client._proc.pid
        threads = thread_cpus(pid)
        assert len(threads) >= 2  # the worker's main thread and its watch on the kit
        assert set(threads.values()) == {str(cpu)}, threads
        # the mask was set before the libraries loaded: pools left at their default size one thread per CPU
        pools = client.invoke("bench", {"probe": True})["threads"]
        assert pools and all(p["num_threads"] == 1 for p in pools), pools
    finally:
        client.close()


def test_an_unpinned_worker_keeps_the_kits_cpus() -> None:
    client = BackendClient("reference", family="tensor")
    try:
        client.start()
        assert os.sched_getaffinity(client._proc.pid) == os.sched_getaffinity(0)
    finally:
        client.close()
