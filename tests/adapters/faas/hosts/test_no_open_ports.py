"""Every FaaS host, deployed as the kit deploys it, opens no port beyond loopback and leaves no process.

For each host, during a live deployment: the TCP listening and UDP unbound-peer sockets of every
process of the host (the worker, its descendants, and the sessions the adapter reports, which hold
Ray's actors) are read from /proc. None may be reachable from beyond loopback: each is bound to a
loopback address, or lives in a network namespace whose only interface is ``lo`` (Ray Serve's
sandbox). After undeploy, no process of those sessions may remain.
"""

from __future__ import annotations

import os
import time
from urllib.parse import urlsplit

import pytest
from accord_testing.hostcheck import KNATIVE_PYTHON, request, wait_gone

from accord.adapters.procs import descendants, open_sockets, processes, session_members
from accord.conformance.client import BackendClient

HOSTS = ("reference", "functions-framework", "serverless-offline", "ray-serve", "knative")


def host_tree(client: BackendClient, sessions: list[int]) -> list[int]:
    """The worker, everything under it, and everything in the host sessions the adapter reported."""
    assert client._proc is not None
    worker = client._proc.pid
    return sorted({worker, *descendants(worker), *(pid for sid in sessions for pid in session_members(sid))})


def still_running(pids: list[int], timeout: float) -> list[int]:
    """Those of ``pids`` still alive (not zombies) after waiting up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        live = {p.pid for p in processes() if p.live}
        left = [pid for pid in pids if pid in live]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.parametrize("host", HOSTS)
def test_only_loopback_ports_and_no_process_left(host: str) -> None:
    python = KNATIVE_PYTHON if host == "knative" else None
    if python is not None and not os.path.exists(python):
        pytest.fail(f"{python} is missing: run .ci/install-faas-hosts.sh")
    client = BackendClient(host, family="faas", python=python, timeout=240)
    client.start()
    try:
        deployment = client.invoke("deploy", {"probes": ["echo", "event-echo"], "deadline_seconds": 60.0})
        sessions = deployment["process_groups"]
        echo = deployment["functions"]["echo"]
        assert request(echo, "POST", b"ping")[2] == b"ping"  # the host is live while we look

        tree = host_tree(client, sessions)
        sockets = open_sockets(tree)
        ports = {urlsplit(url).port for url in deployment["functions"].values()}
        listening = {s.port for s in sockets if s.protocol == "tcp" and s.loopback}
        assert ports <= listening, (ports, [str(s) for s in sockets])  # the reader sees the host's sockets
        exposed = [str(s) for s in sockets if s.exposed]
        assert exposed == [], f"{host} opened ports beyond loopback: {exposed}"

        assert client.invoke("undeploy", {}, timeout=120) == {}
        assert wait_gone(sessions, 15) == []
        assert still_running([pid for pid in tree if pid != client._proc.pid], 5) == []  # nobody escaped
    finally:
        client.close()
