"""`accord spec validate`: every kind of problem is one exact `file:line: path: message` line, exit 2."""

from __future__ import annotations

from pathlib import Path

from accord_testing import accord

from accord.spec import check_paths, load_spec_dir


def lines(folder: Path) -> list[str]:
    return [str(p) for p in check_paths([folder])]


def rel(path: Path) -> str:
    import os

    return os.path.relpath(path)


def test_real_specs_are_valid() -> None:
    result = accord("spec", "validate")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_malformed_yaml(spec_folder) -> None:
    path = spec_folder("bad.yaml", "kind: tensor.function\nname: [unclosed\n")
    assert lines(spec_folder.folder) == [f"{rel(path)}:3: $: malformed YAML: expected ',' or ']', but got '<stream end>'"]


def test_python_tag_is_rejected(spec_folder) -> None:
    path = spec_folder("evil.yaml", "kind: tensor.function\nname: !!python/object/apply:os.system ['true']\n")
    assert lines(spec_folder.folder) == [
        f"{rel(path)}:2: $.name: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in spec documents"
    ]


def test_local_tag_is_rejected(spec_folder) -> None:
    path = spec_folder("tagged.yaml", "kind: tensor.function\nname: !custom add\n")
    assert lines(spec_folder.folder) == [f"{rel(path)}:2: $.name: YAML tag '!custom' is not allowed in spec documents"]


def test_duplicate_yaml_key(spec_folder) -> None:
    path = spec_folder("dup.yaml", "kind: tensor.function\nname: add\nname: sub\n")
    assert lines(spec_folder.folder) == [f"{rel(path)}:3: $.name: duplicate key 'name'"]


def test_unknown_key_in_manifest(spec_folder) -> None:
    manifest = spec_folder.folder / "spec.yaml"
    manifest.write_text(manifest.read_text() + "colour: blue\n")
    assert lines(spec_folder.folder) == [
        f"{rel(manifest)}:10: $.colour: unknown key 'colour' "
        "(allowed: capabilities, conditions, description, family, features, kind, provenance, standards, status, title, version)"
    ]


def test_unknown_kind(spec_folder) -> None:
    path = spec_folder("what.yaml", "kind: tensor.nonsense\nname: x\n")
    (problem,) = check_paths([spec_folder.folder])
    assert str(problem).startswith(f"{rel(path)}:1: $.kind: unknown document kind 'tensor.nonsense' (known: ")


def test_missing_kind(spec_folder) -> None:
    path = spec_folder("nokind.yaml", "name: x\n")
    assert lines(spec_folder.folder) == [f"{rel(path)}:1: $: missing 'kind'"]


def test_manifest_version_must_match_folder(spec_folder) -> None:
    manifest = spec_folder.folder / "spec.yaml"
    manifest.write_text(manifest.read_text().replace('version: "1.0"', 'version: "1.1"'))
    assert lines(spec_folder.folder) == [
        f"{rel(manifest)}:3: $.version: manifest says version '1.1' but the folder is '1.0'"
    ]


def test_unquoted_version_is_a_type_error(spec_folder) -> None:
    manifest = spec_folder.folder / "spec.yaml"
    manifest.write_text(manifest.read_text().replace('version: "1.0"', "version: 1.0"))
    problems = [str(p) for p in check_paths([spec_folder.folder])]
    assert f"{rel(manifest)}:3: $.version: 1.0 is not of type 'string'" in problems


def test_cli_prints_one_line_per_problem_and_exits_2(spec_folder) -> None:
    spec_folder("a.yaml", "kind: tensor.function\nname: [x\n")
    spec_folder("b.yaml", "kind: tensor.function\nname: !!python/name:os.system ''\n")
    result = accord("spec", "validate", str(spec_folder.folder))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2
    assert all(": $" in line for line in result.stderr.strip().splitlines())


def test_missing_path_is_one_line(tmp_path: Path) -> None:
    result = accord("spec", "validate", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr.strip().endswith(": $: no such file or folder")


def test_a_valid_folder_loads_into_frozen_objects(spec_folder) -> None:
    spec = load_spec_dir(spec_folder.folder)
    assert spec.family == "tensor" and spec.version == "1.0"
    assert spec.digest.startswith("sha256:")
    try:
        spec.manifest["title"] = "changed"  # type: ignore[index]
    except TypeError:
        pass
    else:
        raise AssertionError("spec data must be immutable")


# ---------------------------------------------------------------- problems between documents


def crafted_folder(tmp_path: Path, docs: list[dict]) -> Path:
    from accord_testing import CraftedRoot

    return CraftedRoot(tmp_path / "spec").write("1.0", docs)


def add(**changes) -> dict:
    import copy

    from accord_testing import ADD

    doc = copy.deepcopy(ADD)
    doc.update(changes)
    return doc


def test_duplicate_requirement_ids(tmp_path: Path) -> None:
    doc = add()
    doc["requirements"][1]["id"] = "tensor.add.values"
    folder = crafted_folder(tmp_path, [doc])
    path = rel(folder / "add.yaml")
    assert lines(folder) == [
        f"{path}:28: $.requirements[1].id: duplicate requirement id 'tensor.add.values' (first in {path}:19)"
    ]


def test_requirement_id_must_name_family_and_document(tmp_path: Path) -> None:
    doc = add()
    doc["requirements"][0]["id"] = "tensor.sub.values"
    folder = crafted_folder(tmp_path, [doc])
    assert lines(folder) == [
        f"{rel(folder / 'add.yaml')}:19: $.requirements[0].id: requirement id 'tensor.sub.values' must start with 'tensor.add.'"
    ]


def test_dangling_references(tmp_path: Path) -> None:
    schema = tmp_path / "spec" / "meta"
    folder = crafted_folder(tmp_path, [add()])
    import json

    op = json.loads((schema / "tensor.op.schema.json").read_text())
    op["properties"]["refs"] = {"$ref": "urn:accord:meta:common#/$defs/refs"}
    (schema / "tensor.op.schema.json").write_text(json.dumps(op))
    from accord.spec import loader

    loader._registry.cache_clear()
    loader._validator.cache_clear()
    (folder / "add.yaml").write_text((folder / "add.yaml").read_text() + "refs: ['tensor.op:subtract']\n")
    assert lines(folder) == [
        f"{rel(folder / 'add.yaml')}:37: $.refs[0]: reference 'tensor.op:subtract' does not resolve to any document of this version"
    ]


def test_undeclared_capability_and_feature(tmp_path: Path) -> None:
    doc = add()
    doc["requirements"][0]["capability"] = "nonsense"
    doc["requirements"][1]["feature"] = "float16"
    folder = crafted_folder(tmp_path, [doc])
    path = rel(folder / "add.yaml")
    assert lines(folder) == [
        f"{path}:21: $.requirements[0].capability: capability 'nonsense' is not declared in spec.yaml",
        f"{path}:30: $.requirements[1].feature: feature 'float16' is not declared in spec.yaml",
    ]


def test_unknown_key_in_a_requirement(tmp_path: Path) -> None:
    doc = add()
    doc["requirements"][0]["severity"] = "high"
    folder = crafted_folder(tmp_path, [doc])
    (problem,) = lines(folder)
    assert problem.startswith(f"{rel(folder / 'add.yaml')}:28: $.requirements[0].severity: unknown key 'severity'")
