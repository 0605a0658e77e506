"""Knative's Python function runtime (``func-python``) as a FaaS backend.

func-python needs the CloudEvents SDK 2.x while functions-framework pins
cloudevents ≤ 1.12, so this adapter runs in its own virtual environment
(``~/.cache/accord/venvs/knative``, made by ``.ci/install-faas-hosts.sh``)
through the worker protocol::

    accord run --family faas --adapter knative --python ~/.cache/accord/venvs/knative/bin/python

Two real func-python processes (hypercorn inside) on 127.0.0.1, as Knative
runs them: ``func_python.http`` for the HTTP probes and
``func_python.cloudevent`` for the event probes, each with a generated
``handle`` that dispatches on the first path segment
(:mod:`accord.adapters.faas.hosts.knative_host`).
"""

from __future__ import annotations

import sys
from typing import Any

from accord.adapters.base import AdapterMeta, ExpectedFailure
from accord.adapters.faas.hosted import Deployment, HostedAdapter
from accord.adapters.faas.hostproc import LOOPBACK, HostProcess, http_ready
from accord.adapters.ports import free_port
from accord.spec.faas.probes import PROBES

VENV_HINT = "~/.cache/accord/venvs/knative/bin/python (made by .ci/install-faas-hosts.sh)"
FUNC_HTTP = "https://github.com/knative-extensions/func-python/blob/main/src/func_python/http.py"
FUNC_CE = "https://github.com/knative-extensions/func-python/blob/main/src/func_python/cloudevent.py"
SDK_EVENT = "https://github.com/cloudevents/sdk-python/blob/main/src/cloudevents/core/v1/event.py"

# Each observed with func-python 0.8.1 / cloudevents 2.2.0 (accord run --family faas --adapter knative).
KNOWN = (
    ExpectedFailure("faas.errors.*", "on an unhandled exception func-python's http runtime sends a str body "
                    "('Error: <exception text>'); hypercorn raises TypeError after the 500 status line, so the "
                    "caller gets a truncated chunked response (IncompleteRead)", FUNC_HTTP),
    ExpectedFailure("faas.deadlines.answered", "func-python has no request deadline: sleep?ms=5500 answers 200 "
                    "after 5.5 s", FUNC_HTTP),
    ExpectedFailure("faas.deadlines.status", "no request deadline, so never 504", FUNC_HTTP),
    ExpectedFailure("faas.limits.status", "func-python/hypercorn set no body-size limit: a 2 MiB body is "
                    "echoed with 200 instead of 413", FUNC_HTTP),
    ExpectedFailure("faas.cloudevents.no-invented-time", "the CloudEvents 2.x SDK sets time=now() when the "
                    "sender gave none", SDK_EVENT),
    ExpectedFailure("faas.cloudevents.required-attributes*", "the CloudEvents 2.x SDK invents a uuid4 id when "
                    "the sender gave none, so an event without ce-id / id is accepted with 200", SDK_EVENT),
    ExpectedFailure("faas.cloudevents.specversion", "specversion 0.3 is accepted (the SDK decodes v0.3 too)",
                    FUNC_CE),
    ExpectedFailure("faas.cloudevents.error-body", "a rejected event gets 400 text/plain 'Bad Request: This "
                    "endpoint expects CloudEvent requests.', not the JSON error body", FUNC_CE),
    ExpectedFailure("faas.cloudevents.batch-*", "a batch-mode request crashes the decoder: 500 \"Internal Server "
                    "Error: 'list' object has no attribute 'get'\" (exception text in the body)", FUNC_CE),
)


class KnativeAdapter(HostedAdapter):
    meta = AdapterMeta(
        name="knative",
        family="faas",
        backend_package="func-python",
        requires=("func_python", "func_python.http", "func_python.cloudevent", "hypercorn"),
        expected_failures=KNOWN,
        description=(
            "Knative func-python runtime (hypercorn ASGI, CloudEvents SDK 2.x), one process per signature; "
            "it has no deadline or body-size setting. Runs in its own venv: --python " + VENV_HINT
        ),
        spec_versions=("1.0", "1.1", "1.2"),  # 1.1 adds coroutine handlers (faas.contract:async-handlers); 1.2 strata and a SHOULD
    )

    def unusable_reason(self) -> str | None:
        reason = super().unusable_reason()
        if reason:
            return f"{reason}; run this adapter with --python {VENV_HINT}"
        return None

    def launch(self, config: dict[str, Any]) -> Deployment:
        hosts: list[HostProcess] = []
        functions: dict[str, str] = {}
        try:
            for signature, kind in (("http", "http"), ("cloudevent", "event")):
                names = [n for n in config["probes"] if PROBES[n].kind == kind]
                if not names:
                    continue
                port = free_port()
                argv = [sys.executable, "-m", "accord.adapters.faas.hosts.knative_host",
                        "--port", str(port), "--signature", signature, "--probes", ",".join(names)]
                hosts.append(HostProcess(argv, ready=http_ready(port, "/health/readiness"),
                                         name=f"knative-{signature}").start())
                functions.update({n: f"http://{LOOPBACK}:{port}/{n}" for n in names})
        except BaseException:
            for host in hosts:
                host.stop()
            raise
        base = next(iter(functions.values())).rsplit("/", 1)[0] if functions else ""
        return Deployment(base, functions, hosts)


adapter = KnativeAdapter()
