"""The reference host as an adapter: the baseline every other FaaS backend is compared with.

It runs ``python -m accord.reference.faas`` as a supervised child process, the
same way the real hosts run, so the suite's HTTP path is identical for all.
"""

from __future__ import annotations

import sys
from typing import Any

from accord.adapters.base import AdapterMeta
from accord.adapters.faas.hosted import Deployment, HostedAdapter
from accord.adapters.faas.hostproc import HostProcess, http_ready
from accord.adapters.ports import free_port


class ReferenceAdapter(HostedAdapter):
    meta = AdapterMeta(
        name="reference",
        family="faas",
        backend_package="accord",
        is_reference=True,
        description="Accord's reference function host (standard-library HTTP server, the contract taken literally).",
        spec_versions=("1.0", "1.1", "1.2"),  # 1.1 adds coroutine handlers (faas.contract:async-handlers); 1.2 strata and a SHOULD
    )

    #: the module ``python -m`` runs as the host, and the host's process name
    host_module: str = "accord.reference.faas"
    host_name: str = "faas-reference"

    def host_command(self, port: int, config: dict[str, Any]) -> list[str]:
        return [sys.executable, "-m", self.host_module, "--port", str(port),
                "--deadline", str(config["deadline_seconds"]), "--max-body", str(config["max_body_bytes"])]

    def launch(self, config: dict[str, Any]) -> Deployment:
        port = free_port()
        host = HostProcess(self.host_command(port, config), ready=http_ready(port), name=self.host_name).start()
        base = f"http://127.0.0.1:{port}"
        return Deployment(base, {name: f"{base}/{name}" for name in config["probes"]}, [host])


adapter = ReferenceAdapter()
