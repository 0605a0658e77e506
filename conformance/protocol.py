"""The worker protocol (version 1): framing and message shapes shared by kit and worker.

One JSON object per line. The schema is ``spec/meta/worker-protocol.schema.json``;
a worker in another language implements exactly this.
"""

from __future__ import annotations

import json
from typing import Any

PROTOCOL_VERSION = 1
WORKER_MODULE = "accord.conformance.worker"


def encode(message: dict[str, Any]) -> bytes:
    return (json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n").encode()


def request(msg_id: int, method: str, params: dict[str, Any] | None = None) -> bytes:
    message: dict[str, Any] = {"id": msg_id, "method": method}
    if params is not None:
        message["params"] = params
    return encode(message)


def result(msg_id: int | None, value: Any) -> bytes:
    return encode({"id": msg_id, "result": value})


def error(msg_id: int | None, kind: str, message: str, type_name: str | None = None) -> bytes:
    body: dict[str, Any] = {"kind": kind, "message": message}
    if type_name:
        body["type"] = type_name
    return encode({"id": msg_id, "error": body})
