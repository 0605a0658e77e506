"""Helpers for the FaaS host tests: real HTTP requests and process bookkeeping."""

from __future__ import annotations

import http.client
import os
import signal
import time
from pathlib import Path
from urllib.parse import urlsplit

from accord.adapters.procs import session_members
from accord.conformance.client import BackendClient
from accord.spec.faas.probes import SECRET

KNATIVE_PYTHON = str(Path("~/.cache/accord/venvs/knative/bin/python").expanduser())


def request(url: str, method: str = "GET", body: bytes = b"", headers: list[tuple[str, str]] | None = None,
            timeout: float = 30.0) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, header pairs with lower-case names, body) of one request."""
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1", url
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.putrequest(method, target, skip_accept_encoding=True)
        for name, value in headers or []:
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        headers = [(k.lower(), v) for k, v in response.getheaders()]
        try:
            return response.status, headers, response.read()
        except (http.client.HTTPException, ValueError):
            return response.status, headers, None  # the host sent a status line but no well-formed body
    finally:
        conn.close()


def assert_no_leak(body: bytes) -> None:
    assert SECRET.encode() not in body, body[:300]
    assert b"Traceback" not in body, body[:300]


def live(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def wait_gone(sessions: list[int], timeout: float) -> list[int]:
    """Processes still alive in the given sessions after waiting up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        left = [pid for sid in sessions for pid in session_members(sid)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def kill_worker(client: BackendClient) -> None:
    """SIGKILL the worker process alone (not its group): what a crash or ``kill -9`` does."""
    assert client._proc is not None
    os.kill(client._proc.pid, signal.SIGKILL)
    client._proc.wait(10)


NON_UTF8 = bytes(range(256)) * 4
EVENT_HEADERS = [("ce-id", "1"), ("ce-source", "urn:accord:test"), ("ce-type", "dev.accord.test"),
                 ("ce-specversion", "1.0"), ("ce-note", "a%20b"), ("Content-Type", "application/json")]


def check_basic_probes(functions: dict[str, str], raise_status: int, raise_body_complete: bool = True) -> None:
    """echo / status / inspect / raise over real HTTP; ``raise_status`` is what this host answers."""
    status, headers, body = request(functions["echo"], "POST", NON_UTF8,
                                    [("Content-Type", "application/octet-stream")])
    assert status == 200
    assert body == NON_UTF8, (len(body or b""), (body or b"")[:64])

    status, headers, body = request(functions["status"] + "?code=418")
    assert (status, body) == (418, b"418")
    assert ("x-probe-status", "418") in headers

    status, _, body = request(functions["inspect"] + "/a%20b/c?x=1&x=2&y=%20+z", headers=[("X-Case", "v")])
    seen = __import__("json").loads(body)
    assert status == 200
    assert seen["path"] == "/a b/c"
    assert seen["query"] == [["x", "1"], ["x", "2"], ["y", "  z"]]
    assert ["x-case", "v"] in seen["headers"]

    status, _, body = request(functions["raise"])
    assert status == raise_status, (status, body)
    assert (body is not None) == raise_body_complete, body
    assert_no_leak(body or b"")


def check_event_probe(url: str, invalid_status: int = 400) -> dict:
    """A binary-mode event reaches the function and its reply comes back; a bad one is refused."""
    import json

    status, headers, body = request(url, "POST", b'{"k": 1}', EVENT_HEADERS)
    assert status == 200, body[:300]
    assert ("ce-id", "reply-1") in headers
    seen = json.loads(body)
    assert seen["attributes"]["note"] == "a b"
    assert seen["attributes"]["id"] == "1"
    status, _, body = request(url, "POST", b"{}", [("ce-id", "1"), ("Content-Type", "application/json")])
    assert status == invalid_status, body[:300]
    return seen


def warm_up(url: str, timeout: float = 60.0) -> float:
    """Seconds until ``url`` first echoes a body (Ray's first requests can outlast a short deadline)."""
    import time

    began = time.monotonic()
    while True:
        status, _, body = request(url, "POST", b"warm")
        if status == 200 and body == b"warm":
            return time.monotonic() - began
        assert time.monotonic() - began < timeout, (status, body)
        time.sleep(0.2)


def check_coroutine_probes(functions: dict[str, str], sleep_ms: int = 600, calls: int = 4) -> None:
    """The async def probes answer like their sync twins, and concurrent awaiting calls overlap (FaaS 1.1)."""
    from concurrent.futures import ThreadPoolExecutor

    octets = [("Content-Type", "application/octet-stream")]
    sync = request(functions["echo"], "POST", NON_UTF8, octets)
    awaited = request(functions["echo-async"], "POST", NON_UTF8, octets)
    assert awaited[0] == 200 and awaited[2] == NON_UTF8, (awaited[0], (awaited[2] or b"")[:64])
    assert dict(awaited[1]).get("content-type") == dict(sync[1]).get("content-type")

    assert request(functions["sleep-async"] + "?ms=0")[:3:2] == (200, b"slept 0")  # warm: a cold start is not overlap
    url = functions["sleep-async"] + f"?ms={sleep_ms}"
    began = time.monotonic()
    with ThreadPoolExecutor(calls) as pool:
        answers = list(pool.map(lambda _: request(url), range(calls)))
    wall = time.monotonic() - began
    assert [(a[0], a[2]) for a in answers] == [(200, f"slept {sleep_ms}".encode())] * calls
    assert wall < 0.75 * calls * sleep_ms / 1000, f"{calls} awaiting calls took {wall:.2f}s: serialised"

    def without_time(seen: dict) -> dict:  # some SDKs invent a time per delivery
        return {**seen, "attributes": {k: v for k, v in seen["attributes"].items() if k != "time"}}

    assert without_time(check_event_probe(functions["event-echo-async"])) == without_time(
        check_event_probe(functions["event-echo"]))
