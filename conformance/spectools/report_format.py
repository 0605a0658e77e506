"""Human, Markdown and JSON renderings of a spec diff."""

from __future__ import annotations

import json
from typing import Any

from .diff import MISSING, Change, SpecDiff
from .rules import BREAKING, MINOR, PATCH


def _value(value: Any) -> str:
    if value is MISSING:
        return "—"
    text = json.dumps(value, ensure_ascii=False, sort_keys=True) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."


def headline(diff: SpecDiff) -> str:
    counts = ", ".join(f"{diff.count(level)} {level}" for level in (BREAKING, MINOR, PATCH))
    return (f"{diff.family} {diff.old_version} → {diff.new_version}: {counts} — demands a {diff.demanded} bump "
            f"(declared: {diff.declared})")


def _where(change: Change) -> str:
    return change.element + (f" {change.requirement}" if change.requirement else "")


def _what(change: Change) -> str:
    if change.kind == "added":
        return f"added {change.path}" if change.path != "$" else "added"
    if change.kind == "removed":
        return f"removed {change.path}" if change.path != "$" else "removed"
    if change.kind in ("added-item", "removed-item", "added-case", "removed-case"):
        added = change.kind.startswith("added")
        return f"{change.path} {'adds' if added else 'drops'} {_value(change.new if added else change.old)}"
    return f"{change.path}: {_value(change.old)} → {_value(change.new)}"


def as_text(diff: SpecDiff) -> str:
    lines = [headline(diff)]
    for level in (BREAKING, MINOR, PATCH):
        changes = [c for c in diff.changes if c.level == level]
        if not changes:
            continue
        lines.append(f"\n{level.upper()}")
        for c in changes:
            lines.append(f"  {_where(c)}: {_what(c)}  [{c.rule}] {c.why}")
    if not diff.changes:
        lines.append("no changes")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_markdown(diff: SpecDiff) -> str:
    icon = {BREAKING: "🔴 breaking", MINOR: "🟡 minor", PATCH: "⚪ patch"}
    lines = [f"### Spec diff: {_md(headline(diff))}", ""]
    if diff.declared != diff.demanded and diff.changes:
        lines += [f"> The declared version bump is **{diff.declared}**; these changes demand **{diff.demanded}**.", ""]
    if not diff.changes:
        return "\n".join(lines + ["No changes."])
    lines += ["| level | element | requirement | change | rule | why |", "|---|---|---|---|---|---|"]
    for c in sorted(diff.changes, key=lambda c: ({BREAKING: 0, MINOR: 1, PATCH: 2}[c.level], c.element)):
        lines.append(f"| {icon[c.level]} | `{_md(c.element)}` | {'`' + c.requirement + '`' if c.requirement else ''} "
                     f"| {_md(_what(c))} | `{c.rule}` | {_md(c.why)} |")
    return "\n".join(lines)


def as_json(diffs: list[SpecDiff]) -> str:
    return json.dumps({"diffs": [d.to_json() for d in diffs]}, indent=1, ensure_ascii=False, default=str)


__all__ = ["as_json", "as_markdown", "as_text", "headline", "MINOR"]
