"""Every semver rule has a crafted pair of specs that triggers it (and the rule is named)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

import pytest
from accord_testing import accord

from accord.conformance.spectools.diff import classify_leaf, diff_specs
from accord.conformance.spectools.rules import RULES
from accord.spec import load_spec_dir

SUB = {
    "kind": "tensor.op", "name": "subtract", "summary": "Subtracts.", "requirements": [
        {"id": "tensor.subtract.values", "level": "MUST", "capability": "arithmetic", "since": "1.0",
         "check": "values", "compare": {"rule": "exact"}, "summary": "Values match."}]}


def req(doc: dict, rid: str) -> dict:
    return next(r for r in doc["requirements"] if r["id"] == rid)


def _p(d):
    return d["signature"]["params"]


# rule id -> (mutation of the NEW side's documents, expected level)
CASES: dict[str, Callable[[list[dict]], None]] = {
    "element-removed": lambda docs: docs.pop(1),
    "element-added": lambda docs: docs.append({**copy.deepcopy(SUB), "name": "multiply", "requirements": []}),
    "element-renamed": lambda docs: docs[1].update(
        name="minus", requirements=[{**docs[1]["requirements"][0], "id": "tensor.minus.values"}]),
    "requirement-removed": lambda docs: docs[0]["requirements"].pop(1),
    "requirement-added-must": lambda docs: docs[0]["requirements"].append(
        {**req(docs[0], "tensor.add.values"), "id": "tensor.add.dtype", "check": "dtype"}),
    "requirement-added-optional": lambda docs: docs[0]["requirements"].append(
        {**req(docs[0], "tensor.add.values"), "id": "tensor.add.fast", "level": "SHOULD"}),
    "level-raised": lambda docs: req(docs[0], "tensor.add.complex").update(level="MUST"),
    "level-lowered": lambda docs: req(docs[0], "tensor.add.values").update(level="SHOULD"),
    "compare-rule-changed": lambda docs: req(docs[0], "tensor.add.values").update(compare={"rule": "exact"}),
    "check-changed": lambda docs: req(docs[0], "tensor.add.values").update(check="special-cases"),
    "tolerance-tightened": lambda docs: req(docs[0], "tensor.add.values")["compare"].update(ulp=0),
    "tolerance-loosened": lambda docs: docs[0]["tolerance"].update(ulp=4),
    "parameter-removed": lambda docs: _p(docs[0]).pop(),
    "parameter-renamed": lambda docs: _p(docs[0])[1].update(name="other"),
    "parameter-added-with-default": lambda docs: _p(docs[0]).append(
        {"name": "out", "kind": "keyword-only", "default": None}),
    "parameter-added-required": lambda docs: _p(docs[0]).append({"name": "out", "kind": "keyword-only"}),
    "parameter-kind-changed": lambda docs: _p(docs[0])[0].update(kind="positional-or-keyword"),
    "default-changed": None,  # needs a default on both sides: see test below
    "accepted-narrowed": lambda docs: docs[0]["dtypes"].remove("int32"),
    "accepted-widened": lambda docs: docs[0]["dtypes"].append("uint8"),
    "semantics-changed": lambda docs: docs[0].update(signature={"params": [], "returns": "array"}),
    "case-added": lambda docs: docs[0]["special_cases"].append({"when": {"x1": "+0", "x2": "-0"}, "then": "+0"}),
    "case-removed": lambda docs: docs[0]["special_cases"].pop(0),
    "wording": lambda docs: docs[0].update(summary="Adds two arrays element-wise."),
    "examples": lambda docs: docs[0].update(examples=[{"x1": 1, "x2": 2, "out": 3}]),
    "provenance": lambda docs: docs[0]["provenance"].update(section="elementwise_functions/add"),
    "since-changed": lambda docs: req(docs[0], "tensor.add.values").update(changed=[{"version": "1.1", "note": "x"}]),
    "conditions-changed": lambda docs: req(docs[0], "tensor.add.values").update(conditions=[]),
    "deprecation-announced": lambda docs: docs[1].update(stability="deprecated",
                                                         deprecated={"since": "1.1", "remove_in": "2.0"}),
}


def diff_for(crafted, add_doc, mutate, old_docs=None, declared="1.1"):
    add_doc.setdefault("special_cases", [{"when": {"x1": "NaN"}, "then": "NaN"}])
    old = old_docs or [add_doc, copy.deepcopy(SUB)]
    new = copy.deepcopy(old)
    mutate(new)
    a = load_spec_dir(crafted.write("1.0", old))
    b = load_spec_dir(crafted.write("draft", new, declared=declared))
    return diff_specs(a, b)


@pytest.mark.parametrize("rule_id", [r for r, m in CASES.items() if m is not None])
def test_rule(rule_id: str, crafted, add_doc) -> None:
    result = diff_for(crafted, add_doc, CASES[rule_id])
    rules = [c.rule for c in result.changes]
    assert rule_id in rules, [(c.rule, c.path) for c in result.changes]
    change = next(c for c in result.changes if c.rule == rule_id)
    assert change.level == RULES[rule_id].level
    assert change.why  # every classification says why


def test_default_changed(crafted, add_doc) -> None:
    add_doc["signature"]["params"].append({"name": "axis", "kind": "keyword-only", "default": None})

    def mutate(docs):
        _p(docs[0])[2]["default"] = -1

    result = diff_for(crafted, add_doc, mutate)
    assert [c.rule for c in result.changes] == ["default-changed"]
    assert result.demanded == "major"


def test_feature_rules(crafted, add_doc) -> None:
    a = load_spec_dir(crafted.write("1.0", [add_doc]))
    manifest = {"kind": "manifest", "family": "tensor", "version": "1.1", "status": "draft", "title": "Crafted",
                "capabilities": [{"id": "arithmetic", "title": "Arithmetic"}],
                "features": [{"id": "complex", "title": "Complex"}, {"id": "float16", "title": "Half"}]}
    b = load_spec_dir(crafted.write("draft", [add_doc], manifest=manifest))
    assert [c.rule for c in diff_specs(a, b).changes] == ["feature-added"]
    assert [c.rule for c in diff_specs(b, a).changes] == ["feature-removed"]


def test_capability_groups_are_presentation_only(crafted, add_doc) -> None:
    a = load_spec_dir(crafted.write("1.0", [add_doc]))
    manifest = {"kind": "manifest", "family": "tensor", "version": "1.0", "status": "draft", "title": "Crafted",
                "capabilities": [{"id": "arithmetic", "title": "Element-wise arithmetic"}],
                "features": [{"id": "complex", "title": "Complex"}]}
    b = load_spec_dir(crafted.write("draft", [add_doc], manifest=manifest))
    result = diff_specs(a, b)
    assert [c.rule for c in result.changes] == ["capability-group-changed"]
    assert result.demanded == "patch"


def test_experimental_changes_are_never_breaking(crafted, add_doc) -> None:
    add_doc["stability"] = "experimental"
    result = diff_for(crafted, add_doc, lambda docs: req(docs[0], "tensor.add.values").update(compare={"rule": "exact"}))
    assert [c.rule for c in result.changes] == ["experimental"]
    assert result.demanded == "minor"


def test_removing_a_deprecated_item_early_is_breaking(crafted, add_doc) -> None:
    sub = {**copy.deepcopy(SUB), "stability": "deprecated", "deprecated": {"since": "1.0", "remove_in": "3.0"}}
    result = diff_for(crafted, add_doc, lambda docs: docs.pop(1), old_docs=[add_doc, sub], declared="2.0")
    assert [c.rule for c in result.changes] == ["deprecated-removed-early"]
    on_time = diff_for(crafted, add_doc, lambda docs: docs.pop(1), old_docs=[add_doc, sub], declared="3.0")
    assert [c.rule for c in on_time.changes] == ["deprecated-removed-as-announced"]


def test_every_rule_is_exercised() -> None:
    covered = set(CASES) | {"feature-added", "feature-removed", "capability-group-changed", "experimental",
                            "deprecated-removed-early", "deprecated-removed-as-announced", "semantics-added",
                            "feature-changed", "pointer-changed"}
    assert set(RULES) <= covered, set(RULES) - covered


def test_semantics_added_and_feature_changed(crafted, add_doc) -> None:
    result = diff_for(crafted, add_doc, lambda docs: docs[0].update(description="More prose."))
    assert [c.rule for c in result.changes] == ["wording"]
    result = diff_for(crafted, add_doc, lambda docs: req(docs[0], "tensor.add.values").update(params={"axis": 1}))
    assert [(c.rule, c.path) for c in result.changes] == [("semantics-added", "$.params.axis")]
    assert result.demanded == "minor"
    manifest_docs = [add_doc]
    result = diff_for(crafted, add_doc, lambda docs: req(docs[0], "tensor.add.values").update(
        level="MAY", feature="complex"), old_docs=manifest_docs)
    assert {"feature-changed", "level-lowered"} <= {c.rule for c in result.changes}


def test_cli_outputs_and_exit_codes(crafted, add_doc) -> None:
    old = crafted.write("1.0", [add_doc])
    new_docs = [copy.deepcopy(add_doc)]
    req(new_docs[0], "tensor.add.values")["compare"]["ulp"] = 0
    new = crafted.write("draft", new_docs, declared="1.1")

    text = accord("spec", "diff", str(old), str(new))
    assert text.returncode == 0
    assert "demands a major bump (declared: minor)" in text.stdout
    assert "[tolerance-tightened]" in text.stdout

    data = json.loads(accord("spec", "diff", str(old), str(new), "--json").stdout)
    (only,) = data["diffs"]
    assert only["demanded_bump"] == "major" and only["changes"][0]["rule"] == "tolerance-tightened"

    md = accord("spec", "diff", str(old), str(new), "--markdown")
    assert "| 🔴 breaking |" in md.stdout

    assert accord("spec", "diff", str(old), str(new), "--fail-on", "breaking").returncode == 1
    assert accord("spec", "diff", str(old), str(new), "--check-bump").returncode == 1
    major = crafted.write("draft", new_docs, declared="2.0")
    assert accord("spec", "diff", str(old), str(major), "--check-bump").returncode == 0


def test_cli_bad_input_is_one_line(tmp_path) -> None:
    result = accord("spec", "diff", str(tmp_path), str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "not a spec version folder" in result.stderr
    result = accord("spec", "diff", "tensor", "9.9", "tensor", "draft")
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_tolerance_in_a_per_dtype_map(crafted, add_doc) -> None:
    req(add_doc, "tensor.add.values")["compare"] = {"rule": "allclose", "rtol": {"float32": 1e-5, "float64": 1e-13}}

    def mutate(docs):
        req(docs[0], "tensor.add.values")["compare"]["rtol"]["float32"] = 1e-6
        req(docs[0], "tensor.add.values")["compare"]["rtol"]["float64"] = 1e-12

    rules = sorted(c.rule for c in diff_for(crafted, add_doc, mutate).changes)
    assert rules == ["tolerance-loosened", "tolerance-tightened"]


def test_signed_zeros_is_a_tolerance(crafted, add_doc) -> None:
    def loosen(docs):
        req(docs[0], "tensor.add.values")["compare"]["signed_zeros"] = False

    assert [c.rule for c in diff_for(crafted, add_doc, loosen).changes] == ["tolerance-loosened"]
    req(add_doc, "tensor.add.values")["compare"]["signed_zeros"] = False

    def tighten(docs):
        req(docs[0], "tensor.add.values")["compare"]["signed_zeros"] = True

    assert [c.rule for c in diff_for(crafted, add_doc, tighten).changes] == ["tolerance-tightened"]


def test_dropping_the_reference_pointer_is_a_patch() -> None:
    """semantics.reference names Accord's own code and no check reads it; a real semantic key stays breaking."""
    assert classify_leaf(("semantics",), "removed", {"reference": "add"}, None) == "pointer-changed"
    assert classify_leaf(("semantics", "reference"), "changed", "add", "plus") == "pointer-changed"
    assert classify_leaf(("result", "dtype", "rule"), "changed", "promote", "same") == "semantics-changed"


def test_drawing_a_new_kind_of_input_is_breaking() -> None:
    """``inputs.edges`` names inputs the suite draws on purpose (negative axes, Python scalars): adding one
    holds backends to inputs they were never given, as 2025.12 did for permute_dims and searchsorted."""
    assert classify_leaf(("inputs", "edges"), "added", None, ["negative-axes"]) == "accepted-widened"
    assert classify_leaf(("inputs", "edges"), "added-item", None, "python-scalars") == "accepted-widened"
    assert classify_leaf(("inputs", "edges"), "removed", ["negative-axes"], None) == "accepted-narrowed"
    assert classify_leaf(("inputs", "strategy"), "changed", "a", "b") == "semantics-changed"
