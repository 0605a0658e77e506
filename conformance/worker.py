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
import threading
import time
import traceback
from typing import Any, BinaryIO

from accord.adapters.procs import become_subreaper, descendants, kill_cookie_holders, own_cookie

from . import protocol
from .origin import origin


def _stop_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _die_with_the_kit(parent: int, period: float = 1.0) -> None:
    """A worker whose kit is gone (SIGKILLed, say, while a backend call hangs) takes down with it all it
    started — whatever holds its cookie, however it detached, what its tree holds (orphans are its
    children: it is their subreaper), its process group — instead of living on under init. Runs in a
    daemon thread: a hung call in the main thread cannot stop it."""
    while os.getppid() == parent:
        time.sleep(period)
    kill_cookie_holders(own_cookie())
    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if os.getpgrp() == os.getpid():  # started by the kit in a session of its own: the group is ours
        os.killpg(os.getpid(), signal.SIGKILL)
    os._exit(1)


MAX_TEXT = 4096  # characters of an exception's message sent to the kit


def describe(exc: BaseException) -> str:
    """An exception's message that never raises: a backend's ``__str__`` may itself raise (or return a
    non-string, or a megabyte); the answer is still the backend's error, not a dead worker."""
    for render in (str, repr):
        try:
            text = render(exc)
            if isinstance(text, str):
                return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + f"… ({len(text)} characters)"
        except Exception:  # any failure to render falls through to the next form
            continue
    return f"<unprintable {type(exc).__name__}>"


def raised(msg_id: int | None, exc: BaseException) -> bytes:
    """The ``raised`` error of an exception, with its ``origin`` (adapter or backend code)."""
    try:
        where = origin(exc)
    except Exception:  # telling whose fault it is must never lose the answer itself
        where = None
    return protocol.error(msg_id, protocol.ErrorKind.RAISED, describe(exc), type(exc).__name__, where)


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
            except ValueError as exc:
                send(protocol.error(None, protocol.ErrorKind.BAD_REQUEST, f"unreadable request: {exc}"))
                continue
            try:
                request = protocol.parse_request(message)
            except protocol.ProtocolError as exc:
                msg_id = message.get("id") if isinstance(message, dict) else None
                send(protocol.error(msg_id if isinstance(msg_id, int) else None, protocol.ErrorKind.BAD_REQUEST,
                                    f"unreadable request: {exc}"))
                continue
            msg_id = request.id
            if isinstance(request, protocol.HelloRequest):
                try:
                    adapter = resolve(adapter_name, family)
                    adapter.configure(request.options or {})
                    adapter.follow(request.standards or [])
                    reason = adapter.unusable_reason()
                    if reason:
                        raise RuntimeError(reason)
                    adapter.start()
                    started = True
                except (AdapterNotFound, Exception) as exc:
                    send(protocol.error(msg_id, protocol.ErrorKind.START_FAILED,
                                        " ".join(describe(exc).split()) or type(exc).__name__, type(exc).__name__))
                    continue
                hello = protocol.HelloResult(protocol.PROTOCOL_VERSION, adapter.meta_json(), platform.python_version())
                send(protocol.result(msg_id, hello.to_json()))
            elif isinstance(request, protocol.InvokeRequest):
                if not started or adapter is None:
                    send(protocol.error(msg_id, protocol.ErrorKind.BAD_REQUEST, "invoke before a successful hello"))
                    continue
                try:
                    value = adapter.invoke(request.op, request.args)
                except AdapterUnsupported as exc:
                    send(protocol.error(msg_id, protocol.ErrorKind.UNSUPPORTED, f"adapter does not implement op {exc}"))
                    continue
                except Exception as exc:
                    send(raised(msg_id, exc))
                    continue
                try:
                    answer = protocol.result(msg_id, value)
                except (TypeError, ValueError) as exc:
                    send(protocol.error(msg_id, protocol.ErrorKind.INTERNAL,
                                        f"adapter returned a value that is not JSON: {describe(exc)}"))
                    continue
                del value
                if len(answer) > protocol.MAX_LINE_BYTES:  # the kit would refuse the line anyway; say why
                    send(protocol.error(msg_id, protocol.ErrorKind.INTERNAL,
                                        f"adapter returned a result of {len(answer)} bytes, over the protocol's "
                                        f"limit of {protocol.MAX_LINE_BYTES} bytes per message"))
                    continue
                send(answer)
            else:  # ShutdownRequest
                send(protocol.result(msg_id, None))
                break
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
    if "--cpus" in args:  # first, so every thread the adapter starts inherits the mask (a bench's pinning)
        i = args.index("--cpus")
        os.sched_setaffinity(0, {int(c) for c in args[i + 1].split(",")})
        del args[i : i + 2]
    if len(args) != 1:
        print("usage: python -m accord.conformance.worker ADAPTER [--family F] [--cpus N,M]", file=sys.stderr)
        return 2
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the kit decides; Ctrl-C in the terminal reaches the kit
    become_subreaper()  # a detached grandchild stays in our tree, where close() and _die_with_the_kit look
    threading.Thread(target=_die_with_the_kit, args=(os.getppid(),), daemon=True).start()
    return serve(args[0], family, sys.stdin.buffer, out)


if __name__ == "__main__":
    sys.exit(main())
