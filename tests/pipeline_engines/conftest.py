"""One started adapter per engine for the whole session, a check that stopping leaves nothing, and the comparison.

Spark's JVM and Dask's cluster take seconds to start, so every test shares
them; the final teardown stops them and fails if a java or dask process
started by this test process is still alive.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import psutil
import pytest

from accord.conformance.families.pipeline.compare import compare_runs
from accord.spec import load_spec
from accord.spec.pipeline import api

# The spec's allowed range for an aggregate's timestamp, read from the spec as the suite reads it.
_AGGREGATE = load_spec("pipeline", "1.0").document("pipeline.contract", "model").data["aggregate_timestamp"]
AGGREGATE_RANGE = (_AGGREGATE["earliest"], _AGGREGATE["latest"])


def _compare(graph: dict, expected: dict, actual: dict, engine: str, panes: bool = False) -> None:
    """Raise ``Mismatch`` unless ``actual`` matches the reference's ``expected`` outputs (multisets per window)."""
    compare_runs(graph, expected, actual, panes=panes, aggregate=AGGREGATE_RANGE, who=engine)


def engine_processes() -> list[psutil.Process]:
    """Our descendants that belong to an engine (Spark's JVM, Dask's nannies and workers)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            cmdline = " ".join(child.cmdline())
        except psutil.Error:
            continue
        if "java" in child.name() or "spark" in cmdline or "distributed" in cmdline or "dask" in cmdline:
            found.append(child)
    return found


def wait_until_gone(deadline_s: float = 30) -> list[psutil.Process]:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        left = [p for p in engine_processes() if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not left:
            return []
        time.sleep(0.5)
    return left


class Engines:
    """Starts each adapter on first use and keeps it for the session."""

    compare = staticmethod(_compare)  # the suite's comparison, for the tests

    def __init__(self) -> None:
        self.started: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        if name not in self.started:
            adapter = api.load_adapter(name)
            adapter.start()
            self.started[name] = adapter
        return self.started[name]

    def stop_all(self) -> None:
        for adapter in self.started.values():
            adapter.stop()
        self.started.clear()


@pytest.fixture(scope="session")
def engines() -> Iterator[Engines]:
    pool = Engines()
    yield pool
    pool.stop_all()
    left = wait_until_gone()
    assert not left, f"engine processes outlived stop(): {[' '.join(p.cmdline())[:120] for p in left]}"
