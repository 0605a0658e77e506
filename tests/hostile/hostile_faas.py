"""Deliberately hostile FaaS hosts: the reference host, except that it never starts, never gets ready,
dies in the middle of a run, listens on every interface, or leaves a detached child behind (the one
never ready and the one dying start such a helper daemon too).

``hostile_faas:<name>`` (this folder on PYTHONPATH) is a hosted adapter deploying
``python hostile_faas.py BEHAVIOUR PORT DEADLINE MAX_BODY`` under the usual supervisor
(:class:`~accord.adapters.faas.hostproc.HostProcess`), as every real host is deployed.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

from accord.adapters.base import AdapterMeta
from accord.adapters.faas.hosted import Deployment, HostedAdapter
from accord.adapters.faas.hostproc import HostProcess, http_ready
from accord.adapters.ports import free_port

DIES_AFTER = 3  # requests a dying host answers before it dies (the kit's first request is one)


class HostileHost(HostedAdapter):
    def __init__(self, behaviour: str) -> None:
        super().__init__()
        self.behaviour = behaviour
        self.meta = AdapterMeta(name=f"hostile-{behaviour}", family="faas", backend_package="accord",
                                spec_versions=("1.0", "1.1", "1.2"), description=f"a host that {behaviour}")

    def launch(self, config: dict[str, Any]) -> Deployment:
        port = free_port()
        host = HostProcess(
            [sys.executable, __file__, self.behaviour, str(port), str(config["deadline_seconds"]),
             str(config["max_body_bytes"])],
            ready=http_ready(port), name=f"hostile-{self.behaviour}",
        ).start()
        base = f"http://127.0.0.1:{port}"
        return Deployment(base, {n: f"{base}/{n}" for n in config["probes"]}, [host])


never_starts = HostileHost("never-starts")
never_ready = HostileHost("never-ready")
dies_mid_run = HostileHost("dies-mid-run")
binds_all = HostileHost("binds-all")
leaks_detached = HostileHost("leaks-detached")


def _serve(behaviour: str, port: int, deadline: float, max_body: int) -> None:
    from behaviours import leak_detached

    from accord.reference.faas.host import ReferenceHost

    if behaviour == "never-starts":
        sys.exit("hostile host: cannot open the function's module")
    if behaviour in ("never-ready", "leaks-detached", "dies-mid-run"):
        leak_detached()  # a helper daemon of the host's own, in a session of its own
    if behaviour == "never-ready":  # alive, listening nowhere, forever
        threading.Event().wait()
    host = ReferenceHost(deadline_seconds=deadline, max_body_bytes=max_body, port=port)
    if behaviour == "binds-all":  # every interface: the loopback URL still answers, the network does too
        host.server.server_close()
        host.server = type(host.server)(("0.0.0.0", port), host._handler_class())  # noqa: S104 — on purpose
    if behaviour == "dies-mid-run":
        answered = [0]
        answer = host.answer

        def answer_then_die(*args: Any) -> Any:
            answered[0] += 1
            if answered[0] > DIES_AFTER:
                os._exit(3)
            return answer(*args)

        host.answer = answer_then_die  # type: ignore[method-assign]
    host.serve_forever()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    _serve(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))
