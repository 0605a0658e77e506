"""``accord spec release``: freeze ``draft/`` into a released, immutable version folder.

Like the array API standard's rule that a proposal needs implementations, a new
MUST requirement is released only when reports show at least two real (non-
reference) adapters passing it.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

from accord.spec import SPEC_ROOT, Spec, digest, load_spec_dir, versions

from .diff import SpecDiff, diff_specs
from .report_format import as_markdown
from .rules import BUMP_ORDER, declared_bump

MIN_IMPLEMENTATIONS = 2


class ReleaseError(Exception):
    """The release is refused; the message says why in one line."""


def new_must_requirements(diff: SpecDiff, draft: Spec) -> list[str]:
    """MUST requirements the draft adds: on new elements, new on old elements, or raised to MUST."""
    ids = []
    added_elements = {c.element for c in diff.changes if c.rule == "element-added"}
    for r in draft.requirements:
        if r.level != "MUST":
            continue
        ref = f"{r.document_kind}:{r.document_name}"
        if ref in added_elements or any(
            c.requirement == r.id and c.rule in ("requirement-added-must", "level-raised") for c in diff.changes
        ):
            ids.append(r.id)
    return ids


def evidence(reports: list[Path], family: str) -> dict[str, set[str]]:
    """Requirement id → the real adapters whose reports show it passing."""
    from accord.conformance.report import load_report

    passing: dict[str, set[str]] = defaultdict(set)
    for path in reports:
        try:
            data = load_report(path)
        except ValueError as exc:
            raise ReleaseError(str(exc)) from None
        if data["spec"]["family"] != family or data["adapter"].get("is_reference"):
            continue
        adapter = f"{data['adapter']['name']}@{data['adapter']['backend'].get('version')}"
        for r in data["requirements"]:
            if r["status"] == "pass":
                passing[r["id"]].add(data["adapter"]["name"] or adapter)
    return passing


def release(family: str, version: str, evidence_reports: list[Path], root: Path = SPEC_ROOT) -> tuple[Path, SpecDiff]:
    draft_dir = root / family / "draft"
    target = root / family / version
    if not (draft_dir / "spec.yaml").is_file():
        raise ReleaseError(f"spec {family} has no draft/ to release")
    if target.exists():
        raise ReleaseError(f"spec {family} {version} already exists: released versions are immutable")
    if not re.fullmatch(r"\d+\.\d+(\.\d+)?", version):
        raise ReleaseError(f"version {version!r} is not MAJOR.MINOR[.PATCH]")
    draft = _load(draft_dir)
    released = [v for v in versions(family, root) if v != "draft"]
    if not released:
        raise ReleaseError(f"spec {family} has no released version to compare the draft with")
    previous = _load(root / family / released[-1])
    diff = diff_specs(previous, draft)
    diff.new_version = version
    bump = declared_bump(previous.version, version)
    if BUMP_ORDER[bump] < BUMP_ORDER[diff.demanded]:
        raise ReleaseError(f"{family} {previous.version} → {version} is a {bump} bump but the changes demand "
                           f"a {diff.demanded} bump (run 'accord spec diff {family} {previous.version} {family} draft')")
    if draft.version != version:
        raise ReleaseError(f"draft/spec.yaml declares version {draft.version!r}; set it to {version!r} in the "
                           "pull request that prepares the release")
    lacking = []
    passing = evidence(evidence_reports, family)
    for rid in new_must_requirements(diff, draft):
        if len(passing.get(rid, ())) < MIN_IMPLEMENTATIONS:
            have = ", ".join(sorted(passing.get(rid, ()))) or "none"
            lacking.append(f"{rid} (passing on: {have})")
    if lacking:
        raise ReleaseError(f"{len(lacking)} new MUST requirement(s) lack evidence from {MIN_IMPLEMENTATIONS} real "
                           f"adapters: {'; '.join(lacking)}")

    shutil.copytree(draft_dir, target)
    manifest = target / "spec.yaml"
    text = manifest.read_text()
    text = re.sub(r"(?m)^status:\s*draft\s*$", "status: released", text)
    manifest.write_text(text)
    _load(target)  # the released folder must itself be valid
    digests_path = root / "released.json"
    digests = json.loads(digests_path.read_text()) if digests_path.is_file() else {}
    digests[f"{family}/{version}"] = digest(target)
    digests_path.write_text(json.dumps(dict(sorted(digests.items())), indent=2) + "\n")
    record_changes(root / family, family, version, as_markdown(diff))
    return target, diff


#: the hand-written notes of the open draft, in ``spec/<family>/changes/`` (outside every digested folder)
DRAFT_NOTES = "draft.md"


def record_changes(folder: Path, family: str, version: str, markdown: str) -> None:
    """Every change of a release in ``changes/<version>.md``; ``CHANGELOG.md`` lists the releases, newest
    first, each with its diff's summary line and a link (one file per release stays readable).

    What the diff cannot say (which statements of a standard were read and left out, and why) is written
    by hand in ``changes/draft.md`` while the draft is open; the release moves it under the diff.
    """
    changes = folder / "changes" / f"{version}.md"
    changes.parent.mkdir(exist_ok=True)
    notes_file = changes.parent / DRAFT_NOTES
    notes = notes_file.read_text().strip() if notes_file.is_file() else ""
    changes.write_text(f"# {family} {version}\n\n{markdown}\n" + (f"\n## Notes\n\n{notes}\n" if notes else ""))
    if notes_file.is_file():
        notes_file.unlink()
    summary = next((line.lstrip("#").strip() for line in markdown.splitlines() if line.strip()), "")
    entry = f"## {family} {version}\n\n{summary}. Every change: [changes/{version}.md](changes/{version}.md)\n\n"
    changelog = folder / "CHANGELOG.md"
    old = changelog.read_text() if changelog.is_file() else f"# {family} spec changelog\n\n"
    head, _, rest = old.partition("\n\n")
    changelog.write_text(f"{head}\n\n{entry}{rest}")


def _load(folder: Path) -> Spec:
    from accord.spec import SpecError

    try:
        return load_spec_dir(folder)
    except SpecError as exc:
        raise ReleaseError(f"{folder}: invalid spec: {exc.problems[0]}") from None
