"""What a FaaS user pays, per request, for writing a function once against Accord's contract.

For each host, the ``echo`` function is deployed twice on the same machine: as the
Accord probe translated by the host's adapter (the exact deployment the
conformance suite tests) and as an echo written natively for that host (a Flask
function, a Lambda handler, a Serve deployment, an ASGI ``handle``; see
``accord.adapters.faas.hosts.native_echo``). Each deployment gets warm-up requests,
then a bounded number of POSTs of a 1 KiB binary body from a few client threads,
one connection per request (hosts treat idle keep-alive connections very
differently: gunicorn's threaded worker stalls on them), loopback only. Short rounds alternate
Accord / native (and which goes first), so machine noise hits both alike; each
variant's p50 / p99 latency and requests per second come from all its rounds,
while the ratio is the median of the per-round paired ratios (Accord round p50
over the native round p50 next to it), which cancels load that drifts between
rounds on a shared machine. Target: ratio <= 1.1.

Run: ``python benchmarks/faas_latency.py [--hosts functions-framework,serverless-offline,ray-serve,knative]
[--requests 400] [--concurrency 4] [--rounds 8]``. Knative runs in its own venv
(``~/.cache/accord/venvs/knative``, made by ``.ci/install-faas-hosts.sh``).
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console
from rich.table import Table

from accord.adapters.faas.hostproc import HostProcess, free_port, http_ready
from accord.adapters.faas.hosts import native_echo
from accord.conformance.client import BackendClient

TARGET = 1.1
BODY = bytes(range(256)) * 4
HOSTS = ("functions-framework", "serverless-offline", "ray-serve", "knative")
KNATIVE_PYTHON = str(Path("~/.cache/accord/venvs/knative/bin/python").expanduser())
MAX_REQUESTS = 5000


# -- deployments -------------------------------------------------------------------------------


@contextmanager
def accord_echo(host: str) -> Iterator[str]:
    """The Accord echo probe deployed by the host's adapter (in a worker, as the kit runs it)."""
    python = KNATIVE_PYTHON if host == "knative" else None
    client = BackendClient(host, family="faas", python=python, timeout=300)
    client.start()
    try:
        yield client.invoke("deploy", {"probes": ["echo"], "deadline_seconds": 60.0})["functions"]["echo"]
    finally:
        client.close()


@contextmanager
def native_echo_url(host: str) -> Iterator[str]:
    """An echo function written natively for the host, on the same host program."""
    hosts: list[HostProcess] = []
    try:
        if host == "functions-framework":
            folder = Path(tempfile.mkdtemp(prefix="accord-bench-ff-"))
            (folder / "main.py").write_text(native_echo.FUNCTIONS_FRAMEWORK_SOURCE)
            port = free_port()
            command = shutil.which("functions-framework") or "functions-framework"
            # the same host settings the adapter's deploy uses (deadline_seconds=60): only the handler differs
            env = {**os.environ, "CLOUD_RUN_TIMEOUT_SECONDS": "60", "THREADED_TIMEOUT_ENABLED": "true"}
            hosts.append(HostProcess([command, "--target", "echo", "--source", str(folder / "main.py"),
                                      "--host", "127.0.0.1", "--port", str(port)],
                                     ready=http_ready(port), name="bench-ff", cwd=folder, env=env).start())
            yield f"http://127.0.0.1:{port}/echo"
        elif host == "serverless-offline":
            from accord.adapters.faas.serverless_offline_adapter import start_service

            sls, base = start_service(["echo"], 60, native_echo.LAMBDA_SOURCE)
            hosts.append(sls)
            yield f"{base}/echo"
        elif host == "ray-serve":
            from accord.adapters.faas.ray_serve_adapter import reap_session, serve_routes_ready

            port = free_port()
            ray_host = HostProcess([sys.executable, "-m", "accord.adapters.faas.hosts.native_echo", "ray",
                                    "--port", str(port)], ready=serve_routes_ready(port), name="bench-ray",
                                   env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}, startup_timeout=180)
            hosts.append(ray_host.start())
            try:
                yield f"http://127.0.0.1:{port}/echo"
            finally:
                ray_host.stop()
                reap_session(ray_host.process.pid)
        elif host == "knative":
            port = free_port()
            hosts.append(HostProcess([KNATIVE_PYTHON, "-m", "accord.adapters.faas.hosts.native_echo", "knative",
                                      "--port", str(port)], ready=http_ready(port, "/health/readiness"),
                                     name="bench-knative").start())
            yield f"http://127.0.0.1:{port}/echo"
        else:
            raise ValueError(f"unknown host {host!r}; choose from {', '.join(HOSTS)}")
    finally:
        for h in hosts:
            h.stop()


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


def load(url: str, requests: int, concurrency: int, warmup: int = 20) -> tuple[list[float], float]:
    """(latencies, wall seconds) of ``requests`` POSTs spread over ``concurrency`` client threads."""
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1", url
    for _ in range(warmup):
        post_echo(parts.port, parts.path)
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        mine = []
        try:
            while True:
                with lock:
                    if next(counter, None) is None:
                        break
                mine.append(post_echo(parts.port, parts.path))
        except Exception as exc:  # reported after the round
            errors.append(exc)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    if errors:
        raise RuntimeError(f"{url}: {errors[0]}")
    return latencies, wall


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def bench_host(host: str, requests: int, concurrency: int, rounds: int) -> dict[str, dict[str, float]]:
    per_round = max(1, requests // rounds)
    latencies: dict[str, list[float]] = {"accord": [], "native": []}
    walls = {"accord": 0.0, "native": 0.0}
    paired: list[float] = []
    with accord_echo(host) as accord_url, native_echo_url(host) as native_url:
        urls = {"accord": accord_url, "native": native_url}
        for variant in ("accord", "native"):  # bring every concurrent instance up before timing
            load(urls[variant], 4 * concurrency, concurrency)
        for i in range(rounds):
            order = ("accord", "native") if i % 2 == 0 else ("native", "accord")
            p50 = {}
            for variant in order:
                lat, wall = load(urls[variant], per_round, concurrency)
                latencies[variant] += lat
                walls[variant] += wall
                p50[variant] = statistics.median(lat)
            paired.append(p50["accord"] / p50["native"])
    result = {
        variant: {
            "p50": statistics.median(lat) * 1000,
            "p99": percentile(lat, 99) * 1000,
            "rps": len(lat) / walls[variant],
            "n": len(lat),
        }
        for variant, lat in latencies.items()
    }
    result["ratio"] = {"paired_p50": statistics.median(paired)}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", default=",".join(HOSTS))
    parser.add_argument("--requests", type=int, default=400, help=f"per variant and host (<= {MAX_REQUESTS})")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args(argv)
    console = Console(width=max(Console().width, 110))  # keep host names whole when piped
    hosts = [h.strip() for h in args.hosts.split(",") if h.strip()]
    unknown = [h for h in hosts if h not in HOSTS]
    if unknown or not 1 <= args.requests <= MAX_REQUESTS or not 1 <= args.concurrency <= 16:
        console.print(f"[red]error:[/] hosts must be among {', '.join(HOSTS)}; 1 <= requests <= {MAX_REQUESTS}; "
                      "1 <= concurrency <= 16")
        return 2
    table = Table(title=f"echo, {len(BODY)} B body, {args.requests} requests per variant, "
                        f"concurrency {args.concurrency}, loopback", title_justify="left")
    for column in ("host", "variant", "p50 ms", "p99 ms", "req/s", "ratio", "req/s ratio", "target"):
        table.add_column(column, justify="left" if column in ("host", "variant", "target") else "right")
    ok = True
    for host in hosts:
        console.print(f"[dim]{host}: deploying and measuring…[/]")
        try:
            r = bench_host(host, args.requests, args.concurrency, args.rounds)
        except Exception as exc:  # one host failing must not hide the others
            table.add_row(host, "[red]failed[/]", "", "", "", "", "", str(exc)[:80])
            ok = False
            continue
        ratio = r["ratio"]["paired_p50"]
        rps_ratio = r["native"]["rps"] / r["accord"]["rps"]
        meets = ratio <= TARGET
        ok &= meets
        for variant in ("native", "accord"):
            m = r[variant]
            table.add_row(host if variant == "native" else "", variant, f"{m['p50']:.2f}", f"{m['p99']:.2f}",
                          f"{m['rps']:.0f}", f"{ratio:.3f}" if variant == "accord" else "",
                          f"{rps_ratio:.3f}" if variant == "accord" else "",
                          ("[green]≤ 1.1[/]" if meets else "[red]> 1.1[/]") if variant == "accord" else "")
    console.print(table)
    console.print("ratio: median over rounds of (Accord round p50 / native round p50); req/s ratio: native / "
                  "Accord over all rounds (> 1 means Accord is slower)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
