"""accord spec diff lists bench workload changes, each a minor change."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from accord.conformance.spectools.diff import diff_specs
from accord.spec import load_spec
from accord.spec.loader import load_spec_dir


def _copy(tmp_path: Path, name: str) -> Path:
    draft = load_spec("tensor", "draft").root
    target = tmp_path / name / "tensor" / "draft"
    shutil.copytree(draft, target)
    return target


def test_bench_workload_changes_are_listed_and_minor(tmp_path: Path) -> None:
    old_dir, new_dir = _copy(tmp_path, "old"), _copy(tmp_path, "new")
    path = new_dir / "bench.yaml"
    bench = yaml.safe_load(path.read_text())
    bench["overrides"]["roll"] = {"args": [{"array": {}}, 3]}  # changed
    del bench["overrides"]["flip"]  # removed
    bench["overrides"]["exp"] = {"shapes": "both"}  # added
    bench["composites"] = bench["composites"][:2]  # pairwise_distance removed
    path.write_text(yaml.safe_dump(bench, sort_keys=False))
    diff = diff_specs(load_spec_dir(old_dir), load_spec_dir(new_dir))
    bench_changes = {(c.path, c.kind) for c in diff.changes if c.element == "tensor.bench:bench"}
    assert bench_changes == {("$.overrides.roll", "changed"), ("$.overrides.flip", "removed"),
                             ("$.overrides.exp", "added"), ("$.composites.pairwise_distance", "removed")}
    assert {c.level for c in diff.changes if c.element == "tensor.bench:bench"} == {"minor"}


def test_a_new_bench_document_is_an_added_element(tmp_path: Path) -> None:
    old_dir, new_dir = _copy(tmp_path, "old"), _copy(tmp_path, "new")
    (old_dir / "bench.yaml").unlink()
    diff = diff_specs(load_spec_dir(old_dir), load_spec_dir(new_dir))
    added = [c for c in diff.changes if c.element == "tensor.bench:bench"]
    assert [(c.kind, c.rule, c.level) for c in added] == [("added", "element-added", "minor")]
