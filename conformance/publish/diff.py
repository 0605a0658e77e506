"""``accord matrix diff OLD NEW``: regressions and improvements per backend and requirement.

A side is a ``matrix.json``, a report, or a folder (its ``matrix.json`` when it has one,
otherwise the reports under it). Backends are matched by family, adapter and spec
version; on each side the newest backend version of that triple is compared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .combine import BAD, GOOD, combine, version_key
from .jsonout import load_matrix
from .load import InputError, load_reports


def load_side(path: Path) -> dict[str, Any]:
    """The matrix model of one side of a diff; InputError (one line) on bad input."""
    if path.is_dir() and (path / "matrix.json").is_file():
        return load_matrix(path / "matrix.json")
    if path.is_file():
        try:
            head = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            head = None
        if isinstance(head, dict) and head.get("format") == "accord-matrix":
            return load_matrix(path)
    loaded = load_reports([path])
    if loaded.problems:
        raise InputError(loaded.problems[0])
    return combine(loaded.reports)


def _newest(matrix: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    newest: dict[tuple[str, str, str], dict[str, Any]] = {}
    for fam in matrix["families"]:
        for col in fam["columns"]:
            key = (fam["family"], col["adapter"], col["spec_version"])
            rank = (not col["mixed"], version_key(col["backend"]["version"]))
            if key not in newest or rank > (not newest[key]["mixed"], version_key(newest[key]["backend"]["version"])):
                newest[key] = col
    return newest


def diff_matrices(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Per backend (family, adapter, spec version): requirements that went good→bad or bad→good."""
    before, after = _newest(old), _newest(new)
    backends, regressions, improvements = [], [], []
    for key in sorted(before.keys() & after.keys()):
        family, adapter, spec_version = key
        a, b = before[key], after[key]
        entry = {"family": family, "adapter": adapter, "spec_version": spec_version,
                 "old_version": a["backend"]["version"], "new_version": b["backend"]["version"],
                 "old_broken": a["broken"] is not None, "new_broken": b["broken"] is not None,
                 "old_scores": a["scores"], "new_scores": b["scores"]}
        backends.append(entry)
        for rid in sorted(a["results"].keys() & b["results"].keys()):
            was, now = a["results"][rid], b["results"][rid]
            change = {"family": family, "adapter": adapter, "spec_version": spec_version,
                      "old_version": entry["old_version"], "new_version": entry["new_version"],
                      "requirement": rid, "level": now["level"], "old": was["status"], "new": now["status"]}
            if was["status"] in GOOD and now["status"] in BAD:
                if now.get("message"):
                    change["message"] = now["message"]
                if now.get("declared"):
                    change["declared"] = now["declared"]
                regressions.append(change)
            elif was["status"] in BAD and now["status"] in GOOD:
                improvements.append(change)
    label = [{"family": f, "adapter": a, "spec_version": v} for f, a, v in sorted(after.keys() - before.keys())]
    gone = [{"family": f, "adapter": a, "spec_version": v} for f, a, v in sorted(before.keys() - after.keys())]
    return {"backends": backends, "regressions": regressions, "improvements": improvements,
            "only_new": label, "only_old": gone,
            "must_regressions": sum(r["level"] == "MUST" for r in regressions)}


def format_text(result: dict[str, Any], old_name: str, new_name: str) -> str:
    lines = [f"matrix diff {old_name} → {new_name}"]
    for b in result["backends"]:
        regs = [r for r in result["regressions"] if (r["family"], r["adapter"], r["spec_version"])
                == (b["family"], b["adapter"], b["spec_version"])]
        imps = [r for r in result["improvements"] if (r["family"], r["adapter"], r["spec_version"])
                == (b["family"], b["adapter"], b["spec_version"])]
        lines.append(f"{b['family']} · {b['adapter']} {b['old_version'] or '?'} → {b['new_version'] or '?'} "
                     f"(spec {b['spec_version']}): {len(regs)} regressed, {len(imps)} improved"
                     + ("; adapter broken" if b["new_broken"] and not b["old_broken"] else ""))
        for r in regs:
            note = f"  declared: {r['declared']['reason']}" if r.get("declared") else ""
            msg = f"  {' '.join(r['message'].split())[:140]}" if r.get("message") else ""
            lines.append(f"  REGRESSED {r['level']:<6} {r['requirement']}  {r['old']} → {r['new']}{msg}{note}")
        for r in imps:
            lines.append(f"  improved  {r['level']:<6} {r['requirement']}  {r['old']} → {r['new']}")
    for b in result["only_new"]:
        lines.append(f"only in new: {b['family']} · {b['adapter']} (spec {b['spec_version']})")
    for b in result["only_old"]:
        lines.append(f"only in old: {b['family']} · {b['adapter']} (spec {b['spec_version']})")
    lines.append(f"{len(result['regressions'])} regressions ({result['must_regressions']} MUST), "
                 f"{len(result['improvements'])} improvements")
    return "\n".join(lines)
