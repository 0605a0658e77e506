"""The worker process: hosts one adapter and answers the kit over stdin/stdout.

``python -m accord.conformance.worker ADAPTER [--family F]``. The protocol
stream is a private duplicate of the original stdout; file descriptor 1 is
pointed at stderr so an engine that prints (Spark, Beam, a host) cannot corrupt
it.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import sys
import traceback
from typing import Any, BinaryIO

from . import protocol


def _stop_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def serve(adapter_name: str, family: str | None, stdin: BinaryIO, out: BinaryIO) -> int:
    from accord.adapters.base import AdapterUnsupported
    from accord.adapters.registry import AdapterNotFound, resolve

    def send(data: bytes) -> None:
        out.write(data)
        out.flush()

    adapter = None
    started = False
    try:
        for raw in stdin:
            try:
                message = json.loads(raw)
                msg_id = message.get("id")
                method = message["method"]
                params = message.get("params") or {}
            except (ValueError, KeyError, AttributeError) as exc:
                send(protocol.error(None, "bad-request", f"unreadable request: {exc}"))
                continue
            if method == "hello":
                try:
                    adapter = resolve(adapter_name, family)
                    reason = adapter.unusable_reason()
                    if reason:
                        raise RuntimeError(reason)
                    adapter.start()
                    started = True
                except (AdapterNotFound, Exception) as exc:
                    send(protocol.error(msg_id, "start-failed", " ".join(str(exc).split()) or type(exc).__name__,
                                        type(exc).__name__))
                    continue
                send(protocol.result(msg_id, {
                    "protocol": protocol.PROTOCOL_VERSION,
                    "adapter": adapter.meta.to_json(),
                    "python": platform.python_version(),
                }))
            elif method == "invoke":
                if not started or adapter is None:
                    send(protocol.error(msg_id, "bad-request", "invoke before a successful hello"))
                    continue
                try:
                    value = adapter.invoke(params.get("op", ""), params.get("args"))
                except AdapterUnsupported as exc:
                    send(protocol.error(msg_id, "unsupported", f"adapter does not implement op {exc}"))
                    continue
                except Exception as exc:
                    send(protocol.error(msg_id, "raised", str(exc), type(exc).__name__))
                    continue
                try:
                    send(protocol.result(msg_id, value))
                except (TypeError, ValueError) as exc:
                    send(protocol.error(msg_id, "internal", f"adapter returned a value that is not JSON: {exc}"))
            elif method == "shutdown":
                send(protocol.result(msg_id, None))
                break
            else:
                send(protocol.error(msg_id, "bad-request", f"unknown method {method!r}"))
    finally:
        if adapter is not None and started:
            try:
                adapter.stop()
            except Exception:
                traceback.print_exc()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    family = None
    if "--family" in args:
        i = args.index("--family")
        family = args[i + 1]
        del args[i : i + 2]
    if len(args) != 1:
        print("usage: python -m accord.conformance.worker ADAPTER [--family F]", file=sys.stderr)
        return 2
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the kit decides; Ctrl-C in the terminal reaches the kit
    return serve(args[0], family, sys.stdin.buffer, out)


if __name__ == "__main__":
    sys.exit(main())
