"""``accord plan run --executor ray`` on a Ray cluster the test starts: a head and one worker node, as
separate ``ray start --block`` process groups on 127.0.0.1, each with one CPU so both nodes take cells.

The worker node is killed (SIGKILL to ``ray start`` and every process under it) while it runs a cell:
Ray reruns the task on the head, and every cell ends with the status the local pool gives it. The cluster is stopped
at the end and nothing of it, or of the cells, may be left running.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from accord_testing import TESTS_ENV

pytest.importorskip("ray")
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
RAY = str(Path(sys.executable).parent / "ray")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def end_group(proc: subprocess.Popen) -> None:
    for signum, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, signum)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            pass


def _stat(pid: str | int) -> list[str]:
    """The fields of /proc/PID/stat after the command name: state, ppid, pgrp, ..."""
    return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()


def with_marker(marker: str) -> list[int]:
    """Live processes whose environment mentions ``marker`` (every process of the cluster and the cells has
    the test's TMPDIR), zombies left out."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes() and _stat(entry.name)[0] != "Z":
                    found.append(int(entry.name))
            except (OSError, IndexError):
                continue
    return found


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


def alive_nodes(address: str, env: dict[str, str]) -> list[str]:
    """The ids of the cluster's live nodes (none while it cannot be reached)."""
    probe = (f"import ray; ray.init(address={address!r}, log_to_driver=False); "
             "print(*[n['NodeID'] for n in ray.nodes() if n['Alive']])")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    return done.stdout.split() if done.returncode == 0 else []


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen, subprocess.Popen, dict[str, str]]]:
    temp = Path(tempfile.mkdtemp(prefix="accord-rt-"))  # short: Ray's unix sockets live under it
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = {**TESTS_ENV, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0", "TMPDIR": str(scratch)}
    port = free_port()
    address = f"127.0.0.1:{port}"
    common = ["--block", "--node-ip-address=127.0.0.1", "--num-cpus=1", "--disable-usage-stats"]
    logs = [open(tmp_path / name, "w") for name in ("head.log", "worker.log")]
    nodes: list[subprocess.Popen] = []
    try:
        nodes.append(subprocess.Popen([RAY, "start", "--head", f"--port={port}", "--include-dashboard=false",
                                       f"--temp-dir={temp}", *common], stdout=logs[0], stderr=subprocess.STDOUT,
                                      start_new_session=True, env=env))
        deadline = time.monotonic() + 120
        while len(alive_nodes(address, env)) < 1:
            assert time.monotonic() < deadline and nodes[0].poll() is None, (tmp_path / "head.log").read_text()
            time.sleep(1)
        nodes.append(subprocess.Popen([RAY, "start", f"--address={address}", *common], stdout=logs[1],
                                      stderr=subprocess.STDOUT, start_new_session=True, env=env))
        while len(alive_nodes(address, env)) < 2:
            assert time.monotonic() < deadline and nodes[1].poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(1)
        yield address, nodes[0], nodes[1], env
    finally:
        for node in reversed(nodes):
            end_group(node)
        for log in logs:
            log.close()
        shutil.rmtree(temp, ignore_errors=True)
        deadline = time.monotonic() + 30
        while with_marker(str(scratch)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert with_marker(str(scratch)) == []  # no node, Ray worker or cell process left


def cells_on(node: int) -> list[tuple[str, int]]:
    """(cell id, pid) of each ``accord run`` started by a Ray worker of the node ``ray start`` pid ``node``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        match = re.search(r"accord-cell-\d+-(\S+)-[^-/\s]+/report\.json", cmdline)
        if "from accord.conformance.cli import main" in cmdline and match and descends_from(int(entry.name), node):
            found.append((match.group(1), int(entry.name)))
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
        tmp_path: Path, cache: Path, cluster: tuple[str, subprocess.Popen, subprocess.Popen, dict[str, str]]) -> None:
    address, head, worker, env = cluster
    local, remote = tmp_path / "local", tmp_path / "ray"
    for folder in (local, remote):
        folder.mkdir()
        (folder / "plan.yaml").write_text(PLAN)

    started = time.monotonic()
    stdout, stderr = run_plan(local, cache, env, "--workers", "2").communicate(timeout=900)
    local_seconds = time.monotonic() - started
    assert "4 to run" in stdout, stdout + stderr

    started = time.monotonic()
    proc = run_plan(remote, cache, env, "--executor", "ray", "--ray-address", address)
    deadline = time.monotonic() + 300
    while not (killed := cells_on(worker.pid)):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.2)
    time.sleep(1)
    kill_node(worker.pid)
    stdout, stderr = proc.communicate(timeout=900)
    ray_seconds = time.monotonic() - started
    assert proc.returncode == 0, stdout + stderr
    assert statuses(remote) == statuses(local) and set(statuses(local).values()) == {"passed"}, stdout
    state = json.loads((remote / "out" / "plan-state.json").read_text())
    lost = killed[0][0]
    assert (remote / "out" / "cells" / f"{lost}.json").is_file()
    (head_id,) = alive_nodes(address, env)  # the worker node is dead: the cell it ran finished on the head
    assert f"ray node {head_id[:12]}" in state["cells"][lost]["host"], state["cells"][lost]
    print(f"\nlocal pool (2 workers): {local_seconds:.1f}s; ray, 2 nodes, one killed under {lost}: "
          f"{ray_seconds:.1f}s")
    assert head.poll() is None
    # the killed node's orphaned cell got SIGTERM with its Ray worker (PR_SET_PDEATHSIG); its temp folder
    # went when the rerun started
    deadline = time.monotonic() + 30
    while list((tmp_path / "scratch").iterdir()) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert [p.name for p in (tmp_path / "scratch").iterdir() if p.name.startswith("accord-")] == []
