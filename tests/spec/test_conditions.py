"""Requirements' conditions (strata): listed as data, each kind declared in the manifest's vocabulary."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
from accord_testing import ADD, MANIFEST, CraftedRoot

from accord.spec import check_paths, load_spec, load_spec_dir

VOCABULARY = [{"kind": "nan", "meaning": "a NaN operand"},
              {"kind": "non-default", "meaning": "a parameter off its default", "argument": "the parameter"}]


def _folder(tmp_path: Path, conditions: list | None) -> Path:
    doc = copy.deepcopy(ADD)
    if conditions is not None:
        doc["requirements"][0]["conditions"] = conditions
    manifest = {**copy.deepcopy(MANIFEST), "conditions": VOCABULARY}
    return CraftedRoot(tmp_path / "spec").write("1.0", [doc], manifest=manifest)


def _problems(folder: Path) -> list[str]:
    return [str(p) for p in check_paths([folder])]


def test_declared_conditions_load(tmp_path: Path) -> None:
    spec = load_spec_dir(_folder(tmp_path, ["nan", "non-default:x2"]))
    assert spec.requirement("tensor.add.values").conditions == ("nan", "non-default:x2")
    assert spec.requirement("tensor.add.complex").conditions is None  # not listed
    assert spec.condition_kind("non-default:x2").argument == "the parameter"


def test_an_empty_list_says_the_text_states_none(tmp_path: Path) -> None:
    assert load_spec_dir(_folder(tmp_path, [])).requirement("tensor.add.values").conditions == ()


def test_an_unknown_kind_is_one_line_naming_file_line_and_path(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["nan", "ties"])
    (problem,) = _problems(folder)
    path = os.path.relpath(folder / "add.yaml")
    assert problem.startswith(f"{path}:")
    assert "$.requirements[0].conditions[1]: unknown condition kind 'ties'" in problem
    line = int(problem.split(":")[1])
    assert "ties" in (folder / "add.yaml").read_text().splitlines()[line - 1]


@pytest.mark.parametrize(("condition", "message"), [
    ("non-default", "condition 'non-default' needs an argument"),
    ("nan:x1", "condition 'nan' takes no argument"),
])
def test_the_argument_is_as_declared(tmp_path: Path, condition: str, message: str) -> None:
    (problem,) = _problems(_folder(tmp_path, [condition]))
    assert message in problem


def test_a_malformed_condition_is_a_schema_error(tmp_path: Path) -> None:
    (problem,) = _problems(_folder(tmp_path, ["NaN values"]))
    assert "$.requirements[0].conditions[0]" in problem


@pytest.mark.parametrize("family", ["tensor", "pipeline", "faas"])
def test_every_draft_requirement_lists_its_conditions(family: str) -> None:
    spec = load_spec(family, "draft")
    unlisted = [r.id for r in spec.requirements if r.conditions is None]
    assert not unlisted, f"{len(unlisted)} requirements list no conditions (conditions: [] if the text states none)"
    assert any(r.conditions for r in spec.requirements)
