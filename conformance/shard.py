"""One shard of ``accord run --jobs N``: a kit process with its own worker, running the requirements it is handed.

Generating examples is CPU work in the kit process, under the GIL, so a parallel run needs kit
processes, not threads. ``python -m accord.conformance.shard`` is one; the parent
(:mod:`.sharded`) starts N of them. Each runs a requirement exactly as ``accord run --jobs 1``
does (``runner.run_requirement`` with the run's seed), so a requirement's result does not depend
on which shard ran it or what that shard ran before.

JSON lines, one object each. The parent writes ``{"config": …}`` first, then ``{"run": [ids]}``
as often as it likes, then ``{"stop": true}`` (or closes stdin). The shard answers once with
``{"hello": {"adapter", "python"}}`` (its worker is up and prepared), ``{"start_error": message}``
(no worker) or ``{"usage_error": message}`` (the adapter does not fit the spec); then per
requirement ``{"id", "result"}`` and after each ``run`` batch ``{"want": true}``.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import traceback
from typing import Any, BinaryIO

from . import interrupts
from .check import Context, RunSettings
from .client import BackendStartError
from .families import get_suite
from .runner import RunConfig, UsageError, check_hello, load_for_run, prepare, run_requirement, start_worker

MODULE = "accord.conformance.shard"


def config_json(config: RunConfig, version: str | None) -> dict[str, Any]:
    """What a shard needs of the parent's run: the spec version is resolved once, by the parent."""
    return {"family": config.family, "adapter": config.adapter, "spec_version": version,
            "seed": config.settings.seed, "max_examples": config.settings.max_examples,
            "timeout": config.settings.timeout, "python": config.python, "start_timeout": config.start_timeout,
            "raw": config.raw}


def config_from_json(data: dict[str, Any]) -> RunConfig:
    settings = RunSettings(seed=data["seed"], max_examples=data["max_examples"], timeout=data["timeout"])
    return RunConfig(family=data["family"], adapter=data["adapter"], spec_version=data["spec_version"],
                     settings=settings, python=data["python"], start_timeout=data["start_timeout"], raw=data["raw"])


def encode(message: dict[str, Any]) -> bytes:
    return (json.dumps(message, allow_nan=False, ensure_ascii=False) + "\n").encode()


def _result_line(requirement_id: str, result: dict[str, Any]) -> bytes:
    """A result as a line; one the report could not store either (not JSON) becomes an ``error`` saying so."""
    try:
        return encode({"id": requirement_id, "result": result})
    except (TypeError, ValueError) as exc:
        broken = {"status": "error", "message": f"the check's result is not JSON: {exc}",
                  "examples": result.get("examples", 0), "duration": result.get("duration", 0.0)}
        return encode({"id": requirement_id, "result": broken})


def serve(stdin: BinaryIO, out: BinaryIO) -> int:
    """Run what the parent hands out until it says stop; the worker is closed however this ends."""

    def send(line: bytes) -> None:
        out.write(line)
        out.flush()

    first = stdin.readline()
    if not first:
        return 0
    config = config_from_json(json.loads(first)["config"])
    spec = load_for_run(config.family, config.spec_version)
    suite = get_suite(config.family)
    try:
        client, hello = start_worker(config, spec)
    except BackendStartError as exc:
        send(encode({"start_error": str(exc)}))
        return 0
    try:
        adapter = hello["adapter"]
        try:
            check_hello(config, spec, adapter)
        except UsageError as exc:
            send(encode({"usage_error": str(exc)}))
            return 0
        ctx = Context(backend=client, spec=spec, settings=config.settings, adapter=adapter)
        prepare(ctx, suite)
        send(encode({"hello": {"adapter": adapter, "python": hello.get("python")}}))
        for line in stdin:
            message = json.loads(line)
            if message.get("stop"):
                break
            for requirement_id in message["run"]:
                result = run_requirement(ctx, suite, spec.requirement(requirement_id))
                send(_result_line(requirement_id, result))
            send(encode({"want": True}))
    finally:
        _close(client)
    return 0


def _close(client: Any) -> None:
    """Close the worker even when the parent's SIGTERM arrives meanwhile (it asked for exactly this)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    client.close()


def _watch(parent: int, period: float = 0.5) -> None:
    """Make a stop happen. The parent gone (SIGKILLed): stop as if interrupted, closing the worker. And
    a stop the main thread did not act on is raised again: a signal handler's exception that lands in
    a garbage-collector callback (hypothesis registers one) is printed and dropped, not raised. Once
    the worker is being closed, SIGTERM is ignored and the repeats do nothing."""
    stopping_since = None
    while True:
        time.sleep(period)
        gone = os.getppid() != parent
        if not interrupts.requested.is_set() and not gone:
            continue
        now = time.monotonic()
        stopping_since = stopping_since or now
        if gone and now - stopping_since > 30:  # the worker notices its shard is gone and follows
            os._exit(1)
        if gone or now - stopping_since > 1:
            os.kill(os.getpid(), signal.SIGTERM)


def main() -> int:
    # the protocol stream is a private copy of stdout: anything printed in this process goes to stderr
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops shards with SIGTERM
    signal.signal(signal.SIGTERM, interrupts.stop)
    threading.Thread(target=_watch, args=(os.getppid(),), daemon=True).start()
    try:
        return serve(sys.stdin.buffer, out)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the parent stopped reading: it is gone or ending the run
        return 1
    except Exception as exc:  # a defect of the kit: the parent reports the last stderr line with the lost results
        traceback.print_exc()
        print(f"accord shard: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
