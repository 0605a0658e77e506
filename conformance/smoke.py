"""``accord smoke``: the onboarding check a new adapter runs in seconds.

It answers, in order and stopping at the first broken step: does the adapter
load, is its metadata valid, does it satisfy its family's protocol, does a worker
start it, and does one quick requirement per capability group pass.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from rich.console import Console

from accord.adapters.base import PROTOCOLS
from accord.adapters.registry import AdapterNotFound, resolve
from accord.spec import SPEC_ROOT, Requirement, Spec

from .check import Context, RunSettings
from .client import BackendClient, BackendStartError
from .families import get_suite
from .runner import default_version, load_for_run, run_requirement

SMOKE_EXAMPLES = 10


def smoke_requirements(spec: Spec) -> list[Requirement]:
    """The first MUST requirement of each capability group (spec order)."""
    chosen: dict[str, Requirement] = {}
    for requirement in spec.requirements:
        if requirement.level == "MUST" and requirement.capability not in chosen:
            chosen[requirement.capability] = requirement
    return list(chosen.values())


def _hello_schema() -> dict[str, Any]:
    schema = json.loads((SPEC_ROOT / "meta" / "worker-protocol.schema.json").read_text())
    return {**schema["$defs"]["hello-result"], "$defs": schema["$defs"]}


def smoke(adapter_name: str, family: str | None, python: str | None, timeout: float, out: Console) -> bool:
    def step(ok: bool, text: str) -> bool:
        out.print(("[green]✓[/] " if ok else "[red]✗[/] ") + text, highlight=False)
        return ok

    if python is None:  # the adapter is importable here: inspect it in-process first
        try:
            adapter = resolve(adapter_name, family)
        except AdapterNotFound as exc:
            return step(False, str(exc))
        family = adapter.meta.family
        step(True, f"loads: {type(adapter).__module__}.{type(adapter).__name__}")
        meta = adapter.meta
        problems = []
        if not meta.name:
            problems.append("meta.name is empty")
        if not meta.spec_versions:
            problems.append("meta.spec_versions is empty")
        if not step(not problems, "metadata: " + ("; ".join(problems) if problems else
                    f"{meta.name} ({meta.family}), backend {meta.backend_package}, "
                    f"spec {', '.join(meta.spec_versions)}, claims {', '.join(meta.claims) or 'nothing'}")):
            return False
        protocol = PROTOCOLS[family]
        missing = [m for m in ("start", "stop", "invoke") if not callable(getattr(adapter, m, None))]
        if family == "tensor" and not callable(getattr(adapter, "snippet", None)):
            missing.append("snippet")
        if not step(isinstance(adapter, protocol) and not missing,
                    f"satisfies {protocol.__name__}" + (f": missing {', '.join(missing)}" if missing else "")):
            return False
        reason = adapter.unusable_reason()
        if not step(reason is None, "usable here" + (f": {reason}" if reason else "")):
            return False
    if family is None:
        return step(False, "--family is required with --python")

    client = BackendClient(adapter_name, family, python=python, timeout=timeout)
    try:
        try:
            hello = client.start()
        except BackendStartError as exc:
            return step(False, f"worker: {exc}")
        try:
            jsonschema.validate(hello, _hello_schema())
        except jsonschema.ValidationError as exc:
            return step(False, f"worker hello does not match the protocol: {exc.message}")
        step(True, f"worker speaks protocol {hello['protocol']} (python {hello.get('python', '?')})")
        spec = load_for_run(family, default_version(family, tuple(hello["adapter"]["spec_versions"])))
        settings = RunSettings(seed=0, max_examples=SMOKE_EXAMPLES, timeout=timeout)
        ctx = Context(backend=client, spec=spec, settings=settings, adapter=hello["adapter"])
        suite = get_suite(family)
        if suite.prepare:
            suite.prepare(ctx)
        all_ok = True
        for requirement in smoke_requirements(spec):
            result = run_requirement(ctx, suite, requirement)
            ok = result["status"] in ("pass", "xfail", "not-applicable")
            all_ok &= step(ok, f"{requirement.capability}: {requirement.id} → {result['status']}"
                           + ("" if ok else f" — {result.get('message') or ''}"))
        return all_ok
    finally:
        client.close()
