"""How a hostile case is run and judged: a real run, then its report, the kit's memory, what is left.

A case runs the kit in this process (``runner.run``, a real worker per adapter): the spec is
loaded once for all cases, where a CLI per case would spend seconds loading it again. The kit's
memory is its peak growth over the run (``VmHWM``, reset through ``/proc/self/clear_refs`` first,
so an earlier test's peak does not count). What the case started carries a mark in its
environment, and its acts record their children's pids (:mod:`behaviours`): after the run none
may be alive. A leftover is killed when the test ends, so one failing case leaves nothing either.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from behaviours import PIDS_VAR

from accord.adapters.procs import processes

HERE = Path(__file__).resolve().parent
MARK_VAR = "ACCORD_HOSTILE_MARK"
MEMORY_MB = 100  # the kit's allowed peak growth in one run; a read of a flood's line would be far over it
PYTHONPATH = os.pathsep.join([str(HERE), str(HERE.parent), os.environ.get("PYTHONPATH", "")])


def _holds(pid: int, entry: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return entry in f.read().split(b"\0")
    except OSError:
        return False


def _start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return None if fields[0] == "Z" else fields[19]


@dataclass
class Traces:
    """The mark a case's processes carry and the folder where its acts record their children."""

    pids: Path
    mark: str = field(default_factory=lambda: uuid.uuid4().hex)

    def env(self) -> dict[str, str]:
        return {MARK_VAR: self.mark, PIDS_VAR: str(self.pids), "PYTHONPATH": PYTHONPATH}

    def alive(self) -> set[int]:
        """Live processes carrying the mark (this one aside) or recorded by an act, same start time."""
        entry, me = f"{MARK_VAR}={self.mark}".encode(), os.getpid()
        found = {p.pid for p in processes() if p.live and p.pid != me and _holds(p.pid, entry)}
        for note in self.pids.iterdir() if self.pids.exists() else ():
            if _start_time(int(note.name)) == note.read_text():
                found.add(int(note.name))
        return found

    def left(self, within: float = 10.0) -> list[str]:
        """What is still alive ``within`` seconds after the run (a killed process takes a moment to go)."""
        deadline = time.monotonic() + within
        while (alive := self.alive()) and time.monotonic() < deadline:
            time.sleep(0.1)
        return [_describe(pid) for pid in sorted(alive)]

    def kill_all(self) -> None:
        for pid in self.alive():
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def recorded(self) -> int:
        """How many children the acts recorded (a leak case that leaked nothing proves nothing)."""
        return len(list(self.pids.iterdir())) if self.pids.exists() else 0


def _describe(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return str(pid)
    return f"{pid}: {command[:120]}"


def _status_kb(key: str) -> int:
    return int(re.search(rf"{key}:\s*(\d+) kB", Path("/proc/self/status").read_text()).group(1))


@dataclass
class Peak:
    growth_mb: float | None = None  # None where the peak cannot be reset (then nothing is asserted)


@contextlib.contextmanager
def peak_growth() -> Iterator[Peak]:
    """How far this process's peak resident memory rose above its size at the start of the block."""
    peak = Peak()
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
        start = _status_kb("VmRSS")
    except OSError:
        start = None
    yield peak
    if start is not None:
        peak.growth_mb = (_status_kb("VmHWM") - start) / 1024


@dataclass
class Outcome:
    """A finished hostile case: results by requirement id, the report, the kit's memory growth."""

    by_id: dict[str, dict[str, Any]]
    exit_code: int  # as ``accord run`` would exit
    report: dict[str, Any]
    report_bytes: int
    growth_mb: float | None
    seconds: float


HANG_TIMEOUT = 3.0  # the --timeout of a case that hangs: it waits that long
TIMEOUT = 20.0  # of the others: ample on a loaded machine (flooding a log, starting a host), never waited


def run_case(family: str, adapter: str, select: list[str], tmp_path: Path, *, hangs: bool = False,
             spec_version: str | None = None, max_examples: int = 5) -> Outcome:
    """Run ``adapter`` on ``select`` as ``accord run`` does, in this process; the report must be valid.
    ``hangs``: the case waits for the ``--timeout``, made short."""
    timeout = HANG_TIMEOUT if hangs else TIMEOUT
    from accord.conformance.check import RunSettings
    from accord.conformance.report import validate_report
    from accord.conformance.runner import RunConfig, run
    from accord.spec import load_spec

    load_spec(family, spec_version)  # loaded (and cached) before the memory is watched
    report_path = tmp_path / "report.json"
    began = time.monotonic()
    with peak_growth() as peak:
        result = run(RunConfig(family, adapter, spec_version=spec_version, select=select, report_path=report_path,
                      settings=RunSettings(seed=1, max_examples=max_examples, timeout=timeout)))
    seconds = time.monotonic() - began
    data = json.loads(report_path.read_text())
    assert validate_report(data) == [], validate_report(data)[:3]
    return Outcome({r["id"]: r for r in data["requirements"]}, result.exit_code, data,
                   report_path.stat().st_size, peak.growth_mb, seconds)


def check_bounded(outcome: Outcome) -> None:
    """The kit's memory and the report stay small whatever the backend did."""
    assert outcome.growth_mb is None or outcome.growth_mb < MEMORY_MB, f"kit grew by {outcome.growth_mb:.0f} MB"
    assert outcome.report_bytes < 1024 * 1024, outcome.report_bytes


def on_path() -> None:
    """This folder importable here too: the kit resolves the adapter in its own process first."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
