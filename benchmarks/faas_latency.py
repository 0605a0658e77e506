"""What a FaaS user pays, per request, for writing a function once against Accord's contract.

For each host, Accord's echo function is measured in both handler forms the contract
allows (FaaS 1.1, ``faas.contract:async-handlers``): the sync ``echo`` probe and its
coroutine twin ``echo-async``, each deployed alone by the host's adapter (the
deployment the conformance suite tests), against an echo written natively for that
host (a Flask function, a Lambda handler, a Serve deployment, an ASGI ``handle``; see
``accord.adapters.faas.hosts.native_echo``), with the same host program and settings.
After warm-up, POSTs of a 1 KiB binary body are sent, one connection per request (hosts treat idle keep-alive connections very differently:
gunicorn's threaded worker stalls on them), loopback only.

Each Accord probe has a pass of its own against the native host, which stays up: one
host process per measured function, as in production (two functions in one process
would queue behind each other and bill it to Accord). Latency is measured in *pairs*:
every client thread sends an Accord request and a native request back to back (which
goes first alternates), so both meet the same machine load to within milliseconds. On
a shared machine, load moves p50 by a factor of several from one second to the next;
separate Accord and native rounds would then measure the neighbours, not Accord. A pass
is cut into rounds; its ratio is the median over rounds of (Accord p50 / native p50 of
the round's pairs), shown with the rounds' interquartile range so a reader sees how
much to trust it; p50 / p99 are over all pairs (the native row pools both passes).
Requests per second is what each function sustains alone at the same concurrency, in
per-round blocks that alternate which goes first. CPU ms/req is the user + system time
of the serving host's processes during those blocks per request answered: a
load-insensitive view of what the translation costs (the host's idle background work
included).

By default one client thread sends them: on a 2-core machine several client threads
compete with the host for the CPU and latency then measures the scheduler (measured here:
rounds' interquartile range 0.8–1.9 at 4 threads, 1.02–1.08 at 1); ``--concurrency N``
shows behaviour under concurrent load.

Target: ratio <= 1.1 for the handler form the host's native API uses — async
(``echo-async``) on Ray Serve and Knative func-python, whose functions are ``async def``
on an event loop; sync (``echo``) on Functions Framework and serverless-offline, whose
functions are plain ``def``. The other form's row is shown, not judged: a sync handler on
an event-loop host pays a worker-thread hop that keeps the loop free, by design.

Run: ``python benchmarks/faas_latency.py [--hosts functions-framework,serverless-offline,ray-serve,knative]
[--requests 2000] [--concurrency 1] [--rounds 20]``. Knative runs in its own venv
(``~/.cache/accord/venvs/knative``, made by ``.ci/install-faas-hosts.sh``).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
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

from accord.adapters.faas.hostproc import HostProcess, http_ready
from accord.adapters.faas.hosts import native_echo
from accord.adapters.ports import free_port
from accord.adapters.procs import session_members
from accord.conformance.client import BackendClient

TARGET = 1.1
BODY = bytes(range(256)) * 4
HOSTS = ("functions-framework", "serverless-offline", "ray-serve", "knative")
ACCORD_PROBES = {"echo": "sync", "echo-async": "async"}
"""Accord's echo probes and their handler form."""
NATIVE_FORM = {"functions-framework": "sync", "serverless-offline": "sync", "ray-serve": "async", "knative": "async"}
"""The handler form each host's native API uses: the Accord probe of that form is the one judged."""
KNATIVE_PYTHON = str(Path("~/.cache/accord/venvs/knative/bin/python").expanduser())
MAX_REQUESTS = 5000
DEADLINE = 60.0  # seconds, for both variants: far beyond any echo, so never reached
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# -- deployments -------------------------------------------------------------------------------


@contextmanager
def accord_echo(host: str, probe: str) -> Iterator[tuple[str, list[int]]]:
    """One Accord echo probe deployed alone by the host's adapter (in a worker, as the kit runs it): (URL, sessions).

    Alone, so its host process serves it and nothing else, as the native host serves its one function: two
    probes in one process would queue behind each other and bill the queueing to Accord.
    """
    python = KNATIVE_PYTHON if host == "knative" else None
    client = BackendClient(host, family="faas", python=python, timeout=300)
    client.start()
    try:
        deployment = client.invoke("deploy", {"probes": [probe], "deadline_seconds": DEADLINE})
        yield deployment["functions"][probe], list(deployment["process_groups"])
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
                                     ready=http_ready(port), name="bench-ff", cwd=folder, env=env,
                                     scratch=[folder]).start())
            yield f"http://127.0.0.1:{port}/echo", sessions(hosts)
        elif host == "serverless-offline":
            from accord.adapters.faas.serverless_offline_adapter import start_service

            sls, base = start_service(["echo"], int(DEADLINE), native_echo.LAMBDA_SOURCE)
            hosts.append(sls)
            yield f"{base}/echo", sessions(hosts)
        elif host == "ray-serve":
            from accord.adapters.faas.hosts import sandbox
            from accord.adapters.faas.ray_serve_adapter import reap_session, serve_routes_ready

            port = free_port()
            # the adapter's deploy sets Serve's request_timeout_s to the deadline: so does the native host
            ray_host = HostProcess([sys.executable, "-m", "accord.adapters.faas.hosts.native_echo", "ray",
                                    "--port", str(port), "--deadline", str(DEADLINE)],
                                   ready=serve_routes_ready(port), name="bench-ray",
                                   env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}, startup_timeout=180,
                                   scratch=[sandbox.scratch_dir(port)])  # run_serve's sandbox mount point
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


def load_grouped(urls: dict[str, str], groups: int, concurrency: int) -> list[dict[str, float]]:
    """Latencies of ``groups`` groups of back-to-back requests, one to each URL, from ``concurrency`` threads.

    The order within a group cycles through every permutation of the URLs, so no variant always
    follows another.
    """
    names = list(urls)
    targets = {name: _target(url) for name, url in urls.items()}
    orders = list(itertools.permutations(names))

    def group(i: int) -> dict[str, float]:
        return {name: post_echo(*targets[name]) for name in orders[i % len(orders)]}

    return _run_threads(groups, concurrency, group, grouped=True)


def load_paired(urls: dict[str, str], pairs: int, concurrency: int) -> list[tuple[float, float]]:
    """(Accord, native) latencies of ``pairs`` back-to-back request pairs (``urls``: "accord", "native")."""
    return [(g["accord"], g["native"]) for g in load_grouped(urls, pairs, concurrency)]


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


def measure_pair(urls: dict[str, str], host_sessions: dict[str, list[int]], requests: int, concurrency: int,
                 rounds: int) -> dict[str, Any]:
    """One Accord function against the native one ("accord", "native"): pairs, round ratios, alone req/s, CPU."""
    per_round = max(1, requests // rounds)
    pairs: list[tuple[float, float]] = []
    round_ratios: list[float] = []
    walls = {"accord": 0.0, "native": 0.0}
    served = {"accord": 0, "native": 0}
    cpu = {"accord": 0.0, "native": 0.0}
    for variant in ("accord", "native"):  # bring every concurrent instance up before timing
        load(urls[variant], 4 * concurrency, concurrency, warmup=20)
    for i in range(rounds):
        for variant in (("accord", "native") if i % 2 == 0 else ("native", "accord")):
            before = cpu_seconds(host_sessions[variant])
            lat, wall = load(urls[variant], per_round, concurrency)
            cpu[variant] += cpu_seconds(host_sessions[variant]) - before
            walls[variant] += wall
            served[variant] += len(lat)
        measured = load_paired(urls, per_round, concurrency)
        round_ratios.append(p50_ratio(measured))
        pairs += measured
    return {"pairs": pairs, "round_ratios": round_ratios, "walls": walls, "served": served, "cpu": cpu}


def _stats(latencies: list[float], served: int, wall: float, cpu: float) -> dict[str, float]:
    return {"p50": statistics.median(latencies) * 1000, "p99": percentile(latencies, 99) * 1000,
            "rps": served / wall, "cpu_ms": cpu * 1000 / served, "n": len(latencies)}


def bench_host(host: str, requests: int, concurrency: int, rounds: int) -> dict[str, Any]:
    """Measure one host: each Accord probe against the native handler in a pass of its own.

    The native host stays up across the passes; each Accord probe is deployed alone for its pass. A ratio
    compares an Accord probe with the native requests of its own pass; the native row pools both passes.
    """
    result: dict[str, Any] = {"variants": {}, "ratios": {}}
    native: dict[str, Any] = {"lat": [], "served": 0, "wall": 0.0, "cpu": 0.0}
    with native_echo_url(host) as (native_url, native_sessions):
        for probe in ACCORD_PROBES:
            with accord_echo(host, probe) as (accord_url, accord_sessions):
                m = measure_pair({"accord": accord_url, "native": native_url},
                                 {"accord": accord_sessions, "native": native_sessions}, requests, concurrency, rounds)
            mine = _stats([a for a, _ in m["pairs"]], m["served"]["accord"], m["walls"]["accord"], m["cpu"]["accord"])
            theirs = _stats([n for _, n in m["pairs"]], m["served"]["native"], m["walls"]["native"], m["cpu"]["native"])
            native["lat"] += [n for _, n in m["pairs"]]
            native["served"] += m["served"]["native"]
            native["wall"] += m["walls"]["native"]
            native["cpu"] += m["cpu"]["native"]
            ratios = m["round_ratios"]
            quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
            result["variants"][probe] = mine
            result["ratios"][probe] = {"p50": statistics.median(ratios), "iqr": (quartiles[0], quartiles[2]),
                                       "pooled_p50": p50_ratio(m["pairs"]), "rounds": ratios,
                                       "rps": theirs["rps"] / mine["rps"],
                                       "cpu": mine["cpu_ms"] / theirs["cpu_ms"] if theirs["cpu_ms"] else float("nan")}
    result["variants"]["native"] = _stats(native["lat"], native["served"], native["wall"], native["cpu"])
    return result


def judged_probe(host: str) -> str:
    """The Accord probe whose handler form is the host's native one: the target judges that row."""
    return next(p for p, form in ACCORD_PROBES.items() if form == NATIVE_FORM[host])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", default=",".join(HOSTS))
    parser.add_argument("--requests", type=int, default=2000,
                        help=f"per Accord probe and host pass, for latency and again for req/s (<= {MAX_REQUESTS})")
    parser.add_argument("--concurrency", type=int, default=1, help="client threads")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    console = Console(width=max(Console().width, 160))  # keep host names and rows whole when piped
    hosts = [h.strip() for h in args.hosts.split(",") if h.strip()]
    unknown = [h for h in hosts if h not in HOSTS]
    if (unknown or not 1 <= args.requests <= MAX_REQUESTS or not 1 <= args.concurrency <= 16
            or not 1 <= args.rounds <= args.requests):
        console.print(f"[red]error:[/] hosts must be among {', '.join(HOSTS)}; 1 <= requests <= {MAX_REQUESTS}; "
                      "1 <= concurrency <= 16; 1 <= rounds <= requests")
        return 2
    table = Table(title=f"echo, {len(BODY)} B body, {args.requests} requests per Accord probe and pass, "
                        f"{args.concurrency} client threads, loopback", title_justify="left")
    columns = ("host", "variant", "form", "p50 ms", "p99 ms", "req/s", "CPU ms/req", "ratio", "rounds IQR",
               "req/s ratio", "CPU ratio", "target")
    for column in columns:
        table.add_column(column, justify="left" if column in ("host", "variant", "form", "target") else "right")
    ok = True
    verdicts: list[str] = []
    for host in hosts:
        console.print(f"[dim]{host}: deploying and measuring…[/]")
        try:
            r = bench_host(host, args.requests, args.concurrency, args.rounds)
        except Exception as exc:  # one host failing must not hide the others
            table.add_row(host, "[red]failed[/]", *[""] * (len(columns) - 3), str(exc)[:80])
            ok = False
            continue
        judged = judged_probe(host)
        m = r["variants"]["native"]
        table.add_row(host, "native", NATIVE_FORM[host], f"{m['p50']:.2f}", f"{m['p99']:.2f}", f"{m['rps']:.0f}",
                      f"{m['cpu_ms']:.2f}", *[""] * 5)
        for probe, form in ACCORD_PROBES.items():
            m, q = r["variants"][probe], r["ratios"][probe]
            low, high = q["iqr"]
            if probe == judged:
                meets = q["p50"] <= TARGET
                ok &= meets
                target = f"[green]≤ {TARGET} (judged)[/]" if meets else f"[red]> {TARGET} (judged)[/]"
                verdicts.append(f"{host}: Accord {probe} ({form}, the native form) / native p50 = {q['p50']:.3f} "
                                f"(rounds IQR {low:.2f}–{high:.2f}): target ≤ {TARGET} {'met' if meets else 'MISSED'}")
            else:
                target = "[dim]not judged[/]"
            table.add_row("", probe, form, f"{m['p50']:.2f}", f"{m['p99']:.2f}", f"{m['rps']:.0f}",
                          f"{m['cpu_ms']:.2f}", f"{q['p50']:.3f}", f"{low:.2f}–{high:.2f}", f"{q['rps']:.3f}",
                          f"{q['cpu']:.3f}", target)
    console.print(table)
    console.print("variant: native handler, or the Accord probe (each deployed alone, in a pass of its own against the "
                  "native host); p50 / p99: over back-to-back Accord/native pairs (native: both passes); ratio: median "
                  "over rounds of (Accord p50 / native p50 of the round's pairs), with the interquartile range of the "
                  "rounds; req/s: each function alone, alternating blocks; CPU ms/req: the serving host's processes' "
                  "CPU time per request during those blocks; req/s ratio native / Accord, CPU ratio Accord / native "
                  "(> 1: Accord costs more)")
    by_form = {form: ", ".join(h for h, f in NATIVE_FORM.items() if f == form) for form in ("async", "sync")}
    console.print(f"target: ratio ≤ {TARGET} for the Accord probe in the handler form the host's native API uses — "
                  f"async (echo-async) for {by_form['async']} (async def on the host's event loop), sync (echo) for "
                  f"{by_form['sync']} (plain def); the other form is shown, not judged")
    for line in verdicts:
        console.print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
