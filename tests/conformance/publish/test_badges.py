"""Badge text and colour: declared expected failures are named apart and never turn a badge red."""

from __future__ import annotations

import json
from pathlib import Path

from accord_testing.matrix_fixtures import report, write_set
from accord_testing.runners import run_matrix

from accord.conformance.publish.badges import embed_snippets

XF = [{"id": rid, "reason": "known rounding difference in the backend"}
      for rid in ("tensor.add.values", "tensor.add.broadcast", "tensor.sum.values")]


def badge_of(tmp_path: Path, statuses: dict[str, str]) -> tuple[dict, str]:
    write_set(tmp_path / "r", {"a.json": report("tensor", "mylib", "1.0", statuses, expected_failures=XF)})
    code, _, stderr = run_matrix(str(tmp_path / "r"), "--out", str(tmp_path / "site"))
    assert code == 0, stderr
    endpoint = json.loads((tmp_path / "site" / "badges" / "mylib-tensor-1.0.json").read_text())
    return endpoint, (tmp_path / "site" / "badges" / "mylib-tensor-1.0.svg").read_text()


def test_only_expected_failures_give_a_non_red_badge_naming_them(tmp_path: Path) -> None:
    # three of the four MUST requirements are declared expected failures; nothing else fails
    endpoint, svg = badge_of(tmp_path, {"tensor.add.values": "xfail", "tensor.add.broadcast": "xfail",
                                        "tensor.sum.values": "xfail"})
    assert endpoint == {"schemaVersion": 1, "label": "accord tensor 1.0", "message": "1/4 MUST · 3 expected",
                        "color": "green"}
    assert "1/4 MUST · 3 expected" in svg and "#c43a31" not in svg  # the SVG is not red either


def test_undeclared_failures_still_turn_it_red(tmp_path: Path) -> None:
    endpoint, _ = badge_of(tmp_path, {"tensor.add.values": "fail", "tensor.add.broadcast": "xfail",
                                      "tensor.sum.values": "fail"})
    assert (endpoint["message"], endpoint["color"]) == ("1/4 MUST · 1 expected", "red")


def test_snippets_without_base_url_are_relative() -> None:
    badge = {"adapter": "my[lib]", "label": "accord tensor 1.0", "message": "4/4 MUST",
             "svg": "badges/my_lib-tensor-1.0.svg", "endpoint": "badges/my_lib-tensor-1.0.json"}
    snippets = embed_snippets(badge, None)
    assert snippets["markdown"] == r"[![my\[lib\] — accord tensor 1.0: 4/4 MUST](badges/my_lib-tensor-1.0.svg)](index.html)"
    assert snippets["rst-shields"] == (".. image:: https://img.shields.io/endpoint?url=badges%2Fmy_lib-tensor-1.0.json\n"
                                       "   :alt: my[lib] — accord tensor 1.0: 4/4 MUST\n   :target: index.html")
