"""An adapter deploying :mod:`broken_host`, with the breakage named by ``ACCORD_FAAS_BREAK``.

Used by test_broken_hosts.py as ``broken_adapter:adapter`` (with this folder on PYTHONPATH).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from accord.adapters.base import AdapterMeta
from accord.adapters.faas.hosted import Deployment, HostedAdapter
from accord.adapters.faas.hostproc import HostProcess, http_ready
from accord.adapters.ports import free_port


class BrokenAdapter(HostedAdapter):
    meta = AdapterMeta(name="broken-reference", family="faas", backend_package="accord",
                       description="the reference host with one behaviour broken on purpose")

    def launch(self, config: dict[str, Any]) -> Deployment:
        port = free_port()
        script = Path(__file__).with_name("broken_host.py")
        breakage = os.environ["ACCORD_FAAS_BREAK"]
        host = HostProcess(
            [sys.executable, str(script), breakage, str(port), str(config["deadline_seconds"]), str(config["max_body_bytes"])],
            ready=http_ready(port), name=f"broken-{breakage}",
        ).start()
        base = f"http://127.0.0.1:{port}"
        names = [n for n in config["probes"] if not (breakage == "probe-missing" and n == "inspect")]
        return Deployment(base, {n: f"{base}/{n}" for n in names}, [host])


adapter = BrokenAdapter()
