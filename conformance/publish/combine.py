"""Combine validated reports into the matrix model — the same dict that is published as ``matrix.json``.

Every renderer (HTML, Markdown, badges, diff) reads this one model, so the page,
the README table and the badges can never disagree. Its format is
``spec/meta/matrix.schema.json``.
"""

from __future__ import annotations

import datetime as _dt
import re
import shlex
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from packaging.version import InvalidVersion, Version

from accord.conformance.findings import attach
from accord.conformance.report import accord_version

from .accuracy import accuracy_table
from .load import InputError, LoadedReport

FORMAT_VERSION = 1
LEVELS = ("MUST", "SHOULD", "MAY")
GOOD = frozenset({"pass", "xpass"})
BAD = frozenset({"fail", "error", "timeout", "crashed", "xfail"})
BROKEN = frozenset({"error", "crashed", "timeout"})
# what a requirement's result carries into the matrix (the rest of the report stays in the report)
DETAIL_KEYS = ("message", "counterexample", "expected", "actual", "snippet", "declared", "outcome", "examples",
               "findings", "shims", "accuracy")
CAUSES = ("backend", "adapter", "spec")
EXCUSED = "excused"  # a failure none of whose findings is the backend's


def version_key(text: str | None) -> tuple:
    """Order backend/spec versions naturally (2.10 after 2.9); unparsable ones after, by text."""
    if text is None:
        return (0,)
    try:
        return (1, Version(text), "")
    except InvalidVersion:
        return (2, Version("0"), text)


def short_digest(digest: str) -> str:
    return digest.split(":", 1)[-1][:12]


def slug(text: str) -> str:
    """A file-name-safe form of a backend name or version (hostile names cannot escape badges/)."""
    cleaned = re.sub(r"[^A-Za-z0-9._+-]+", "_", text).strip("._") or "_"
    return cleaned[:80]


def cell_state(statuses: list[str]) -> dict[str, Any]:
    """The state of a matrix cell from the statuses of the requirements it covers.

    full / partial / none count only requirements that reached a verdict (xfail counts
    as a failure, xpass as a pass); a cell with no verdict says why: not run, not
    claimed, not applicable, or absent (the requirement is not in this spec version).
    """
    counts = Counter(statuses)
    passed = sum(counts[s] for s in GOOD)
    total = passed + sum(counts[s] for s in BAD)
    cell: dict[str, Any] = {"passed": passed, "total": total, "not_run": counts["not-run"]}
    if counts[EXCUSED]:
        cell["excused"] = counts[EXCUSED]
    if total:
        cell["state"] = "full" if passed == total else "none" if passed == 0 else "partial"
    elif counts[EXCUSED]:
        cell["state"] = "excused"
    elif not statuses:
        cell["state"] = "absent"
    elif counts["not-run"]:
        cell["state"] = "not-run"
    elif counts["not-claimed"]:
        cell["state"] = "not-claimed"
    else:
        cell["state"] = "not-applicable"
    return cell


def score(results: list[dict[str, Any]]) -> dict[str, Any]:
    """passed/total over requirements with a verdict; percent is floored so 100 means all passed."""
    passed = sum(r["status"] in GOOD for r in results)
    total = passed + sum(verdict(r) in BAD for r in results)
    out = {"passed": passed, "total": total, "percent": (100 * passed // total) if total else None,
           "not_run": sum(r["status"] == "not-run" for r in results)}
    excused = sum(verdict(r) == EXCUSED for r in results)
    return {**out, "excused": excused} if excused else out


def verdict(result: dict[str, Any]) -> str:
    """A result's status as the matrix counts it: a failure whose findings are all the adapter's or the spec's
    is ``excused`` — shown, but not held against the backend."""
    return EXCUSED if result.get("cause") and result["status"] in BAD else result["status"]


@dataclass
class _Column:
    family: str
    spec_version: str
    digest: str
    adapter: str
    backend: dict[str, Any]
    mixed: bool
    sources: list[LoadedReport] = field(default_factory=list)

    @property
    def id(self) -> str:
        base = f"{self.family}:{self.spec_version}:{self.adapter}@{self.backend.get('version') or '?'}"
        return base + (f":{short_digest(self.digest)}" if self.mixed else "")


def check_digests(reports: list[LoadedReport], allow_mixed: bool) -> set[tuple[str, str]]:
    """(family, version) pairs whose reports carry different spec digests; refused unless allowed."""
    first: dict[tuple[str, str], LoadedReport] = {}
    mixed: set[tuple[str, str]] = set()
    for report in reports:
        spec = report.data["spec"]
        key = (spec["family"], spec["version"])
        seen = first.setdefault(key, report)
        if seen.data["spec"]["digest"] != spec["digest"]:
            if not allow_mixed:
                raise InputError(
                    f"{seen.path} and {report.path} both claim {key[0]} {key[1]} but carry different spec "
                    f"digests ({short_digest(seen.data['spec']['digest'])} vs {short_digest(spec['digest'])}); "
                    "re-run one of them or pass --allow-mixed to show them as separate columns")
            mixed.add(key)
    return mixed


def _merge_results(column: _Column) -> dict[str, dict[str, Any]]:
    """Per requirement, the newest report's result wins unless it did not run it."""
    merged: dict[str, dict[str, Any]] = {}
    for source in sorted(column.sources, key=lambda s: s.data["started"]):
        for result in source.data["requirements"]:
            old = merged.get(result["id"])
            if old is not None and result["status"] == "not-run" and old["status"] != "not-run":
                continue
            entry: dict[str, Any] = {"status": result["status"], "level": result["level"],
                                     "source": str(source.path)}
            for key in DETAIL_KEYS:
                if result.get(key) is not None:
                    entry[key] = result[key]
            if result["status"] in BAD or result["status"] == "xpass":
                entry["repro"] = f"accord repro {shlex.quote(str(source.path))} {shlex.quote(result['id'])}"
            merged[result["id"]] = entry
    return merged


def _broken(column: _Column, results: dict[str, dict[str, Any]]) -> str | None:
    """Why the adapter counts as broken (every requirement that ran errored, or the run aborted), or None."""
    verdicts = [r for r in results.values() if r["status"] in GOOD | BAD]
    if verdicts and all(r["status"] in BROKEN for r in verdicts):
        first = next((r.get("message") for r in verdicts if r.get("message")), None)
        return f"every requirement that ran ended in {'/'.join(sorted({r['status'] for r in verdicts}))}" + (
            f": {first}" if first else "")
    if not verdicts:
        aborted = [s for s in column.sources if s.data["state"] == "aborted"]
        if aborted:
            return f"the run was aborted: {aborted[-1].data.get('error') or 'no reason given'}"
    return None


def _family_model(family: str, columns: list[_Column], reports: list[LoadedReport]) -> dict[str, Any]:
    by_version = sorted(reports, key=lambda r: (version_key(r.data["spec"]["version"]), r.data["started"]))
    capabilities: dict[str, dict[str, Any]] = {}
    requirements: dict[str, dict[str, Any]] = {}
    specs: dict[tuple[str, str], dict[str, Any]] = {}
    for report in by_version:  # newest spec version last, so its titles/levels win
        spec = report.data["spec"]
        specs[(spec["version"], spec["digest"])] = {
            "version": spec["version"], "digest": spec["digest"], "status": spec.get("status", "released"),
            **({"title": spec["title"]} if spec.get("title") else {}),
            **({"standards": spec["standards"]} if spec.get("standards") else {})}
        for cap in spec.get("capabilities", []):
            capabilities[cap["id"]] = {k: cap[k] for k in ("id", "title", "section") if k in cap}
        for result in report.data["requirements"]:
            entry = requirements.setdefault(result["id"], {"id": result["id"], "spec_versions": []})
            entry.update({"level": result["level"], "capability": result["capability"],
                          "feature": result.get("feature"), "summary": result.get("summary", "")})
            if spec["version"] not in entry["spec_versions"]:
                entry["spec_versions"].append(spec["version"])
    for req in requirements.values():
        capabilities.setdefault(req["capability"], {"id": req["capability"], "title": req["capability"]})
    order = {cap_id: i for i, cap_id in enumerate(capabilities)}
    reqs = sorted(requirements.values(), key=lambda r: (order[r["capability"]], r["id"]))

    out_columns = []
    for column in sorted(columns, key=lambda c: (version_key(c.spec_version), c.digest, not _is_reference(c),
                                                 c.adapter.lower(), version_key(c.backend.get("version")))):
        results = _merge_results(column)
        findings = _column_findings(column, results)
        broken = _broken(column, results)
        by_cap: dict[str, list[str]] = defaultdict(list)
        for req in reqs:
            if req["id"] in results:
                by_cap[req["capability"]].append(verdict(results[req["id"]]))
        groups = {}
        for cap_id in capabilities:
            groups[cap_id] = {"state": "broken", "passed": 0, "total": 0, "not_run": 0} if broken and by_cap[cap_id] \
                else cell_state(by_cap[cap_id])
        values = list(results.values())
        latest = max(column.sources, key=lambda s: s.data["started"]).data
        out_columns.append({
            "id": column.id,
            "adapter": column.adapter,
            "label": f"{column.adapter}@{column.backend.get('version') or '?'}",
            "backend": {"package": column.backend.get("package", "?"), "version": column.backend.get("version")},
            "spec_version": column.spec_version,
            "spec_digest": column.digest,
            "mixed": column.mixed,
            "is_reference": _is_reference(column),
            "state": latest["state"],
            "broken": broken,
            "started": latest["started"],
            "claims": sorted({c for s in column.sources for c in s.data["adapter"].get("claims", [])}),
            "expected_failures": latest["adapter"].get("expected_failures", []),
            "shims": latest["adapter"].get("shims", []),
            "findings": findings,
            "finding_counts": {cause: sum(f["cause"] == cause for f in findings) for cause in CAUSES},
            "platform": latest["platform"],
            "sources": [{"path": str(s.path), "started": s.data["started"], "state": s.data["state"],
                         "seed": s.data["settings"]["seed"], "max_examples": s.data["settings"]["max_examples"]}
                        for s in column.sources],
            "scores": {**{lvl: score([r for r in values if r["level"] == lvl]) for lvl in LEVELS},
                       "all": score(values)},
            "counts": dict(sorted(Counter(r["status"] for r in values).items())),
            "groups": groups,
            "results": results,
        })
    return {"family": family,
            "specs": sorted(specs.values(), key=lambda s: version_key(s["version"])),
            "capabilities": list(capabilities.values()),
            "requirements": reqs,
            "columns": out_columns,
            "accuracy": accuracy_table(out_columns)}


def _column_findings(column: _Column, results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings behind the column's merged results (newest report's version of each); each failing result
    whose findings are none of them the backend's is marked with that cause, so it is not held against the backend."""
    known: dict[str, dict[str, Any]] = {}
    for source in sorted(column.sources, key=lambda s: s.data["started"]):
        known.update({f["id"]: f for f in source.data.get("findings", [])})
    used: list[str] = []
    for result in results.values():
        ids = [c["finding"] for c in result.get("findings", []) if c.get("finding") in known]
        used += [i for i in dict.fromkeys(ids) if i not in used]  # one result's classes often share a finding
        causes = {known[i]["cause"] for i in ids}
        if ids and "backend" not in causes:
            result["cause"] = "spec" if "spec" in causes else "adapter"
    order = {fid: i for i, fid in enumerate(known)}
    return sorted((known[i] for i in used), key=lambda f: (CAUSES.index(f["cause"]), order[f["id"]]))


def _is_reference(column: _Column) -> bool:
    return any(s.data["adapter"].get("is_reference") for s in column.sources)


def _history(families: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per family and backend: its scores for each backend version (and spec version) tested."""
    history = []
    for fam in families:
        by_adapter: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for col in fam["columns"]:
            by_adapter[col["adapter"]].append(col)
        for adapter, cols in by_adapter.items():
            cols = sorted(cols, key=lambda c: (version_key(c["backend"]["version"]), version_key(c["spec_version"])))
            history.append({"family": fam["family"], "adapter": adapter, "points": [
                {"column": c["id"], "backend_version": c["backend"]["version"], "spec_version": c["spec_version"],
                 "broken": c["broken"] is not None, "scores": c["scores"]} for c in cols]})
    return history


def badge_text(column: dict[str, Any], family: str) -> tuple[str, str, str]:
    """(label, message, colour) of a backend's badge, e.g. 'accord tensor 2.0', '640/646 MUST · 4 expected'.

    The message counts MUST requirements with a verdict (every level when the spec has no MUST
    result); declared expected failures (xfail) are named apart, and the colour judges only the
    undeclared failures, so a backend is never red for failures it declared.
    """
    label = f"accord {family} {column['spec_version']}"
    if column["broken"]:
        return label, "adapter broken", "lightgrey"
    every = _badge_counts(list(column["results"].values()))
    if not every["total"]:
        return label, "not run", "lightgrey"
    must = _badge_counts([r for r in column["results"].values() if r["level"] == "MUST"])
    shown, name = (must, "MUST") if must["total"] else (every, "all")
    message = f"{shown['passed']}/{shown['total']} {name}" + (f" · {shown['xfail']} expected" if shown["xfail"] else "")
    judged = shown["passed"] + shown["failed"]
    if every["passed"] == every["total"]:
        colour = "brightgreen"
    elif not shown["failed"]:
        colour = "green"
    else:
        colour = "yellow" if 100 * shown["passed"] // judged >= 90 else "red"
    return label, message, colour


def _badge_counts(results: list[dict[str, Any]]) -> dict[str, int]:
    """passed / declared expected failures (xfail) / other failures, and their total, as a badge counts them."""
    verdicts = Counter(verdict(r) for r in results)
    passed, xfail = sum(verdicts[s] for s in GOOD), verdicts["xfail"]
    failed = sum(verdicts[s] for s in BAD) - xfail
    return {"passed": passed, "xfail": xfail, "failed": failed, "total": passed + xfail + failed}


def _badges(families: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One badge per backend, family and spec version: the newest backend version tested."""
    badges: list[dict[str, Any]] = []
    used: set[str] = set()
    for fam in families:
        newest: dict[tuple[str, str], dict[str, Any]] = {}
        for col in fam["columns"]:
            key = (col["adapter"], col["spec_version"])
            rank = (not col["mixed"], version_key(col["backend"]["version"]))
            if key not in newest or rank > (not newest[key]["mixed"], version_key(newest[key]["backend"]["version"])):
                newest[key] = col
        for (adapter, version), col in newest.items():
            stem = f"{slug(adapter)}-{fam['family']}-{slug(version)}"
            n = 2
            while stem in used:
                stem = f"{slug(adapter)}-{fam['family']}-{slug(version)}-{n}"
                n += 1
            used.add(stem)
            label, message, colour = badge_text(col, fam["family"])
            badges.append({"family": fam["family"], "adapter": adapter, "spec_version": version,
                           "column": col["id"], "svg": f"badges/{stem}.svg", "endpoint": f"badges/{stem}.json",
                           "label": label, "message": message, "color": colour})
    return badges


def combine(reports: list[LoadedReport], allow_mixed: bool = False,
            skipped: list[str] | None = None) -> dict[str, Any]:
    """The matrix model of validated reports (raises InputError on mixed spec digests unless allowed)."""
    if not reports:
        raise InputError("no valid report to publish")
    mixed = check_digests(reports, allow_mixed)
    for report in reports:  # a report written before findings existed: cluster it now
        if "findings" not in report.data:
            attach(report.data)
    columns: dict[str, _Column] = {}
    for report in reports:
        spec, adapter = report.data["spec"], report.data["adapter"]
        column = _Column(spec["family"], spec["version"], spec["digest"], adapter["name"],
                         dict(adapter["backend"]), (spec["family"], spec["version"]) in mixed)
        columns.setdefault(column.id, column).sources.append(report)
    families = []
    for family in sorted({c.family for c in columns.values()}):
        families.append(_family_model(family, [c for c in columns.values() if c.family == family],
                                      [r for r in reports if r.data["spec"]["family"] == family]))
    return {
        "format": "accord-matrix",
        "format_version": FORMAT_VERSION,
        "generated": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "accord_version": accord_version(),
        "skipped": list(skipped or []),
        "families": families,
        "history": _history(families),
        "badges": _badges(families),
    }
