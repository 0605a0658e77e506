"""``accord run --jobs N``: the selected requirements sharded over N kit processes, one report.

Generating examples is CPU work in the kit, under the GIL, so the shards are processes
(:mod:`.shard`, each with its own worker), not threads. They are plain subprocesses speaking
JSON lines, like the worker, rather than ``multiprocessing``: each runs in a session of its own
(Ctrl-C reaches only the parent, which decides), is stopped as a process tree the way a worker
is, and has nothing (pipes, a nameless log) that could be left in the temp dir.

A requirement's result does not depend on N: every search draws from the run's seed and the
requirement alone (``hypothesis.seed`` per property, :mod:`.seeded`), and what a shard caches
in ``ctx.state`` (the tensor dtype-support probes, drawn with their own fixed seed; shared
strategies; the backend's declared capabilities) is the same whichever shard computes it.
``tests/conformance/test_run_jobs.py`` holds ``--jobs 1`` and ``--jobs 2`` to the same results.

Requirements go out one spec document at a time (a document's requirements reuse the same
per-function caches), the documents with the most requirements first (a rough cost, so that
no big one is left for the end while the other shards idle), each to whichever shard asks
first. The parent records every result into the one report, which lists requirements in the
selected order whatever order they finish in, and drives the progress display.

A shard that dies costs the requirement it was running (``error``, with how it died); the rest
of its batch goes back to the queue and the run goes on with the others. Ctrl-C stops every
shard and their workers and leaves an ``interrupted`` report, as ``--jobs 1`` does.
"""

from __future__ import annotations

import os
import queue
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from accord.spec import Requirement, match_requirements

from . import shard
from .runner import (
    OnResult,
    Plan,
    RunConfig,
    RunResult,
    UsageError,
    aborted,
    check_adapter_name,
    completed,
    default_version,
    interrupted,
    load_for_run,
    plan_run,
    run,
)
from .shard_process import ShardProcess

AUTO_FAMILIES = frozenset({"tensor"})
"""Families whose run ``--jobs auto`` spreads over the machine's cores. A tensor run's time is the kit's
own example generation, which another process divides; a pipeline or FaaS run's is the engine's (a JVM,
a host process tree), which already uses the cores, and a second one would double its memory for
little gain."""
AUTO_MIN_REQUIREMENTS = 100
"""Below this many selected requirements ``auto`` runs in-process: starting a shard and its worker
costs a few seconds, more than a small selection gains."""
AUTO_MAX_JOBS = 4


def auto_jobs(config: RunConfig) -> int:
    """What ``--jobs auto`` (the default) means for this run: the usable cores, up to ``AUTO_MAX_JOBS``, for a
    tensor run of at least ``AUTO_MIN_REQUIREMENTS`` requirements; else 1. Results do not depend on it."""
    if config.family not in AUTO_FAMILIES:
        return 1
    try:
        version = config.spec_version or default_version(config.family, check_adapter_name(config))
        selected = len(match_requirements(load_for_run(config.family, version), config.select))
    except UsageError:
        return 1  # the run itself reports the bad usage
    if selected < AUTO_MIN_REQUIREMENTS:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), AUTO_MAX_JOBS))


def run_jobs(config: RunConfig, jobs: int | None = 1, on_result: OnResult | None = None,
             on_start: Callable[[int], None] | None = None) -> RunResult:
    """``accord run --jobs N``: N = 1 is the plain in-process run, more shard the requirements; None is
    ``auto`` (:func:`auto_jobs`)."""
    if jobs is None:
        jobs = auto_jobs(config)
    if jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {jobs}")
    if jobs == 1:
        return run(config, on_result, on_start)
    plan = plan_run(config, {"jobs": jobs})
    if on_start:
        on_start(len(plan.requirements))
    return _Sharded(config, plan, jobs, on_result).run()


def batches(requirements: list[Requirement]) -> list[list[Requirement]]:
    """The selected requirements per spec document, documents with more requirements first (stable)."""
    groups: dict[tuple[str, str], list[Requirement]] = {}
    for requirement in requirements:
        groups.setdefault((requirement.document_kind, requirement.document_name), []).append(requirement)
    return sorted(groups.values(), key=len, reverse=True)


class _Sharded:
    """One sharded run: hands out batches, records results, ends the shards however the run ends."""

    def __init__(self, config: RunConfig, plan: Plan, jobs: int, on_result: OnResult | None) -> None:
        self.config = config
        self.plan = plan
        self.on_result = on_result
        self.todo: deque[list[str]] = deque([r.id for r in batch] for batch in batches(plan.requirements))
        self.by_id = {r.id: r for r in plan.requirements}
        self.events: queue.Queue = queue.Queue()
        self.shards = [ShardProcess(i + 1, shard.config_json(config, plan.version), self.events)
                       for i in range(min(jobs, len(self.todo)))]
        self.done = 0
        self.adapter_known = False
        self.last_death: str | None = None

    def run(self) -> RunResult:
        try:
            for one in self.shards:
                try:
                    one.start()
                except OSError as exc:
                    one.start_error = f"cannot start a shard process: {exc.strerror or exc}"
                    one.ended = True
            while not all(one.ended for one in self.shards):
                try:
                    one, message = self.events.get(timeout=0.5)
                except queue.Empty:
                    continue
                self._handle(one, message)
        except KeyboardInterrupt:
            ended = interrupted(self.plan)  # the report first, as --jobs 1 does: stopping the shards takes a moment
            self._end_all(interrupt=True)
            return ended
        except UsageError:
            self._end_all(interrupt=True)
            self.plan.report.finish("aborted")
            raise
        self._end_all(interrupt=False)
        if not self.adapter_known:  # no shard's worker ever started: as --jobs 1 when its worker cannot
            why = next((one.start_error for one in self.shards if one.start_error), None) or self.last_death
            return aborted(self.plan, why or "no shard process started", self.on_result)
        if self.done < len(self.plan.requirements):  # every shard died with requirements left
            return aborted(self.plan, f"no shard process left to run it ({self.last_death or 'every shard ended'})",
                           self.on_result)
        return completed(self.plan)

    # ------------------------------------------------------------ messages

    def _handle(self, one: ShardProcess, message: dict[str, Any] | None) -> None:
        if message is None:
            self._ended(one)
        elif "id" in message:
            self._record(one, message["id"], message["result"])
        elif "want" in message:
            one.holding = []
            self._give(one)
        elif "hello" in message:
            one.said_hello = True
            if not self.adapter_known:
                self.adapter_known = True
                self.plan.report.set_adapter(message["hello"]["adapter"], message["hello"].get("python"))
            self._give(one)
        elif "start_error" in message:
            one.start_error = message["start_error"]
        elif "usage_error" in message:
            raise UsageError(message["usage_error"])
        else:  # garbage on its output: a defect of the kit; it ends like a dead shard
            one.problem = f"wrote a line that is not a message ({message.get('garbage', message)!r:.120})"
            one.interrupt()

    def _record(self, one: ShardProcess, requirement_id: str, result: dict[str, Any]) -> None:
        if requirement_id in one.holding:
            one.holding.remove(requirement_id)
        self.plan.report.record(requirement_id, result)
        self.done += 1
        if self.on_result:
            self.on_result(self.by_id[requirement_id], result, self.done, len(self.plan.requirements))

    def _give(self, one: ShardProcess) -> None:
        """The next batch, else park it (a dying shard may give work back), else end every idle shard."""
        if self.todo:
            one.idle = False
            one.holding = self.todo.popleft()
            one.send({"run": one.holding})
            return
        one.idle = True
        if not any(other.holding for other in self.shards):
            for other in self.shards:
                if other.idle and not other.ended:
                    other.stop()

    def _ended(self, one: ShardProcess) -> None:
        """A shard's output ended: at the end of the run, or it died with requirements in hand."""
        one.ended = True
        if one.holding:
            note = one.death_note()
            self.last_death = note
            lost, *rest = one.holding
            one.holding = []
            self._record(one, lost, {"status": "error", "examples": 0, "duration": 0.0,
                                     "message": f"{note} while running it; the run went on without it"})
            if rest:
                self.todo.appendleft(rest)
        elif not one.said_hello and not one.start_error:
            self.last_death = one.death_note()
        one.close(grace=30.0)
        for other in self.shards:  # work given back goes to a shard waiting for some
            if self.todo and other.idle and not other.ended:
                self._give(other)
        if not self.todo and not any(other.holding for other in self.shards):
            for other in self.shards:
                if other.idle and not other.ended:
                    other.stop()

    # ------------------------------------------------------------ ending

    def _end_all(self, interrupt: bool) -> None:
        """Every shard (and so every worker) gone: asked to stop, or SIGTERMed after Ctrl-C; killed if one stays."""
        with _signals_held():
            for one in self.shards:
                if interrupt:
                    one.interrupt()
                else:
                    one.stop()
            for one in self.shards:
                one.close(grace=30.0)


@contextmanager
def _signals_held() -> Iterator[None]:
    """A second Ctrl-C (or SIGTERM) while the shards are being stopped would leave them behind: ignored meanwhile."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
