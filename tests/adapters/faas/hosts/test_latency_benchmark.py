"""The FaaS latency benchmark's measuring parts, against two tiny loopback echo servers.

Pairing must keep each variant's latencies on its own side (a mix-up would hide
exactly the overhead the benchmark exists to show), a wrong answer must stop the
run, and the host CPU count must see a busy process.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from accord_testing import REPO_ROOT

BENCH_PATH = REPO_ROOT / "benchmarks" / "faas_latency.py"
spec = importlib.util.spec_from_file_location("faas_latency", BENCH_PATH)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def echo_server(delay: float, corrupt: bool = False) -> ThreadingHTTPServer:
    class Echo(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            time.sleep(delay)
            if corrupt:
                body = body[:-1]
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def servers() -> Iterator[dict[str, str]]:
    fast, slow = echo_server(0.0), echo_server(0.05)
    try:
        yield {name: f"http://127.0.0.1:{s.server_address[1]}/echo" for name, s in (("fast", fast), ("slow", slow))}
    finally:
        for s in (fast, slow):
            s.shutdown()
            s.server_close()


def test_pairs_keep_each_variant_on_its_side(servers):
    # the slow server sleeps 50 ms before answering, so its side is >= 0.05 s whatever the machine's load
    pairs = bench.load_paired({"accord": servers["slow"], "native": servers["fast"]}, 24, 4)
    assert len(pairs) == 24
    assert all(accord >= 0.05 for accord, _ in pairs), pairs
    assert bench.p50_ratio(pairs) > 1
    swapped = bench.load_paired({"accord": servers["fast"], "native": servers["slow"]}, 24, 4)
    assert all(native >= 0.05 for _, native in swapped), swapped
    assert bench.p50_ratio(swapped) < 1


def test_groups_keep_each_of_three_variants_on_its_side(servers):
    # the Accord sync and async rows are measured in the same groups as the native one
    fast = servers["fast"]
    groups = bench.load_grouped({"native": fast, "echo": servers["slow"], "echo-async": fast}, 24, 4)
    assert len(groups) == 24 and all(set(g) == {"native", "echo", "echo-async"} for g in groups)
    assert all(g["echo"] >= 0.05 for g in groups), groups
    slow_ratio = bench.p50_ratio([(g["echo"], g["native"]) for g in groups])
    assert slow_ratio > 1
    assert bench.p50_ratio([(g["echo-async"], g["native"]) for g in groups]) < slow_ratio


def test_each_host_is_judged_by_its_native_handler_form():
    assert {host: bench.judged_probe(host) for host in bench.HOSTS} == {
        "functions-framework": "echo", "serverless-offline": "echo", "ray-serve": "echo-async", "knative": "echo-async"}
    # the async Accord probe really is a coroutine function, the sync one is not
    from accord.spec.faas.probes import PROBES

    assert {p: PROBES[p].is_async for p in bench.ACCORD_PROBES} == {"echo": False, "echo-async": True}


def test_alone_load_counts_every_request(servers):
    latencies, wall = bench.load(servers["fast"], 30, 3)
    assert len(latencies) == 30 and wall > 0


def test_a_wrong_answer_stops_the_run():
    server = echo_server(0.0, corrupt=True)
    try:
        with pytest.raises(RuntimeError, match="echo answered 200 with 1023 bytes"):
            bench.load(f"http://127.0.0.1:{server.server_address[1]}/echo", 4, 2)
    finally:
        server.shutdown()
        server.server_close()


def test_cpu_seconds_sees_a_busy_session():
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
    try:
        before = bench.cpu_seconds([busy.pid])
        deadline = time.monotonic() + 20  # a loaded machine may give it little CPU; it gets some
        while bench.cpu_seconds([busy.pid]) - before < 0.1:
            assert time.monotonic() < deadline, "no CPU time seen for a spinning process"
            time.sleep(0.05)
    finally:
        busy.kill()
        busy.wait()
    assert bench.cpu_seconds([busy.pid]) == 0  # gone: nothing left to count
