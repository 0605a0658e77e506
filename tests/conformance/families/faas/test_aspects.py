"""Aspect isolation and no masking on FaaS requirements, against the reference host broken on purpose.

A host that 404s newline sub-paths must fail the path requirement only, as one case of
class ``path:newline``; a second path deviation must appear beside it, not behind it; a
host that loses a header field must still be found; a host that does not percent-decode
ce-* fields must fail the attribute-encoding requirement only.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accord.conformance.check import RunSettings
from accord.conformance.runner import RunConfig, run

HERE = Path(__file__).parent
HTTP_REQUEST = ["faas.http-request.method", "faas.http-request.path", "faas.http-request.query-order",
                "faas.http-request.header-names", "faas.http-request.header-lines", "faas.http-request.body-digest"]
EVENTS = ["faas.cloudevents.binary", "faas.cloudevents.extensions", "faas.cloudevents.percent-encoding",
          "faas.cloudevents.no-invented-time"]


def _run(breakage: str, select: list[str], seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         max_examples: int = 40) -> dict[str, dict]:
    monkeypatch.setenv("ACCORD_FAAS_BREAK", breakage)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.syspath_prepend(str(HERE))
    result = run(RunConfig("faas", "broken_adapter:adapter", select=select,
                           settings=RunSettings(seed=seed, max_examples=max_examples, timeout=20),
                           report_path=tmp_path / f"report-{seed}.json"))
    return {entry["id"]: entry for entry in result.report.results()}


def _classes(entry: dict) -> list[str]:
    return [case.get("input_class") for case in entry.get("findings") or ()]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_newline_404_fails_the_path_requirement_only_as_one_case(seed: int, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                no_host_left_behind: None) -> None:
    entries = _run("newline-path-404", HTTP_REQUEST, seed, tmp_path, monkeypatch)
    failing = sorted(rid for rid, e in entries.items() if e["status"] != "pass")
    assert failing == ["faas.http-request.path"], {rid: entries[rid].get("message") for rid in failing}
    path = entries["faas.http-request.path"]
    assert _classes(path) == ["path:newline"], path.get("findings")
    assert "\n" in path["counterexample"]["subpath"]


def test_a_second_path_deviation_is_not_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               no_host_left_behind: None) -> None:
    entries = _run("paths-mangled", ["faas.http-request.path", "faas.http-request.method"], 1, tmp_path, monkeypatch)
    assert entries["faas.http-request.method"]["status"] == "pass", entries["faas.http-request.method"]
    path = entries["faas.http-request.path"]
    assert path["status"] == "fail"
    assert {"path:newline", "path:astral"} <= set(_classes(path)), path.get("findings")


def test_a_lost_header_field_is_found_by_the_header_requirements_only(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     no_host_left_behind: None) -> None:
    entries = _run("header-dropped", HTTP_REQUEST, 1, tmp_path, monkeypatch)
    failing = sorted(rid for rid, e in entries.items() if e["status"] != "pass")
    assert failing == ["faas.http-request.header-lines", "faas.http-request.header-names"], failing
    assert "x-probe-token" in entries["faas.http-request.header-names"]["message"]


def test_missing_percent_decoding_fails_the_encoding_requirement_only(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      no_host_left_behind: None) -> None:
    entries = _run("ce-not-decoded", EVENTS, 1, tmp_path, monkeypatch, max_examples=25)
    failing = sorted(rid for rid, e in entries.items() if e["status"] != "pass")
    assert failing == ["faas.cloudevents.percent-encoding"], {rid: entries[rid].get("message") for rid in failing}
    classes = _classes(entries["faas.cloudevents.percent-encoding"])
    assert len(classes) == 1 and classes[0].startswith("attr:"), classes  # one deviation, one case
