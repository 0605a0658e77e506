"""The version axis of the matrix: one backend across its releases, per spec version.

Reports of one adapter at several backend releases (``accord plan run`` writes one per cell) become one
matrix column each. The main matrix shows the newest release of every backend (:func:`older_releases`
names the rest); this module turns the columns of all releases into history, plain JSON-ready data
(``matrix.json`` ``history[].spec_versions``, schema ``spec/meta/matrix.history.schema.json``):

- per requirement, its verdict at each release (sorted by ``packaging.version``);
- the requirements whose verdict changes, with the first release of each new verdict;
- a findings timeline: each finding (the report's own stable ``F-…`` id, see ``conformance/findings.py``)
  with the release where it appeared and where it disappeared, or still open.

A release where a requirement did not run, or whose adapter was broken (every verdict an error), says
nothing about that requirement: it neither starts nor ends a change, and a finding is only called gone at
a release that ran at least one of its requirements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from .combine import BAD, GOOD, verdict, version_key

UNKNOWN = frozenset({"not-run", "absent"})  # a release with these says nothing about the requirement


def _key(col: dict[str, Any]) -> tuple[str, str, str]:
    return col["adapter"], col["spec_version"], col["spec_digest"]


def releases_by_backend(fam: dict[str, Any]) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """(adapter, spec version, spec digest) → its columns, one per backend release, oldest first."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for col in fam["columns"]:
        groups[_key(col)].append(col)
    return {key: sorted(cols, key=lambda c: version_key(c["backend"]["version"])) for key, cols in groups.items()}


def older_releases(fam: dict[str, Any]) -> dict[str, str]:
    """Column id of every release that a newer release of the same backend and spec version supersedes →
    the newest one's column id. The main matrix shows only the newest; history shows all."""
    return {c["id"]: cols[-1]["id"] for cols in releases_by_backend(fam).values() for c in cols[:-1]}


def _verdicts(cols: list[dict[str, Any]], rid: str) -> list[str]:
    return [verdict(c["results"][rid]) if rid in c["results"] else "absent" for c in cols]


def direction(before: str, after: str) -> str:
    """improved (to a pass), regressed (from a pass to a failure) or changed (anything else)."""
    if after in GOOD and before not in GOOD:
        return "improved"
    if before in GOOD and after in BAD:
        return "regressed"
    return "changed"


def verdict_steps(versions: list[str], verdicts: list[str], broken: list[bool]) -> list[dict[str, Any]]:
    """Each release where the verdict differs from the one before it, skipping releases that say nothing."""
    steps: list[dict[str, Any]] = []
    last: tuple[str, str] | None = None  # (release, verdict) of the last release that said something
    for version, now, dead in zip(versions, verdicts, broken, strict=True):
        if now in UNKNOWN or dead:
            continue
        if last is not None and now != last[1]:
            steps.append({"release": version, "from": last[1], "from_release": last[0], "to": now,
                          "direction": direction(last[1], now)})
        last = (version, now)
    return steps


def _presence(cols: list[dict[str, Any]], finding: dict[str, Any]) -> list[str]:
    """present / absent / unknown at each release (unknown: broken, or none of its requirements ran)."""
    out = []
    for col in cols:
        if finding["id"] in {f["id"] for f in col["findings"]}:
            out.append("present")
        elif col["broken"] or not any(verdict(col["results"][r]) not in UNKNOWN
                                      for r in finding["requirements"] if r in col["results"]):
            out.append("unknown")
        else:
            out.append("absent")
    return out


def spans(versions: list[str], presence: list[str]) -> list[dict[str, Any]]:
    """Runs of releases with the finding: from the release it appeared in until the first release without it
    (None: still open at the newest release). An unknown release neither opens nor closes a run."""
    out: list[dict[str, Any]] = []
    for version, seen in zip(versions, presence, strict=True):
        if seen == "present" and (not out or out[-1]["until"] is not None):
            out.append({"from": version, "until": None})
        elif seen == "absent" and out and out[-1]["until"] is None:
            out[-1]["until"] = version
    return out


def _findings_timeline(cols: list[dict[str, Any]], versions: list[str]) -> list[dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    requirements: dict[str, set[str]] = defaultdict(set)
    for col in cols:  # oldest first, so the newest release's title and cause win
        for f in col["findings"]:
            latest[f["id"]] = f
            requirements[f["id"]].update(f["requirements"])
    timeline = []
    for fid, f in latest.items():
        presence = _presence(cols, {**f, "requirements": sorted(requirements[fid])})
        runs = spans(versions, presence)
        timeline.append({
            "id": fid, "cause": f["cause"], "title": f["title"],
            **({"level": f["level"]} if f.get("level") else {}), "declared": bool(f.get("declared")),
            "requirements": sorted(requirements[fid]), "presence": presence,
            "appeared": runs[0]["from"], "disappeared": runs[-1]["until"], "spans": runs})
    return sorted(timeline, key=lambda t: (versions.index(t["appeared"]), t["cause"] != "backend", t["id"]))


def spec_version_history(fam: dict[str, Any], cols: list[dict[str, Any]]) -> dict[str, Any]:
    """The history of one backend at one spec version, from its release columns (oldest first)."""
    versions = [c["backend"]["version"] or "?" for c in cols]
    broken = [c["broken"] is not None for c in cols]
    reqs = {r["id"]: r for r in fam["requirements"]}
    verdicts = {rid: _verdicts(cols, rid) for rid in reqs if any(rid in c["results"] for c in cols)}
    changes = []
    for rid, row in verdicts.items():
        steps = verdict_steps(versions, row, broken)
        if steps:
            changes.append({"requirement": rid, "level": reqs[rid]["level"], "capability": reqs[rid]["capability"],
                            "steps": steps})
    changes.sort(key=lambda c: (versions.index(c["steps"][0]["release"]), c["requirement"]))
    return {
        "spec_version": cols[0]["spec_version"], "spec_digest": cols[0]["spec_digest"], "mixed": cols[0]["mixed"],
        "releases": [{"version": v, "column": c["id"], "broken": b, "state": c["state"]}
                     for v, c, b in zip(versions, cols, broken, strict=True)],
        "verdicts": verdicts,
        "changes": changes,
        "findings": _findings_timeline(cols, versions),
    }


def adapter_history(fam: dict[str, Any], adapter: str) -> list[dict[str, Any]]:
    """Per spec version (and digest) where the adapter ran at two or more backend releases: its history."""
    groups = releases_by_backend(fam)
    return [spec_version_history(fam, cols) for key, cols in sorted(
        groups.items(), key=lambda kv: (version_key(kv[0][1]), kv[0][2])) if key[0] == adapter and len(cols) >= 2]


def attach(matrix: dict[str, Any]) -> None:
    """Give each ``history`` item (family × backend, from ``combine``) its ``spec_versions`` history where the
    backend ran at two or more releases of one spec version."""
    families = {f["family"]: f for f in matrix["families"]}
    for item in matrix["history"]:
        found = adapter_history(families[item["family"]], item["adapter"])
        if found:
            item["spec_versions"] = found


MD_MARK = {"pass": "✅", "xpass": "✅", "fail": "❌", "error": "❌", "timeout": "❌", "crashed": "❌", "xfail": "❌",
           "excused": "🔷", "not-run": "⏸", "absent": "·"}
MD_ROWS = 40  # changed requirements per table in matrix.md; matrix.json and the page hold them all


def markdown_section(fam: dict[str, Any], history: list[dict[str, Any]], md_text: Callable[[Any], str]) -> list[str]:
    """``### History`` per backend and spec version of a family: changed requirements × releases, then findings."""
    lines: list[str] = []
    for item in history:
        if item["family"] != fam["family"]:
            continue
        for entry in item.get("spec_versions", []):
            versions = [r["version"] for r in entry["releases"]]
            lines += [f"### History: {md_text(item['adapter'])} (spec {md_text(entry['spec_version'])}), releases "
                      f"{md_text(' → '.join(versions))}", ""]
            changes = entry["changes"]
            if not changes:
                lines += ["No requirement changed its verdict across these releases.", ""]
            else:
                head = ["requirement (verdict changed)"] + [md_text(v) + (" ⚠️ broken" if r["broken"] else "")
                                                             for v, r in zip(versions, entry["releases"], strict=True)]
                lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
                for change in changes[:MD_ROWS]:
                    row = entry["verdicts"][change["requirement"]]
                    lines.append(f"| {md_text(change['requirement'])} | "
                                 + " | ".join(f"{MD_MARK.get(v, '➖')} {md_text(v)}" for v in row) + " |")
                if len(changes) > MD_ROWS:
                    lines += ["", f"… and {len(changes) - MD_ROWS} more changed requirements (matrix.json `history`)."]
                lines.append("")
            for f in entry["findings"]:
                gone = "still open" if f["disappeared"] is None else f"gone in {md_text(f['disappeared'])}"
                lines.append(f"- **{f['id']}** ({f['cause']}): {md_text(f['title'])} — appeared in "
                             f"{md_text(f['appeared'])}, {gone}")
            if entry["findings"]:
                lines.append("")
    return lines
