"""The FaaS worker op ``bench_http``: load a deployed probe from inside the worker, on 127.0.0.1.

``args`` (``spec/meta/faas.deploy.schema.json`` ``args-bench_http``)::

    {"mode": "sequential" | "concurrent" | "cold-start", "deploy": {deploy arguments},
     "probe": name, "request": {"method", "headers": [[name, value], ...], "body_base64"},
     "connections": n, "warmup": k, "min_number": m,
     "number": n | 0, "repeat": r, "target_ns"?: ns, "answer"?: bool, "host_cpus"?: [cpu, ...]}

The op first makes sure the deployment is up (the adapter's own ``deploy``, which returns the running
deployment when nothing changed), so the worker that times is the one that deployed. Then:

* ``sequential``: ``number`` requests back to back on one keep-alive connection; each request is timed
  with ``time.perf_counter_ns`` from sending its request line to reading the last byte of its answer;
* ``concurrent``: ``number`` requests spread over ``connections`` client threads, each on its own
  keep-alive connection, all started together, each request timed as above. A thread closes its connection
  as soon as its share is sent: a host that closes after each answer and then waits for the client's close
  (functions-framework under gunicorn 27: its adapter's docstring, ``docs/architecture.md``) would stall
  for every connection left idle until the last thread finished;
* ``cold-start``: one batch is one deployment: ``undeploy`` (not timed), then the time from calling
  ``deploy`` to the first successful answer of the probe.

A batch's ``batches_ns`` entry is its median request's time × ``number`` / ``connections`` (:func:`typical`: the
kit's per-call time is the typical request's share of the host, which a few stalled requests cannot move as
they move a mean); ``extra`` has the fastest batch's per-request p50 and p99 and its requests per second from
its wall time, stalls included (not for cold starts: one deployment per batch). ``number: 0`` calibrates:
``warmup`` untimed requests, then a batch size of at least ``min_number`` requests (a multiple of
``connections``) and at least ``target_ns`` long, answering that batch's time, or the warm-up's pace scaled
to the batch when that already lasts twice ``target_ns`` (:func:`calibrate`; cold starts: always one
deployment per batch; the time of the last of ``warmup`` deployments, or without warm-up the running
deployment's startup time, is the estimate the kit budgets its rounds with). A timed batch on a deployment
this worker has not calibrated or loaded yet (a cold start's round replaced it) follows ``warmup`` untimed requests. Every timed answer must have a status below 400, else the op raises: a host
that starts failing under load gets no time. With ``answer``, one request's answer is returned as well
(status, header fields but Date, Server and the connection's, body), which the kit compares with the
reference host's. Standard library only: the op also runs in the Knative venv.
"""

from __future__ import annotations

import base64
import http.client
import os
import statistics
import threading
import time
from typing import Any
from urllib.parse import urlsplit

MODES = ("sequential", "concurrent", "cold-start")
#: the default wall time of one calibrated batch
TARGET_NS = 5_000_000
#: requests per batch at most
MAX_NUMBER = 20_000
#: seconds a cold deployment may take to give its first successful answer after ``deploy`` returned
FIRST_ANSWER_SECONDS = 60.0
#: answer header fields left out of an answer: the host's own, never compared
SKIPPED_HEADERS = ("date", "server", "connection", "keep-alive")
#: deployments this worker has loaded with their warm-up requests; a timed round on any other (the one a cold
#: start's round left behind, when rounds of several workloads interleave) sends them first, untimed
_WARMED: set[tuple[Any, ...]] = set()


class Target:
    """Where and what to send: the probe's URL on 127.0.0.1 and one request."""

    def __init__(self, url: str, request: dict[str, Any]) -> None:
        parts = urlsplit(url)
        if parts.hostname != "127.0.0.1":
            raise ValueError(f"bench_http: the probe is not on loopback: {url}")
        self.port = int(parts.port or 80)
        self.path = parts.path or "/"
        self.method = str(request.get("method", "POST"))
        self.headers = {str(k): str(v) for k, v in request.get("headers", ())}
        self.body = base64.b64decode(request.get("body_base64", ""))

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=FIRST_ANSWER_SECONDS)

    def send(self, conn: http.client.HTTPConnection) -> tuple[int, Any, bytes]:
        """One request on a keep-alive connection: (status, header message, body); reconnects once if the
        host closed the idle connection."""
        for attempt in (0, 1):
            try:
                conn.request(self.method, self.path, self.body, self.headers)
                response = conn.getresponse()
                return response.status, response.msg, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                conn.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")


def bench_http(adapter: Any, args: dict[str, Any]) -> dict[str, Any]:
    """Run the ``bench_http`` op for a :class:`~accord.adapters.faas.hosted.HostedAdapter`."""
    mode = args["mode"]
    if mode not in MODES:
        raise ValueError(f"bench_http: unknown mode {mode!r} (known: {', '.join(MODES)})")
    deploy = dict(args["deploy"])
    number = int(args.get("number", 1))
    repeat = int(args.get("repeat", 1))
    out: dict[str, Any] = {}
    if mode == "cold-start":
        if args.get("answer"):
            adapter.invoke("undeploy", {})
            out["answer"] = _answer(_probe(_deploy(adapter, deploy, args), args))
        if number == 0:  # calibrating: one deployment per batch, and an estimate of its time
            times = [cold_start(adapter, deploy, args) for _ in range(int(args.get("warmup", 0)))]
            if not times:  # no warm-up: the running deployment's own startup time (deploy once if none runs)
                times = [int(float(_deploy(adapter, deploy, args)["startup_seconds"]) * 1e9)]
            return {**out, "batches_ns": [max(1, times[-1])], "number": 1}
        batches = [cold_start(adapter, deploy, args) for _ in range(repeat)]
        out.update(batches_ns=batches, number=1)  # one deployment per batch: no percentiles, no rate
        return out
    deployment = _deploy(adapter, deploy, args)
    target = _probe(deployment, args)
    if args.get("answer"):
        out["answer"] = _answer(target)
    connections = max(1, int(args.get("connections", 1))) if mode == "concurrent" else 1
    warmup = int(args.get("warmup", 0))
    if number == 0:  # the calibrating batch's own time is returned, not a further batch
        number, wall = calibrate(target, connections, warmup, int(args.get("min_number", 1)),
                                 int(args.get("target_ns", TARGET_NS)))
        _WARMED.add(_identity(deployment))
        return {**out, "batches_ns": [wall], "number": number}
    if _identity(deployment) not in _WARMED:  # a new deployment (a cold start's round replaced the last one)
        load(target, max(warmup, connections), connections)
        _WARMED.add(_identity(deployment))
    batches: list[int] = []
    extra: dict[str, float] = {}
    for _ in range(repeat):
        wall, latencies = load(target, number, connections)
        spent = typical(latencies, number, connections)
        if not batches or spent < min(batches):  # the side numbers of the fastest batch, the one the kit keeps
            extra = stats(wall, latencies)
        batches.append(spent)
    out.update(batches_ns=batches, number=number)
    if extra:
        out["extra"] = extra
    return out


def _deploy(adapter: Any, deploy: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    """The adapter's ``deploy``; with ``host_cpus``, every process it starts runs on those CPUs only.

    A process started by this thread inherits its CPU mask, so the thread takes the hosts' mask while it
    deploys and its own back after: the load generator (this worker) and the host under load then never
    share or trade a core, as a load test keeps the client apart from the server."""
    cpus = args.get("host_cpus")
    if not cpus or not hasattr(os, "sched_setaffinity"):
        return adapter.invoke("deploy", deploy)
    own = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {int(c) for c in cpus})
    try:
        return adapter.invoke("deploy", deploy)
    finally:
        os.sched_setaffinity(0, own)


def _probe(deployment: dict[str, Any], args: dict[str, Any]) -> Target:
    """The workload's probe on ``deployment``, and its request."""
    return Target(deployment["functions"][args["probe"]], args["request"])


def _identity(deployment: dict[str, Any]) -> tuple[Any, ...]:
    """What tells one deployment from the next: its host processes and URLs."""
    return tuple(deployment.get("process_groups") or ()), tuple(sorted(deployment["functions"].items()))


def _answer(target: Target) -> dict[str, Any]:
    conn = target.connect()
    try:
        status, msg, body = target.send(conn)
    finally:
        conn.close()
    headers = [[k.lower(), v] for k, v in msg.items() if k.lower() not in SKIPPED_HEADERS]
    return {"status": status, "headers": headers, "body_base64": base64.b64encode(body).decode("ascii")}


def load(target: Target, number: int, connections: int) -> tuple[int, list[int]]:
    """(wall ns, per-request ns) of ``number`` requests over ``connections`` keep-alive connections."""
    shares = [number // connections + (1 if i < number % connections else 0) for i in range(connections)]
    latencies: list[list[int]] = [[] for _ in shares]
    failures: list[str] = []
    conns = [target.connect() for _ in shares]
    start = threading.Barrier(len(shares) + 1) if connections > 1 else None

    def client(i: int) -> None:
        conn, mine = conns[i], latencies[i]
        if start is not None:
            start.wait()
        try:
            for _ in range(shares[i]):
                began = time.perf_counter_ns()
                status, _msg, _body = target.send(conn)
                mine.append(time.perf_counter_ns() - began)
                if status >= 400:
                    failures.append(f"status {status}")
                    return
        except Exception as exc:  # the failure is the answer, reported below
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:  # done: an idle connection kept open is load of its own (the module docstring)
            conn.close()

    try:
        if start is None:  # one connection: the request loop runs on the op's own thread
            began = time.perf_counter_ns()
            client(0)
        else:
            threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(len(shares))]
            for t in threads:
                t.start()
            start.wait()
            began = time.perf_counter_ns()
            for t in threads:
                t.join()
        wall = time.perf_counter_ns() - began
    finally:
        for conn in conns:
            conn.close()
    if failures:
        raise RuntimeError(f"bench_http: {len(failures)} of {connections} connection(s) failed under load: "
                           f"{failures[0]}")
    return wall, [x for part in latencies for x in part]


def calibrate(target: Target, connections: int, warmup: int, min_number: int, target_ns: int) -> tuple[int, int]:
    """(requests per batch, the last batch's wall ns): at least ``min_number`` requests and ``target_ns`` of wall
    time, a multiple of ``connections``, after ``warmup`` untimed requests. When the warm-up's pace puts
    ``min_number`` requests at twice ``target_ns`` or more, that estimate is the answer: a further batch would
    only cost a round's time (a loopback request takes a millisecond or more, so it always does)."""
    number = -(-max(min_number, connections) // connections) * connections
    if warmup:
        warmed = max(warmup, connections)
        wall, _ = load(target, warmed, connections)
        estimate = wall * number // warmed
        if estimate >= 2 * target_ns:  # the warm-up already says a batch is long enough: no batch of its own
            return number, estimate
    wall, _ = load(target, number, connections)
    while wall < target_ns and number * 2 <= MAX_NUMBER:
        number *= 2
        wall, _ = load(target, number, connections)
    return number, wall


def typical(latencies: list[int], number: int, connections: int) -> int:
    """What a batch counts as: its median request's time x ``number`` / ``connections``.

    Each connection waits for an answer before it sends again (a closed loop), so N connections at the median
    latency carry N requests per median latency: this is the batch's wall time without its stalls. A mean (the
    wall time itself) follows the tail instead: p99 is 2-4x p50 on loopback, so a few slow requests move the
    wall time from one round to the next while the median stays put."""
    return int(statistics.median(latencies)) * number // connections


def stats(wall: int, latencies: list[int]) -> dict[str, float]:
    """A batch's per-request p50 and p99 (nearest rank) and its requests per second."""
    ordered = sorted(latencies)
    rank = lambda q: ordered[min(len(ordered) - 1, max(0, -(-len(ordered) * q // 100) - 1))]  # noqa: E731
    return {"p50_ns": float(rank(50)), "p99_ns": float(rank(99)), "requests_per_s": len(ordered) * 1e9 / wall}


def cold_start(adapter: Any, deploy: dict[str, Any], args: dict[str, Any]) -> int:
    """ns from ``deploy`` (after an untimed ``undeploy``) to the probe's first answer with a status below 400."""
    adapter.invoke("undeploy", {})
    began = time.perf_counter_ns()
    deployment = _deploy(adapter, deploy, args)
    target = _probe(deployment, args)
    deadline = time.monotonic() + FIRST_ANSWER_SECONDS
    pause, last = 0.001, "no answer"
    while time.monotonic() < deadline:
        conn = target.connect()
        try:
            status, _msg, _body = target.send(conn)
            if status < 400:
                return time.perf_counter_ns() - began
            last = f"status {status}"
        except OSError as exc:
            last = f"{type(exc).__name__}: {exc}"
        finally:
            conn.close()
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
    raise RuntimeError(f"bench_http: no successful answer {FIRST_ANSWER_SECONDS:.0f} s after deploy ({last})")
