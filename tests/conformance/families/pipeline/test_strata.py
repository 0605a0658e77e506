"""The pipeline condition kinds: each recognises a hand-made graph in its stratum and rejects one outside."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.conformance.families.pipeline.strata import KINDS
from accord.spec import load_spec
from accord.spec.pipeline.graph import encode_value

SPEC = load_spec("pipeline", "draft")


def graph(*values, stamps=None, windowfn=None, path=None) -> dict:
    elements = [{"value": encode_value(v), **({"timestamp": stamps[i]} if stamps else {})} for i, v in enumerate(values)]
    nodes = [{"id": "src", "transform": "create", "inputs": [], "params": {"elements": elements}}]
    if windowfn:
        nodes.append({"id": "w", "transform": "window_into", "inputs": ["src"], "params": {"windowfn": windowfn}})
    if path:
        nodes.append({"id": "r", "transform": "read_text", "inputs": [], "params": {"path": str(path)}})
    return {"nodes": nodes}


S = 1_000_000
FIXED = {"type": "fixed", "size": 10 * S, "offset": 3 * S}
CASES = [  # (condition, a graph in the stratum, one outside it)
    ("empty-input", graph(), graph(1)),
    ("duplicates", graph(1, 2, 1), graph(1, 2, 1.0)),  # 1 and 1.0 differ canonically
    ("duplicate-keys", graph(("k", 1), ("k", 2)), graph(("k", 1), ("j", 1))),
    ("key-kind:colliding", graph((1, "a"), (True, "b")), graph((1, "a"), (2, "b"))),
    ("key-kind:nan", graph((float("nan"), 1)), graph((1.5, 1))),
    ("key-kind:bigint", graph((2**70, 1)), graph((2**62, 1))),
    ("value-kind:none", graph(None), graph(0)),
    ("value-kind:bool", graph(False), graph(0)),
    ("value-kind:bigint", graph(-(2**64)), graph(2**63 - 1)),
    ("value-kind:nan", graph(float("nan")), graph(float("inf"))),
    ("value-kind:signed-zero", graph(-0.0), graph(0.0)),
    ("value-kind:non-ascii", graph("caf\u00e9"), graph("cafe")),
    ("value-kind:bytes", graph(b"x"), graph("x")),
    ("window-edge", graph(1, stamps=[13 * S], windowfn=FIXED), graph(1, stamps=[13 * S + 1], windowfn=FIXED)),
]


@pytest.mark.parametrize(("condition", "inside", "outside"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_recognises_its_stratum(condition: str, inside: dict, outside: dict) -> None:
    kind, _, argument = condition.partition(":")
    stratum = KINDS[kind](argument or None, None, None, None)  # type: ignore[arg-type]
    assert stratum.recognise(inside)
    assert not stratum.recognise(outside)


def test_whitespace_ended_lines_are_read_from_the_file(tmp_path: Path) -> None:
    stratum = KINDS["whitespace-ended-lines"](None, None, None, None)  # type: ignore[arg-type]
    (tmp_path / "in.txt").write_text("a \nb\n")
    (tmp_path / "out.txt").write_text("a\n b\n")
    assert stratum.recognise(graph(path=tmp_path / "in.txt"))
    assert not stratum.recognise(graph(path=tmp_path / "out.txt"))


def test_every_kind_of_the_vocabulary_is_implemented_and_tested() -> None:
    assert {c.kind for c in SPEC.conditions} == set(KINDS)
    assert {c[0].partition(":")[0] for c in CASES} | {"whitespace-ended-lines"} == set(KINDS)
