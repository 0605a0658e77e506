"""The worker protocol (version 1): its messages as typed classes, framed one JSON object per line.

The schema is ``spec/meta/worker-protocol.schema.json`` (with the family payload schemas
``tensor.wire``, ``pipeline.graph``, ``faas.deploy`` it references); a worker in another
language implements exactly that. Every message is one dataclass below, and every field
declares the JSON path it travels at, so building (:meth:`Message.to_json`) and parsing
(:meth:`Message.from_json`) happen here and nowhere else; ``tests/conformance/test_protocol_schema.py``
keeps these classes and the schema equal in both directions.

This module imports the standard library only (a worker may run in a minimal venv);
:func:`check` loads jsonschema when validation is switched on (``ACCORD_VALIDATE_PROTOCOL=1``
or ``BackendClient(validate=True)``).
"""

from __future__ import annotations

import dataclasses
import json
import os
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Self

PROTOCOL_VERSION = 1
WORKER_MODULE = "accord.conformance.worker"
#: the longest line either side sends or reads: an answer beyond it is refused, never held in memory
MAX_LINE_BYTES = 16 * 1024 * 1024
VALIDATE_ENV = "ACCORD_VALIDATE_PROTOCOL"
ORIGINS = ("adapter", "backend")  # an error's origin, or None when unknown


class ErrorKind(StrEnum):
    """The ``kind`` of a worker's error answer."""

    RAISED = "raised"  # the backend raised: a legitimate answer a check may expect
    UNSUPPORTED = "unsupported"  # the adapter does not implement the op
    START_FAILED = "start-failed"  # hello could not resolve, configure or start the adapter
    BAD_REQUEST = "bad-request"  # unreadable request, unknown method, or invoke before hello
    INTERNAL = "internal"  # the adapter answered a value that is not JSON


class ProtocolError(ValueError):
    """A message that is not worker protocol 1 (one line naming the field)."""


_ABSENT = object()


def wire(path: str, *, omit_none: bool = False, default: Any = dataclasses.MISSING) -> Any:
    """A dataclass field travelling at JSON ``path`` (dotted); ``omit_none``: left out when None."""
    return dataclasses.field(default=default, metadata={"path": tuple(path.split(".")), "omit_none": omit_none})


class Message:
    """Base of the protocol's messages: JSON by field paths, checked on the way in."""

    SCHEMA: ClassVar[str]  # its definition in worker-protocol.schema.json: ``#/$defs/<SCHEMA>``
    CONSTANTS: ClassVar[dict[str, Any]] = {}  # JSON path -> the fixed value it carries (e.g. method)
    NESTED: ClassVar[dict[str, type[Message]]] = {}  # field name -> message class of its value

    @classmethod
    def paths(cls) -> set[tuple[str, ...]]:
        """Every JSON path this class writes or reads (fields and constants)."""
        fields = {f.metadata["path"] for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return fields | {tuple(p.split(".")) for p in cls.CONSTANTS}

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for path, value in self.CONSTANTS.items():
            _put(out, tuple(path.split(".")), value)
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is None and f.metadata["omit_none"]:
                continue
            if isinstance(value, Message):
                value = value.to_json()
            elif isinstance(value, StrEnum):
                value = str(value)
            _put(out, f.metadata["path"], value)
        return out

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """The message in ``data``; :class:`ProtocolError` for a missing, extra or mistyped field."""
        if not isinstance(data, dict):
            raise ProtocolError(f"{cls.SCHEMA}: not a JSON object: {str(data)[:120]}")
        for path, value in cls.CONSTANTS.items():
            if _get(data, tuple(path.split("."))) != value:
                raise ProtocolError(f"{cls.SCHEMA}: {path} must be {value!r}")
        _no_extra(cls.SCHEMA, data, cls.paths(), ())
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            value = _get(data, f.metadata["path"])
            if value is _ABSENT:
                if f.default is dataclasses.MISSING:
                    raise ProtocolError(f"{cls.SCHEMA}: missing field {'.'.join(f.metadata['path'])!r}")
                continue
            nested = cls.NESTED.get(f.name)
            values[f.name] = nested.from_json(value) if nested is not None else value
        message = cls(**values)
        message.check_types()
        return message

    def check_types(self) -> None:
        """Raise ProtocolError when a field's value does not have the field's type."""


def _put(out: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        out = out.setdefault(key, {})
    out[path[-1]] = value


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return _ABSENT
        data = data[key]
    return data


def _no_extra(where: str, data: dict[str, Any], paths: set[tuple[str, ...]], prefix: tuple[str, ...]) -> None:
    """Every key of ``data`` is a field, a constant, or an object on the way to one."""
    for key, value in data.items():
        path = (*prefix, key)
        if path in paths:
            continue
        if not any(p[: len(path)] == path for p in paths):
            raise ProtocolError(f"{where}: unknown field {'.'.join(path)!r}")
        if not isinstance(value, dict):
            raise ProtocolError(f"{where}: {'.'.join(path)} must be an object")
        _no_extra(where, value, paths, path)


def _need(ok: bool, where: str, what: str) -> None:
    if not ok:
        raise ProtocolError(f"{where} must be {what}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ------------------------------------------------------------------ requests (kit -> worker)


@dataclasses.dataclass(frozen=True)
class HelloRequest(Message):
    """Start the adapter (with the run's options) and ask which protocol the worker speaks."""

    SCHEMA: ClassVar[str] = "hello-request"
    CONSTANTS: ClassVar[dict[str, Any]] = {"method": "hello"}

    id: int = wire("id")
    protocol: int = wire("params.protocol")
    options: dict[str, Any] | None = wire("params.options", omit_none=True, default=None)
    standards: list[dict[str, Any]] | None = wire("params.standards", omit_none=True, default=None)

    def check_types(self) -> None:
        _need(_is_int(self.id), "hello id", "an integer")
        _need(self.protocol == PROTOCOL_VERSION, "hello params.protocol", str(PROTOCOL_VERSION))
        _need(self.options is None or isinstance(self.options, dict), "hello params.options", "an object")
        _need(self.standards is None or (isinstance(self.standards, list) and all(
            isinstance(s, dict) and isinstance(s.get("name"), str) and isinstance(s.get("revision"), str)
            for s in self.standards)), "hello params.standards", "a list of {name, revision} objects")


@dataclasses.dataclass(frozen=True)
class InvokeRequest(Message):
    """One family op; ``args`` is typed per op by the family's payload schema."""

    SCHEMA: ClassVar[str] = "invoke-request"
    CONSTANTS: ClassVar[dict[str, Any]] = {"method": "invoke"}

    id: int = wire("id")
    op: str = wire("params.op")
    args: Any = wire("params.args")

    def check_types(self) -> None:
        _need(_is_int(self.id), "invoke id", "an integer")
        _need(isinstance(self.op, str), "invoke params.op", "a string")


@dataclasses.dataclass(frozen=True)
class ShutdownRequest(Message):
    """Stop the adapter and exit; answered with a null result."""

    SCHEMA: ClassVar[str] = "shutdown-request"
    CONSTANTS: ClassVar[dict[str, Any]] = {"method": "shutdown"}

    id: int = wire("id")

    def check_types(self) -> None:
        _need(_is_int(self.id), "shutdown id", "an integer")


Request = HelloRequest | InvokeRequest | ShutdownRequest
REQUESTS: dict[str, type[Message]] = {"hello": HelloRequest, "invoke": InvokeRequest, "shutdown": ShutdownRequest}


# ------------------------------------------------------------------ responses (worker -> kit)


@dataclasses.dataclass(frozen=True)
class ErrorBody(Message):
    """Why a request has no result: ``kind`` decides what the kit raises."""

    SCHEMA: ClassVar[str] = "error"

    kind: ErrorKind = wire("kind")
    message: str = wire("message")
    type: str | None = wire("type", omit_none=True, default=None)
    origin: str | None = wire("origin", default=None)

    def check_types(self) -> None:
        _need(self.kind in ErrorKind.__members__.values(), "error.kind", f"one of {', '.join(ErrorKind)}")
        object.__setattr__(self, "kind", ErrorKind(self.kind))
        _need(isinstance(self.message, str), "error.message", "a string")
        _need(self.type is None or isinstance(self.type, str), "error.type", "a string")
        _need(self.origin is None or self.origin in ORIGINS, "error.origin", f"one of {ORIGINS} or null")


@dataclasses.dataclass(frozen=True)
class ResultResponse(Message):
    """The answer to a request; ``result`` is typed by the request (``result_definition``)."""

    SCHEMA: ClassVar[str] = "result-response"

    id: int = wire("id")
    result: Any = wire("result")

    def check_types(self) -> None:
        _need(_is_int(self.id), "response id", "an integer")


@dataclasses.dataclass(frozen=True)
class ErrorResponse(Message):
    """A failed request (``id`` null when the request could not be read)."""

    SCHEMA: ClassVar[str] = "error-response"
    NESTED: ClassVar[dict[str, type[Message]]] = {"error": ErrorBody}

    id: int | None = wire("id")
    error: ErrorBody = wire("error")

    def check_types(self) -> None:
        _need(self.id is None or _is_int(self.id), "response id", "an integer or null")


Response = ResultResponse | ErrorResponse


@dataclasses.dataclass(frozen=True)
class HelloResult(Message):
    """The result of hello: the protocol the worker speaks and the adapter's metadata."""

    SCHEMA: ClassVar[str] = "hello-result"

    protocol: int = wire("protocol")
    adapter: dict[str, Any] = wire("adapter")
    python: str | None = wire("python", omit_none=True, default=None)

    def check_types(self) -> None:
        _need(self.protocol == PROTOCOL_VERSION, "hello result protocol", str(PROTOCOL_VERSION))
        _need(isinstance(self.adapter, dict), "hello result adapter", "an object")


MESSAGES: tuple[type[Message], ...] = (HelloRequest, InvokeRequest, ShutdownRequest, ResultResponse,
                                       ErrorResponse, ErrorBody, HelloResult)


# ------------------------------------------------------------------ framing


def encode(message: Message | dict[str, Any]) -> bytes:
    """One line of the stream (NaN and infinities are not JSON: ValueError)."""
    data = message.to_json() if isinstance(message, Message) else message
    return (json.dumps(data, allow_nan=False, separators=(",", ":")) + "\n").encode()


def parse_request(data: Any) -> Request:
    """The request in a decoded line; ProtocolError when it is none."""
    method = data.get("method") if isinstance(data, dict) else None
    cls = REQUESTS.get(method) if isinstance(method, str) else None
    if cls is None:
        raise ProtocolError(f"unknown method {method!r}" if isinstance(data, dict) else "request is not an object")
    return cls.from_json(data)  # type: ignore[return-value]


def parse_response(data: Any) -> Response:
    """The response in a decoded line; ProtocolError when it is none."""
    if isinstance(data, dict) and "error" in data:
        return ErrorResponse.from_json(data)
    return ResultResponse.from_json(data)


def result(msg_id: int, value: Any) -> bytes:
    return encode(ResultResponse(msg_id, value))


def error(msg_id: int | None, kind: ErrorKind, message: str, type_name: str | None = None,
          origin: str | None = None) -> bytes:
    return encode(ErrorResponse(msg_id, ErrorBody(ErrorKind(kind), message, type_name or None, origin)))


# ------------------------------------------------------------------ schema validation (switched on)


def validation_enabled() -> bool:
    return os.environ.get(VALIDATE_ENV, "") not in ("", "0")


def schema_path() -> Path:
    import accord.spec

    return Path(accord.spec.__file__).parent / "meta" / "worker-protocol.schema.json"


@cache
def _validator(definition: str) -> Any:
    import jsonschema
    import referencing
    from referencing.jsonschema import DRAFT202012

    meta = schema_path().parent
    resources = []
    for path in sorted(meta.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], DRAFT202012.create_resource(schema)))
    registry = referencing.Registry().with_resources(resources)
    target = definition if definition.startswith("urn:") else f"urn:accord:meta:worker-protocol#/$defs/{definition}"
    return jsonschema.Draft202012Validator({"$ref": target}, registry=registry)


def check(definition: str, instance: Any) -> None:
    """Raise ProtocolError naming the JSON path when ``instance`` is not a ``#/$defs/<definition>``.

    ``definition`` may also be a full reference into a payload schema (``urn:accord:meta:tensor.wire#/$defs/value``).
    """
    from jsonschema.exceptions import best_match

    error_found = best_match(_validator(definition).iter_errors(instance))
    if error_found is not None:
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error_found.absolute_path)
        raise ProtocolError(f"{definition}: {where}: {error_found.message[:300]}")


def result_definition(request: Request) -> str:
    """The schema definition of the result that answers ``request``."""
    if isinstance(request, InvokeRequest):
        return f"result-of-{request.op}"
    return f"result-of-{type(request).CONSTANTS['method']}"
