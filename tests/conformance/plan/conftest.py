"""Fixtures of the plan tests: one environment cache for the session, so a release's venv is built once,
and a loopback Ray cluster of two nodes that leaves nothing behind."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from accord_testing import TESTS_ENV


@pytest.fixture(scope="session")
def cache(plan_env_cache: Path) -> Path:
    """The environment cache the slow plan tests share with the history tests (tests/conftest.py)."""
    return plan_env_cache


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator:
    """A Ray cluster on 127.0.0.1: a head and one worker node (``ray start --block``, separate process groups,
    one CPU each, so both nodes take cells). Every process of it, and every cell it runs, has the test's
    ``scratch`` folder as TMPDIR; at the end all of them are gone and the cells left nothing there."""
    pytest.importorskip("ray")
    from accord.conformance.plan.local_ray import LocalRayCluster

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with LocalRayCluster(nodes=2, cpus=1, env={**TESTS_ENV, "TMPDIR": str(scratch)},
                         log_dir=tmp_path / "ray-logs") as started:
        started.scratch = scratch
        assert started.loopback_problems() == []
        yield started
    # stop() raised if a process of the cluster had outlived SIGKILL; the cells' work folders went with them
    assert [p.name for p in scratch.iterdir() if p.name.startswith("accord-")] == []



def _run_watching(cluster, proc: subprocess.Popen, timeout: float = 900) -> tuple[str, str, set]:  # noqa: ANN001
    """Wait for ``proc`` (an ``accord plan run`` on ``cluster``) while looking at the cluster's listening TCP
    sockets every second: (stdout, stderr, every socket seen, as (pid, name, ip, port))."""
    seen: set[tuple[int, str, str, int]] = set()
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        seen |= {(s.pid, s.name, s.ip, s.port) for s in cluster.listening()}
        time.sleep(1)
    stdout, stderr = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    return stdout, stderr, seen


@pytest.fixture
def run_watching() -> Callable:
    """``run_watching(cluster, proc)``: see _run_watching."""
    return _run_watching
