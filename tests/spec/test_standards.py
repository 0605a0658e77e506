"""Which standard revision a spec version follows: manifest ``standards`` or ``spec/<family>/standards.yaml``.

Every real version names its standard(s), in agreement with its manifest provenance and with the
table in CONTRIBUTING.md; a wrong value is one ``file:line: path: message`` line naming the field.
"""

from __future__ import annotations

import os
import re

from accord_testing import REPO_ROOT

from accord.spec import FAMILIES, Standard, check_paths, load_spec, load_spec_dir, versions

ARRAY_API = Standard("Python array API standard", "2024.12", "https://data-apis.org/array-api/2024.12/")
TABLE = re.compile(r"<!-- standards-table:.*?-->\n(?P<body>.*?)<!-- /standards-table -->", re.DOTALL)
GOOD = '  - {name: Example standard, revision: "2024.12", url: "https://example.org/2024.12/"}\n'


def every_spec():
    return [load_spec(family, folder) for family in FAMILIES for folder in versions(family)]


def test_every_version_names_the_standard_it_follows() -> None:
    for spec in every_spec():
        assert spec.standards, f"{spec.family} {spec.version} names no standard"
        assert all(s.url.startswith("https://") and s.revision for s in spec.standards)
    for folder in ("1.0", "1.1", "2.0", "3.0"):
        assert load_spec("tensor", folder).standards == (ARRAY_API,)
    assert load_spec("tensor", "draft").standards == (
        Standard("Python array API standard", "2025.12", "https://data-apis.org/array-api/2025.12/"),)
    assert [str(s) for s in load_spec("faas", "1.0").standards] == [
        "CloudEvents 1.0.2", "HTTP Semantics RFC 9110", "OpenAPI Specification 3.1.0"]
    assert load_spec("pipeline", "1.1").standards[0].name.startswith("Apache Beam programming model")


def test_standards_agree_with_the_manifest_provenance() -> None:
    for spec in every_spec():
        provenance = spec.manifest.get("provenance", {})
        if "revision" in provenance:
            assert provenance["revision"] in {s.revision for s in spec.standards}, (spec.family, spec.version)
        if "url" in provenance:
            assert provenance["url"] in {s.url for s in spec.standards}, (spec.family, spec.version)
        assert any(s.name.split()[0] in provenance["source"] for s in spec.standards), (spec.family, spec.version)


def test_each_version_states_its_standards_in_one_place() -> None:
    """Versions released before the manifest field existed are in the family map; every later one
    (and the draft) in its own manifest; never both, so the two cannot disagree."""
    import yaml

    for family in FAMILIES:
        mapped = yaml.safe_load((REPO_ROOT / "spec" / family / "standards.yaml").read_text())["versions"]
        for folder in versions(family):
            spec = load_spec(family, folder)
            assert ("standards" in spec.manifest) != (folder in mapped), (family, folder)
            assert folder != "draft" or "standards" in spec.manifest, family
    assert "standards" in load_spec("tensor", "2.1").manifest  # released after the field existed


def contributing_rows() -> list[list[str]]:
    body = TABLE.search((REPO_ROOT / "CONTRIBUTING.md").read_text()).group("body")
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in body.splitlines() if line.strip()]
    return rows[2:]  # header and rule


def data_rows() -> list[list[str]]:
    rows = []
    for family in FAMILIES:
        for folder in versions(family):
            spec = load_spec(family, folder)
            where = (f"spec/{family}/{folder}/spec.yaml" if "standards" in spec.manifest
                     else f"spec/{family}/standards.yaml")
            rows.append([family, spec.version + (" (draft)" if folder == "draft" else ""),
                         "; ".join(s.name for s in spec.standards), "; ".join(s.revision for s in spec.standards),
                         f"`{where}`"])
    return rows


def test_contributing_table_agrees_with_the_spec_data() -> None:
    assert contributing_rows() == data_rows()


def test_contributing_table_check_sees_a_stale_row() -> None:
    rows = contributing_rows()
    rows[0][3] = "2023.12"  # the table says an older revision than the data
    assert rows != data_rows()


# ------------------------------------------------------------------ crafted folders


def rel(path) -> str:
    return os.path.relpath(path)


def with_standards(spec_folder, text: str):
    manifest = spec_folder.folder / "spec.yaml"
    manifest.write_text(manifest.read_text() + "standards:\n" + text)
    return manifest


def test_manifest_standards_load(spec_folder) -> None:
    with_standards(spec_folder, GOOD)
    spec = load_spec_dir(spec_folder.folder)
    assert spec.standards == (Standard("Example standard", "2024.12", "https://example.org/2024.12/"),)
    assert spec.standards[0].to_json() == {"name": "Example standard", "revision": "2024.12",
                                           "url": "https://example.org/2024.12/"}


def test_a_missing_revision_is_one_line(spec_folder) -> None:
    manifest = with_standards(spec_folder, '  - {name: Example standard, url: "https://example.org/"}\n')
    assert [str(p) for p in check_paths([spec_folder.folder])] == [
        f"{rel(manifest)}:11: $.standards[0]: 'revision' is a required property"]


def test_a_url_that_is_no_https_link_is_one_line(spec_folder) -> None:
    manifest = with_standards(spec_folder, '  - {name: Example standard, revision: "1", url: example.org}\n')
    problems = [str(p) for p in check_paths([spec_folder.folder])]
    assert problems == [f"{rel(manifest)}:11: $.standards[0].url: 'example.org' does not match '^https://[^\\\\s]+$'"]
    assert "\n" not in problems[0]


def test_an_empty_list_and_an_unknown_key_are_refused(spec_folder) -> None:
    manifest = with_standards(spec_folder, GOOD.replace("}", ", edition: 2}"))
    assert [str(p) for p in check_paths([spec_folder.folder])] == [
        f"{rel(manifest)}:11: $.standards[0].edition: unknown key 'edition' (allowed: name, note, revision, url)"]


def family_map(spec_folder, versions_text: str):
    path = spec_folder.folder.parent / "standards.yaml"
    path.write_text("kind: standards\nfamily: tensor\nversions:\n" + versions_text)
    return path


def test_the_family_map_names_a_released_version(spec_folder) -> None:
    family_map(spec_folder, '  "1.0":\n  ' + GOOD)
    assert load_spec_dir(spec_folder.folder).standards[0].name == "Example standard"


def test_a_bad_family_map_value_names_its_file_and_field(spec_folder) -> None:
    path = family_map(spec_folder, '  "1.0":\n    - {name: "", revision: "1", url: "https://example.org/"}\n')
    assert [str(p) for p in check_paths([spec_folder.folder])] == [
        f"{rel(path)}:5: $.versions.1.0[0].name: '' should be non-empty"]


def test_the_family_map_may_not_name_a_version_without_a_folder(spec_folder) -> None:
    path = family_map(spec_folder, '  "1.0":\n  ' + GOOD + '  "9.0":\n  ' + GOOD)
    problems = [str(p) for p in check_paths([spec_folder.folder])]
    assert problems == [f"{rel(path)}:7: $.versions.9.0: no released version folder tensor/9.0: only versions "
                        "released before the manifest field `standards` existed belong here (a draft states its "
                        "own in spec.yaml)"]


def test_a_version_is_named_in_one_place_only(spec_folder) -> None:
    with_standards(spec_folder, GOOD)
    path = family_map(spec_folder, '  "1.0":\n  ' + GOOD)
    assert [str(p) for p in check_paths([spec_folder.folder])] == [
        f"{rel(path)}:5: $.versions.1.0: tensor 1.0 states its standards in its spec.yaml already: name them in one place"]
