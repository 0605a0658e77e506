"""The FaaS condition kinds: each recognises a hand-made request in its stratum and rejects one outside."""

from __future__ import annotations

import json

import pytest

from accord.conformance.families.faas.strata import KINDS
from accord.conformance.families.faas.wire import HttpRequest
from accord.spec import load_spec

SPEC = load_spec("faas", "draft")
PLAIN = HttpRequest("inspect", "POST", "a", (("q", "1"),), (("X-Probe-A", "1"),), b"abc")
STRUCTURED = HttpRequest("event-echo", "POST", headers=(("Content-Type", "application/cloudevents+json"),),
                         body=json.dumps({"id": "1", "source": "s", "type": "t", "specversion": "1.0"}).encode())
BINARY = HttpRequest("event-echo", "POST", headers=(("ce-id", "1"), ("ce-source", "s%C3%A9"), ("ce-type", "t"),
                                                    ("ce-specversion", "1.0")), body=b"{}")
CASES = [  # (condition, a request in the stratum, one outside it)
    ("repeated-header", HttpRequest("inspect", headers=(("X-Probe-A", "1"), ("x-probe-a", "2"))), PLAIN),
    ("mixed-case-header", HttpRequest("inspect", headers=(("X-PrObE-a", "1"),)), PLAIN),
    ("repeated-query", HttpRequest("inspect", query=(("a", "1"), ("a", "2"))), PLAIN),
    ("interleaved-query", HttpRequest("inspect", query=(("a", "1"), ("b", "2"), ("a", "3"))),
     HttpRequest("inspect", query=(("a", "1"), ("a", "2"), ("b", "3")))),
    ("empty-body", HttpRequest("echo", "POST", body=b""), PLAIN),
    ("non-utf8-body", HttpRequest("echo", "POST", body=b"\xff\xfe"), PLAIN),
    ("non-ascii", HttpRequest("inspect", subpath="caf\u00e9"), PLAIN),
    ("non-ascii", BINARY, STRUCTURED),  # a percent-encoded ce-* attribute is decoded first
    ("binary-mode", BINARY, STRUCTURED),
    ("structured-mode", STRUCTURED, BINARY),
    ("path-kind:astral", HttpRequest("inspect", subpath="x\U0001f600"), HttpRequest("inspect", subpath="caf\u00e9")),
    ("path-kind:non-ascii", HttpRequest("inspect", subpath="caf\u00e9"), PLAIN),
    ("path-kind:percent-escape", HttpRequest("inspect", subpath="a b"), PLAIN),
]


@pytest.mark.parametrize(("condition", "inside", "outside"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_recognises_its_stratum(condition: str, inside: HttpRequest, outside: HttpRequest) -> None:
    kind, _, argument = condition.partition(":")
    stratum = KINDS[kind](argument or None, None, None, None)  # type: ignore[arg-type]
    assert stratum.recognise(inside)
    assert not stratum.recognise(outside)


def test_every_kind_of_the_vocabulary_is_implemented_and_tested() -> None:
    assert {c.kind for c in SPEC.conditions} == set(KINDS)
    assert {c[0].partition(":")[0] for c in CASES} == set(KINDS)


def test_an_unknown_path_class_has_no_stratum() -> None:
    assert KINDS["path-kind"]("tilde", None, None, None) is None  # type: ignore[arg-type]
