"""The standard revision each spec version follows is shown wherever spec versions are:
``accord adapters`` (table and --json), reports, ``matrix.json`` and its page, and ``accord spec render``."""

from __future__ import annotations

import json
from pathlib import Path

from accord_testing import accord
from accord_testing.matrix_fixtures import report, write_set
from accord_testing.runners import run_matrix

from accord.conformance.publish.jsonout import validate_matrix
from accord.conformance.report import Report
from accord.conformance.spectools.render import render_html, render_markdown
from accord.spec import load_spec

ARRAY_API = {"name": "Python array API standard", "revision": "2024.12", "url": "https://data-apis.org/array-api/2024.12/"}
ARRAY_API_2025 = {"name": "Python array API standard", "revision": "2025.12",
                  "url": "https://data-apis.org/array-api/2025.12/"}


def test_adapters_json_names_the_standard_of_every_declared_spec_version() -> None:
    result = accord("adapters", "--family", "tensor", "--json")
    assert result.returncode == 0, result.stderr
    numpy = next(a for a in json.loads(result.stdout) if a["name"] == "numpy")
    assert numpy["spec_versions"] == ["1.0", "1.1", "2.0", "2.1", "3.0", "4.0"]
    assert numpy["standards"] == {**{v: [ARRAY_API] for v in ("1.0", "1.1", "2.0", "2.1", "3.0")}, "4.0": [ARRAY_API_2025]}


def test_adapters_table_names_the_standard() -> None:
    result = accord("adapters", "--family", "pipeline")
    assert result.returncode == 0, result.stderr
    assert "standards followed" in result.stdout and "Apache Beam programming model" in result.stdout


def test_a_report_carries_the_standards_of_its_spec_version() -> None:
    spec = load_spec("faas", "1.1")
    data = Report(None, spec, [], {"seed": 1}, "faas.reference").data
    assert [(s["name"], s["revision"]) for s in data["spec"]["standards"]] == [
        ("CloudEvents", "1.0.2"), ("HTTP Semantics", "RFC 9110"), ("OpenAPI Specification", "3.1.0")]


def test_matrix_json_and_page_show_the_standards(tmp_path: Path) -> None:
    with_standards = report("tensor", "numpy", "2.1.0", {})
    with_standards["spec"]["standards"] = [ARRAY_API]
    without = report("pipeline", "beam", "2.77.0", {})  # a report from before the field: still combined
    write_set(tmp_path / "r", {"t.json": with_standards, "p.json": without})
    code, _, stderr = run_matrix(str(tmp_path / "r"), "--out", str(tmp_path / "site"))
    assert code == 0, stderr
    matrix = json.loads((tmp_path / "site" / "matrix.json").read_text())
    assert validate_matrix(matrix) == []
    specs = {f["family"]: f["specs"] for f in matrix["families"]}
    assert specs["tensor"][0]["standards"] == [ARRAY_API]
    assert "standards" not in specs["pipeline"][0]
    page = (tmp_path / "site" / "index.html").read_text()
    header = page.split("</header>", 1)[0]
    assert ('<li data-spec="tensor/1.0">tensor 1.0 follows <a href="https://data-apis.org/array-api/2024.12/" '
            'rel="noopener">Python array API standard 2024.12</a></li>') in header
    markdown = (tmp_path / "site" / "matrix.md").read_text()
    assert ("- spec 1.0 follows [Python array API standard 2024.12](<https://data-apis.org/array-api/2024.12/>)"
            in markdown.split("## tensor", 1)[1].split("## ", 1)[0])
    assert "follows" not in markdown.split("## pipeline", 1)[1].split("## ", 1)[0]
    specs["tensor"][0]["standards"] = [{"name": "Python array API standard"}]  # no revision, no url
    problems = validate_matrix(matrix)
    assert problems and all("standards" in p and "\n" not in p for p in problems), problems


def test_rendered_spec_docs_name_the_standard() -> None:
    spec = load_spec("tensor", "2.0")
    header = render_html(spec).split("</header>", 1)[0]
    assert ('<div class="standards">Follows <a href="https://data-apis.org/array-api/2024.12/">'
            "Python array API standard 2024.12</a></div>") in header
    assert ("Follows [Python array API standard 2024.12](https://data-apis.org/array-api/2024.12/)"
            in render_markdown(spec))
    draft = render_html(load_spec("faas", "draft"))
    assert "CloudEvents 1.0.2</a> (core, HTTP protocol binding, JSON event format)" in draft
