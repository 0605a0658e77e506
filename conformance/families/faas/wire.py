"""HTTP exchanges as the FaaS suite sends them: one request, one response, a curl command to replay it.

Plain ``http.client`` over loopback, one connection per request (``send``), so
what a host does to one request cannot leak into the next; ``send_on`` keeps a
connection open for the next request (the keep-alive check). A transport failure
(reset, timeout, refused) is an answer too: ``HttpResponse.error`` says which.
"""

from __future__ import annotations

import http.client
import shlex
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

BODYLESS_METHODS = ("GET", "DELETE", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class HttpRequest:
    """A request to one deployed function: ``subpath`` and query are given decoded, encoded on sending."""

    function: str
    method: str = "GET"
    subpath: str = ""
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def target(self, mount: str) -> str:
        """Path and query to send, below the function's mount-point URL."""
        path = urlsplit(mount).path.rstrip("/")
        if self.subpath:
            path += "/" + quote(self.subpath, safe="/", encoding="utf-8")
        if self.query:
            path += "?" + urlencode(list(self.query), encoding="utf-8")
        return path or "/"

    def to_json(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "method": self.method,
            "subpath": self.subpath,
            "query": [list(p) for p in self.query],
            "headers": [list(p) for p in self.headers],
            "body_hex": self.body.hex(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HttpRequest:
        return cls(
            function=data["function"],
            method=data["method"],
            subpath=data.get("subpath", ""),
            query=tuple(tuple(p) for p in data.get("query", ())),
            headers=tuple(tuple(p) for p in data.get("headers", ())),
            body=bytes.fromhex(data.get("body_hex", "")),
        )


@dataclass
class HttpResponse:
    status: int | None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    elapsed: float = 0.0
    error: str | None = None  # transport failure: no HTTP answer at all

    def values(self, name: str) -> list[str]:
        """Every field line's value for ``name`` (case-insensitive), in order."""
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def header(self, name: str) -> str | None:
        found = self.values(name)
        return found[0] if found else None

    def summary(self, limit: int = 300) -> dict[str, Any]:
        """A short JSON view of the answer for reports."""
        if self.error is not None:
            return {"error": self.error, "elapsed": round(self.elapsed, 3)}
        shown = [[k, v] for k, v in self.headers if k.lower() not in ("date", "server", "connection", "keep-alive")]
        return {
            "status": self.status,
            "headers": shown,
            "body": preview(self.body, limit),
            "body_length": len(self.body),
            "elapsed": round(self.elapsed, 3),
        }


def preview(body: bytes, limit: int = 300) -> str:
    """The body as text if it is UTF-8, else as escaped bytes; cut to ``limit`` characters."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = repr(body)[2:-1]
    return text if len(text) <= limit else text[:limit] + f"… ({len(body)} bytes)"


def send(mount: str, request: HttpRequest, timeout: float = 30.0) -> HttpResponse:
    """Send ``request`` to the function mounted at ``mount`` (an absolute URL) and read the whole answer."""
    conn = connect(mount, timeout)
    try:
        return send_on(conn, mount, request)
    finally:
        conn.close()


def connect(mount: str, timeout: float = 30.0) -> http.client.HTTPConnection:
    """A connection to the host of ``mount``, opened by its first request."""
    url = urlsplit(mount)
    return http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=timeout)


def send_on(conn: http.client.HTTPConnection, mount: str, request: HttpRequest) -> HttpResponse:
    """Send ``request`` on ``conn`` (left open for the caller's next request) and read the whole answer."""
    began = time.monotonic()
    try:
        conn.putrequest(request.method, request.target(mount), skip_accept_encoding=True)
        for name, value in request.headers:
            conn.putheader(name, value)
        if request.body or request.method not in BODYLESS_METHODS:
            conn.putheader("Content-Length", str(len(request.body)))
        conn.endheaders()
        try:
            for start in range(0, len(request.body), 65536):
                conn.send(request.body[start : start + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the host answered (e.g. 413) and closed before reading everything: read its answer
        answer = conn.getresponse()
        body = answer.read()
        return HttpResponse(answer.status, list(answer.getheaders()), body, time.monotonic() - began)
    except (OSError, http.client.HTTPException) as exc:
        return HttpResponse(None, elapsed=time.monotonic() - began, error=f"{type(exc).__name__}: {exc}")


def pattern(n: int) -> bytes:
    """``n`` bytes of 0, 1, …, 250, 0, 1, … (large bodies whose replay command stays short)."""
    return (bytes(range(251)) * (n // 251 + 1))[:n]


def curl(mount: str, request: HttpRequest) -> str:
    """A ready-to-run shell command that sends ``request`` again."""
    url = mount.split("/", 3)
    base = "/".join(url[:3])
    parts = ["curl", "-sS", "-i", "-X", request.method, shlex.quote(base + request.target(mount))]
    for name, value in request.headers:
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if not request.body:
        return " ".join(parts)
    parts += ["--data-binary", "@-"]
    try:
        text = request.body.decode("ascii")
        printable = all(32 <= ord(c) < 127 for c in text)
    except UnicodeDecodeError:
        printable = False
    if request.body == pattern(len(request.body)) and len(request.body) > 2000:
        feed = f"python3 -c 'import sys; sys.stdout.buffer.write((bytes(range(251)) * {len(request.body) // 251 + 1})[:{len(request.body)}])'"
    elif printable and len(request.body) <= 2000:
        feed = f"printf %s {shlex.quote(text)}"
    else:
        feed = f"python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' {request.body.hex()}"
    return f"{feed} | {' '.join(parts)}"
