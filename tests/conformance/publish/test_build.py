"""`accord matrix REPORT… --out DIR` on crafted reports: validation, digests, scores, outputs, escaping."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
from accord_testing.matrix_fixtures import DIGEST_A, DIGEST_B, HOSTILE, report, write_set
from accord_testing.runners import run_accord, run_matrix

from accord.conformance.publish.jsonout import matrix_schema


def _column(model: dict, family: str, col_id: str) -> dict:
    fam = next(f for f in model["families"] if f["family"] == family)
    return next(c for c in fam["columns"] if c["id"] == col_id)


def build(reports: Path | list[Path], out: Path, *extra: str) -> dict:
    paths = [str(p) for p in (reports if isinstance(reports, list) else [reports])]
    code, stdout, stderr = run_matrix(*paths, "--out", str(out), *extra)
    assert code == 0, stderr
    return json.loads((out / "matrix.json").read_text())


def test_outputs_exist_and_matrix_json_matches_its_schema(reports: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    model = build(reports, out)
    jsonschema.Draft202012Validator(matrix_schema()).validate(model)
    assert matrix_schema()["$id"] == "urn:accord:meta:matrix"
    assert (out / "index.html").is_file() and (out / "matrix.md").is_file()
    assert (out / "badges" / "numpy-tensor-1.0.svg").is_file()
    assert [f["family"] for f in model["families"]] == ["pipeline", "tensor"]
    tensor = model["families"][1]
    assert [c["title"] for c in tensor["capabilities"]] == ["Element-wise arithmetic", "Reductions", "Complex numbers"]


def test_per_level_scores_are_separate_and_xfail_counts_as_failure(reports: Path, tmp_path: Path) -> None:
    model = build(reports, tmp_path / "site")
    numpy = _column(model, "tensor", "tensor:1.0:numpy@2.4.0")
    # add.broadcast is a declared known failure (xfail): a MUST failure, not hidden
    assert numpy["scores"]["MUST"] == {"passed": 3, "total": 4, "percent": 75, "not_run": 0}
    # divide.by_zero is xpass (declared but passed): counts as passed
    assert numpy["scores"]["SHOULD"] == {"passed": 2, "total": 2, "percent": 100, "not_run": 0}
    assert numpy["scores"]["MAY"]["percent"] == 100
    assert numpy["scores"]["all"] == {"passed": 6, "total": 7, "percent": 85, "not_run": 0}
    xfail = numpy["results"]["tensor.add.broadcast"]
    assert xfail["status"] == "xfail"
    assert xfail["declared"] == {"reason": "known rounding difference in the backend",
                                 "pattern": "tensor.add.broadcast", "link": "https://example.org/issues/42"}
    assert xfail["repro"].startswith("accord repro ") and xfail["repro"].endswith(" tensor.add.broadcast")
    assert numpy["groups"]["arithmetic"] == {"state": "partial", "passed": 2, "total": 3, "not_run": 0}
    old = _column(model, "tensor", "tensor:1.0:numpy@2.3.0")
    assert old["scores"]["MUST"]["percent"] == 100 and old["scores"]["SHOULD"]["percent"] == 50
    assert old["groups"]["complex"]["state"] == "not-claimed"


def test_adapter_where_everything_errored_is_broken_not_zero(reports: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    model = build(reports, out)
    dask = _column(model, "tensor", "tensor:1.0:dask@2024.8.0")
    assert dask["broken"].startswith("every requirement that ran ended in error")
    assert {g["state"] for g in dask["groups"].values()} == {"broken"}
    badge = next(b for b in model["badges"] if b["adapter"] == "dask")
    assert badge["message"] == "adapter broken"
    assert "adapter broken" in (out / "matrix.md").read_text()
    torch = _column(model, "tensor", "tensor:1.0:torch@2.13.0")  # errors and failures, but some passes
    assert torch["broken"] is None and torch["scores"]["MUST"]["percent"] == 25


def test_aborted_run_is_broken(tmp_path: Path) -> None:
    data = report("tensor", "numpy", "2.4.0", {rid: "not-run" for rid in ("tensor.add.values", "tensor.add.broadcast",
              "tensor.divide.by_zero", "tensor.sum.values", "tensor.sum.empty", "tensor.mean.values",
              "tensor.add.complex")}, state="aborted", error="worker could not start: ImportError: numpy")
    write_set(tmp_path / "r", {"a.json": data})
    model = build(tmp_path / "r", tmp_path / "site")
    assert model["families"][0]["columns"][0]["broken"] == \
        "the run was aborted: worker could not start: ImportError: numpy"


def test_interrupted_run_shows_not_run(reports: Path, tmp_path: Path) -> None:
    model = build(reports, tmp_path / "site")
    jax = _column(model, "tensor", "tensor:1.0:jax@0.4.30")
    assert jax["state"] == "interrupted"
    assert jax["groups"]["reductions"] == {"state": "not-run", "passed": 0, "total": 0, "not_run": 3}
    assert jax["scores"]["MUST"] == {"passed": 2, "total": 2, "percent": 100, "not_run": 2}


def test_invalid_report_is_one_line_and_exit_2(reports: Path, tmp_path: Path) -> None:
    bad = reports / "zz-bad.json"
    data = report("tensor", "numpy", "2.4.0", {})
    data["requirements"][0]["status"] = "passed"  # not a status
    bad.write_text(json.dumps(data))
    code, stdout, stderr = run_matrix(str(reports), "--out", str(tmp_path / "site"))
    assert code == 2
    assert stderr.count("\n") == 1 and "zz-bad.json" in stderr and "requirements" in stderr and "passed" in stderr
    assert not (tmp_path / "site").exists()


def test_skip_invalid_publishes_the_rest_and_lists_skipped(reports: Path, tmp_path: Path) -> None:
    (reports / "broken-json.json").write_text("{not json")
    (reports / "empty.json").write_text("[]")
    out = tmp_path / "site"
    code, stdout, stderr = run_matrix(str(reports), "--out", str(out), "--skip-invalid")
    assert code == 0
    assert "skipped invalid report:" in stderr and "broken-json.json" in stderr and "empty.json" in stderr
    model = json.loads((out / "matrix.json").read_text())
    assert len(model["skipped"]) == 2 and any("broken-json.json" in s for s in model["skipped"])
    assert sum(len(f["columns"]) for f in model["families"]) == 10
    assert "Skipped reports" in (out / "matrix.md").read_text()


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    code, _, stderr = run_matrix(str(tmp_path / "nope.json"), "--out", str(tmp_path / "site"))
    assert code == 2 and stderr.strip() == f"accord: error: {tmp_path / 'nope.json'}: no such file or folder"


def test_mixed_digests_refused_naming_both_files(tmp_path: Path) -> None:
    write_set(tmp_path / "r", {"one.json": report("tensor", "numpy", "2.4.0", {}, digest=DIGEST_A),
                               "two.json": report("tensor", "torch", "2.13.0", {}, digest=DIGEST_B)})
    code, _, stderr = run_matrix(str(tmp_path / "r"), "--out", str(tmp_path / "site"))
    assert code == 2 and stderr.count("\n") == 1
    assert "one.json" in stderr and "two.json" in stderr and "tensor 1.0" in stderr and "--allow-mixed" in stderr


def test_allow_mixed_gives_marked_separate_columns(tmp_path: Path) -> None:
    write_set(tmp_path / "r", {"one.json": report("tensor", "numpy", "2.4.0", {}, digest=DIGEST_A),
                               "two.json": report("tensor", "numpy", "2.4.0", {"tensor.add.values": "fail"},
                                                  digest=DIGEST_B)})
    out = tmp_path / "site"
    model = build(tmp_path / "r", out, "--allow-mixed")
    cols = model["families"][0]["columns"]
    assert len(cols) == 2 and all(c["mixed"] for c in cols)
    assert {c["id"] for c in cols} == {"tensor:1.0:numpy@2.4.0:aaaaaaaaaaaa", "tensor:1.0:numpy@2.4.0:bbbbbbbbbbbb"}
    assert "mixed digest aaaaaaaaaaaa" in (out / "matrix.md").read_text()


def test_reports_of_one_backend_version_merge_newest_wins(tmp_path: Path) -> None:
    first = report("tensor", "numpy", "2.4.0", {"tensor.add.values": "fail", "tensor.sum.values": "fail"},
                   started="2026-11-29T01:00:00+00:00")
    second = report("tensor", "numpy", "2.4.0", {"tensor.add.values": "pass", "tensor.sum.values": "not-run"},
                    started="2026-11-29T02:00:00+00:00", state="interrupted")
    write_set(tmp_path / "r", {"first.json": first, "second.json": second})
    col = build(tmp_path / "r", tmp_path / "site")["families"][0]["columns"][0]
    assert len(col["sources"]) == 2
    assert col["results"]["tensor.add.values"]["status"] == "pass"   # newer verdict wins
    assert col["results"]["tensor.sum.values"]["status"] == "fail"   # newer run did not reach it
    assert col["results"]["tensor.sum.values"]["source"].endswith("first.json")


def test_history_per_backend_across_versions(reports: Path, tmp_path: Path) -> None:
    model = build(reports, tmp_path / "site")
    numpy = next(h for h in model["history"] if h["family"] == "tensor" and h["adapter"] == "numpy")
    assert [(p["backend_version"], p["spec_version"]) for p in numpy["points"]] == \
        [("2.3.0", "1.0"), ("2.4.0", "1.0"), ("2.4.0", "1.1")]
    assert [p["scores"]["all"]["percent"] for p in numpy["points"]] == [83, 85, 85]


def test_badges_svg_and_shields_endpoint(reports: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    model = build(reports, out, "--base-url", "https://example.org/accord")
    badge = next(b for b in model["badges"] if b["adapter"] == "numpy" and b["spec_version"] == "1.0")
    assert badge["column"] == "tensor:1.0:numpy@2.4.0"  # newest backend version
    endpoint = json.loads((out / badge["endpoint"]).read_text())
    # its one MUST miss is a declared expected failure: named apart, and the badge is not red for it
    assert endpoint == {"schemaVersion": 1, "label": "accord tensor 1.0", "message": "3/4 MUST · 1 expected",
                        "color": "green"}
    reference = json.loads((out / "badges" / "reference-tensor-1.0.json").read_text())
    assert reference["message"] == "4/4 MUST" and reference["color"] == "brightgreen"
    for svg_file in (out / "badges").glob("*.svg"):
        root = ET.fromstring(svg_file.read_text())  # well-formed even for hostile names
        assert root.tag.endswith("svg")
    hostile = next(b for b in model["badges"] if b["adapter"] == HOSTILE)
    assert re.fullmatch(r"badges/[A-Za-z0-9._+-]+\.svg", hostile["svg"])
    page = (out / "index.html").read_text()
    assert "img.shields.io/endpoint?url=https%3A%2F%2Fexample.org%2Faccord%2Fbadges%2Fnumpy-tensor-1.0.json" in page


def test_hostile_strings_never_reach_markup(reports: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(reports, out)
    page = (out / "index.html").read_text()
    # exactly our two script elements: the JSON data and the hashed page script
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "window.__accord_pwned" in page  # the data is there, but only JSON-escaped
    assert "<img src=x" not in page and "<b>bold" not in page
    assert "script-src 'sha256-" in page and "default-src 'none'" in page
    md = (out / "matrix.md").read_text()
    assert "<script>" not in md and "&lt;script&gt;window.\\_\\_accord\\_pwned" in md


def test_spec_docs_links_only_when_rendered(reports: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    docs = out / "spec-docs" / "tensor" / "1.0"
    docs.mkdir(parents=True)
    (docs / "index.html").write_text("<html></html>")
    build(reports, out)
    page = (out / "index.html").read_text()
    assert '"tensor/1.0":"spec-docs/tensor/1.0/index.html"' in page
    assert '"tensor/1.1"' not in page  # not rendered: plain ids, no dead links
    build(reports, tmp_path / "site2", "--spec-docs", "https://docs.example.org/spec")
    assert '"tensor/1.1":"https://docs.example.org/spec/tensor/1.1/index.html"' in (tmp_path / "site2" / "index.html").read_text()


def test_folder_scan_ignores_published_outputs(reports: Path, tmp_path: Path) -> None:
    out = reports / "site"  # publishing into the reports folder, then publishing again from it
    build(reports, out)
    model = build(reports, out)
    assert sum(len(f["columns"]) for f in model["families"]) == 10 and model["skipped"] == []


def test_wired_into_the_accord_command(reports: Path, tmp_path: Path) -> None:
    done = run_accord("matrix", str(reports), "--out", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    bad = run_accord("matrix", str(tmp_path / "missing"), "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_hostile_spec_version_cannot_escape_the_badges_folder(tmp_path: Path) -> None:
    write_set(tmp_path / "r", {"a.json": report("tensor", "../../evil", "1.0", {}, spec_version="../../x")})
    out = tmp_path / "site"
    model = build(tmp_path / "r", out)
    assert [b["svg"] for b in model["badges"]] == ["badges/evil-tensor-x.svg"]
    assert sorted(p.name for p in out.rglob("*") if p.is_file() and p.parent.name == "badges") == \
        ["evil-tensor-x.json", "evil-tensor-x.svg"]
    assert not (tmp_path / "x").exists() and not (tmp_path / "evil").exists()


def test_out_is_a_file_is_one_line(reports: Path, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("")
    done = run_accord("matrix", str(reports), "--out", str(target))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and str(target) in done.stderr
