"""Request classes and aspect isolation in the FaaS generators, without a host.

Each requirement varies only the request fields it is about; the others are drawn plain.
The classifier and the generators agree: every path class is drawn, and a plain field
never lands in an unusual class.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from accord.conformance.families.faas import events
from accord.conformance.families.faas.classes import (
    body_class,
    event_classifier,
    header_class,
    path_class,
    query_class,
    request_classifier,
)
from accord.conformance.families.faas.generate import (
    event_strategy,
    operation_fields,
    request_strategy,
    varied_fields,
)
from accord.spec import load_spec

SPEC = load_spec("faas", "1.1")
ROOT = str(SPEC.root)
QUICK = settings(max_examples=80, database=None, deadline=None, suppress_health_check=list(HealthCheck))


def test_classes_name_the_most_unusual_feature() -> None:
    assert path_class("a\nb\U0001f600") == "path:newline"
    assert path_class("a\x00") == "path:control"
    assert path_class("x\U0001f600\u00e9") == "path:astral"
    assert path_class("caf\u00e9") == "path:non-ascii"
    assert path_class("a b") == "path:percent-escape"
    assert path_class("..") == "path:dot-segment"
    assert path_class("a-b_c.d~") == "path:plain"
    assert query_class([("q", "1"), ("k", "2"), ("q", "3")]) == "query:interleaved"
    assert query_class([("q", "a b")]) == "query:reserved"
    assert header_class([("X-Probe-Repeat", "a"), ("x-probe-repeat", "b")]) == "header:repeated"
    assert header_class([("X-PROBE-TOKEN", "a")]) == "header:odd-casing"
    assert header_class([("X-Probe-Token", "a|b")]) == "header:symbol-value"
    assert body_class(b"") == "body:empty"
    assert body_class(b"\xff") == "body:non-utf8"


def test_each_inspect_requirement_varies_what_it_compares() -> None:
    wanted = {"faas.http-request.method": {"method"}, "faas.http-request.path": {"path"},
              "faas.http-request.query-order": {"query"}, "faas.http-request.header-names": {"headers"},
              "faas.http-request.body-digest": {"body"}}
    for rid, fields in wanted.items():
        assert varied_fields(SPEC.requirement(rid).compare) == fields, rid
    assert "headers" not in varied_fields(SPEC.requirement("faas.handler.round-trip").compare)


def test_fields_a_requirement_does_not_vary_are_plain() -> None:
    vary = varied_fields(SPEC.requirement("faas.http-request.method").compare)
    classify = request_classifier({"path", "query", "headers", "body"}, operation_fields(ROOT, "inspect"))
    methods = set()

    @QUICK
    @given(request_strategy(ROOT, "inspect", vary=vary))
    def check(request) -> None:
        methods.add(request.method)
        assert path_class(request.subpath) == "path:plain"
        assert query_class(request.query) == "query:plain"
        assert header_class(request.headers) == "header:plain"
        assert request.method in ("GET", "DELETE") or body_class(request.body) == "body:plain"
        assert classify(request) in ("path:plain", "body:empty")  # GET and DELETE carry no body

    check()
    assert methods == {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_the_path_requirement_draws_every_path_class() -> None:
    vary = varied_fields(SPEC.requirement("faas.http-request.path").compare)
    classify = request_classifier(vary, operation_fields(ROOT, "inspect"))
    seen = set()

    @settings(max_examples=200, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(request_strategy(ROOT, "inspect", vary=vary))
    def collect(request) -> None:
        assert request.method == "POST" and request.body  # the method and body stay plain
        seen.add(classify(request))

    collect()
    assert seen == {"path:plain", "path:newline", "path:control", "path:astral", "path:non-ascii",
                    "path:percent-escape", "path:dot-segment"}, seen


def test_binary_events_outside_the_encoding_requirement_need_no_percent_encoding() -> None:
    for focus in ("any", "extensions", "no-time"):
        @QUICK
        @given(event_strategy(ROOT, focus, "binary").map(lambda e: events.encode(e, "binary")))
        def check(request) -> None:
            for name, value in request.headers:
                if name.lower().startswith("ce-"):
                    assert "%" not in value, (name, value)

        check()


def test_the_encoding_requirement_draws_each_encoding_class() -> None:
    classify = event_classifier("percent-encoding", "binary")
    seen = set()

    @QUICK
    @given(event_strategy(ROOT, "percent-encoding", "binary").map(lambda e: events.encode(e, "binary")))
    def collect(request) -> None:
        seen.add(classify(request))

    collect()
    assert seen == {"attr:ascii-escape", "attr:non-ascii", "attr:astral"}, seen
