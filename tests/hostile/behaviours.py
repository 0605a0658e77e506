"""What a hostile backend does inside one call, whatever its family: hang, die, flood, leak children.

The tensor, pipeline and FaaS hostile adapters share these acts, so each misbehaviour is written
once. An act either never returns (a hang, a death) or returns for the adapter to answer normally
afterwards (a leaked child, a flood of the log). Every process an act starts records its pid in
the folder ``$ACCORD_HOSTILE_PIDS`` names: the one trace of a child that replaced its environment,
so the test can tell whether any is left after the run (:mod:`leftovers`).
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

PIDS_VAR = "ACCORD_HOSTILE_PIDS"
SLEEPER = [shutil.which("sleep") or "/bin/sleep", "300"]  # a leaked child: alive long after any run
FLOOD_BYTES = 48 * 1024 * 1024  # three times the protocol's line limit


def record(pid: int) -> None:
    """Note a started process as ``<pid>`` holding its start time (a reused pid is not it)."""
    folder = os.environ.get(PIDS_VAR)
    if not folder:
        return
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return  # gone already: nothing to leave behind
    Path(folder, str(pid)).write_text(stat[stat.rindex(")") + 2 :].split()[19])


# -- deaths and hangs ----------------------------------------------------------------------------

def hang() -> None:
    time.sleep(3600)


def segfault() -> None:
    ctypes.string_at(0)  # a real SIGSEGV in native code


def exit_hard() -> None:
    os._exit(3)


def oom_kill() -> None:
    """What the kernel's OOM killer does: SIGKILL, no goodbye."""
    os.kill(os.getpid(), signal.SIGKILL)


# -- floods --------------------------------------------------------------------------------------

def _protocol_stream() -> int:
    """The worker's private copy of its stdout (the protocol): the one pipe open for writing, as a
    native library that kept the original fd 1 would find it."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if (fd > 2 and os.readlink(f"/proc/self/fd/{name}").startswith("pipe:")
                    and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY):
                return fd
        except OSError:
            continue
    raise RuntimeError("no protocol stream found")


def flood_protocol() -> None:
    """48 MiB of garbage without a newline on the protocol stream; the answer that follows ends the line."""
    fd, chunk = _protocol_stream(), b"x" * (1 << 20)
    for _ in range(FLOOD_BYTES // len(chunk)):
        os.write(fd, chunk)


def flood_stale_answers() -> None:
    """Well-formed answers to a request long past, as fast as the pipe takes them, until killed."""
    fd, chunk = _protocol_stream(), b'{"id": 0, "result": null}\n' * 4096
    while True:
        os.write(fd, chunk)


def flood_stderr() -> None:
    """48 MiB on stderr (the worker's log), then death: the crash note quotes only the log's end."""
    chunk = b"engine noise " * 80 + b"\n"
    for _ in range(FLOOD_BYTES // len(chunk)):
        os.write(2, chunk)
    os.write(2, b"the last words\n")
    os._exit(3)


# -- leaked children -----------------------------------------------------------------------------

def leak_child() -> None:
    """A child in the worker's own process group, left running."""
    record(subprocess.Popen(SLEEPER, stdin=subprocess.DEVNULL).pid)


def leak_detached(scrub: bool = False) -> None:
    """A daemon: double fork and setsid, so neither the process group nor the parent links hold it
    (it is re-parented to init, or to a subreaper). ``scrub``: it also replaces its whole environment."""
    read, write = os.pipe()
    first = os.fork()
    if first == 0:  # the first child: a new session, then the daemon, then gone
        try:
            os.close(read)
            os.setsid()
            daemon = os.fork()
            if daemon == 0:
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                os.execve(SLEEPER[0], SLEEPER, {} if scrub else dict(os.environ))
            os.write(write, str(daemon).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        daemon_pid = int(pipe.read() or 0)
    os.waitpid(first, 0)
    if daemon_pid:
        record(daemon_pid)


def leak_scrubbed() -> None:
    leak_detached(scrub=True)


def fork_and_die() -> None:
    """A forked copy of the worker that keeps every descriptor (the protocol's stdout too) and lives on,
    while the worker itself dies: no end of output tells the kit."""
    child = os.fork()
    if child == 0:
        time.sleep(300)
        os._exit(0)
    record(child)
    os._exit(3)


def detach_and_hang() -> None:
    leak_detached()
    hang()


def detach_and_die() -> None:
    leak_detached()
    os._exit(3)


ACTS = {
    "hangs": hang, "segfaults": segfault, "exits": exit_hard, "oom": oom_kill,
    "floods_stdout": flood_protocol, "floods_stale_answers": flood_stale_answers, "floods_stderr": flood_stderr,
    "leaks_child": leak_child, "leaks_detached": leak_detached, "leaks_scrubbed": leak_scrubbed,
    "forks_and_dies": fork_and_die, "detaches_and_hangs": detach_and_hang, "detaches_and_dies": detach_and_die,
}
"""Every act by the name its adapter has in each family module."""
