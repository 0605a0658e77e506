"""Ray Serve as a FaaS backend: the probes as a Serve application on a private local Ray instance.

The host runs in its own supervised process (:mod:`accord.adapters.faas.hosts.ray_host`):
``ray.init(address="local")`` without the dashboard, Serve's HTTP proxy on
127.0.0.1, one ingress deployment translating Starlette requests to the portable
contract. Ray starts once per deployment (seconds, not milliseconds). Ray
Serve has no CloudEvents support, so event probes use Accord's binding
(:mod:`accord.adapters.faas.hosts.events`).

Loopback only. ``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0`` (Ray's single-machine
mode, its default on macOS and Windows) makes the node address 127.0.0.1, and
Ray then binds the GCS, raylet, object manager, agents and core workers to
loopback; ``_node_ip_address`` alone does not (``ray.init`` swaps 127.0.0.1 for
the machine's outward address). One server ignores every setting: each Serve
replica's inter-deployment gRPC server binds ``[::]:0`` (``serve/_private/replica.py``,
Ray 2.60). So the whole host runs in a sandbox
(:mod:`accord.adapters.faas.hosts.sandbox`): private user, network and mount
namespaces whose only interface is ``lo``, with Serve's HTTP port relayed byte
for byte to the kit's 127.0.0.1 and fresh tmpfs on ``/dev/shm`` and on the
``RAY_TMPDIR`` scratch directory (Ray's session files vanish with the host). Machines without user namespaces
cannot run this adapter (``unusable_reason`` says so).

:meth:`stop` shuts Serve and Ray down and then kills whatever is left of the
process group and session (Ray's actors lead process groups of their own).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from accord.adapters.base import AdapterMeta, ExpectedFailure
from accord.adapters.faas.hosted import Deployment, HostedAdapter
from accord.adapters.faas.hostproc import LOOPBACK, HostProcess
from accord.adapters.faas.hosts import sandbox
from accord.adapters.faas.hosts.ray_host import APP_NAME, RAY_ENVIRONMENT
from accord.adapters.ports import free_port
from accord.adapters.procs import session_members

SERVE_TIMEOUT_DOC = "https://docs.ray.io/en/latest/serve/advanced-guides/performance.html"
SERVE_PROXY = "https://github.com/ray-project/ray/blob/master/python/ray/serve/_private/proxy.py"

# Each observed with ray 2.60.0 (accord run --family faas --adapter ray-serve).
KNOWN = (
    ExpectedFailure("faas.deadlines.answered", "Serve answers its request_timeout_s with 408 Request Timeout "
                    "(text/plain 'Request <id> timed out after 2.0s.'), a 4xx, not a 5xx", SERVE_TIMEOUT_DOC),
    ExpectedFailure("faas.deadlines.status", "408 instead of 504 when request_timeout_s passes", SERVE_TIMEOUT_DOC),
    ExpectedFailure("faas.errors.body", "an unhandled exception gives 500 with the plain text 'Internal Server "
                    "Error' and no Content-Type, not the JSON error body", SERVE_PROXY),
    ExpectedFailure("faas.limits.status", "Serve's HTTP proxy has no body-size limit: a 2 MiB body is echoed "
                    "with 200 instead of 413", SERVE_PROXY),
)


def serve_routes_ready(port: int) -> Callable[[], bool]:
    """Ready once Serve's proxy lists the Accord application under ``/-/routes``."""

    def probe() -> bool:
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=2)
        try:
            conn.request("GET", "/-/routes")
            response = conn.getresponse()
            body = response.read()
            return response.status == 200 and APP_NAME in json.loads(body or b"{}").values()
        except (OSError, ValueError):
            return False
        finally:
            conn.close()

    return probe


class RayServeAdapter(HostedAdapter):
    meta = AdapterMeta(
        name="ray-serve",
        family="faas",
        backend_package="ray",
        requires=("ray", "ray.serve", "starlette"),
        expected_failures=KNOWN,
        description=(
            "Ray Serve HTTP proxy on a private local Ray instance (node 127.0.0.1, no dashboard) in a network "
            "namespace of its own, its HTTP port relayed to 127.0.0.1; one ingress deployment serves every "
            "probe; the function deadline is Serve's request_timeout_s. Event probes use Accord's CloudEvents "
            "binding: Serve has none."
        ),
        spec_versions=("1.0", "1.1", "1.2"),  # 1.1 adds coroutine handlers (faas.contract:async-handlers); 1.2 strata and a SHOULD
    )

    def unusable_reason(self) -> str | None:
        return super().unusable_reason() or sandbox.unavailable_reason()

    def launch(self, config: dict[str, Any]) -> Deployment:
        port = free_port()
        argv = [
            sys.executable, "-m", sandbox.__name__, "--port", str(port), "--",
            sys.executable, "-m", "accord.adapters.faas.hosts.ray_host", "--port", str(port),
            "--probes", ",".join(config["probes"]), "--deadline", str(config["deadline_seconds"]),
        ]
        env = {**os.environ, **RAY_ENVIRONMENT, "RAY_DISABLE_DOCKER_CPU_WARNING": "1"}
        # the sandbox's mount point outside is removed with the host, however it ends (a failed start included)
        host = HostProcess(argv, ready=serve_routes_ready(port), name="ray-serve", env=env,
                           startup_timeout=180, scratch=[sandbox.scratch_dir(port)]).start()
        base = f"http://{LOOPBACK}:{port}"
        return Deployment(base, {name: f"{base}/{name}" for name in config["probes"]}, [host])

    def undeploy(self) -> None:
        """Stop the host, then make sure no Ray process outlives it.

        Ray puts its worker actors (Serve controller, proxy, replicas) in process
        groups of their own, inside the host's session; they exit once the raylet
        is gone. Wait for that, and kill any that do not.
        """
        sessions = [h.process.pid for h in (self._deployment.hosts if self._deployment else []) if h.process]
        super().undeploy()  # the host's stop also removes the emptied mount point the sandbox left outside
        for sid in sessions:
            reap_session(sid)


def reap_session(sid: int, grace: float = 10.0) -> None:
    """Wait up to ``grace`` seconds for a session to empty, then SIGKILL what is left."""
    deadline = time.monotonic() + grace
    pause = 0.05
    while session_members(sid) and time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 1.5, 0.5)
    for pid in session_members(sid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


adapter = RayServeAdapter()
