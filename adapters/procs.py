"""Processes as Linux /proc shows them, and the one place that hunts down what a run started.

The kit (killing a worker's whole tree) and the host adapters (reaping a host's
process group or session) both need to find what a process left behind; one
reader of ``/proc/<pid>/stat`` serves them all. The host tests also ask which
sockets a host's processes hold open, from ``/proc/<pid>/fd`` and ``/proc/<pid>/net``, and
the end of the log file a child writes to.

A process group or the tree of parent links does not hold a child that detaches (a new
session, a double fork: it is re-parented to init). An environment variable does: every
process the kit starts carries a fresh random *cookie* in ``ACCORD_RUN_COOKIE``, inherited by
every descendant however it detaches, and :func:`kill_cookie_holders` kills each process whose
``/proc/<pid>/environ`` holds it (the technique of Jenkins' ProcessTreeKiller). A descendant that
replaces its whole environment escapes that net; :func:`become_subreaper` keeps such orphans
the worker's children while it lives, so its tree still holds them. Without /proc (not Linux)
the scans find nothing and nothing fails.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
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
    """Every process visible now (those that vanish while being read are skipped; none without /proc)."""
    found = []
    try:
        entries = list(Path("/proc").iterdir())
    except OSError:  # not Linux
        return []
    for entry in entries:
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


# -- cookies: what a run started, however it detached ------------------------------------------

COOKIE_VAR = "ACCORD_RUN_COOKIE"


def with_cookie(env: Mapping[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """A fresh cookie and a copy of ``env`` (default: this process's) that carries it.

    The cookie is appended to those ``env`` already carries, newest last: a FaaS host started by a
    worker holds the worker's cookie and its own, so killing either's holders reaches it.
    """
    cookie = secrets.token_hex(16)
    env = dict(os.environ if env is None else env)
    env[COOKIE_VAR] = " ".join([*env.get(COOKIE_VAR, "").split(), cookie])
    return cookie, env


def own_cookie() -> str | None:
    """The cookie this process was started with (the newest it carries), or None."""
    cookies = os.environ.get(COOKIE_VAR, "").split()
    return cookies[-1] if cookies else None


def _holds(pid: int, cookie: str) -> bool:
    """Whether ``pid``'s environment, as it was exec'ed, carries ``cookie``; False when unreadable (another
    user's process, one gone or a zombie: a process we may not read is one we may not signal either)."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            environ = f.read()
    except OSError:
        return False
    prefix = COOKIE_VAR.encode() + b"="
    wanted = cookie.encode()
    return any(entry.startswith(prefix) and wanted in entry[len(prefix):].split()
               for entry in environ.split(b"\0"))


def cookie_holders(cookie: str) -> list[int]:
    """Live processes (this one excepted) whose environment carries ``cookie``."""
    me = os.getpid()
    return [p.pid for p in processes() if p.live and p.pid != me and _holds(p.pid, cookie)]


def _kill(pid: int, cookie: str) -> None:
    """SIGKILL ``pid`` if it still holds ``cookie``: pinned by a pidfd where there is one, so a pid
    reused between the scan and the signal is never hit."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
    try:
        if fd is None:
            os.kill(pid, signal.SIGKILL)
        elif _holds(pid, cookie):
            signal.pidfd_send_signal(fd, signal.SIGKILL)
    except OSError:  # gone already, or not ours to signal
        pass
    finally:
        if fd is not None:
            os.close(fd)


def kill_cookie_holders(cookie: str | None, within: float = 5.0) -> list[int]:
    """SIGKILL every process (but this one) that carries ``cookie``, scanning again until none is left
    (one may fork between a scan and its kill) or ``within`` seconds pass; returns the pids killed."""
    killed: list[int] = []
    if not cookie:
        return killed
    deadline = time.monotonic() + within
    while True:
        found = cookie_holders(cookie)
        if not found or time.monotonic() > deadline:
            return killed
        for pid in found:
            _kill(pid, cookie)
        killed.extend(pid for pid in found if pid not in killed)
        time.sleep(0.01)


def become_subreaper() -> bool:
    """Make this process the parent of every orphan below it (Linux ``PR_SET_CHILD_SUBREAPER``), so a
    descendant that detaches stays in :func:`descendants` while this process lives; False elsewhere.

    The price: an orphan that exits stays a zombie of this process until it exits too (it cannot
    tell those from its own children, whose exit status a backend may still wait for).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


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


def how_it_ended(proc: subprocess.Popen, not_ended: str, wait: float = 5.0) -> str:
    """How a child ended, in the words of every death note (a worker's, a shard's): "exited with status N",
    "was killed by SIGSEGV", or ``not_ended`` when it is still running after ``wait`` seconds."""
    try:
        code = proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        return not_ended
    if code >= 0:
        return f"exited with status {code}"
    try:
        return f"was killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"was killed by signal {-code}"


def close_pipes(proc: subprocess.Popen) -> None:
    """Close the pipes the kit holds to a stopped child (a worker, a shard); one already closed is fine."""
    for stream in (proc.stdin, proc.stdout):
        if stream is None:
            continue
        try:
            stream.close()
        except OSError:
            pass


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
