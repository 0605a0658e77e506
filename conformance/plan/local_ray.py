"""Ray on this machine's loopback only: the switch a driver needs, and a cluster of N nodes started and
stopped as separate process groups (for the tests and the benchmark of ``accord plan run --executor ray``).

Why this is needed: on Linux Ray turns a loopback address into the machine's outward one
(``ray._private.services.resolve_ip_for_localhost``, used by ``ray start`` and ``ray.init``; intended, see
ray-project/ray#26293), so ``ray start --node-ip-address=127.0.0.1`` registers the node on, say,
192.0.2.2, and its GCS, raylet, Ray Client server, dashboard and runtime-env agents and metrics exporters
then listen on that address or on every interface.
Ray's own switch ``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0`` (the default on macOS and Windows) makes a
node and a driver use 127.0.0.1 and bind there, but ``ray start --address`` refuses to start a worker
node under it. A worker node is therefore ``ray start`` with that one function told to keep a loopback
address as given (:data:`WORKER_NODE`; a private function of Ray's: should a release drop it, the worker
node does not start, saying why); everything else stays Ray's. With both, every process of the
cluster listens on 127.0.0.1 only and every node registers as 127.0.0.1 (checked by the tests).
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.adapters.ports import free_port

LOOPBACK = "127.0.0.1"
SINGLE_MACHINE = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}  # Ray's switch: this node's address is loopback
QUIET = {"RAY_USAGE_STATS_ENABLED": "0"}
AUTH = ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH")
MARKER = "ACCORD_LOCAL_RAY"  # in the environment of every process of a cluster (inherited by all of them)
# `ray start` for a worker node, keeping --address / --node-ip-address 127.0.0.1 as given
WORKER_NODE = ("import sys; import ray._private.services as services; "
               "hasattr(services, 'resolve_ip_for_localhost') or sys.exit('accord: this Ray has no "
               "services.resolve_ip_for_localhost: cannot keep a worker node on 127.0.0.1'); "
               "services.resolve_ip_for_localhost = lambda host: host; "
               "from ray.scripts.scripts import main; sys.argv[0] = 'ray'; sys.exit(main())")
RAY = [sys.executable, "-c", "import sys; from ray.scripts.scripts import main; sys.argv[0] = 'ray'; sys.exit(main())"]
PROBE = ("import json, ray; ray.init(address={address!r}, log_to_driver=False); "
         "print(json.dumps([[n['NodeID'], n['NodeManagerAddress']] for n in ray.nodes() if n['Alive']]))")


class ClusterError(RuntimeError):
    """A node did not start (the message ends with its log) or did not stop."""


def host_and_port(address: str) -> tuple[str, int | None]:
    """The host and port of a Ray address (``host:port``, ``ray://host:port``, ``[::1]:port``); no port for an
    address without one (``auto``)."""
    rest = address.split("://", 1)[-1]
    host, sep, port = rest.rpartition(":")
    if not sep or not port.isdigit():
        return rest.strip("[]"), None
    return host.strip("[]"), int(port)


def is_loopback_host(address: str | None) -> bool:
    """Whether a Ray address (``host:port``; None: a Ray of the driver's own) is on this machine's loopback."""
    if address is None:
        return True
    return host_and_port(address)[0] in ("localhost", "127.0.0.1", "::1")


def is_loopback_ip(ip: str) -> bool:
    """127.0.0.1, also as an IPv4-mapped IPv6 address (a dual-stack socket bound to it)."""
    addr = ipaddress.ip_address(ip)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return str(addr) == LOOPBACK


@contextmanager
def loopback_driver(address: str | None) -> Iterator[None]:
    """Around ``ray.init``: a driver for a Ray on loopback (``address`` on 127.0.0.1, or None: a Ray of the
    driver's own) uses and hands its nodes 127.0.0.1; any other address is left to Ray as it is. A Ray of
    the driver's own also gets token authentication with a token of its own, unless the environment
    says how to authenticate (Ray would otherwise write a token to ~/.ray)."""
    if not is_loopback_host(address):
        yield
        return
    settings = dict(SINGLE_MACHINE)
    if address is None and not any(key in os.environ for key in AUTH):
        settings.update(own_token())
    saved = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)  # read when ray is imported, and inherited by the nodes ray.init starts
    constants = sys.modules.get("ray._private.ray_constants")
    before = getattr(constants, "ENABLE_RAY_CLUSTER", None)
    if constants is not None:  # ray was imported before: the switch as it read it then
        constants.ENABLE_RAY_CLUSTER = False
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if constants is not None:
            constants.ENABLE_RAY_CLUSTER = before


def own_token() -> dict[str, str]:
    """The environment of a Ray cluster with token authentication and a fresh token of its own."""
    import secrets

    return {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}


def session_folder() -> Path:
    """A new folder for a Ray's session files, with a short path: Ray's unix sockets live under it, and a
    socket's path has at most 107 bytes (a long TMPDIR, such as pytest's, would not do)."""
    base = tempfile.gettempdir()
    if len(base) > 40 and os.access("/tmp", os.W_OK):
        base = "/tmp"
    return Path(tempfile.mkdtemp(prefix="accord-ray-", dir=base))


@dataclass(frozen=True)
class Listening:
    pid: int
    name: str
    ip: str
    port: int


def _members(token: str, groups: set[int], roots: list[int]) -> list[Any]:
    """The live processes (psutil) of a cluster, zombies left out: those in a node's process group (Ray's
    agents get an environment of their own), those whose environment carries ``MARKER=token`` (a Ray worker
    is a group of its own, a cell a session of its own) and anything else under a node."""
    import psutil

    found: dict[int, Any] = {}
    for pid in roots:
        try:
            found.update({p.pid: p for p in psutil.Process(pid).children(recursive=True)})
        except psutil.Error:
            continue
    for proc in psutil.process_iter():
        try:
            if proc.pid not in found and (os.getpgid(proc.pid) in groups or proc.environ().get(MARKER) == token):
                found[proc.pid] = proc
        except (psutil.Error, OSError):
            continue
    live = []
    for proc in found.values():
        try:
            if proc.status() != psutil.STATUS_ZOMBIE:
                live.append(proc)
        except psutil.Error:
            continue
    return live


class LocalRayCluster:
    """A Ray cluster of ``nodes`` nodes on 127.0.0.1: a head and ``nodes - 1`` worker nodes, each a
    ``ray start --block`` in a process group of its own (a separate machine as far as Ray knows: its own
    raylet, object store and workers), ``cpus`` CPUs each.

    ``env`` is the environment of the nodes and so of every Ray worker and every cell they run. Use it
    as a context manager: on exit every process of the cluster is gone and its temp folder removed."""

    def __init__(self, nodes: int = 2, cpus: int = 1, env: dict[str, str] | None = None,
                 log_dir: Path | None = None, start_timeout: float = 120.0) -> None:
        if nodes < 1:
            raise ValueError("a cluster needs at least one node")
        self.count, self.cpus, self.start_timeout = nodes, cpus, start_timeout
        self.token = uuid.uuid4().hex
        # token authentication with a token of this cluster's own (none written to ~/.ray); drivers need it too
        inherited = {k: v for k, v in (env if env is not None else os.environ).items() if k not in AUTH}
        self.env = {**inherited, **QUIET, **own_token(), MARKER: self.token}
        self.driver_env = {**self.env, **SINGLE_MACHINE}
        self.driver_env.pop(MARKER)
        self.address = ""
        self.nodes: list[subprocess.Popen] = []
        self.node_ids: list[str] = []  # Ray's id of each node, the head's first
        self._log_dir = log_dir
        self._logs: list[Path] = []
        self._temp: Path | None = None

    def __enter__(self) -> LocalRayCluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start the head, then each worker node, and wait until the cluster has them all alive."""
        self._temp = session_folder()
        logs = self._log_dir or self._temp
        port = free_port()
        self.address = f"{LOOPBACK}:{port}"
        self._start_node(logs / "head.log", [*RAY, "start", "--head", f"--port={port}", "--include-dashboard=false",
                                             f"--ray-client-server-port={free_port()}", f"--temp-dir={self._temp}"],
                         {**self.env, **SINGLE_MACHINE, **_head_metric_ports()})
        for i in range(1, self.count):
            self._start_node(logs / f"node{i}.log", [sys.executable, "-c", WORKER_NODE, "start",
                                                      f"--address={self.address}"], self.env)

    def _start_node(self, log: Path, command: list[str], env: dict[str, str]) -> None:
        command += ["--block", f"--node-ip-address={LOOPBACK}", f"--num-cpus={self.cpus}", "--num-gpus=0",
                    f"--dashboard-agent-listen-port={free_port()}", "--min-worker-port=0", "--max-worker-port=0",
                    "--disable-usage-stats"]
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "wb") as out:
            node = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True, env=env)
        self.nodes.append(node)
        self._logs.append(log)
        deadline = time.monotonic() + self.start_timeout
        while len(alive := self.alive_nodes()) < len(self.nodes):
            if node.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace").strip().splitlines()[-15:]
                raise ClusterError(f"ray node {len(self.nodes) - 1} did not start (exit {node.poll()}): "
                                   + "\n".join(tail))
            time.sleep(1)
        self.node_ids += [node_id for node_id, _ in alive if node_id not in self.node_ids]

    def alive_nodes(self) -> list[tuple[str, str]]:
        """(node id, registered address) of each live node, from a driver of its own ([] while unreachable)."""
        done = subprocess.run([sys.executable, "-c", PROBE.format(address=self.address)], capture_output=True,
                              text=True, env=self.driver_env, timeout=120)
        if done.returncode != 0 or not done.stdout.strip():
            return []
        return [tuple(node) for node in json.loads(done.stdout.strip().splitlines()[-1])]

    def processes(self) -> list[Any]:
        """Every live process of the cluster: nodes, Ray's own processes, Ray workers and what they started."""
        live = [node.pid for node in self.nodes if node.poll() is None]
        return _members(self.token, {node.pid for node in self.nodes}, live)

    def listening(self) -> list[Listening]:
        """Every listening TCP socket of the cluster's processes."""
        import psutil

        found = []
        for proc in self.processes():
            try:
                for conn in proc.net_connections(kind="tcp"):
                    if conn.status == psutil.CONN_LISTEN:
                        found.append(Listening(proc.pid, proc.name(), conn.laddr.ip, conn.laddr.port))
            except (psutil.Error, OSError):
                continue
        return found

    def loopback_problems(self) -> list[str]:
        """What of the cluster is not on 127.0.0.1 right now: a node registered on another address, a
        listening socket on another interface; [] when it is loopback only."""
        problems = [f"node {node_id[:12]} registered on {address}" for node_id, address in self.alive_nodes()
                    if address != LOOPBACK]
        problems += [f"{s.name} (pid {s.pid}) listens on {s.ip}:{s.port}" for s in self.listening()
                     if not is_loopback_ip(s.ip)]
        return problems

    def log(self, node: int) -> str:
        return self._logs[node].read_text(errors="replace") if node < len(self._logs) else ""

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM to every node's group at once, SIGKILL to whatever of the cluster is left after ``grace``
        seconds; then its temp folder goes. ClusterError if a process of it outlives that."""
        for node in self.nodes:
            _signal_group(node.pid, signal.SIGTERM)
        left = self._wait_gone(grace)
        for proc in left:  # a process that left its node's group (a Ray worker's cell in its own session)
            try:
                proc.kill()
            except Exception:  # noqa: BLE001 - gone meanwhile
                pass
        for node in self.nodes:
            _signal_group(node.pid, signal.SIGKILL)
        left = self._wait_gone(10.0)
        for node in self.nodes:
            try:
                node.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
        if left:
            raise ClusterError("processes of the Ray cluster outlived SIGKILL: "
                               + ", ".join(f"{p.pid} {p.name()}" for p in left))

    def _wait_gone(self, seconds: float) -> list[Any]:
        deadline = time.monotonic() + seconds
        while (left := self.processes()) and time.monotonic() < deadline:
            time.sleep(0.3)
        return left


def _head_metric_ports() -> dict[str, str]:
    """The head's autoscaler and dashboard export metrics on fixed ports (44217, 44227) unless told: free
    ones, so that two clusters on one machine do not meet there."""
    return {"AUTOSCALER_METRIC_PORT": str(free_port()), "DASHBOARD_METRIC_PORT": str(free_port())}


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass
