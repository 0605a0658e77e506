"""A free TCP port on 127.0.0.1 for a process the kit starts (a function host, a Ray node).

Why not simply bind port 0: that gives a port from the kernel's ephemeral range, which any outgoing connection
can be handed as its source port before the process binds it. A readiness poll to a port nobody listens on yet
then connects to itself, or one of Ray's own connections holds it, and the process fails with "address in use".
Below that range only an explicit bind can take a port.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago, drawn below the kernel's ephemeral range."""
    low = ephemeral_low()
    draw = random.SystemRandom()  # the global generator stays the test run's (a seed reproduces its examples)
    for _ in range(100):
        port = draw.randrange(max(1024, low - 16384), low)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((LOOPBACK, port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:  # that band is full: any free port
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def ephemeral_low(path: Path = Path("/proc/sys/net/ipv4/ip_local_port_range")) -> int:
    """The first port of the kernel's ephemeral range (32768, Linux's default, where it cannot be read)."""
    try:
        return max(2048, int(path.read_text().split()[0]))
    except (OSError, ValueError, IndexError):
        return 32768
