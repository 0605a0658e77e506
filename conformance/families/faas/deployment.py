"""Once per worker: deploy the probes on the backend, start the reference host, time the first request.

The deploy arguments come from the spec (``faas.contract:limits`` and
``faas.contract:deadlines``), so the backend and the in-process reference
host run under the same limits. The result lives in ``ctx.state["faas"]``; a
failed deployment is remembered as a one-line message that every FaaS check
reports, instead of crashing the run.
"""

from __future__ import annotations

import atexit
import time
from typing import Any
from urllib.parse import urlsplit

from accord.adapters.procs import group_members, open_sockets
from accord.conformance.check import Context
from accord.conformance.client import BackendFailure, BackendRaised, BackendUnsupported
from accord.conformance.families.faas.wire import HttpRequest, send
from accord.reference.faas import ReferenceHost
from accord.spec.model import Spec

DEPLOY_TIMEOUT = 240.0
_REFERENCE_HOSTS: dict[tuple[float, int], ReferenceHost] = {}


class DeploymentFailed(RuntimeError):
    """The backend could not deploy the probes; every FaaS check reports this message."""


def deploy_args(spec: Spec) -> dict[str, Any]:
    return {
        "probes": sorted(d.name for d in spec.documents_of("faas.probe")),
        "deadline_seconds": float(spec.document("faas.contract", "deadlines").data["limits"]["deadline_seconds"]),
        "max_body_bytes": int(spec.document("faas.contract", "limits").data["limits"]["max_body_bytes"]),
    }


def reference_host(deadline_seconds: float, max_body_bytes: int) -> ReferenceHost:
    """The in-process reference host for these limits (started once, stopped when the kit exits)."""
    key = (deadline_seconds, max_body_bytes)
    if key not in _REFERENCE_HOSTS:
        _REFERENCE_HOSTS[key] = ReferenceHost(deadline_seconds=deadline_seconds, max_body_bytes=max_body_bytes).start()
    return _REFERENCE_HOSTS[key]


@atexit.register
def _stop_reference_hosts() -> None:
    for host in _REFERENCE_HOSTS.values():
        host.stop()
    _REFERENCE_HOSTS.clear()


def _validated(result: Any, probes: list[str]) -> dict[str, str]:
    if not isinstance(result, dict) or not isinstance(result.get("functions"), dict):
        raise DeploymentFailed(f"deploy returned {str(result)[:200]!r}, not {{'base_url', 'functions'}}")
    base = str(result.get("base_url", ""))
    functions = {}
    for name, url in result["functions"].items():
        absolute = url if "://" in str(url) else base.rstrip("/") + "/" + str(url).lstrip("/")
        if urlsplit(absolute).hostname != "127.0.0.1":
            raise DeploymentFailed(f"deploy put function {name!r} at {absolute!r}, outside 127.0.0.1")
        functions[name] = absolute
    return functions


def exposed_listeners(result: dict[str, Any]) -> list[str]:
    """The sockets of the deployment's process groups that listen beyond loopback, read from /proc after
    deploy: whatever URL an adapter hands out, a host bound to 0.0.0.0 is reachable from the network."""
    groups = [g for g in result.get("process_groups") or () if isinstance(g, int) and g > 0]
    pids = [pid for group in groups for pid in group_members(group)]
    return [str(s) for s in open_sockets(pids) if s.exposed]


def prepare(ctx: Context) -> None:
    """Deploy the probes and send the first (cold-start) request; never raises for a backend's failure.

    Each host gets the run's ``--timeout`` to become ready; every failure names the adapter."""
    args = {**deploy_args(ctx.spec), "startup_timeout_seconds": ctx.settings.timeout}
    ref = reference_host(args["deadline_seconds"], args["max_body_bytes"])
    adapter = f"adapter {ctx.adapter.get('name') or ctx.backend.adapter!r}"
    began = time.monotonic()
    try:
        result = ctx.backend.invoke("deploy", args, timeout=max(DEPLOY_TIMEOUT, 2 * ctx.settings.timeout))
        functions = _validated(result, args["probes"])
        exposed = exposed_listeners(result)
        if exposed:
            raise DeploymentFailed(f"the host listens beyond loopback, reachable from the network: "
                                   f"{', '.join(exposed)}")
    except (BackendRaised, BackendUnsupported, DeploymentFailed) as exc:
        ctx.state["faas_error"] = f"{adapter}: deploying the probes failed: {exc}"
        _undeploy_quietly(ctx)
        return
    except BackendFailure as exc:  # the worker hung or died while deploying
        ctx.state["faas_error"] = f"{adapter}: deploying the probes failed: {type(exc).__name__}: {exc}"
        return
    deploy_seconds = time.monotonic() - began
    first_request = HttpRequest("text")
    first = send(functions.get("text", ""), first_request, ctx.settings.timeout) if "text" in functions else None
    ctx.state["faas"] = {
        "functions": functions,
        "reference": ref.functions(),
        "deploy_seconds": deploy_seconds,
        "first_request": first_request,
        "first_response": first,
        "deploy_result": result,
    }


def _undeploy_quietly(ctx: Context) -> None:
    """A refused deployment is not left running (an exposed host stays reachable while it runs)."""
    try:
        ctx.backend.invoke("undeploy", {}, timeout=DEPLOY_TIMEOUT)
    except (BackendRaised, BackendUnsupported, BackendFailure):
        pass


def require(ctx: Context) -> dict[str, Any]:
    """The deployment, deploying now if the runner did not call prepare; raises when it failed."""
    if "faas" not in ctx.state and "faas_error" not in ctx.state:
        prepare(ctx)
    if "faas_error" in ctx.state:
        raise DeploymentFailed(ctx.state["faas_error"])
    return ctx.state["faas"]


def url(ctx: Context, function: str) -> str:
    functions = require(ctx)["functions"]
    if function not in functions:
        raise DeploymentFailed(f"the backend deployed no function {function!r}")
    return functions[function]


def reference_url(ctx: Context, function: str) -> str:
    return require(ctx)["reference"][function]


def redeploy_after_failure(ctx: Context) -> None:
    """Undeploy after a failed requirement; the next requirement deploys afresh (see ``require``).

    A host that failed may be poisoned for later requests — serverless-offline answers
    the next request to a timed-out function with the previous request's answer — and
    each requirement should report its own behaviour, not the aftermath of another's.
    """
    if "faas" in ctx.state:
        ctx.state.pop("faas")
        ctx.backend.invoke("undeploy", {}, timeout=DEPLOY_TIMEOUT)
