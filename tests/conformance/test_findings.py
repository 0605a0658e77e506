"""Findings: clustering a report's failures into root causes (hand-made reports in the COMMON.md shapes)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from accord.adapters.base import ExpectedFailure
from accord.conformance.check import Case, Outcome
from accord.conformance.findings import (
    case_key,
    cluster,
    finding_id,
    finding_ids,
    normalise,
    ratio_line,
    stale_declarations,
)
from accord.conformance.report import report_schema, validate_report
from accord.conformance.runner import apply_expectations
from accord.spec import load_spec

UINT = "Promotion for uint16, uint32, uint64 types is not supported"


def raised(message: str = UINT, origin: str | None = "backend", type_: str = "TypeError") -> dict[str, Any]:
    return {"type": type_, "message": message, "origin": origin}


def entry(rid: str, status: str, cases: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    data = {"id": rid, "level": extra.pop("level", "MUST"), "capability": "arithmetic", "feature": None,
            "summary": f"{rid} holds.", "status": status, "examples": 10, "duration": 0.1}
    if cases:
        data.update({"message": cases[0]["message"], "findings": cases})
    data.update(extra)
    return data


def report(entries: list[dict[str, Any]], family: str = "tensor", version: str = "1.1") -> dict[str, Any]:
    spec = load_spec(family, version)
    return {"format": "accord-report", "format_version": 1, "accord_version": "0",
            "spec": {"family": family, "version": version, "digest": spec.digest, "status": "released"},
            "adapter": {"name": "torch", "family": family, "backend": {"package": "torch", "version": "2.13"},
                        "claims": [], "is_reference": False, "expected_failures": [],
                        "shims": [{"name": "sort", "functions": ["sort"], "kind": "emulate", "reason": "r"},
                                  {"name": "renamed", "functions": ["add"], "kind": "replace", "reason": "r"}]},
            "platform": {"python": "3.11", "system": "Linux", "machine": "x86_64"},
            "settings": {"seed": 1, "max_examples": 10, "timeout": 30.0},
            "started": "2026-12-03T21:00:00+00:00", "duration": 1.0, "state": "complete", "error": None,
            "requirements": entries, "summary": {}}


def torch_like() -> dict[str, Any]:
    """Three requirements of different functions raising the uint error, one real value bug on two seeds' worth of
    classes, a shimmed failure, an adapter-origin raise, a spec ambiguity and a timeout."""
    return report([
        entry("tensor.add.signature", "fail", [{"status": "fail", "message": f"backend raised TypeError: {UINT}",
                                                "input_class": "uint16", "raised": raised(),
                                                "counterexample": {"x1": {"$array": "long"}, "x2": [1, 2, 3, 4]},
                                                "snippet": "torch.add(a, b)  # long"}]),
        entry("tensor.less.dtype", "fail", [{"status": "fail", "message": f"backend raised TypeError: {UINT}",
                                             "input_class": "uint32", "raised": raised(),
                                             "counterexample": {"x": 1}, "snippet": "torch.less(a, b)"}]),
        entry("tensor.floor_divide.values", "fail", [
            {"status": "fail", "message": f"backend raised TypeError: {UINT}", "input_class": "uint64",
             "raised": raised(), "counterexample": [1, 2]},
            {"status": "fail", "message": "values differ at index 3: expected -2.0, got -1.0 (float32)",
             "input_class": "float32", "counterexample": {"x1": -3.5}, "expected": -2.0, "actual": -1.0,
             "snippet": "torch.floor_divide(torch.tensor(-3.5), 2)"},
            {"status": "fail", "message": "values differ at index 0: expected 7.0, got 6.5 (float64)",
             "input_class": "float64", "counterexample": {"x1": 13.1}}]),
        entry("tensor.sort.values", "fail", [{"status": "fail", "message": "values differ: expected [1, 2], got [2, 1]"}],
              shims=["sort"]),
        entry("tensor.argsort.values", "fail", [{"status": "error", "message": "backend raised AttributeError: "
                                                 "'NoneType' object has no attribute 'dtype'",
                                                 "raised": raised("'NoneType' object has no attribute 'dtype'",
                                                                  "adapter", "AttributeError")}]),
        entry("tensor.unique_values.values", "fail", [{"status": "fail", "message": "spec ambiguity: signed zeros "
                                                       "0.0 and -0.0 are reported as distinct values"}], level="SHOULD"),
        entry("tensor.sum.values", "timeout", message="no answer within 5 s"),
        entry("tensor.mean.values", "pass"),
    ])


def test_normalise_keeps_identifiers_and_drops_seed_dependent_values() -> None:
    assert normalise(UINT) == UINT  # numbers attached to identifiers survive
    assert normalise("values differ at index 3: expected 1.5, got 2.0000002 (float32)") == \
        normalise("values differ at index 17: expected -0.25, got 1e-05 (float32)") == \
        "values differ at index #: expected #, got # (float32)"
    assert normalise("got array([[1, 2], [3, 4]], dtype=int8) at 0x7f3a2b1c") == "got array(…, dtype=int8) at #"
    assert normalise("got tensor([1., -0.]) not [1.0, [2.0, nan]]") == "got tensor(…) not […]"
    assert normalise("KeyError: 'k\\n3' in 'Tensor'") == "KeyError: '…' in 'Tensor'"
    assert normalise("shapes (2, 3) and (3,) mismatch (dim 1)") == "shapes (…) and (…) mismatch (dim #)"
    assert normalise("float32 != float64") != normalise("float32 != float16")
    # HTTP status codes are the deviation, not seed data: 200-for-413 and 500-for-415 are different findings
    assert normalise("status 200, expected 413", http=True) == "status HTTP200, expected HTTP413"
    assert normalise("status 500, expected 415", http=True) != normalise("status 200, expected 413", http=True)
    assert normalise("path:newline: status 404, expected 200", http=True) == \
        "path:newline: status HTTP404, expected HTTP200"
    # outside HTTP a three-digit number is a value: torch's shift gave another finding id per counterexample
    assert normalise("bitwise_left_shift: expected 184, got 0") == normalise("bitwise_left_shift: expected 128, got 0")
    # the example's dtype as an engine names it, or quoted, varies with the example; the message's own words do not
    assert normalise(f"{UINT}, attempted to promote Char and UInt16") == \
        normalise(f"{UINT}, attempted to promote Long and UInt64") == f"{UINT}, attempted to promote <dtype> and <dtype>"
    assert normalise('"abs_cpu" not implemented for \'UInt16\'') == '"abs_cpu" not implemented for \'<dtype>\''
    assert normalise("the spec's rule {'rule': 'parameter'}") == "the spec's rule {'rule': 'parameter'}"  # apostrophe
    assert normalise("complex(1.5707963267948966, +0.0)") == "complex(#, +#)"


def test_one_raise_is_one_finding_across_functions_with_a_stable_id() -> None:
    findings = cluster(torch_like())
    uint = next(f for f in findings if f["title"].startswith("TypeError"))
    assert uint["requirements"] == ["tensor.add.signature", "tensor.floor_divide.values", "tensor.less.dtype"]
    assert uint["classes"] == ["uint16", "uint32", "uint64"]
    assert uint["cause"] == "backend"
    assert uint["counterexample"] == [1, 2]  # the smallest counterexample is the repro
    assert uint["repro_requirement"] == "tensor.floor_divide.values"
    assert uint["id"] == finding_id("tensor", ("raised", "TypeError", UINT))
    # the two float value bugs of floor_divide are one finding (same document, status, normalised message)
    values = [f for f in findings if "values differ at index" in f["title"]]
    assert len(values) == 1 and values[0]["classes"] == ["float32", "float64"]
    assert values[0]["snippet"] == "torch.floor_divide(torch.tensor(-3.5), 2)"


def test_every_case_names_its_finding_and_the_report_stays_valid() -> None:
    data = torch_like()
    data["findings"] = cluster(data)
    ids = {f["id"] for f in data["findings"]}
    for e in data["requirements"]:
        for case in e.get("findings", []):
            assert case["finding"] in ids
    timeout = next(e for e in data["requirements"] if e["id"] == "tensor.sum.values")
    assert timeout["findings"][0]["status"] == "timeout"  # a failure without cases still gets one
    assert "findings" not in next(e for e in data["requirements"] if e["id"] == "tensor.mean.values")
    checked = copy.deepcopy(data)
    if "shims" not in report_schema()["$defs"]["result"]["properties"]:  # entry shims: another change's schema edit
        checked["requirements"][3].pop("shims")
    assert validate_report(checked) == []
    assert ratio_line(data) == f"7 failing requirements / {len(ids)} findings = {7 / len(ids):.2f}"


def test_cause_adapter_shim_and_spec() -> None:
    causes = {f["requirements"][0]: f["cause"] for f in cluster(torch_like())}
    assert causes["tensor.sort.values"] == "adapter"  # ran through a shim that computes the answer itself
    # a shim that only renames the backend's function leaves the computation, and the fault, with the backend
    renamed = report([entry("tensor.add.values", "fail", [{"status": "fail", "message": "values differ"}],
                            shims=["renamed"])])
    assert cluster(renamed)[0]["cause"] == "backend" and cluster(renamed)[0]["shims"] == ["renamed"]
    assert causes["tensor.argsort.values"] == "adapter"  # the raise came from adapter code
    assert causes["tensor.unique_values.values"] == "spec"
    assert causes["tensor.sum.values"] == "backend"
    unsupported = report([entry("tensor.add.values", "fail", [{"status": "fail", "message":
                                                               "adapter does not implement it: op 'setitem'"}])])
    assert cluster(unsupported)[0]["cause"] == "adapter"
    # a finding proven once on the backend's own API is the backend's, even if a shimmed requirement shares it
    mixed = report([entry("tensor.sort.values", "fail", [{"status": "fail", "message": "x", "raised": raised()}],
                          shims=["sort"]),
                    entry("tensor.add.values", "fail", [{"status": "fail", "message": "x", "raised": raised()}])])
    [only] = cluster(mixed)
    assert only["cause"] == "backend" and len(only["requirements"]) == 2


def test_spec_text_cites_the_requirement_and_its_provenance() -> None:
    spec = load_spec("tensor", "1.1")
    [finding] = cluster(report([entry("tensor.add.values", "fail", [{"status": "fail", "message": "wrong"}])]), spec)
    requirement = spec.requirement("tensor.add.values")
    provenance = spec.document_of(requirement).data["provenance"]
    assert finding["spec_text"].startswith(f"tensor.add.values (MUST): {requirement.summary}")
    assert provenance["source"] in finding["spec_text"]


def test_different_documents_or_statuses_are_different_findings() -> None:
    case = {"status": "fail", "message": "values differ at index 1"}
    assert case_key("tensor.add.values", case) == case_key("tensor.add.dtype", case)
    assert case_key("tensor.add.values", case) != case_key("tensor.subtract.values", case)
    assert case_key("tensor.add.values", case) != case_key("tensor.add.values", {**case, "status": "error"})
    # the example's class named in the kit's message is not part of the key; in a backend's raise it is kept
    int8 = {"status": "fail", "message": "result dtype int8; the rule gives ['int8']", "input_class": "int8"}
    int32 = {"status": "fail", "message": "result dtype int32; the rule gives ['int32']", "input_class": "int32"}
    assert case_key("tensor.where.dtype", int8) == case_key("tensor.where.dtype", int32)
    assert case_key("tensor.where.dtype", int8) != case_key("tensor.where.dtype", {**int8, "input_class": None})
    # a class with a number in it ("row 1" of a special-case table) leaves the message's own numbers alone
    row = {"status": "fail", "message": "sign(x=complex(NaN, -inf)) gave complex(+0.0, -1.0)", "input_class": "row 1"}
    assert "<class>" not in case_key("tensor.sign.complex-special-cases", row)[3]
    # a raise is one finding across documents
    r = {"status": "fail", "message": "backend raised TypeError: nope", "raised": raised("nope")}
    # without a raised record, the runner's wording is read back
    assert case_key("tensor.abs.values", {"status": "fail", "message": "the backend raised TypeError: nope"}) == \
        case_key("tensor.add.values", r)
    assert case_key("tensor.add.values", r) == case_key("pipeline.map.values", r)
    assert finding_ids("tensor.add.values", [r]) != finding_ids("pipeline.map.values", [r])  # family is in the id


def test_expected_failure_may_name_a_finding() -> None:
    bug = Case("fail", "values differ at index 2: expected 3, got 4")
    other = Case("fail", "dtype is int64, expected int32")
    [fid] = finding_ids("tensor.add.values", [bug.to_json()])
    meta = {"expected_failures": [ExpectedFailure(finding=fid, reason="off by one").to_json()]}
    requirement = load_spec("tensor", "1.1").requirement("tensor.add.values")
    status, note = apply_expectations(Outcome("fail", message=bug.message, cases=[bug]), requirement, meta)
    assert status == "xfail" and note["pattern"] == fid and note["reason"] == "off by one"
    # a requirement with another, undeclared failure too stays a failure
    status, _ = apply_expectations(Outcome("fail", message=bug.message, cases=[bug, other]), requirement, meta)
    assert status == "fail"
    # the same deviation on another seed (other numbers) is the same finding
    again = Outcome("fail", message="values differ at index 0: expected -7, got -6")
    assert apply_expectations(again, requirement, meta)[0] == "xfail"
    assert apply_expectations(Outcome("pass"), requirement, meta) == ("pass", None)
    with pytest.raises(ValueError):
        ExpectedFailure(reason="names nothing")


def test_stale_declarations_are_one_line_each() -> None:
    data = torch_like()
    data["adapter"]["expected_failures"] = [{"id": "tensor.nope.*", "reason": "r"},
                                            {"finding": "F-0123456789", "reason": "r"},
                                            {"id": "tensor.add.*", "reason": "r"}]
    lines = stale_declarations(data)  # requirement ids are checked before the run (test_declarations.py)
    assert lines == ["expected failure finding 'F-0123456789' matches no finding of this run"]


def test_where_the_wrong_element_sits_is_not_the_deviation() -> None:
    """One deviation seen on a 0-d counterexample and on an array (a follow-up case is shrunk less) is one
    finding: the element's position is example data."""
    assert normalise("add: expected 1.0, got 2.0 at index [0, 3]") == normalise("add: expected 4.0, got 8.0")
    assert normalise("add: expected 1.0, got -1.0 at index [2] (sign of zero)") == \
        normalise("add: expected 0.0, got -0.0 (sign of zero)")


def test_a_deviation_from_a_shared_rule_is_one_finding_across_functions() -> None:
    # torch ignores a 0-d operand's dtype in promotion: add, atan2 and maximum each show it, in other classes
    def promote(rid: str, got: str, want: str, classes: str) -> dict[str, Any]:
        message = f"result dtype {got}; the spec's rule {{'rule': 'promote', 'of': ('x1', 'x2')}} gives ['{want}']"
        return entry(rid, "fail", [{"status": "fail", "message": message, "input_class": classes,
                                    "rule": "dtype:promote"}])

    shared = report([promote("tensor.add.dtype", "float32", "float64", "float32,float64"),
                     promote("tensor.atan2.dtype", "float32", "float64", "float32,float64"),
                     promote("tensor.maximum.dtype", "uint8", "int16", "int8,uint8")])
    assert validate_report(shared) == []
    (finding,) = cluster(shared)
    assert finding["requirements"] == ["tensor.add.dtype", "tensor.atan2.dtype", "tensor.maximum.dtype"]
    assert finding["classes"] == ["float32,float64", "int8,uint8"] and "dtype:promote" in finding["title"]
    # the same messages without the rule stay one finding per function
    for e in shared["requirements"]:
        del e["findings"][0]["rule"]
    assert len(cluster(shared)) == 3
