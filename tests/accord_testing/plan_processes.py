"""What the plan and bisect tests look for once a run ended: no process of it left, nothing left behind."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path


def command_lines() -> Iterator[tuple[int, str]]:
    """(pid, command line) of every live process this user can read."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            yield int(proc.name), (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue


def processes_naming(*paths: Path) -> list[str]:
    """Command lines of live processes that mention one of ``paths`` (an environment, an output folder)."""
    return [f"{pid}: {cmdline}" for pid, cmdline in command_lines() if any(str(p) in cmdline for p in paths)]


def assert_clean(folder: Path, cache: Path) -> None:
    """``folder/scratch`` (the run's TMPDIR) is empty, no environment build is half-done, and no process that
    names the cache or the folder is alive (after a few seconds' grace for processes being reaped)."""
    assert sorted(p.name for p in (folder / "scratch").iterdir()) == []
    assert not list(cache.glob(".building-*"))
    deadline = time.monotonic() + 10
    while processes_naming(cache, folder) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_naming(cache, folder) == []
