"""The portable handler contract of the FaaS family (spec ``faas.contract:handler``).

A user writes a function once against these types; every adapter's shim turns
its host's native request into a :class:`Request` (or a :class:`CloudEvent`) and
the handler's return value back into the host's native response. Shims convert
types only: exception handling, deadlines, size limits and CloudEvent parsing
stay the host's job, so the conformance suite sees the host's real behaviour.

A handler may be a coroutine function (``async def``, spec
``faas.contract:async-handlers``, FaaS 1.1). Hosts with an event loop await it
on that loop (:func:`is_coroutine_handler` tells them which handlers to await);
hosts without one call :func:`call_to_completion`, which runs the coroutine on
the calling thread. Either way the awaited value is treated like a sync
handler's return value.

This module imports nothing but the standard library, so the generated shim
source of any host (and the reference host) can import it.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

Pairs = list[tuple[str, str]]


class MultiMap:
    """An ordered multi-map of ``(name, value)`` string pairs.

    ``get`` gives the first value, ``getall`` every value in arrival order.
    Subclasses decide how names compare (exactly for query strings,
    case-insensitively for headers).
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] | Mapping[str, str] = ()) -> None:
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        self._pairs: Pairs = [(str(k), str(v)) for k, v in items]

    @staticmethod
    def _key(name: str) -> str:
        return name

    def get(self, name: str, default: str | None = None) -> str | None:
        key = self._key(name)
        for k, v in self._pairs:
            if self._key(k) == key:
                return v
        return default

    def getall(self, name: str) -> list[str]:
        key = self._key(name)
        return [v for k, v in self._pairs if self._key(k) == key]

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(self._key(k) == self._key(name) for k, _ in self._pairs)

    def __iter__(self) -> Iterator[str]:
        seen: list[str] = []
        for k, _ in self._pairs:
            if self._key(k) not in seen:
                seen.append(self._key(k))
                yield k

    def __len__(self) -> int:
        return len(self._pairs)

    def items(self) -> Pairs:
        """Every pair, repeated names included, in arrival order."""
        return list(self._pairs)

    def add(self, name: str, value: str) -> None:
        self._pairs.append((str(name), str(value)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MultiMap) and self.items() == other.items()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._pairs!r})"


class Query(MultiMap):
    """Query parameters: names compare exactly, repeated names kept in order."""

    @classmethod
    def parse(cls, raw: str) -> Query:
        """Decode a raw query string (``a=1&a=2&b``) with form-urlencoding rules, blanks kept."""
        return cls(parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="surrogateescape"))


class Headers(MultiMap):
    """HTTP header fields: names compare case-insensitively, repeated fields kept in order."""

    @staticmethod
    def _key(name: str) -> str:
        return name.lower()


@dataclass
class Request:
    """What an HTTP function receives.

    ``path`` is the percent-decoded path *below* the function's mount point and
    always starts with ``/`` (``/`` when the function itself is called).
    """

    method: str
    path: str = "/"
    query: Query = field(default_factory=Query)
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""

    def text(self, encoding: str = "utf-8") -> str:
        return self.body.decode(encoding)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Response:
    """What an HTTP function may return when it needs a status or headers.

    ``headers`` may repeat a name (a list of pairs); ``body`` is bytes or text
    (text is sent as UTF-8).
    """

    status: int = 200
    headers: Pairs | Mapping[str, str] = field(default_factory=list)
    body: bytes | str = b""

    def header_pairs(self) -> Pairs:
        items = self.headers.items() if isinstance(self.headers, Mapping) else self.headers
        return [(str(k), str(v)) for k, v in items]


REQUIRED_ATTRIBUTES = ("id", "source", "specversion", "type")
"""CloudEvents 1.0 context attributes every event must carry."""


@dataclass
class CloudEvent:
    """What an event function receives, and may return.

    ``attributes`` holds every context attribute as a string (``id``,
    ``source``, ``specversion``, ``type``, optional ones such as ``time`` and
    ``datacontenttype`` only when the sender gave them, and extensions).
    ``data`` is ``None`` (no data), ``bytes`` (a binary-mode body or a
    structured event's ``data_base64``) or the JSON value of a structured
    event's ``data`` member.
    """

    attributes: dict[str, str]
    data: Any = None

    def __getitem__(self, name: str) -> str:
        return self.attributes[name]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attributes.get(name, default)


HandlerResult = Response | bytes | str | dict | list | None
"""What an HTTP function may return (``faas.contract:returns``)."""


def is_coroutine_handler(function: Callable[..., Any]) -> bool:
    """Whether ``function`` is an ``async def`` handler, which a host must await instead of call.

    Decided by the definition, as the spec says, never by what a call returns: a sync function
    returning a coroutine object returned a value the contract does not allow. Partials and
    objects with an ``async def __call__`` count as what they wrap.
    """
    while isinstance(function, functools.partial):
        function = function.func
    if inspect.iscoroutinefunction(function):
        return True
    # an instance whose class defines ``async def __call__`` (not a function itself)
    return callable(function) and not inspect.isroutine(function) and inspect.iscoroutinefunction(type(function).__call__)


class _OwnLoop:
    """A thread's event loop for :func:`call_to_completion`, closed when the thread's locals go.

    ``asyncio.run`` would make and tear down a loop per call (~0.1 ms); reusing the
    thread's own costs ~0.01 ms, which matters on hosts whose threads serve many requests.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def __del__(self) -> None:
        self.loop.close()


_THREAD_LOCAL = threading.local()


def _own_loop() -> asyncio.AbstractEventLoop:
    own: _OwnLoop | None = getattr(_THREAD_LOCAL, "own", None)
    if own is None:
        own = _THREAD_LOCAL.own = _OwnLoop()
    return own.loop


def call_to_completion(function: Callable[[Any], Any], argument: Any) -> Any:
    """The result of a handler on a host without an event loop (Flask workers, Lambda, the reference host).

    A sync handler is called; a coroutine handler's coroutine is run to completion on
    an event loop of the calling thread's own. Do not use it on a thread that is
    running an event loop: a host with a loop awaits the handler on it instead.
    """
    if not is_coroutine_handler(function):
        return function(argument)
    return _own_loop().run_until_complete(function(argument))


def to_response(result: HandlerResult) -> Response:
    """Turn any permitted handler result into a :class:`Response` (the spec's return rules).

    bytes → 200 application/octet-stream; str → 200 text/plain; charset=utf-8;
    dict/list → 200 application/json; None → 204 with an empty body;
    a Response is taken as it is. Anything else is a handler bug (TypeError).
    """
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(status=204, body=b"")
    if isinstance(result, bytes | bytearray | memoryview):
        return Response(200, [("Content-Type", "application/octet-stream")], bytes(result))
    if isinstance(result, str):
        return Response(200, [("Content-Type", "text/plain; charset=utf-8")], result.encode("utf-8"))
    if isinstance(result, dict | list):
        body = json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return Response(200, [("Content-Type", "application/json")], body)
    raise TypeError(f"a handler may not return {type(result).__name__}")


def response_body(response: Response) -> bytes:
    body = response.body
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def attribute_text(value: Any) -> str:
    """An attribute value as the canonical string of the CloudEvents type system (core spec §2.3).

    Booleans are ``true`` / ``false``, integers decimal, everything else its ``str``. Shims use it
    when a host's SDK hands over typed attribute values.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def percent_encode_ce(value: str) -> str:
    """Encode a CloudEvents attribute value for a ``ce-*`` header (HTTP binding 1.0, §3.1.3.2).

    Space, ``"``, ``%`` and everything outside printable ASCII are written as
    ``%XX`` of their UTF-8 bytes; everything else stays as it is.
    """
    out = []
    for ch in value:
        if "\x21" <= ch <= "\x7e" and ch not in '"%':
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


def event_to_response(event: CloudEvent | None) -> Response:
    """The HTTP answer of an event function: its returned event in binary mode, or 204.

    ``datacontenttype`` becomes ``Content-Type``; every other attribute a
    percent-encoded ``ce-<name>`` header; bytes data is sent as it is, JSON data
    serialised as JSON (Content-Type defaults to application/json then).
    """
    if event is None:
        return Response(status=204)
    headers: Pairs = []
    content_type = event.attributes.get("datacontenttype")
    for name, value in event.attributes.items():
        if name != "datacontenttype":
            headers.append((f"ce-{name}", percent_encode_ce(str(value))))
    if event.data is None:
        body = b""
    elif isinstance(event.data, bytes | bytearray):
        body = bytes(event.data)
    else:
        body = json.dumps(event.data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        content_type = content_type or "application/json"
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    return Response(status=200, headers=headers, body=body)
