"""serverless-offline (npm) as a FaaS backend: AWS Lambda + API Gateway HTTP API, emulated locally.

``serverless offline`` (serverless@3 with serverless-offline@13, installed by
``.ci/install-faas-hosts.sh`` into ``~/.cache/accord/faas-hosts/sls``, or
``$ACCORD_SLS_HOME``) runs Python Lambda handlers with no AWS account. The
adapter generates a service folder: ``serverless.yml`` with one Lambda per probe
behind ``httpApi`` routes (payload format 2.0) and a handler module whose
handlers come from :mod:`accord.adapters.faas.hosts.lambda_shim`. serverless-offline
starts ``python3`` for the handlers; a ``python3`` wrapper first on ``PATH``
makes that this interpreter, where Accord is importable. Lambda has no
CloudEvents support, so event probes go through Accord's own binding
(:mod:`accord.adapters.faas.hosts.events`).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.adapters.base import AdapterMeta, ExpectedFailure
from accord.adapters.faas.hosted import Deployment, HostedAdapter
from accord.adapters.faas.hostproc import HostProcess, http_ready
from accord.adapters.ports import free_port

QUIET_ENV = {
    # no telemetry, update notices, login or onboarding prompts: the host runs offline
    "SLS_TELEMETRY_DISABLED": "1",
    "SLS_NOTIFICATIONS_MODE": "off",
    "SLS_DEPRECATION_DISABLE": "*",
    "SLS_INTERACTIVE_SETUP_DISABLE": "1",
    "SLS_OFFLINE_NO_SPONSOR": "1",
    "CI": "1",
    "AWS_ACCESS_KEY_ID": "accord-offline",
    "AWS_SECRET_ACCESS_KEY": "accord-offline",
    "AWS_REGION": "us-east-1",
}


SLS_SRC = "https://github.com/dherault/serverless-offline/blob/v13.10.1/src"
AWS_V2 = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html"

# Each observed with serverless 3.40.0 + serverless-offline 13.10.1 (accord run --family faas
# --adapter serverless-offline; counterexamples in the report).
KNOWN = (
    ExpectedFailure("faas.errors.status", "a Python handler that raises kills serverless-offline's python runner; "
                    "the request hangs until the Lambda timeout and is answered 200 with a LambdaTimeoutError "
                    "JSON body (node stack trace included)", "https://github.com/dherault/serverless-offline/issues/1823"),
    ExpectedFailure("faas.errors.body", "the unhandled-exception answer is {errorMessage, errorType, stackTrace}, "
                    "not the spec's error body", "https://github.com/dherault/serverless-offline/issues/1823"),
    ExpectedFailure("faas.errors.recovers", "status 200 (after the timeout) instead of 5xx for an unhandled "
                    "exception", "https://github.com/dherault/serverless-offline/issues/1823"),
    ExpectedFailure("faas.deadlines.status", "a handler past its Lambda timeout is answered 200 with a "
                    "LambdaTimeoutError body, not 504", f"{SLS_SRC}/events/http/HttpServer.js"),
    ExpectedFailure("faas.deadlines.answered", "the timeout answer is 200, not a 5xx",
                    f"{SLS_SRC}/events/http/HttpServer.js"),
    ExpectedFailure("faas.handler.round-trip", "a request body is base64-encoded for the Lambda event only for a "
                    "short list of binary content types; any other non-UTF-8 body is decoded as UTF-8 "
                    "(bytes become U+FFFD): POST 0x80 echoes EF BF BD", f"{SLS_SRC}/utils/index.js"),
    ExpectedFailure("faas.async-handlers.http", "as faas.handler.round-trip: a non-UTF-8 body without a binary "
                    "Content-Type is decoded as UTF-8 (bytes become U+FFFD): POST 0x80 to echo-async echoes "
                    "EF BF BD", f"{SLS_SRC}/utils/index.js"),
    ExpectedFailure("faas.limits.accepted", "a 1 MiB binary body without a binary Content-Type is UTF-8-decoded "
                    "(2076160 bytes arrive instead of 1048576)", f"{SLS_SRC}/utils/index.js"),
    ExpectedFailure("faas.limits.status", "no request body limit: a 2 MiB body is accepted with 200, not 413",
                    f"{SLS_SRC}/events/http/HttpServer.js"),
    ExpectedFailure("faas.http-request.header-*", "repeated request header lines reach the handler as the last "
                    "value only (API Gateway joins them with commas)",
                    "https://github.com/dherault/serverless-offline/issues/510"),
    ExpectedFailure("faas.http-response.header-lines", "payload format 2.0 responses have single-valued headers: "
                    "repeated response headers are sent as one comma-joined line, as on API Gateway", AWS_V2),
    ExpectedFailure("faas.http-response.no-invented-content-type", "serverless-offline adds Content-Type "
                    "application/json; charset=utf-8 when the function sets none", f"{SLS_SRC}/events/http/HttpServer.js"),
    ExpectedFailure("faas.returns.none-content-type", "a 204 answer gets Content-Type application/json; "
                    "charset=utf-8 the function did not set", f"{SLS_SRC}/events/http/HttpServer.js"),
    ExpectedFailure("faas.returns.json", "Content-Type application/json becomes 'application/json;charset=utf-8'",
                    f"{SLS_SRC}/events/http/HttpServer.js"),
)


def sls_home() -> Path:
    """The npm project folder holding ``node_modules/serverless`` and ``node_modules/serverless-offline``."""
    return Path(os.environ.get("ACCORD_SLS_HOME", "~/.cache/accord/faas-hosts/sls")).expanduser()


def npm_version(package: str) -> str | None:
    """Version of an npm package installed in :func:`sls_home`, or None."""
    try:
        manifest = json.loads((sls_home() / "node_modules" / package / "package.json").read_text())
    except (OSError, ValueError):
        return None
    version = manifest.get("version")
    return str(version) if version else None


@dataclass(frozen=True)
class NpmAdapterMeta(AdapterMeta):
    """Adapter metadata whose backend version comes from an npm package, not a Python distribution."""

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        data["backend"] = {"package": self.backend_package, "version": npm_version(self.backend_package),
                           "registry": "npm", "components": {"serverless": npm_version("serverless")}}
        return data


def function_key(probe: str) -> str:
    """A Lambda function key / Python identifier for a probe name (``event-echo`` → ``fn_event_echo``)."""
    return "fn_" + probe.replace("-", "_")


def service_yaml(probes: list[str], timeout_seconds: int) -> str:
    """The generated ``serverless.yml`` (JSON is valid YAML, so no YAML writer is needed)."""
    functions = {
        function_key(name): {
            "handler": f"accord_handlers.{function_key(name)}",
            "timeout": timeout_seconds,
            "events": [
                {"httpApi": {"method": "*", "path": f"/{name}"}},
                {"httpApi": {"method": "*", "path": f"/{name}/{{proxy+}}"}},
            ],
        }
        for name in probes
    }
    service = {
        "service": "accord-probes",
        "frameworkVersion": "3",
        "provider": {"name": "aws", "runtime": "python3.11", "stage": "dev", "region": "us-east-1"},
        "plugins": ["serverless-offline"],
        "functions": functions,
    }
    return json.dumps(service, indent=2) + "\n"


def handler_module(probes: list[str]) -> str:
    lines = [
        '"""Generated by Accord: the probes as Lambda handlers (API Gateway HTTP API, payload 2.0)."""',
        "from accord.adapters.faas.hosts.lambda_shim import make_handler",
        "",
    ]
    lines += [f"{function_key(name)} = make_handler({name!r})" for name in probes]
    return "\n".join(lines) + "\n"


class ServerlessOfflineAdapter(HostedAdapter):
    meta = NpmAdapterMeta(
        name="serverless-offline",
        family="faas",
        backend_package="serverless-offline",
        description=(
            "serverless@3 + serverless-offline@13 (Node) emulating AWS Lambda behind an API Gateway HTTP API "
            "(payload 2.0), Python handlers run by its python runner; the function deadline is the Lambda "
            "`timeout` (whole seconds). Event probes use Accord's CloudEvents binding: Lambda has none. "
            "Known host behaviour: after one Lambda timeout the function's python runner is orphaned and the "
            "function answers the next request with the previous one's result, then times out for good."
        ),
        expected_failures=KNOWN,
        spec_versions=("1.0", "1.1", "1.2"),  # 1.1 adds coroutine handlers (faas.contract:async-handlers); 1.2 strata and a SHOULD
    )

    def unusable_reason(self) -> str | None:
        if shutil.which("node") is None:
            return "node is not on PATH (serverless-offline is a Node program)"
        for package in ("serverless", "serverless-offline"):
            if npm_version(package) is None:
                return (f"npm package {package!r} is not installed in {sls_home()} "
                        "(run .ci/install-faas-hosts.sh)")
        return None

    def launch(self, config: dict[str, Any]) -> Deployment:
        reason = self.unusable_reason()
        if reason:
            raise RuntimeError(reason)
        probes = list(config["probes"])
        host, base = start_service(probes, max(1, math.ceil(config["deadline_seconds"])), handler_module(probes))
        return Deployment(base, {name: f"{base}/{name}" for name in probes}, [host], scratch=[Path(host.cwd)])


def start_service(probes: list[str], timeout_seconds: int, handlers_source: str) -> tuple[HostProcess, str]:
    """Generate a service folder and run ``serverless offline`` on it; (host, base URL).

    ``handlers_source`` is the ``accord_handlers`` module defining ``fn_<probe>`` for every probe
    (the benchmark passes natively written handlers through here too).
    """
    service = Path(tempfile.mkdtemp(prefix="accord-sls-"))
    (service / "node_modules").symlink_to(sls_home() / "node_modules", target_is_directory=True)
    (service / "serverless.yml").write_text(service_yaml(probes, timeout_seconds))
    (service / "accord_handlers.py").write_text(handlers_source)
    # serverless-offline spawns `python3` (the runtime name up to the dot) through a shell
    bindir = service / ".accord-bin"
    bindir.mkdir()
    wrapper = bindir / "python3"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, **QUIET_ENV, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("VIRTUAL_ENV", None)  # serverless-offline would put that venv's bin first on PATH
    http_port, lambda_port = free_port(), free_port()
    argv = [
        shutil.which("node") or "node",
        str(sls_home() / "node_modules" / "serverless" / "bin" / "serverless.js"),
        "offline", "start", "--host", "127.0.0.1",
        "--httpPort", str(http_port), "--lambdaPort", str(lambda_port),
        "--noPrependStageInUrl",
    ]
    try:
        host = HostProcess(
            argv, ready=http_ready(http_port, "/__accord_ready__"), name="serverless-offline",
            cwd=service, env=env, startup_timeout=120, scratch=[service],  # removed with the host, however it ends
        ).start()
    except BaseException:
        shutil.rmtree(service, ignore_errors=True)
        raise
    return host, f"http://127.0.0.1:{http_port}"


adapter = ServerlessOfflineAdapter()
