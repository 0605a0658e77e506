"""Rendered docs carry a stable anchor per requirement; releases freeze the draft, with evidence."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest
from accord_testing import accord

from accord.conformance.spectools.release import ReleaseError, release
from accord.conformance.spectools.render import render_html, render_markdown
from accord.spec import check_folder, load_spec_dir


def test_render_has_an_anchor_per_requirement_and_escapes(crafted, add_doc) -> None:
    add_doc["summary"] = "Adds <script>alert(1)</script> & more."
    spec = load_spec_dir(crafted.write("1.0", [add_doc]))
    page = render_html(spec)
    assert 'id="tensor.add.values"' in page and 'id="tensor.add.complex"' in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "add(x1, x2, /)" in page  # the signature line
    md = render_markdown(spec)
    assert '<a id="tensor.add.values"></a>' in md


@pytest.mark.parametrize("family", ["tensor", "pipeline", "faas"])
def test_render_lists_every_bench_workload_of_the_version(family: str) -> None:
    from accord.conformance.bench.families import family_module
    from accord.spec import load_spec

    spec = load_spec(family, "draft")
    ids = [w.id for w in family_module(family).workloads(spec, 1)]
    page, md = render_html(spec), render_markdown(spec)
    assert ids and "Bench workloads" in page and "## Bench workloads" in md
    assert all(f"<code>{i}</code>" in page and f"| `{i}` |" in md for i in ids)


def test_render_cli_writes_every_family_with_changelog(tmp_path: Path) -> None:
    result = accord("spec", "render", "--out", str(tmp_path / "docs"))
    assert result.returncode == 0, result.stderr
    families = [p.name for p in (tmp_path / "docs").iterdir() if p.is_dir()]
    assert families
    for family in families:
        assert (tmp_path / "docs" / family / "changelog.html").is_file()
        assert any((tmp_path / "docs" / family).glob("*/index.html"))


def _report(path: Path, adapter: str, passing: list[str], is_reference: bool = False) -> Path:
    data = {
        "format": "accord-report", "format_version": 1, "accord_version": "0.1.0",
        "spec": {"family": "tensor", "version": "1.1", "digest": "sha256:" + "0" * 64, "status": "draft"},
        "adapter": {"name": adapter, "family": "tensor", "backend": {"package": adapter, "version": "1"},
                    "claims": [], "is_reference": is_reference},
        "platform": {"python": "3.11", "system": "Linux", "machine": "x86_64"},
        "settings": {"seed": 1, "max_examples": 10, "timeout": 1.0},
        "started": "2026-11-29T00:00:00+00:00", "duration": 1.0, "state": "complete",
        "requirements": [{"id": rid, "level": "MUST", "capability": "arithmetic", "status": "pass"} for rid in passing],
        "summary": {"pass": len(passing)},
    }
    path.write_text(json.dumps(data))
    return path


def test_release_needs_two_real_implementations(crafted, add_doc, tmp_path: Path) -> None:
    crafted.write("1.0", [add_doc])
    new = copy.deepcopy(add_doc)
    new["requirements"].append({**new["requirements"][0], "id": "tensor.add.dtype", "check": "dtype",
                                "summary": "Result dtype."})
    crafted.write("draft", [new], declared="2.0")
    one = _report(tmp_path / "a.json", "numpy", ["tensor.add.dtype"])
    ref = _report(tmp_path / "r.json", "reference", ["tensor.add.dtype"], is_reference=True)
    with pytest.raises(ReleaseError, match=r"tensor.add.dtype \(passing on: numpy\)"):
        release("tensor", "2.0", [one, ref], crafted.root)
    two = _report(tmp_path / "b.json", "torch", ["tensor.add.dtype"])
    notes = crafted.root / "tensor" / "changes" / "draft.md"
    notes.parent.mkdir(exist_ok=True)
    notes.write_text("Skipped: the sentence about users.\n")
    target, diff = release("tensor", "2.0", [one, two, ref], crafted.root)
    released_notes = (crafted.root / "tensor" / "changes" / "2.0.md").read_text()
    assert "## Notes\n\nSkipped: the sentence about users." in released_notes and not notes.exists()
    assert (target / "spec.yaml").read_text().count("status: released") == 1
    digests = json.loads((crafted.root / "released.json").read_text())
    assert digests["tensor/2.0"].startswith("sha256:")
    changelog = (crafted.root / "tensor" / "CHANGELOG.md").read_text()
    assert "## tensor 2.0" in changelog and "(changes/2.0.md)" in changelog
    assert "tensor.add.dtype" in (crafted.root / "tensor" / "changes" / "2.0.md").read_text()
    assert check_folder(target)[0] == []
    # released folders are immutable: validation notices an edit
    (target / "add.yaml").write_text((target / "add.yaml").read_text().replace("Adds.", "Adds!"))
    problems = [str(p) for p in check_folder(target)[0]]
    assert len(problems) == 1 and "was modified" in problems[0]


def test_release_refuses_a_too_small_bump_and_existing_versions(crafted, add_doc) -> None:
    crafted.write("1.0", [add_doc])
    new = copy.deepcopy(add_doc)
    new["requirements"][0]["compare"]["ulp"] = 0  # tightened: breaking
    crafted.write("draft", [new], declared="1.1")
    with pytest.raises(ReleaseError, match="minor bump but the changes demand a major bump"):
        release("tensor", "1.1", [], crafted.root)
    with pytest.raises(ReleaseError, match="already exists"):
        release("tensor", "1.0", [], crafted.root)


def test_diff_between_git_revisions(tmp_path: Path) -> None:
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent)
    if head.returncode != 0:
        pytest.fail("the kit's tests run from a git checkout")
    result = accord("spec", "diff", "--git", "HEAD", "HEAD", "--json")
    assert result.returncode == 0, result.stderr
    diffs = json.loads(result.stdout)["diffs"]
    assert {d["family"] for d in diffs} == {"tensor", "pipeline", "faas"}  # every family version at both
    assert all(d["changes"] == [] for d in diffs)
    bad = accord("spec", "diff", "--git", "no-such-revision", "HEAD")
    assert bad.returncode == 2 and "no-such-revision" in bad.stderr
