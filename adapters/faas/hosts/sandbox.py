"""Run a host in a network of its own, with one TCP port relayed to the kit's 127.0.0.1.

Some hosts open servers on every interface whatever they are told (Ray Serve's
replicas bind their gRPC server to ``[::]``). ``python -m
accord.adapters.faas.hosts.sandbox --port P -- COMMAND...`` makes such a host
harmless:

1. it listens on ``127.0.0.1:P`` in the kit's network;
2. it moves into new user, network and mount namespaces (Linux ``unshare``, no
   privileges needed), brings up that network's only interface, ``lo``, and
   mounts fresh tmpfs on ``/dev/shm`` and on a scratch directory
   (:func:`scratch_dir`, the command's ``TMPDIR`` and ``RAY_TMPDIR``), so whatever
   the host binds is reachable from nowhere but its own loopback, and whatever it
   writes there vanishes with it, even when it is killed. ``/tmp`` itself stays
   visible: the interpreter or the checkout may live there;
3. it forks a relay that copies bytes, unchanged, between each connection
   accepted on ``127.0.0.1:P`` outside and ``127.0.0.1:P`` inside, and then
   becomes ``COMMAND`` (same pid, so the supervisor's process group and session
   still hold everything).

The relay dies with the command (``PR_SET_PDEATHSIG``) or with its process group.
"""

from __future__ import annotations

import asyncio
import ctypes
import fcntl
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

LOOPBACK = "127.0.0.1"
INSIDE = "ACCORD_SANDBOX_PORT"  # set in the command's environment: the port relayed from outside

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
PR_SET_PDEATHSIG = 1
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1
IFREQ = "16sH14x"

_libc = ctypes.CDLL(None, use_errno=True)


class SandboxError(RuntimeError):
    """The namespaces could not be made (user namespaces disabled, not Linux, …)."""


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise SandboxError(f"{what} failed: {os.strerror(errno)}")


def scratch_dir(port: int) -> Path:
    """The private temp directory of the sandbox relaying ``port`` (an empty directory outside it)."""
    return Path(tempfile.gettempdir()) / f"accord-sandbox-{port}"


def enter(scratch: Path | None = None) -> None:
    """Move this (single-threaded) process into private user, network and mount namespaces."""
    uid, gid = os.getuid(), os.getgid()
    _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS),
           "unshare(user, net, mount) (are user namespaces enabled? sysctl user.max_user_namespaces)")
    # map our own user to root inside, as `unshare --map-root-user` does: needed to configure lo and mount
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"0 {uid} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"0 {gid} 1")
    _check(_libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "making / private")
    for target in [b"/dev/shm", *([os.fsencode(scratch)] if scratch else [])]:
        _check(_libc.mount(b"tmpfs", target, b"tmpfs", 0, b"mode=1777"), f"mounting tmpfs on {target.decode()}")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        flags = struct.unpack(IFREQ, fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack(IFREQ, b"lo", 0)))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack(IFREQ, b"lo", flags | IFF_UP))


def unavailable_reason() -> str | None:
    """Why a sandbox cannot be made on this machine (one line), or None if it can."""
    try:
        done = subprocess.run([sys.executable, "-m", __name__, "--check"], capture_output=True, text=True,
                              timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot test for a private network namespace: {exc}"
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["private network namespace unavailable"])[-1]
    return None


# -- relay -------------------------------------------------------------------------------------


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy until end of stream, then pass the end (half-close) on."""
    while data := await reader.read(1 << 16):
        writer.write(data)
        await writer.drain()
    if writer.can_write_eof():
        writer.write_eof()


async def _connect(outer_reader: asyncio.StreamReader, outer_writer: asyncio.StreamWriter, port: int) -> None:
    try:
        inner_reader, inner_writer = await asyncio.open_connection(LOOPBACK, port)
    except OSError:
        outer_writer.transport.abort()  # the host is not listening (yet): the caller sees a reset
        return
    writers = (outer_writer, inner_writer)
    try:
        async with asyncio.TaskGroup() as both:  # one direction failing cancels the other
            both.create_task(_pump(outer_reader, inner_writer))
            both.create_task(_pump(inner_reader, outer_writer))
    except* (OSError, RuntimeError):  # a reset, or writing to a transport the peer already closed
        for writer in writers:
            writer.transport.abort()
    finally:
        for writer in writers:
            writer.close()


async def _relay(listener: socket.socket, port: int) -> None:
    server = await asyncio.start_server(lambda r, w: _connect(r, w, port), sock=listener, backlog=256)
    await server.serve_forever()


def relay_forever(listener: socket.socket, port: int) -> None:
    """Accept on ``listener`` (outside) and relay each connection to ``127.0.0.1:port`` (inside)."""
    try:
        import uvloop  # Serve's own event loop; optional

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    runner(_relay(listener, port))


# -- command line ------------------------------------------------------------------------------


def run(port: int, argv: Sequence[str]) -> None:
    """Listen on 127.0.0.1:``port``, enter the sandbox, fork the relay, then exec ``argv``."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((LOOPBACK, port))
    listener.listen(256)
    scratch = scratch_dir(port)
    scratch.mkdir(exist_ok=True)
    try:
        enter(scratch)
    except BaseException:
        scratch.rmdir()
        raise
    parent = os.getpid()
    if os.fork() == 0:  # the relay
        try:
            _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
            if os.getppid() != parent:  # the command died before the death signal was armed
                os._exit(0)
            relay_forever(listener, port)
        finally:
            os._exit(0)
    listener.close()
    os.execvpe(argv[0], list(argv), {**os.environ, INSIDE: str(port), "TMPDIR": str(scratch),
                                     "RAY_TMPDIR": str(scratch)})


def main(args: list[str]) -> int:
    if args == ["--check"]:
        try:
            enter()
        except (SandboxError, OSError) as exc:
            print(f"private network namespace unavailable: {exc}", file=sys.stderr)
            return 1
        return 0
    if len(args) < 4 or args[0] != "--port" or args[2] != "--":
        print("usage: python -m accord.adapters.faas.hosts.sandbox --port P -- COMMAND [ARG...]",
              file=sys.stderr)
        return 2
    try:
        run(int(args[1]), args[3:])
    except (SandboxError, OSError, ValueError) as exc:
        print(f"accord sandbox: {exc}", file=sys.stderr)
        return 3
    return 0  # not reached: run() execs


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
