"""The semantic-versioning rules of Accord specs — the one place they are written.

A change that can make a conforming backend non-conforming, or conforming user
code fail, is **breaking** (major); new optional items are **minor**; wording is
**patch**. ``accord spec diff`` names, for every change, the rule that decided it.
"""

from __future__ import annotations

from dataclasses import dataclass

BREAKING, MINOR, PATCH = "breaking", "minor", "patch"
ORDER = {PATCH: 0, MINOR: 1, BREAKING: 2}


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    says: str
    why: str = ""


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    # elements (operations, transforms, contract elements)
    Rule("element-removed", BREAKING, "an operation, transform or contract element was removed",
         "backends implement it and user code calls it"),
    Rule("element-renamed", BREAKING, "an element was renamed: removed under its old name",
         "user code and adapters use the old name"),
    Rule("element-added", MINOR, "a new operation, transform or contract element",
         "existing backends stay conforming to everything they conformed to; the new element shows as a gap"),
    # requirements
    Rule("requirement-removed", BREAKING, "a requirement was removed",
         "user code may rely on the behaviour it guaranteed"),
    Rule("requirement-added-must", BREAKING, "a new MUST requirement on an existing element",
         "a backend that conformed may not satisfy it"),
    Rule("requirement-added-optional", MINOR, "a new SHOULD or MAY requirement"),
    Rule("level-raised", BREAKING, "a requirement's level was raised (MAY/SHOULD → MUST, MAY → SHOULD)",
         "backends that did not implement it stop conforming"),
    Rule("level-lowered", MINOR, "a requirement's level was lowered (MUST → SHOULD/MAY)",
         "not breaking for backends — whatever conformed still conforms — but user code that relied on "
         "the behaviour on every backend may now meet backends without it"),
    Rule("compare-rule-changed", BREAKING, "the comparison rule of a requirement changed",
         "a different rule accepts different answers"),
    Rule("check-changed", BREAKING, "the check kind that executes a requirement changed"),
    Rule("feature-changed", BREAKING, "the optional feature a requirement belongs to changed",
         "adapters claim features by name"),
    Rule("tolerance-tightened", BREAKING, "a tolerance was tightened", "answers that passed may now fail"),
    Rule("tolerance-loosened", MINOR, "a tolerance was loosened",
         "every conforming backend still conforms; users get weaker guarantees"),
    # signatures and accepted values
    Rule("parameter-removed", BREAKING, "a parameter was removed", "user code passes it"),
    Rule("parameter-renamed", BREAKING, "a parameter was renamed", "user code passes it by name"),
    Rule("parameter-added-with-default", MINOR, "a new parameter with a default",
         "existing calls keep their meaning"),
    Rule("parameter-added-required", BREAKING, "a new parameter without a default", "existing calls break"),
    Rule("parameter-kind-changed", BREAKING, "a parameter changed kind (positional-only / keyword-only …)"),
    Rule("default-changed", BREAKING, "a default value changed", "the same call now means something else"),
    Rule("accepted-narrowed", BREAKING, "fewer accepted dtypes, values, methods or status codes",
         "inputs that were valid are rejected"),
    Rule("accepted-widened", BREAKING, "backends must accept more dtypes, values, methods or status codes",
         "conforming backends that reject the new inputs fail"),
    Rule("case-added", BREAKING, "a new special-case row (a `when` → `then` rule)",
         "backends must now produce the stated result for those inputs"),
    Rule("case-removed", MINOR, "a special-case row was removed",
         "not breaking for backends — they are checked less — but user code relying on that result "
         "may now meet backends that differ"),
    Rule("semantics-changed", BREAKING, "a machine-readable semantic field changed",
         "conservative default: any change to what the suite checks can fail a conforming backend"),
    Rule("semantics-added", MINOR, "a new machine-readable field was added to an element",
         "it describes behaviour without changing existing checks"),
    # manifest
    Rule("feature-added", MINOR, "a new optional (MAY) feature adapters may claim"),
    Rule("feature-removed", BREAKING, "an optional feature was removed", "adapters claim it"),
    Rule("capability-group-changed", PATCH, "matrix rows were added, removed, retitled or requirements regrouped",
         "presentation only: nothing a backend or user does changes"),
    # stability
    Rule("experimental", MINOR, "a change to an experimental item",
         "experimental items carry no compatibility promise: never breaking"),
    Rule("deprecation-announced", MINOR, "an item was deprecated with the version it will be removed in"),
    Rule("deprecated-removed-early", BREAKING, "a deprecated item was removed before its announced version",
         "users were promised it until then"),
    Rule("deprecated-removed-as-announced", BREAKING, "a deprecated item was removed in its announced version",
         "a removal is a major change even when announced"),
    # wording
    Rule("wording", PATCH, "summary, description, notes or titles changed"),
    Rule("examples", PATCH, "examples changed"),
    Rule("provenance", PATCH, "provenance (standard section, revision, links) changed"),
    Rule("since-changed", PATCH, "version bookkeeping (since / changed notes) changed"),
    Rule("conditions-changed", PATCH, "the conditions a requirement lists (its strata), or the manifest's "
         "vocabulary of condition kinds, changed",
         "they steer which examples are drawn on purpose and counted, not which answers are correct"),
    Rule("pointer-changed", PATCH, "a pointer into Accord's own code (semantics.reference) changed or was dropped",
         "no check reads it: what a backend must do is unchanged"),
)}

# Which keys of a document play which role. Keys not listed are machine-readable semantics.
WORDING_KEYS = frozenset({"summary", "description", "title", "note", "notes", "rationale", "prose", "doc"})
EXAMPLE_KEYS = frozenset({"examples", "example"})
PROVENANCE_KEYS = frozenset({"provenance"})
BOOKKEEPING_KEYS = frozenset({"since", "changed"})
POINTER_KEYS = frozenset({"semantics"})  # tensor.function semantics.reference: the file's own name, read by no check
TOLERANCE_KEYS = frozenset({"ulp", "ulps", "max_ulp", "rtol", "atol", "tolerance", "slack", "slack_ms",
                            "slack_seconds", "abs", "rel"})
ACCEPTS_KEYS = frozenset({"dtypes", "accepts", "accepted", "input_dtypes", "kinds", "methods", "statuses",
                          "status_codes", "content_types", "values", "allowed", "types"})
PARAMETER_LIST_KEYS = frozenset({"params", "parameters", "signature"})
CASE_LIST_KEYS = frozenset({"special_cases", "cases", "rows", "status_mapping", "mappings"})


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]


def demanded_bump(levels: list[str]) -> str:
    """The semver bump a set of change levels demands: major, minor, patch or none."""
    if not levels:
        return "none"
    worst = max(levels, key=ORDER.__getitem__)
    return {BREAKING: "major", MINOR: "minor", PATCH: "patch"}[worst]


def declared_bump(old: str, new: str) -> str:
    """The bump from version ``old`` to ``new`` (``x.y`` or ``x.y.z``)."""
    a = [int(p) for p in old.split(".")] + [0] * (3 - len(old.split(".")))
    b = [int(p) for p in new.split(".")] + [0] * (3 - len(new.split(".")))
    if b[0] != a[0]:
        return "major" if b[0] > a[0] else "downgrade"
    if b[1] != a[1]:
        return "minor" if b[1] > a[1] else "downgrade"
    if b[2] != a[2]:
        return "patch" if b[2] > a[2] else "downgrade"
    return "none"


BUMP_ORDER = {"downgrade": -1, "none": 0, "patch": 1, "minor": 2, "major": 3}

LEVELS_RANK = {"MAY": 0, "SHOULD": 1, "MUST": 2}
