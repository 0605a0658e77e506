"""``bench_http`` with ``host_cpus``: what the deploy starts runs on those CPUs, and the worker keeps its own."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from accord.adapters.faas import bench_op

pytestmark = pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                                reason="needs CPU affinity and two CPUs")


class Spawning:
    """An adapter whose deploy starts a process, as a host's would."""

    def __init__(self) -> None:
        self.children: list[subprocess.Popen] = []

    def invoke(self, op: str, args: Any) -> dict[str, Any]:
        assert op == "deploy"
        self.children.append(subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                                              stdin=subprocess.PIPE))
        return {"functions": {}}


def test_the_deploys_processes_take_the_host_cpus_and_the_worker_keeps_its_own() -> None:
    own = os.sched_getaffinity(0)
    host = max(own)
    adapter = Spawning()
    try:
        bench_op._deploy(adapter, {}, {"host_cpus": [host]})
        bench_op._deploy(adapter, {}, {})  # without host_cpus: the worker's own mask
        assert os.sched_getaffinity(adapter.children[0].pid) == {host}
        assert os.sched_getaffinity(adapter.children[1].pid) == own
        assert os.sched_getaffinity(0) == own
    finally:
        for child in adapter.children:
            child.communicate(b"")
