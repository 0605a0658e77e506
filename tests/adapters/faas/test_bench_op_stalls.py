"""``bench_http`` rounds: a batch counts its median request (a host's few stalls land in p99 and requests/s only),
and a round on a new deployment is warmed first."""

from __future__ import annotations

import base64
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from accord.adapters.faas import bench_op

STALL_EVERY, STALL_SECONDS = 40, 0.3


class _Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True  # the body goes in a second write: Nagle would hold it for a delayed ACK
    served = itertools.count(1)

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if next(self.served) % STALL_EVERY == 0:
            time.sleep(STALL_SECONDS)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _Deployed:
    """An adapter whose deployment is the stalling echo server; ``generation`` stands for a redeploy."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.generation = 1

    def invoke(self, op: str, args: Any) -> dict[str, Any]:
        assert op == "deploy"
        return {"functions": {"echo": self.url}, "process_groups": [self.generation]}


@pytest.fixture
def stalling() -> Iterator[_Deployed]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield _Deployed(f"http://127.0.0.1:{server.server_address[1]}/echo")
    finally:
        server.shutdown()
        server.server_close()


REQUEST = {"method": "POST", "headers": [], "body_base64": base64.b64encode(b"x").decode()}


def test_a_round_on_a_new_deployment_sends_its_warm_up_first(stalling: _Deployed) -> None:
    def served_by(**args: Any) -> int:
        before = next(_Echo.served)
        bench_op.bench_http(stalling, {"mode": "sequential", "deploy": {}, "probe": "echo", "request": REQUEST,
                                       "warmup": 7, "repeat": 1, **args})
        return next(_Echo.served) - before - 1

    # calibrating: the warm-up, whose pace says whether min_number requests last twice target_ns; if not,
    # batches follow until one lasts target_ns (5, 10, 20, ...: with a 0.3 s stall per 40, 160 do)
    assert served_by(number=0, min_number=5, target_ns=0) == 7
    assert served_by(number=0, min_number=5, target_ns=10**9) >= 7 + 5 + 10 + 20 + 40
    assert served_by(number=5) == 5  # the same deployment: straight to the batch
    stalling.generation += 1  # a cold start's round deployed afresh
    assert served_by(number=5) == 7 + 5
    assert served_by(number=5) == 5


@pytest.mark.parametrize("mode, connections", [("sequential", 1), ("concurrent", 8)])
def test_a_few_stalled_requests_move_p99_and_the_rate_not_the_time_per_request(
        stalling: _Deployed, mode: str, connections: int) -> None:
    number = 160
    out = bench_op.bench_http(stalling, {
        "mode": mode, "deploy": {}, "probe": "echo", "connections": connections, "number": number, "repeat": 1,
        "request": {"method": "POST", "headers": [], "body_base64": base64.b64encode(b"x" * 1024).decode()}})
    per_request = out["batches_ns"][0] / number
    wall_per_request = 1e9 / out["extra"]["requests_per_s"]
    # four of 160 requests stalled 0.3 s: the wall time carries them (>= 1.2 s / connections), the median does not
    assert wall_per_request >= 0.9 * 4 * STALL_SECONDS * 1e9 / connections / number
    assert per_request < wall_per_request / 3
    assert out["extra"]["p99_ns"] >= STALL_SECONDS * 1e9


LINGER_SECONDS = 1.0


class _Lingering(BaseHTTPRequestHandler):
    """Like functions-framework under gunicorn 27: it says keep-alive yet closes after one answer, and then
    waits (up to LINGER_SECONDS) for the client to close too on the one thread that serves everyone."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    serving = threading.Lock()
    lingered_out: list[int] = []  # closes the client never answered within the linger

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        with self.serving:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "keep-alive")
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(LINGER_SECONDS)
            try:
                while self.connection.recv(4096):
                    pass
            except TimeoutError:
                self.lingered_out.append(1)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_connection_is_closed_when_its_share_is_sent_so_a_lingering_host_never_waits_for_it() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Lingering)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        target = bench_op.Target(f"http://127.0.0.1:{server.server_address[1]}/echo", REQUEST)
        _Lingering.lingered_out.clear()
        # uneven shares: the threads finish at different times, as under a real host
        bench_op.load(target, 8 * 5 + 3, 8)
        assert _Lingering.lingered_out == []  # every close the host waited for came at once
    finally:
        server.shutdown()
        server.server_close()
