"""The sandbox Ray Serve runs in: a host bound to every interface inside is reachable only through the
relay on the kit's 127.0.0.1, which passes bytes through unchanged; its /tmp is its own; nothing outlives it."""

from __future__ import annotations

import shutil
import socket
import struct
import subprocess
import sys
import uuid

import pytest
from accord_testing.hostcheck import wait_gone

from accord.adapters.faas.hostproc import HostProcess
from accord.adapters.faas.hosts import sandbox
from accord.adapters.ports import free_port
from accord.adapters.procs import open_sockets, session_members

MARK = f"accord-sandbox-mark-{uuid.uuid4().hex}"
# Echo every connection's bytes back until the client half-closes, then close; write a file in its TMPDIR.
ECHO_HOST = """
import os, socket, sys, threading
open(os.path.join(os.environ["TMPDIR"], sys.argv[2]), "w").write("inside")
server = socket.create_server(("0.0.0.0", int(sys.argv[1])))
def serve(conn):
    with conn:
        while data := conn.recv(65536):
            conn.sendall(data)
while True:
    threading.Thread(target=serve, args=(server.accept()[0],)).start()
"""


def outward_address() -> str | None:
    """This machine's address on a non-loopback interface, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def can_connect(address: str, port: int) -> bool:
    try:
        socket.create_connection((address, port), timeout=2).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def echo_host():
    reason = sandbox.unavailable_reason()
    if reason:
        pytest.fail(reason)  # the Ray Serve adapter cannot run either
    port = free_port()
    host = HostProcess([sys.executable, "-m", sandbox.__name__, "--port", str(port), "--",
                        sys.executable, "-c", ECHO_HOST, str(port), str(MARK)],
                       ready=lambda: echoes(port), name="sandbox-test", scratch=[sandbox.scratch_dir(port)]).start()
    try:
        yield host, port
    finally:
        host.stop()


def echoes(port: int) -> bool:
    """Ready once the host answers through the relay (the relay listens before the host does)."""
    try:
        return roundtrip(port, b"ready") == b"ready"
    except OSError:
        return False


def roundtrip(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(payload)
        conn.shutdown(socket.SHUT_WR)  # the half-close must reach the host through the relay
        chunks = []
        while data := conn.recv(65536):
            chunks.append(data)
    return b"".join(chunks)


def test_relay_is_byte_exact(echo_host):
    _, port = echo_host
    assert roundtrip(port, b"") == b""
    payload = bytes(range(256)) * 8192  # 2 MiB, every byte value
    assert roundtrip(port, payload) == payload


def test_relay_outlives_a_reset_connection(echo_host):
    _, port = echo_host
    conn = socket.create_connection(("127.0.0.1", port), timeout=10)
    conn.sendall(b"partial")
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()  # linger 0: a reset, not an orderly end
    assert roundtrip(port, b"after") == b"after"


def test_host_bound_to_all_interfaces_is_reachable_only_through_loopback(echo_host):
    host, port = echo_host
    sockets = open_sockets(session_members(host.process.pid))
    inside = [s for s in sockets if s.interfaces == ("lo",)]
    outside = [s for s in sockets if s.interfaces != ("lo",)]
    assert [(str(s.address), s.port) for s in inside] == [("0.0.0.0", port)], [str(s) for s in sockets]
    assert [(str(s.address), s.port) for s in outside] == [("127.0.0.1", port)], [str(s) for s in sockets]
    assert not any(s.exposed for s in sockets)
    address = outward_address()
    if address is not None:
        assert not can_connect(address, port)


def test_tmp_is_private(echo_host):
    _, port = echo_host
    assert roundtrip(port, b"x") == b"x"  # the host has written its mark by now
    scratch = sandbox.scratch_dir(port)
    assert scratch.is_dir() and not (scratch / MARK).exists()


def test_nothing_outlives_the_host(echo_host):  # last: it stops the module's host
    host, port = echo_host
    host.stop()
    assert wait_gone([host.process.pid], 5) == []
    assert not can_connect("127.0.0.1", port)
    assert not sandbox.scratch_dir(port).exists()  # the emptied mount point went with the host


def test_refused_in_one_line_without_user_namespaces():
    """Where user namespaces are off, the sandbox (and so the Ray Serve adapter) says why and exits non-zero."""
    if shutil.which("unshare") is None:
        pytest.skip("needs util-linux unshare to switch user namespaces off in a throwaway one")
    script = (f"echo 0 > /proc/sys/user/max_user_namespaces && exec {sys.executable} -m {sandbox.__name__} "
              f"--port {free_port()} -- true")
    done = subprocess.run(["unshare", "--map-root-user", "sh", "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 3, done
    assert done.stderr.count("\n") == 1 and "user namespaces" in done.stderr, done.stderr
