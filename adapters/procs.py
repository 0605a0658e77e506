"""Processes as Linux /proc shows them.

The kit (killing a worker's whole tree) and the host adapters (reaping a host's
process group or session) both need to find what a process left behind; one
reader of ``/proc/<pid>/stat`` serves them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Proc:
    pid: int
    state: str  # "R", "S", … ; "Z" for a zombie
    ppid: int
    pgrp: int
    session: int

    @property
    def live(self) -> bool:
        return self.state != "Z"


def processes() -> list[Proc]:
    """Every process visible now (those that vanish while being read are skipped)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # state ppid pgrp session ...
        try:
            found.append(Proc(int(entry.name), fields[0], int(fields[1]), int(fields[2]), int(fields[3])))
        except (IndexError, ValueError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    """All descendants of ``pid``, zombies included (so nothing a worker spawned is missed)."""
    children: dict[int, list[int]] = {}
    for proc in processes():
        children.setdefault(proc.ppid, []).append(proc.pid)
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group."""
    return [p.pid for p in processes() if p.live and p.pgrp == pgid]


def session_members(sid: int) -> list[int]:
    """Live processes of a session."""
    return [p.pid for p in processes() if p.live and p.session == sid]
