"""Processes as Linux /proc shows them.

The kit (killing a worker's whole tree) and the host adapters (reaping a host's
process group or session) both need to find what a process left behind; one
reader of ``/proc/<pid>/stat`` serves them all. The host tests also ask which
sockets a host's processes hold open, from ``/proc/<pid>/fd`` and ``/proc/<pid>/net``, and
the end of the log file a child writes to.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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


# -- sockets -----------------------------------------------------------------------------------

TCP_LISTEN = "0A"
UDP_UNCONNECTED = "07"


@dataclass(frozen=True)
class Socket:
    """An inet socket a process holds open for others to reach: TCP listening or UDP unconnected."""

    pid: int
    protocol: str  # "tcp" or "udp"
    address: ipaddress.IPv4Address | ipaddress.IPv6Address
    port: int
    interfaces: tuple[str, ...]  # the interfaces of the network namespace the socket lives in

    @property
    def loopback(self) -> bool:
        mapped = getattr(self.address, "ipv4_mapped", None)
        return self.address.is_loopback or bool(mapped and mapped.is_loopback)

    @property
    def exposed(self) -> bool:
        """Reachable from beyond loopback: bound to another address in a network with another interface."""
        return not self.loopback and any(name != "lo" for name in self.interfaces)

    def __str__(self) -> str:
        where = "" if any(name != "lo" for name in self.interfaces) else " (network with lo only)"
        return f"{self.protocol} {self.address}:{self.port} pid {self.pid}{where}"


def _address(hex_address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return ipaddress.IPv4Address(raw[::-1])  # little-endian 32-bit word
    return ipaddress.IPv6Address(b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4)))


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    except OSError:
        pass
    return inodes


def open_sockets(pids: list[int]) -> list[Socket]:
    """The listening TCP and unconnected UDP sockets (IPv4 and IPv6) held by ``pids``.

    A socket belongs to the network namespace it was made in, which need not be its
    holder's (a socket passed into a sandbox), so the tables of every namespace the
    pids are in, and of this process's own, are searched.
    """
    owners: dict[str, int] = {}
    for pid in pids:
        for inode in _socket_inodes(pid):
            owners.setdefault(inode, pid)
    namespaces: dict[str, Path] = {}
    for proc_dir in [Path("/proc/self"), *(Path(f"/proc/{pid}") for pid in pids)]:
        with contextlib.suppress(OSError):
            namespaces.setdefault(os.readlink(proc_dir / "ns" / "net"), proc_dir / "net")
    found = []
    for net in namespaces.values():
        try:
            interfaces = tuple(line.split(":")[0].strip() for line in (net / "dev").read_text().splitlines()[2:])
        except OSError:
            continue
        for protocol, wanted in (("tcp", TCP_LISTEN), ("udp", UDP_UNCONNECTED)):
            for table in (net / protocol, net / f"{protocol}6"):
                with contextlib.suppress(OSError):
                    for line in table.read_text().splitlines()[1:]:
                        fields = line.split()
                        if fields[3] == wanted and fields[9] in owners:
                            address, port = fields[1].split(":")
                            if int(port, 16):  # an unbound UDP socket has port 0 and reaches nothing
                                found.append(Socket(owners[fields[9]], protocol, _address(address),
                                                    int(port, 16), interfaces))
    return found


def shared_log_tail(log: Any, limit: int) -> str | None:
    """The last ``limit`` bytes of a log file a child process writes to, decoded; None when unreadable.

    Only the end is read, so a child that flooded its log cannot flood the reader's memory; and with
    ``pread``, because the child shares the file's offset: a seek here would move where it writes.
    """
    try:
        fd = log.fileno()
        size = os.fstat(fd).st_size
        return os.pread(fd, min(size, limit), max(0, size - limit)).decode("utf-8", "replace")
    except (OSError, ValueError):
        return None
