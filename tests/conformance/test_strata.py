"""The core of strata: counting every tested example, drawing a missed stratum on purpose, the warning."""

from __future__ import annotations

from hypothesis import strategies as st

from accord.conformance.check import Mismatch, Property, RunSettings, run_property
from accord.conformance.report import Report, validate_report
from accord.conformance.strata import Stratum, attach, build, complete, warnings
from accord.spec import load_spec

RUN = RunSettings(seed=1, max_examples=50)


def _run(prop: Property, strata: list[Stratum]):
    attach(prop, strata)
    outcome = run_property(prop, RUN)
    complete(prop, outcome, RUN)
    return outcome


def test_every_tested_example_is_counted_in_each_stratum_it_falls_in() -> None:
    seen: list[int] = []
    prop = Property(strategy=st.integers(0, 1000), test=seen.append)
    outcome = _run(prop, [Stratum("even", lambda x: x % 2 == 0), Stratum("small", lambda x: x < 10)])
    assert outcome.status == "pass"
    assert outcome.extra["strata"] == {"even": sum(x % 2 == 0 for x in seen), "small": sum(x < 10 for x in seen)}
    assert 0 < outcome.extra["strata"]["even"] < len(seen)


def test_a_stratum_the_search_missed_is_drawn_on_purpose() -> None:
    seen: list[int] = []
    prop = Property(strategy=st.integers(-10**9, 10**9), test=seen.append)
    rare = Stratum("exactly-777", lambda x: x == 777, draw=lambda base: st.just(777))
    outcome = _run(prop, [rare])
    assert outcome.extra["strata"]["exactly-777"] >= 1
    assert 777 in seen
    assert outcome.examples == len(seen)  # the examples drawn on purpose count as examples


def test_a_failure_in_the_drawn_stratum_is_a_case() -> None:
    def test(x: int) -> None:
        if x == 777:
            raise Mismatch("777 is wrong", expected=0, actual=777)

    prop = Property(strategy=st.integers(-10**9, 10**9), test=test)
    outcome = _run(prop, [Stratum("exactly-777", lambda x: x == 777, draw=lambda base: st.just(777))])
    assert outcome.status == "fail"
    assert outcome.counterexample == 777 and outcome.message == "777 is wrong"


def test_a_stratum_no_example_can_reach_stays_at_zero_and_warns() -> None:
    prop = Property(strategy=st.integers(0, 10), test=lambda x: None)
    outcome = _run(prop, [Stratum("negative", lambda x: x < 0)])  # the property never draws one
    assert outcome.status == "pass" and outcome.extra["strata"] == {"negative": 0}
    report = {"requirements": [{"id": "r.a", "status": "pass", "strata": outcome.extra["strata"]},
                               {"id": "r.b", "status": "not-applicable", "strata": {"x": 0}},
                               {"id": "r.c", "status": "pass", "strata": {"x": 3}}]}
    assert warnings(report) == ["r.a: no example in stratum negative"]


def test_a_kind_the_suite_does_not_know_is_a_stratum_at_zero() -> None:
    spec = load_spec("tensor", "draft")
    req = next(r for r in spec.requirements if r.conditions)
    strata = build({}, None, req, spec.document_of(req))  # type: ignore[arg-type]
    assert [s.condition for s in strata] == list(req.conditions)
    assert not any(s.recognise(object()) for s in strata)


def test_the_report_carries_counts_and_warnings(tmp_path) -> None:
    spec = load_spec("tensor", "draft")
    reqs = [r for r in spec.requirements if r.conditions][:2]
    report = Report(tmp_path / "r.json", spec, reqs, {"seed": 1, "max_examples": 5, "timeout": 30.0}, "reference")
    report.record(reqs[0].id, {"status": "pass", "examples": 5, "strata": {c: 0 for c in reqs[0].conditions}})
    report.record(reqs[1].id, {"status": "pass", "examples": 5, "strata": {c: 2 for c in reqs[1].conditions}})
    report.finish("complete")
    assert report.data["warnings"] == [f"{reqs[0].id}: no example in stratum {', '.join(reqs[0].conditions)}"]
    assert validate_report(report.data) == []
