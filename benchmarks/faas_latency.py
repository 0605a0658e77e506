"""What a FaaS user pays, per request, for writing a function once against Accord's contract.

For each host, the ``echo`` function is deployed twice on the same machine: as the
Accord probe translated by the host's adapter (the exact deployment the
conformance suite tests) and as an echo written natively for that host (a Flask
function, a Lambda handler, a Serve deployment, an ASGI ``handle``; see
``accord.adapters.faas.hosts.native_echo``), with the same host program and settings.
After warm-up, POSTs of a 1 KiB binary body are sent from a few client threads, one
connection per request (hosts treat idle keep-alive connections very differently:
gunicorn's threaded worker stalls on them), loopback only.

Latency is measured in *pairs*: every client thread sends an Accord request and a
native request back to back (which goes first alternates), so both variants meet the
same machine load to within milliseconds. On a shared machine, load moves p50 by a
factor of several from one second to the next; separate Accord and native rounds
then measure the neighbours, not Accord. The run is cut into rounds; the ratio is
the median over rounds of (Accord p50 / native p50 of the round's pairs), shown with
the rounds' interquartile range so a reader sees how much to trust it; p50 / p99 are
over all pairs. Requests per second is what each variant sustains alone at the same
concurrency, in per-round blocks that alternate which goes first. CPU ms/req is the
user + system time of each host's processes (its whole session) per request it
answered: a load-insensitive view of what the translation costs. Target: ratio <= 1.1.

Run: ``python benchmarks/faas_latency.py [--hosts functions-framework,serverless-offline,ray-serve,knative]
[--requests 2000] [--concurrency 4] [--rounds 20]``. Knative runs in its own venv
(``~/.cache/accord/venvs/knative``, made by ``.ci/install-faas-hosts.sh``).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rich.console import Console
from rich.table import Table

from accord.adapters.faas.hostproc import HostProcess, free_port, http_ready
from accord.adapters.faas.hosts import native_echo
from accord.adapters.procs import session_members
from accord.conformance.client import BackendClient

TARGET = 1.1
BODY = bytes(range(256)) * 4
HOSTS = ("functions-framework", "serverless-offline", "ray-serve", "knative")
KNATIVE_PYTHON = str(Path("~/.cache/accord/venvs/knative/bin/python").expanduser())
MAX_REQUESTS = 5000
DEADLINE = 60.0  # seconds, for both variants: far beyond any echo, so never reached
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# -- deployments -------------------------------------------------------------------------------


@contextmanager
def accord_echo(host: str) -> Iterator[tuple[str, list[int]]]:
    """The Accord echo probe deployed by the host's adapter (in a worker, as the kit runs it): (URL, sessions)."""
    python = KNATIVE_PYTHON if host == "knative" else None
    client = BackendClient(host, family="faas", python=python, timeout=300)
    client.start()
    try:
        deployment = client.invoke("deploy", {"probes": ["echo"], "deadline_seconds": DEADLINE})
        yield deployment["functions"]["echo"], list(deployment["process_groups"])
    finally:
        client.close()


@contextmanager
def native_echo_url(host: str) -> Iterator[tuple[str, list[int]]]:
    """An echo function written natively for the host, on the same host program: (URL, sessions)."""
    hosts: list[HostProcess] = []
    try:
        if host == "functions-framework":
            folder = Path(tempfile.mkdtemp(prefix="accord-bench-ff-"))
            (folder / "main.py").write_text(native_echo.FUNCTIONS_FRAMEWORK_SOURCE)
            port = free_port()
            from accord.adapters.faas.functions_framework_adapter import _framework_command

            # the command and settings the adapter's deploy uses for DEADLINE: only the handler differs
            env = {**os.environ, "CLOUD_RUN_TIMEOUT_SECONDS": str(int(DEADLINE)), "THREADED_TIMEOUT_ENABLED": "true",
                   "PYTHONUNBUFFERED": "1"}
            hosts.append(HostProcess([*_framework_command(), "--target", "echo", "--source", str(folder / "main.py"),
                                      "--signature-type", "http", "--host", "127.0.0.1", "--port", str(port)],
                                     ready=http_ready(port), name="bench-ff", cwd=folder, env=env).start())
            yield f"http://127.0.0.1:{port}/echo", sessions(hosts)
        elif host == "serverless-offline":
            from accord.adapters.faas.serverless_offline_adapter import start_service

            sls, base = start_service(["echo"], int(DEADLINE), native_echo.LAMBDA_SOURCE)
            hosts.append(sls)
            yield f"{base}/echo", sessions(hosts)
        elif host == "ray-serve":
            from accord.adapters.faas.ray_serve_adapter import reap_session, serve_routes_ready

            port = free_port()
            # the adapter's deploy sets Serve's request_timeout_s to the deadline: so does the native host
            ray_host = HostProcess([sys.executable, "-m", "accord.adapters.faas.hosts.native_echo", "ray",
                                    "--port", str(port), "--deadline", str(DEADLINE)],
                                   ready=serve_routes_ready(port), name="bench-ray",
                                   env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}, startup_timeout=180)
            hosts.append(ray_host.start())
            try:
                yield f"http://127.0.0.1:{port}/echo", sessions(hosts)
            finally:
                ray_host.stop()
                reap_session(ray_host.process.pid)
        elif host == "knative":
            port = free_port()
            hosts.append(HostProcess([KNATIVE_PYTHON, "-m", "accord.adapters.faas.hosts.native_echo", "knative",
                                      "--port", str(port)], ready=http_ready(port, "/health/readiness"),
                                     name="bench-knative").start())
            yield f"http://127.0.0.1:{port}/echo", sessions(hosts)
        else:
            raise ValueError(f"unknown host {host!r}; choose from {', '.join(HOSTS)}")
    finally:
        for h in hosts:
            h.stop()


def sessions(hosts: list[HostProcess]) -> list[int]:
    """Session ids of host processes (each host leads its own session, its helpers included)."""
    return [h.process.pid for h in hosts if h.process is not None]


def cpu_seconds(session_ids: list[int]) -> float:
    """User + system CPU seconds used so far by the live processes of the given sessions."""
    total = 0
    for sid in session_ids:
        for pid in session_members(sid):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()  # state ppid pgrp session ... utime(11) stime(12)
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


# -- load --------------------------------------------------------------------------------------


def post_echo(port: int, path: str) -> float:
    """Seconds for one echo round trip (connect, POST, read the answer); checks the answer."""
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", path, BODY, {"Content-Type": "application/octet-stream", "Connection": "close"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    elapsed = time.perf_counter() - began
    if response.status != 200 or body != BODY:
        raise RuntimeError(f"echo answered {response.status} with {len(body)} bytes")
    return elapsed


def load(url: str, requests: int, concurrency: int, warmup: int = 0) -> tuple[list[float], float]:
    """(latencies, wall seconds) of ``requests`` POSTs to one URL spread over ``concurrency`` client threads."""
    port, path = _target(url)
    for _ in range(warmup):
        post_echo(port, path)
    began = time.perf_counter()
    latencies = _run_threads(requests, concurrency, lambda _: [post_echo(port, path)])
    return latencies, time.perf_counter() - began


def load_paired(urls: dict[str, str], pairs: int, concurrency: int) -> list[tuple[float, float]]:
    """(Accord, native) latencies of ``pairs`` back-to-back request pairs from ``concurrency`` client threads.

    Within a pair the order alternates, so neither variant always follows the other.
    """
    accord, native = _target(urls["accord"]), _target(urls["native"])

    def pair(i: int) -> tuple[float, float]:
        if i % 2 == 0:
            accord_seconds = post_echo(*accord)
            native_seconds = post_echo(*native)
        else:
            native_seconds = post_echo(*native)
            accord_seconds = post_echo(*accord)
        return accord_seconds, native_seconds

    return _run_threads(pairs, concurrency, pair, grouped=True)


def _target(url: str) -> tuple[int, str]:
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1" and parts.port, url
    return parts.port, parts.path


def _run_threads(jobs: int, concurrency: int, job: Any, grouped: bool = False) -> list[Any]:
    """Run ``job(i)`` for i < jobs on ``concurrency`` threads; its results (flattened unless ``grouped``)."""
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    counter = iter(range(jobs))

    def worker() -> None:
        mine: list[Any] = []
        try:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    break
                got = job(i)
                mine.append(got) if grouped else mine.extend(got)
        except Exception as exc:  # reported once every thread is done
            errors.append(exc)
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(str(errors[0]))
    return results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def p50_ratio(pairs: list[tuple[float, float]]) -> float:
    return statistics.median(a for a, _ in pairs) / statistics.median(n for _, n in pairs)


def bench_host(host: str, requests: int, concurrency: int, rounds: int) -> dict[str, Any]:
    """Measure one host: per variant p50/p99/req/s/host CPU per request, and the round ratios."""
    per_round = max(1, requests // rounds)
    pairs: list[tuple[float, float]] = []
    round_ratios: list[float] = []
    walls = {"accord": 0.0, "native": 0.0}
    served = {"accord": 0, "native": 0}
    with accord_echo(host) as (accord_url, accord_sessions), native_echo_url(host) as (native_url, native_sessions):
        urls = {"accord": accord_url, "native": native_url}
        host_sessions = {"accord": accord_sessions, "native": native_sessions}
        for variant in ("accord", "native"):  # bring every concurrent instance up before timing
            load(urls[variant], 4 * concurrency, concurrency, warmup=20)
        cpu_before = {v: cpu_seconds(host_sessions[v]) for v in urls}
        for i in range(rounds):
            for variant in (("accord", "native") if i % 2 == 0 else ("native", "accord")):
                lat, wall = load(urls[variant], per_round, concurrency)
                walls[variant] += wall
                served[variant] += len(lat)
            measured = load_paired(urls, per_round, concurrency)
            round_ratios.append(p50_ratio(measured))
            pairs += measured
        cpu = {v: cpu_seconds(host_sessions[v]) - cpu_before[v] for v in urls}
    result: dict[str, Any] = {}
    for index, variant in enumerate(("accord", "native")):
        lat = [p[index] for p in pairs]
        total = served[variant] + len(lat)
        result[variant] = {"p50": statistics.median(lat) * 1000, "p99": percentile(lat, 99) * 1000,
                           "rps": served[variant] / walls[variant], "cpu_ms": cpu[variant] * 1000 / total,
                           "n": len(lat)}
    quartiles = statistics.quantiles(round_ratios, n=4) if len(round_ratios) > 1 else round_ratios * 3
    result["ratio"] = {"p50": statistics.median(round_ratios), "iqr": (quartiles[0], quartiles[2]),
                       "pooled_p50": p50_ratio(pairs), "rounds": round_ratios,
                       "rps": result["native"]["rps"] / result["accord"]["rps"],
                       "cpu": result["accord"]["cpu_ms"] / result["native"]["cpu_ms"]}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", default=",".join(HOSTS))
    parser.add_argument("--requests", type=int, default=2000,
                        help=f"per variant and host, for latency and again for req/s (<= {MAX_REQUESTS})")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    console = Console(width=max(Console().width, 132))  # keep host names whole when piped
    hosts = [h.strip() for h in args.hosts.split(",") if h.strip()]
    unknown = [h for h in hosts if h not in HOSTS]
    if (unknown or not 1 <= args.requests <= MAX_REQUESTS or not 1 <= args.concurrency <= 16
            or not 1 <= args.rounds <= args.requests):
        console.print(f"[red]error:[/] hosts must be among {', '.join(HOSTS)}; 1 <= requests <= {MAX_REQUESTS}; "
                      "1 <= concurrency <= 16; 1 <= rounds <= requests")
        return 2
    table = Table(title=f"echo, {len(BODY)} B body, {args.requests} requests per variant, "
                        f"{args.concurrency} client threads, loopback", title_justify="left")
    columns = ("host", "variant", "p50 ms", "p99 ms", "req/s", "CPU ms/req", "ratio", "rounds IQR",
               "req/s ratio", "CPU ratio", "target")
    for column in columns:
        table.add_column(column, justify="left" if column in ("host", "variant", "target") else "right")
    ok = True
    for host in hosts:
        console.print(f"[dim]{host}: deploying and measuring…[/]")
        try:
            r = bench_host(host, args.requests, args.concurrency, args.rounds)
        except Exception as exc:  # one host failing must not hide the others
            table.add_row(host, "[red]failed[/]", *[""] * (len(columns) - 3), str(exc)[:80])
            ok = False
            continue
        ratio, (low, high) = r["ratio"]["p50"], r["ratio"]["iqr"]
        meets = ratio <= TARGET
        ok &= meets
        for variant in ("native", "accord"):
            m = r[variant]
            last = variant == "accord"
            table.add_row(host if not last else "", variant, f"{m['p50']:.2f}", f"{m['p99']:.2f}",
                          f"{m['rps']:.0f}", f"{m['cpu_ms']:.2f}",
                          *((f"{ratio:.3f}", f"{low:.2f}–{high:.2f}", f"{r['ratio']['rps']:.3f}",
                             f"{r['ratio']['cpu']:.3f}", "[green]≤ 1.1[/]" if meets else "[red]> 1.1[/]")
                            if last else [""] * 5))
    console.print(table)
    console.print("p50 / p99: over back-to-back Accord/native request pairs; ratio: median over rounds of "
                  "(Accord p50 / native p50 of the round's pairs), with the interquartile range of the rounds; "
                  "req/s: each variant alone, alternating rounds; CPU ms/req: the host's processes' CPU time "
                  "per request it served; req/s ratio native / Accord, CPU ratio Accord / native (> 1: Accord "
                  "costs more)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
