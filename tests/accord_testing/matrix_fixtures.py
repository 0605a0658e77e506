"""Crafted conformance reports for the publishing tests: valid against report.schema.json.

They cover several families, backends, backend versions and spec versions, every
status (xfail with a declared reason and link), an adapter whose every requirement
errored, and hostile strings (script tags, quotes, HTML) in names and messages.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

HOSTILE = '<script>window.__accord_pwned = 1</script>"\'<b>bold</b>&amp;'
HOSTILE_IMG = '<img src=x onerror="window.__accord_pwned = 2">'

DIGEST_A = "sha256:" + "a" * 64
DIGEST_B = "sha256:" + "b" * 64
DIGEST_P = "sha256:" + "c" * 64

TENSOR_CAPS = [
    {"id": "arithmetic", "title": "Element-wise arithmetic", "section": "What is computed"},
    {"id": "reductions", "title": "Reductions", "section": "What is computed"},
    {"id": "complex", "title": "Complex numbers", "section": "Optional"},
]
# (id, level, capability, feature)
TENSOR_REQS = [
    ("tensor.add.values", "MUST", "arithmetic", None),
    ("tensor.add.broadcast", "MUST", "arithmetic", None),
    ("tensor.divide.by_zero", "SHOULD", "arithmetic", None),
    ("tensor.sum.values", "MUST", "reductions", None),
    ("tensor.sum.empty", "SHOULD", "reductions", None),
    ("tensor.mean.values", "MUST", "reductions", None),
    ("tensor.add.complex", "MAY", "complex", "complex"),
]
PIPELINE_CAPS = [
    {"id": "elementwise", "title": "Element-wise transforms"},
    {"id": "windowing", "title": "Fixed windows"},
]
PIPELINE_REQS = [
    ("pipeline.map.values", "MUST", "elementwise", None),
    ("pipeline.filter.values", "MUST", "elementwise", None),
    ("pipeline.window.fixed", "MUST", "windowing", None),
    ("pipeline.window.late", "SHOULD", "windowing", "streaming"),
]

FAIL_DETAIL = {"message": "values differ at index 3", "counterexample": {"x1": [1.0, 2.0], "x2": [0.5, -0.0]},
               "expected": [1.5, 2.0], "actual": [1.5, 2.0000002], "snippet": "import numpy as np\nnp.add(...)",
               "examples": 12}


def report(family: str, adapter: str, backend_version: str | None, statuses: dict[str, str], *,
           spec_version: str = "1.0", digest: str | None = None, package: str | None = None,
           started: str = "2026-11-29T01:00:00+00:00", state: str = "complete", error: str | None = None,
           claims: list[str] | None = None, details: dict[str, dict[str, Any]] | None = None,
           expected_failures: list[dict[str, str]] | None = None, is_reference: bool = False,
           drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """A report; requirements not named in ``statuses`` pass. ``drop`` removes ids (absent in this version)."""
    caps, reqs = (TENSOR_CAPS, TENSOR_REQS) if family == "tensor" else (PIPELINE_CAPS, PIPELINE_REQS)
    digest = digest or (DIGEST_A if family == "tensor" else DIGEST_P)
    results = []
    for rid, level, cap, feature in reqs:
        if rid in drop:
            continue
        status = statuses.get(rid, "pass")
        entry: dict[str, Any] = {"id": rid, "level": level, "capability": cap, "feature": feature,
                                 "summary": f"{rid} behaves as specified.", "status": status, "duration": 0.01}
        if status in ("fail", "error", "timeout", "crashed", "xfail"):
            entry.update(copy.deepcopy(FAIL_DETAIL))
        if status in ("xfail", "xpass"):
            entry["declared"] = {"reason": "known rounding difference in the backend", "pattern": rid,
                                 "link": "https://example.org/issues/42"}
            entry["outcome"] = "fail" if status == "xfail" else "pass"
        if status == "not-claimed":
            entry["message"] = f"adapter does not claim feature {feature!r}"
        entry.update((details or {}).get(rid, {}))
        results.append(entry)
    counts: dict[str, int] = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return {
        "format": "accord-report", "format_version": 1, "accord_version": "0.1.0",
        "spec": {"family": family, "version": spec_version, "digest": digest, "status": "released",
                 "title": f"Accord {family}", "capabilities": caps},
        "adapter": {"name": adapter, "family": family, "spec": adapter,
                    "backend": {"package": package or adapter, "version": backend_version},
                    "spec_versions": [spec_version], "claims": claims or [],
                    "expected_failures": expected_failures or [], "not_applicable": [],
                    "is_reference": is_reference},
        "platform": {"python": "3.11.7", "system": "Linux", "machine": "x86_64"},
        "settings": {"seed": 1, "max_examples": 10, "timeout": 30.0},
        "started": started, "duration": 1.5, "state": state, "error": error,
        "requirements": results, "summary": counts,
    }


def standard_set() -> dict[str, dict[str, Any]]:
    """File name → report: the set the page and browser tests are built from."""
    xf = [{"id": "tensor.add.broadcast", "reason": "known rounding difference in the backend",
           "link": "https://example.org/issues/42"}]
    return {
        "tensor-reference.json": report("tensor", "reference", "0.1.0", {}, claims=["complex"], is_reference=True,
                                        package="accord"),
        "tensor-numpy-2.3.json": report("tensor", "numpy", "2.3.0", {"tensor.sum.empty": "fail",
                                                                     "tensor.add.complex": "not-claimed"},
                                        started="2026-11-28T10:00:00+00:00"),
        "tensor-numpy-2.4.json": report("tensor", "numpy", "2.4.0", {"tensor.add.broadcast": "xfail",
                                                                     "tensor.sum.empty": "pass",
                                                                     "tensor.divide.by_zero": "xpass"},
                                        claims=["complex"], expected_failures=xf),
        "tensor-torch.json": report("tensor", "torch", "2.13.0", {"tensor.add.values": "fail",
                                                                  "tensor.sum.values": "timeout",
                                                                  "tensor.mean.values": "crashed",
                                                                  "tensor.divide.by_zero": "error",
                                                                  "tensor.add.complex": "not-claimed"}),
        "tensor-jax-interrupted.json": report("tensor", "jax", "0.4.30", {"tensor.sum.values": "not-run",
                                                                          "tensor.sum.empty": "not-run",
                                                                          "tensor.mean.values": "not-run",
                                                                          "tensor.add.complex": "not-run"},
                                              state="interrupted"),
        "tensor-broken.json": report("tensor", "dask", "2024.8.0", {rid: "error" for rid, *_ in TENSOR_REQS}
                                     | {"tensor.add.complex": "not-claimed"}),
        "tensor-hostile.json": report(
            "tensor", HOSTILE, '1.0"><script>window.__accord_pwned=3</script>',
            {"tensor.add.values": "fail", "tensor.sum.values": "xfail"},
            details={"tensor.add.values": {"message": HOSTILE_IMG + " and " + HOSTILE,
                                           "counterexample": {"<script>": HOSTILE},
                                           "expected": HOSTILE_IMG, "actual": "</script><script>window.__accord_pwned=4</script>",
                                           "snippet": "</pre><script>window.__accord_pwned=5</script>"},
                     "tensor.sum.values": {"declared": {"reason": HOSTILE, "link": "javascript:window.__accord_pwned=6"}}},
            package=HOSTILE),
        "tensor-numpy-spec1.1.json": report("tensor", "numpy", "2.4.0", {"tensor.sum.empty": "fail"},
                                            spec_version="1.1", digest=DIGEST_B,
                                            started="2026-11-29T02:00:00+00:00"),
        "pipeline-reference.json": report("pipeline", "reference", "0.1.0", {}, claims=["streaming"],
                                          is_reference=True, package="accord"),
        "pipeline-beam.json": report("pipeline", "beam", "2.77.0", {"pipeline.window.fixed": "fail",
                                                                    "pipeline.window.late": "not-claimed"}),
    }


def write_set(folder: Path, reports: dict[str, dict[str, Any]] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in (standard_set() if reports is None else reports).items():
        path = folder / name
        path.write_text(json.dumps(data, indent=1))
        paths.append(path)
    return paths


UINT = "Promotion for uint16, uint32, uint64 types is not supported"
# an emulating shim (the adapter computes the answer itself): a failure through it is the adapter's
SHIMS = [{"name": "sort-descending", "functions": ["sort", "argsort"], "kind": "emulate",
          "reason": "numpy.sort has no descending parameter"}]


def _case(message: str, **extra: Any) -> dict[str, Any]:
    return {"status": "fail", "message": message, **extra}


def findings_set() -> dict[str, dict[str, Any]]:
    """Reports whose failures carry cases (COMMON.md shapes): one backend raise across three requirements, an
    adapter-shim failure, a pass via an adapter shim, and a hostile snippet; no top-level findings (publishing
    clusters them)."""
    uint = {"type": "TypeError", "message": UINT, "origin": "backend"}
    torch = report("tensor", "torch", "2.13.0", {"tensor.add.values": "fail", "tensor.add.broadcast": "fail",
                                                 "tensor.sum.values": "fail", "tensor.mean.values": "fail",
                                                 "tensor.add.complex": "not-claimed"},
                   details={
                       "tensor.add.values": {"findings": [
                           _case(f"backend raised TypeError: {UINT}", input_class="uint16", raised=uint,
                                 counterexample={"x1": [1], "x2": [2]}, snippet="torch.add(torch.tensor([1], dtype=torch.uint16), 2)"),
                           _case("values differ at index 3: expected 1.5, got 2.0", input_class="float32",
                                 counterexample={"x1": [1.0, 2.0, 0.5, 1.0]}, expected=1.5, actual=2.0,
                                 snippet="torch.add(a, b)")]},
                       "tensor.add.broadcast": {"findings": [
                           _case(f"backend raised TypeError: {UINT}", input_class="uint32", raised=uint,
                                 counterexample={"x1": [1, 2, 3], "x2": [[1], [2]]}, snippet="torch.add(big)")]},
                       "tensor.sum.values": {"findings": [
                           _case(f"backend raised TypeError: {UINT}", input_class="uint64", raised=uint,
                                 counterexample={"x": [7, 8]}, snippet="torch.sum(x)")]},
                       "tensor.mean.values": {"shims": ["sort-descending"], "findings": [
                           _case("values differ at index 0: expected 2.0, got 3.0",
                                 snippet="</pre><script>window.__accord_pwned=7</script>")]},
                   })
    for entry in torch["requirements"]:
        if entry.get("findings"):
            entry["message"] = entry["findings"][0]["message"]
    numpy = report("tensor", "numpy", "2.4.0", {"tensor.add.complex": "not-claimed"},
                   details={"tensor.sum.values": {"shims": ["sort-descending"]}})
    numpy["adapter"]["shims"] = SHIMS
    torch["adapter"]["shims"] = SHIMS
    return {"tensor-torch.json": torch, "tensor-numpy.json": numpy}
