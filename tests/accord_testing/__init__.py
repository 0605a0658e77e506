"""Shared helpers for the kit's own tests (importable as ``accord_testing``)."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from accord.spec import SPEC_ROOT

REPO_ROOT = Path(__file__).resolve().parents[2]
# the environment under which a worker imports test adapters as ``accord_testing.<module>:<name>``
TESTS_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "tests"), os.environ.get("PYTHONPATH", "")])}
# ... and the hostile ones of tests/hostile as ``misbehaving:<name>``, ``hostile_pipeline:<name>`` and the like
HOSTILE = REPO_ROOT / "tests" / "hostile"
HOSTILE_ENV = {**TESTS_ENV, "PYTHONPATH": os.pathsep.join([str(HOSTILE), TESTS_ENV["PYTHONPATH"]])}


def accord(*args: str, cwd: Path | None = None, timeout: float = 300, env: dict | None = None):
    """Run the real ``accord`` command line in a subprocess; returns CompletedProcess (text)."""
    return subprocess.run(
        [sys.executable, "-c", "from accord.conformance.cli import main; main()", *args],
        capture_output=True, text=True, cwd=cwd, timeout=timeout, env={**os.environ, **(env or {})},
    )

OP_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:accord:meta:tensor.op",
    "type": "object",
    "additionalProperties": False,
    "required": ["kind", "name", "summary", "requirements"],
    "properties": {
        "kind": {"const": "tensor.op"},
        "name": {"type": "string"},
        "summary": {"type": "string"},
        "description": {"type": "string"},
        "provenance": {"$ref": "urn:accord:meta:common#/$defs/provenance"},
        "stability": {"$ref": "urn:accord:meta:common#/$defs/stability"},
        "deprecated": {"$ref": "urn:accord:meta:common#/$defs/deprecation"},
        "signature": {"type": "object"},
        "dtypes": {"type": "array", "items": {"type": "string"}},
        "tolerance": {"type": "object"},
        "special_cases": {"type": "array", "items": {"type": "object"}},
        "examples": {"type": "array"},
        "requirements": {"$ref": "urn:accord:meta:common#/$defs/requirements"},
    },
}

MANIFEST = {
    "kind": "manifest", "family": "tensor", "version": "1.0", "status": "released", "title": "Crafted",
    "capabilities": [{"id": "arithmetic", "title": "Arithmetic"}],
    "features": [{"id": "complex", "title": "Complex"}],
}

ADD = {
    "kind": "tensor.op", "name": "add", "summary": "Adds.",
    "signature": {"params": [{"name": "x1", "kind": "positional-only"}, {"name": "x2", "kind": "positional-only"}]},
    "dtypes": ["int32", "float64"],
    "tolerance": {"ulp": 1},
    "provenance": {"source": "array API", "revision": "2024.12"},
    "requirements": [
        {"id": "tensor.add.values", "level": "MUST", "capability": "arithmetic", "since": "1.0", "check": "values",
         "compare": {"rule": "ulp", "ulp": 1}, "summary": "Values match."},
        {"id": "tensor.add.complex", "level": "MAY", "feature": "complex", "capability": "arithmetic",
         "since": "1.0", "check": "values", "compare": {"rule": "ulp"}, "summary": "Complex add."},
    ],
}


class _NoAliases(yaml.SafeDumper):
    """Writes a shared object twice instead of as an anchor and alias (spec documents refuse aliases)."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_NoAliases, sort_keys=False)


class CraftedRoot:
    """Writes spec/<family>/<version> folders under a temporary spec root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "meta").mkdir(parents=True)
        for name in ("common.schema.json", "manifest.schema.json"):
            shutil.copy(SPEC_ROOT / "meta" / name, root / "meta" / name)
        (root / "meta" / "tensor.op.schema.json").write_text(json.dumps(OP_SCHEMA))

    def write(self, version: str, docs: list[dict], *, status: str | None = None, declared: str | None = None,
              manifest: dict | None = None) -> Path:
        folder = self.root / "tensor" / version
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        m = copy.deepcopy(manifest or MANIFEST)
        m["version"] = declared or (version if version != "draft" else "1.1")
        m["status"] = status or ("draft" if version == "draft" else "released")
        (folder / "spec.yaml").write_text(_dump(m))
        for doc in docs:
            (folder / f"{doc['name']}.yaml").write_text(_dump(doc))
        return folder


class InProcess:
    """The backend half of ``BackendClient`` for an adapter object living in this process (suite unit tests).

    A backend exception becomes ``BackendRaised``, as the worker reports it; numpy's warnings are silenced.
    """

    def __init__(self, adapter: object, *, start: bool = False, spec: object = None) -> None:
        self.adapter = adapter
        if start:
            # the standard revisions ``spec`` follows, as the worker's hello says them (none: the adapter's default)
            adapter.follow([s.to_json() for s in getattr(spec, "standards", ())])  # type: ignore[attr-defined]
            adapter.start()  # type: ignore[attr-defined]

    def invoke(self, op: str, args: object = None, timeout: float | None = None) -> object:
        import warnings

        import numpy as np

        from accord.conformance.client import BackendRaised

        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                return self.adapter.invoke(op, args)  # type: ignore[attr-defined]
        except Exception as exc:
            raise BackendRaised(type(exc).__name__, str(exc)) from None


def tensor_outcome(adapter: object, requirement_id: str, *, version: str = "draft", seed: int = 1,
                   max_examples: int = 40, spec: object = None) -> object:
    """One tensor requirement evaluated in this process against ``adapter``, as a run would: the adapter is
    told the spec version's standard revisions and the suite's check runs under the given seed and budget."""
    from accord.conformance.check import Context, RunSettings
    from accord.conformance.families.tensor import SUITE
    from accord.conformance.runner import evaluate
    from accord.spec import load_spec

    spec = spec if spec is not None else load_spec("tensor", version)
    ctx = Context(backend=InProcess(adapter, start=True, spec=spec), spec=spec,  # type: ignore[arg-type]
                  settings=RunSettings(seed=seed, max_examples=max_examples),
                  adapter=adapter.meta.to_json())  # type: ignore[attr-defined]
    return evaluate(ctx, SUITE, spec.requirement(requirement_id))  # type: ignore[attr-defined]
