"""Plan files: schema problems are one line naming file:line and the field; cells and their ids are stable;
an environment's cache key follows its requirements."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from accord_testing import REPO_ROOT, TESTS_ENV, accord

from accord.conformance.plan.envs import env_key
from accord.conformance.plan.model import PlanError, cell_id, load_plan

PLAN = """\
plan: t
defaults:
  seeds: [1, 2]
  options: {max_examples: 3, select: ["tensor.add.*"]}
matrix:
  - family: tensor
    adapter: numpy
    backend: {package: numpy, versions: ["1.26.4", "2.4.6"]}
    spec_versions: ["1.0", "1.1"]
  - family: tensor
    adapter: reference
    spec_versions: ["1.1"]
    seeds: [7]
    options: {timeout: 5}
"""
LINE = re.compile(r"^\S+\.yaml:\d+: \$\S*: \S")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(PlanError) as caught:
        load_plan(write(tmp_path, text))
    return caught.value.problems


def test_a_plan_expands_into_cells_with_stable_ids(tmp_path: Path) -> None:
    path = write(tmp_path, PLAN)
    cells = load_plan(path).cells
    assert [c.id for c in cells] == [
        f"tensor-numpy-{v}-spec{s}-seed{seed}" for v in ("1.26.4", "2.4.6") for s in ("1.0", "1.1") for seed in (1, 2)
    ] + ["tensor-reference-spec1.1-seed7"]
    assert [c.id for c in load_plan(path).cells] == [c.id for c in cells]  # the same plan, the same ids
    first, last = cells[0], cells[-1]
    assert first.requirements == ("numpy==1.26.4",) and first.select == ("tensor.add.*",)
    assert first.max_examples == 3 and first.timeout == 30.0  # defaults merged key by key with the built-ins
    assert last.requirements == () and last.timeout == 5.0 and last.max_examples == 3 and last.seed == 7
    assert cell_id("pipeline", "beam", "2.60.0", "1.0", 1) == "pipeline-beam-2.60.0-spec1.0-seed1"


@pytest.mark.parametrize(("change", "line", "field", "words"), [
    (("    adapter: numpy\n", "    adapter: numpy\n    adaptr: x\n"), 8, "$.matrix[0].adaptr", "unknown key 'adaptr'"),
    (('spec_versions: ["1.0", "1.1"]', "spec_versions: [1.0, \"1.1\"]"), 9, "$.matrix[0].spec_versions[0]",
     "1.0 is not of type 'string' (quote it"),
    (("seeds: [1, 2]", "seeds: [-1]"), 3, "$.defaults.seeds[0]", "less than the minimum"),
    (("max_examples: 3", "max_examples: 0"), 4, "$.defaults.options.max_examples", "less than the minimum"),
    (('"1.26.4"', '"latest"'), 8, "$.matrix[0].backend.versions[0]", "'latest' is not a valid value"),
    (("    spec_versions: [\"1.1\"]\n", ""), 10, "$.matrix[1]", "'spec_versions' is a required property"),
    (('spec_versions: ["1.1"]', 'spec_versions: ["9.9"]'), 12, "$.matrix[1].spec_versions[0]",
     "tensor has no spec version '9.9'"),
])
def test_each_problem_is_one_line_naming_the_line_and_the_field(tmp_path: Path, change: tuple[str, str], line: int,
                                                                 field: str, words: str) -> None:
    old, new = change
    assert old in PLAN
    found = problems(tmp_path, PLAN.replace(old, new, 1))
    assert len(found) == 1, found
    assert found[0].startswith(f"{tmp_path / 'plan.yaml'}:{line}: {field}: "), found
    assert words in found[0] and "\n" not in found[0], found


def test_a_cell_twice_is_a_problem(tmp_path: Path) -> None:
    twice = PLAN + "  - family: tensor\n    adapter: reference\n    spec_versions: [\"1.1\"]\n    seeds: [7]\n"
    found = problems(tmp_path, twice)
    assert len(found) == 1 and "$.matrix[2]: cell tensor-reference-spec1.1-seed7 is already in the plan" in found[0]


def test_accord_plan_validate_prints_one_line_per_problem_and_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, PLAN.replace("adapter: numpy", "adapter: numpy\n    colour: red")
                 .replace("seeds: [7]", "seeds: seven"))
    done = accord("plan", "validate", str(path), env=TESTS_ENV, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and all(LINE.match(line) for line in lines), lines
    assert "$.matrix[0].colour: unknown key" in lines[0] and "$.matrix[1].seeds:" in lines[1], lines
    valid = accord("plan", "validate", str(write(tmp_path, PLAN)), env=TESTS_ENV, timeout=120)
    assert valid.returncode == 0 and "9 cells" in valid.stdout, valid.stdout + valid.stderr


def test_the_shipped_example_plan_is_valid() -> None:
    plan = load_plan(REPO_ROOT / "examples" / "plans" / "array-api.yaml")
    backends = {(c.adapter, c.version) for c in plan.cells}
    assert len([b for b in backends if b[0] == "numpy"]) == 4 and len(plan.cells) == 20


def test_the_environment_key_follows_the_requirements() -> None:
    key = env_key(("numpy==2.0.2", "six"))
    assert key == env_key(["six", "numpy==2.0.2"])  # order does not matter
    assert key != env_key(("numpy==2.0.1", "six"))
    assert key != env_key(("numpy==2.0.2",))
    assert key != env_key(("numpy==2.0.2", "six"), python="CPython-3.12.0-/usr/bin/python3")
    assert re.fullmatch(r"[0-9a-f]{16}", key)
