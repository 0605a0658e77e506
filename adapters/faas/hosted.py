"""Shared deploy/undeploy bookkeeping for adapters that run their host as child processes.

A subclass implements :meth:`HostedAdapter.launch`, which starts the host(s)
with :class:`~accord.adapters.faas.hostproc.HostProcess` and says where each
probe is mounted. This class answers the family's ops (spec ``faas.contract:deploy``):

* ``deploy {"probes", "deadline_seconds", "max_body_bytes", "startup_timeout_seconds"?}`` → ``{"base_url", "functions",
  "process_groups", "startup_seconds"}``; a second identical deploy returns the running deployment,
  a different one replaces it;
* ``undeploy {}`` → ``{}``; :meth:`stop` does the same;
* ``bench_http {...}`` → per-batch times of a load run from this worker against its own deployment
  (``accord bench --family faas``, :mod:`accord.adapters.faas.bench_op`).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.adapters.base import Adapter, AdapterUnsupported
from accord.adapters.faas.hostproc import HostProcess, startup_budget
from accord.spec.faas.probes import PROBES

DEFAULT_CONFIG = {"deadline_seconds": 2.0, "max_body_bytes": 1024 * 1024}


@dataclass
class Deployment:
    base_url: str
    functions: dict[str, str]  # probe name → absolute URL of its mount point
    hosts: list[HostProcess] = field(default_factory=list)
    startup_seconds: float = 0.0
    scratch: list[Path] = field(default_factory=list)  # generated service folders, removed on undeploy

    def to_json(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "functions": dict(self.functions),
            "process_groups": [h.process.pid for h in self.hosts if h.process is not None],
            "startup_seconds": round(self.startup_seconds, 3),
        }


def deploy_config(args: Any) -> dict[str, Any]:
    """Validated deploy arguments with defaults filled in (one-line ValueError on bad input)."""
    args = dict(args or {})
    unknown = set(args) - {"probes", "startup_timeout_seconds", *DEFAULT_CONFIG}
    if unknown:
        raise ValueError(f"deploy: unknown argument(s) {sorted(unknown)}")
    probes = args.get("probes") or list(PROBES)
    missing = [p for p in probes if p not in PROBES]
    if missing:
        raise ValueError(f"deploy: unknown probe(s) {missing}")
    config = {**DEFAULT_CONFIG, **{k: v for k, v in args.items() if k != "probes"}}
    config["probes"] = sorted(probes)
    return config


class HostedAdapter(Adapter):
    """Base of the FaaS adapters: one deployment at a time, torn down on ``stop``."""

    _deployment: Deployment | None = None
    _config: dict[str, Any] | None = None

    def launch(self, config: dict[str, Any]) -> Deployment:
        """Start the host(s) serving ``config["probes"]``; must stop what it started if it fails."""
        raise NotImplementedError

    def invoke(self, op: str, args: Any) -> Any:
        if op == "deploy":
            config = deploy_config(args)
            if self._deployment is not None and config == self._config and all(h.alive for h in self._deployment.hosts):
                return self._deployment.to_json()
            self.undeploy()
            began = time.monotonic()
            with startup_budget(config.get("startup_timeout_seconds")):
                deployment = self.launch(config)
            deployment.startup_seconds = time.monotonic() - began
            self._deployment, self._config = deployment, config
            return deployment.to_json()
        if op == "undeploy":
            self.undeploy()
            return {}
        if op == "bench_http":  # accord bench: the load runs here, against this adapter's own deployment
            from accord.adapters.faas.bench_op import bench_http

            return bench_http(self, args)
        raise AdapterUnsupported(op)

    def undeploy(self) -> None:
        deployment, self._deployment, self._config = self._deployment, None, None
        if deployment is not None:
            for host in deployment.hosts:
                host.stop()
            for folder in deployment.scratch:  # nothing of a deployment stays in the temp dir
                shutil.rmtree(folder, ignore_errors=True)

    def stop(self) -> None:
        self.undeploy()
