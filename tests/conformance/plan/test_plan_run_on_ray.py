"""``accord plan run --executor ray`` on a Ray cluster the test starts (conftest ``cluster``: a head and one
worker node, separate ``ray start --block`` process groups on 127.0.0.1, one CPU each, so both take cells),
and on a Ray of the run's own; both on loopback only (every node registered as 127.0.0.1, every socket any
of their processes listens on bound to 127.0.0.1, looked at every second while cells run).

The worker node is killed (SIGKILL to ``ray start`` and every process under it) while it runs a cell:
Ray reruns the task on the head, and every cell ends with the status the local pool gives it. The cluster is stopped
at the end and nothing of it, or of the cells, may be left running.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from accord_testing import TESTS_ENV
from accord_testing.plan_processes import command_lines

pytest.importorskip("ray")
from accord.conformance.plan.local_ray import SINGLE_MACHINE, LocalRayCluster, is_loopback_ip  # noqa: E402

pytestmark = pytest.mark.slow  # a Ray cluster of two nodes, and a venv from the package registry

PLAN = """\
plan: ray
defaults:
  seeds: [1, 2]
  options: {max_examples: 20, select: ["tensor.add.*", "tensor.sum.*", "tensor.mean.*", "tensor.multiply.*"]}
matrix:
  - family: tensor
    adapter: numpy
    backend: {package: numpy, versions: ["2.0.2"]}
    spec_versions: ["1.0", "1.1"]
"""
MAIN = "import sys; from accord.conformance.cli import main; sys.exit(main())"


def _stat(pid: str | int) -> list[str]:
    """The fields of /proc/PID/stat after the command name: state, ppid, pgrp, ..."""
    return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()


def descends_from(pid: int, ancestor: int) -> bool:
    for _ in range(64):
        if pid == ancestor:
            return True
        try:
            pid = int(_stat(pid)[1])
        except (OSError, ValueError, IndexError):
            return False
        if pid <= 1:
            return False
    return False


def driver_env(cluster: LocalRayCluster) -> dict[str, str]:
    """The cluster's token, but not Ray's single-machine switch: ``accord plan run`` must keep to loopback by
    itself when its --ray-address is on 127.0.0.1."""
    return {k: v for k, v in cluster.driver_env.items() if k not in SINGLE_MACHINE}


def cells_on(node: int) -> list[tuple[str, int]]:
    """(cell id, pid) of each ``accord run`` started by a Ray worker of the node ``ray start`` pid ``node``."""
    found = []
    for pid, cmdline in command_lines():
        match = re.search(r"accord-cell-\d+-(\S+)-[^-/\s]+/report\.json", cmdline)
        if "from accord.conformance.cli import main" in cmdline and match and descends_from(pid, node):
            found.append((match.group(1), pid))
    return found


def kill_node(node: int) -> None:
    """A lost machine: SIGKILL to ``ray start`` and every process under it (raylet, Ray workers) at once."""
    doomed = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and descends_from(int(p.name), node)]
    cells = {pid for _, pid in cells_on(node)}
    for pid in doomed:
        if pid not in cells:  # the cells themselves are not the machine: they must go with their Ray worker
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def run_plan(folder: Path, cache: Path, env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", MAIN, "plan", "run", str(folder / "plan.yaml"), "--out",
                             str(folder / "out"), "--env-cache", str(cache), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def statuses(folder: Path) -> dict[str, str]:
    state = json.loads((folder / "out" / "plan-state.json").read_text())
    return {cell: entry["status"] for cell, entry in state["cells"].items()}


def test_a_killed_node_loses_no_cell_and_ray_gives_the_local_pools_statuses(
        tmp_path: Path, cache: Path, cluster: LocalRayCluster, run_watching) -> None:  # noqa: ANN001
    env = {**TESTS_ENV, "TMPDIR": str(cluster.scratch)}
    head, worker = cluster.nodes
    local, remote = tmp_path / "local", tmp_path / "ray"
    for folder in (local, remote):
        folder.mkdir()
        (folder / "plan.yaml").write_text(PLAN)

    started = time.monotonic()
    stdout, stderr = run_plan(local, cache, env, "--workers", "2").communicate(timeout=900)
    local_seconds = time.monotonic() - started
    assert "4 to run" in stdout, stdout + stderr

    started = time.monotonic()
    proc = run_plan(remote, cache, driver_env(cluster), "--executor", "ray", "--ray-address", cluster.address)
    deadline = time.monotonic() + 300
    seen = {(s.pid, s.name, s.ip, s.port) for s in cluster.listening()}
    while not (killed := cells_on(worker.pid)):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.2)
    seen |= {(s.pid, s.name, s.ip, s.port) for s in cluster.listening()}  # a cell is running on each node
    time.sleep(1)
    kill_node(worker.pid)
    stdout, stderr, later = run_watching(cluster, proc)
    ray_seconds = time.monotonic() - started
    assert proc.returncode == 0, stdout + stderr
    assert [s for s in seen | later if not is_loopback_ip(s[2])] == [] and len(seen) >= 8, seen
    assert statuses(remote) == statuses(local) and set(statuses(local).values()) == {"passed"}, stdout
    state = json.loads((remote / "out" / "plan-state.json").read_text())
    lost = killed[0][0]
    assert (remote / "out" / "cells" / f"{lost}.json").is_file()
    alive = cluster.alive_nodes()
    assert [node_id for node_id, _ in alive] == cluster.node_ids[:1]  # the worker node is dead, the head is not
    assert [address for _, address in alive] == ["127.0.0.1"]
    assert f"ray node {cluster.node_ids[0][:12]}" in state["cells"][lost]["host"], state["cells"][lost]
    print(f"\nlocal pool (2 workers): {local_seconds:.1f}s; ray, 2 nodes, one killed under {lost}: "
          f"{ray_seconds:.1f}s")
    assert head.poll() is None
    # the killed node's orphaned cell got SIGTERM with its Ray worker (PR_SET_PDEATHSIG); its temp folder
    # went when the rerun started
    deadline = time.monotonic() + 30
    while list(cluster.scratch.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert [p.name for p in cluster.scratch.iterdir() if p.name.startswith("accord-")] == []


def test_a_ray_of_the_runs_own_is_on_loopback_only(tmp_path: Path, cache: Path) -> None:
    """No --ray-address: RayExecutor starts a Ray of its own (ray.init) for the run, on 127.0.0.1 only, and
    nothing of it is left afterwards."""
    import psutil

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (tmp_path / "plan.yaml").write_text(PLAN.replace("seeds: [1, 2]", "seeds: [1]"))
    proc = run_plan(tmp_path, cache, {**TESTS_ENV, "TMPDIR": str(scratch)}, "--executor", "ray")
    driver = psutil.Process(proc.pid)
    seen: dict[tuple[int, str, int], str] = {}
    members: set[int] = set()
    while proc.poll() is None:
        try:
            for child in driver.children(recursive=True):
                members.add(child.pid)
                for conn in child.net_connections(kind="tcp"):
                    if conn.status == psutil.CONN_LISTEN:
                        seen[(child.pid, conn.laddr.ip, conn.laddr.port)] = child.name()
        except psutil.Error:
            pass
        time.sleep(1)
    stdout, stderr = proc.communicate()
    assert proc.returncode == 0, stdout + stderr
    names = set(seen.values())
    assert {"gcs_server", "raylet"} <= names, seen  # it looked while Ray ran
    assert [(name, ip, port) for (_, ip, port), name in seen.items() if not is_loopback_ip(ip)] == []
    state = json.loads((tmp_path / "out" / "plan-state.json").read_text())
    assert {e["status"] for e in state["cells"].values()} == {"passed"}
    deadline = time.monotonic() + 30
    while [p for p in members if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE] \
            and time.monotonic() < deadline:
        time.sleep(0.5)
    assert [p for p in members if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE] == []
    assert [p.name for p in scratch.iterdir() if p.name.startswith("accord-")] == []
