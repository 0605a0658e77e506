"""Compare two spec versions and classify every change by the rules in :mod:`.rules`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from accord.spec import Requirement, Spec
from accord.spec.model import thaw

from .rules import (
    ACCEPTS_KEYS,
    BOOKKEEPING_KEYS,
    BREAKING,
    CASE_LIST_KEYS,
    EXAMPLE_KEYS,
    LEVELS_RANK,
    MINOR,
    ORDER,
    PARAMETER_LIST_KEYS,
    POINTER_KEYS,
    PROVENANCE_KEYS,
    TOLERANCE_KEYS,
    WORDING_KEYS,
    declared_bump,
    demanded_bump,
    rule,
)

MISSING = object()


@dataclass
class Change:
    element: str  # "<kind>:<name>" or "manifest"
    requirement: str | None
    path: str
    kind: str  # added | removed | changed
    old: Any
    new: Any
    rule: str
    level: str
    why: str

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["old"] = None if self.old is MISSING else self.old
        data["new"] = None if self.new is MISSING else self.new
        return data


@dataclass
class SpecDiff:
    family: str
    old_version: str
    new_version: str
    changes: list[Change]

    @property
    def demanded(self) -> str:
        return demanded_bump([c.level for c in self.changes])

    @property
    def declared(self) -> str:
        return declared_bump(self.old_version, self.new_version)

    def count(self, level: str) -> int:
        return sum(c.level == level for c in self.changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "old": self.old_version,
            "new": self.new_version,
            "demanded_bump": self.demanded,
            "declared_bump": self.declared,
            "counts": {level: self.count(level) for level in ("breaking", "minor", "patch")},
            "changes": [c.to_json() for c in self.changes],
        }


def _make(element: str, requirement: str | None, path: str, kind: str, old: Any, new: Any, rule_id: str,
          stability: str = "stable") -> Change:
    r = rule(rule_id)
    if stability == "experimental" and r.level == BREAKING:
        x = rule("experimental")
        return Change(element, requirement, path, kind, old, new, x.id, x.level, f"{r.says}; {x.why}")
    return Change(element, requirement, path, kind, old, new, r.id, r.level, r.why or r.says)


# ------------------------------------------------------------------ structural walk


def _keyed(items: list) -> dict[str, Any] | None:
    """A list of mappings that all carry a ``name`` (or all an ``id``), as an ordered dict."""
    for key in ("name", "id"):
        if items and all(isinstance(i, dict) and isinstance(i.get(key), str) for i in items):
            keyed = {i[key]: i for i in items}
            if len(keyed) == len(items):
                return keyed
    return None


def _walk_keys(old: dict, new: dict, path: tuple) -> Iterator[tuple[tuple, str, Any, Any]]:
    """Leaf differences of two mappings key by key (a mapping, or list items keyed by name/id)."""
    for key in dict.fromkeys([*old, *new]):
        a, b = old.get(key, MISSING), new.get(key, MISSING)
        if a is MISSING:
            yield path + (key,), "added", MISSING, b
        elif b is MISSING:
            yield path + (key,), "removed", a, MISSING
        else:
            yield from walk(a, b, path + (key,))


def walk(old: Any, new: Any, path: tuple = ()) -> Iterator[tuple[tuple, str, Any, Any]]:
    """Leaf differences as (path, kind, old, new); list items matched by name/id or as sets."""
    if isinstance(old, dict) and isinstance(new, dict):
        yield from _walk_keys(old, new, path)
        return
    if isinstance(old, list) and isinstance(new, list):
        ka, kb = _keyed(old), _keyed(new)
        if ka is not None and kb is not None:
            yield from _walk_keys(ka, kb, path)
            return
        if path and path[-1] in CASE_LIST_KEYS and all(isinstance(v, dict) for v in old + new):
            for item in [v for v in old if v not in new]:
                yield path, "removed-case", item, MISSING
            for item in [v for v in new if v not in old]:
                yield path, "added-case", MISSING, item
            return
        if all(_hashable(v) for v in old + new) and path and path[-1] in ACCEPTS_KEYS:
            for item in [v for v in old if v not in new]:
                yield path, "removed-item", item, MISSING
            for item in [v for v in new if v not in old]:
                yield path, "added-item", MISSING, item
            return
    if old != new:
        yield path, "changed", old, new


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def _json_path(parts: tuple) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


# ------------------------------------------------------------------ classification of a leaf


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def classify_leaf(path: tuple, kind: str, old: Any, new: Any) -> str:
    """The rule id for one structural difference inside a document or requirement."""
    keys = [p for p in path if isinstance(p, str)]
    last = keys[-1] if keys else ""
    if any(k in PROVENANCE_KEYS for k in keys):
        return "provenance"
    if any(k in EXAMPLE_KEYS for k in keys):
        return "examples"
    if keys and keys[0] in POINTER_KEYS:
        return "pointer-changed"
    if last in WORDING_KEYS:
        return "wording"
    if last in BOOKKEEPING_KEYS or (len(keys) >= 2 and keys[-2] in BOOKKEEPING_KEYS):
        return "since-changed"
    if "edges" in keys:  # inputs.edges: kinds of input the suite draws on purpose (negative axes, Python scalars)
        return "accepted-narrowed" if kind in ("removed", "removed-item") else "accepted-widened"
    if kind == "removed-case":
        return "case-removed"
    if kind == "added-case":
        return "case-added"
    if kind == "removed-item":
        return "accepted-narrowed"
    if kind == "added-item":
        return "accepted-widened"
    in_params = any(k in PARAMETER_LIST_KEYS for k in keys[:-1]) or (keys and keys[-1] in PARAMETER_LIST_KEYS)
    if in_params and kind in ("added", "removed") and isinstance(old if kind == "removed" else new, dict):
        if kind == "removed":
            return "parameter-removed"
        return "parameter-added-with-default" if "default" in new else "parameter-added-required"
    if last == "default":
        return "default-changed"
    if last == "kind" and in_params:
        return "parameter-kind-changed"
    if last == "signed_zeros":  # a tolerance: false lets -0 and +0 compare equal, either accepts them merged or apart
        return "tolerance-loosened" if kind != "removed" and new in (False, "either") else "tolerance-tightened"
    tolerance = any(k in TOLERANCE_KEYS for k in keys)  # also per-dtype maps: rtol.float32
    if tolerance and _is_number(old) and _is_number(new):
        return "tolerance-tightened" if new < old else "tolerance-loosened"
    if tolerance and kind == "added":
        return "tolerance-loosened"  # a tolerance where there was exactness
    if tolerance and kind == "removed":
        return "tolerance-tightened"
    if kind == "added":
        return "semantics-added"
    return "semantics-changed"


def _renames(changes: list[Change]) -> list[Change]:
    """A parameter removed and another added at the same place is a rename."""
    out = list(changes)
    removed = [c for c in out if c.rule == "parameter-removed"]
    added = [c for c in out if c.rule in ("parameter-added-with-default", "parameter-added-required")]
    for r in removed:
        parent = r.path.rsplit(".", 1)[0]
        match = next((a for a in added if a.path.rsplit(".", 1)[0] == parent and a.element == r.element), None)
        if match is not None:
            added.remove(match)
            out.remove(match)
            i = out.index(r)
            out[i] = _make(r.element, r.requirement, r.path, "changed", r.old, match.new, "parameter-renamed")
    return out


# ------------------------------------------------------------------ documents and requirements


def _stability(data: Any) -> str:
    return data.get("stability", "stable") if isinstance(data, dict) else "stable"


def _removal(element: str, requirement: str | None, path: str, old: Any, old_data: dict, new_version: str,
             default_rule: str) -> Change:
    deprecated = old_data.get("deprecated") if isinstance(old_data, dict) else None
    stability = _stability(old_data)
    if isinstance(deprecated, dict) and "remove_in" in deprecated:
        early = declared_bump(new_version, deprecated["remove_in"]) not in ("none", "downgrade")
        rule_id = "deprecated-removed-early" if early else "deprecated-removed-as-announced"
        return _make(element, requirement, path, "removed", old, MISSING, rule_id)
    return _make(element, requirement, path, "removed", old, MISSING, default_rule, stability)


def _requirement_changes(element: str, a: Requirement, b: Requirement, stability: str) -> Iterator[Change]:
    ra, rb = a.to_json(), b.to_json()
    for field in ("summary", "description"):
        if getattr(a, field) != getattr(b, field):
            yield _make(element, a.id, f"$.{field}", "changed", getattr(a, field), getattr(b, field), "wording")
    if a.level != b.level:
        rule_id = "level-raised" if LEVELS_RANK[b.level] > LEVELS_RANK[a.level] else "level-lowered"
        yield _make(element, a.id, "$.level", "changed", a.level, b.level, rule_id, stability)
    if a.check != b.check:
        yield _make(element, a.id, "$.check", "changed", a.check, b.check, "check-changed", stability)
    if a.feature != b.feature:
        yield _make(element, a.id, "$.feature", "changed", a.feature, b.feature, "feature-changed", stability)
    if a.capability != b.capability:
        yield _make(element, a.id, "$.capability", "changed", a.capability, b.capability, "capability-group-changed")
    if a.since != b.since:
        yield _make(element, a.id, "$.since", "changed", a.since, b.since, "since-changed")
    if thaw(a.changed) != thaw(b.changed):
        yield _make(element, a.id, "$.changed", "changed", thaw(a.changed), thaw(b.changed), "since-changed")
    if a.conditions != b.conditions:
        yield _make(element, a.id, "$.conditions", "changed", a.conditions, b.conditions, "conditions-changed")
    if thaw(a.deprecated) != thaw(b.deprecated) and b.deprecated:
        yield _make(element, a.id, "$.deprecated", "changed", thaw(a.deprecated), thaw(b.deprecated),
                    "deprecation-announced")
    if ra["compare"].get("rule") != rb["compare"].get("rule"):
        yield _make(element, a.id, "$.compare.rule", "changed", ra["compare"].get("rule"),
                    rb["compare"].get("rule"), "compare-rule-changed", stability)
    else:
        # a bound that becomes a measurement (compare.accuracy: measured) is a loosening: only gross errors
        # fail now, and the ULP figure is reported instead of judged
        measured = rb["compare"].get("accuracy") == "measured" != ra["compare"].get("accuracy")
        for path, kind, old, new in walk(ra["compare"], rb["compare"], ("compare",)):
            rule_id = classify_leaf(path, kind, old, new)
            if measured and any(k in TOLERANCE_KEYS or k == "accuracy" for k in path if isinstance(k, str)):
                rule_id = "tolerance-loosened"
            yield _make(element, a.id, _json_path(path), kind, old, new, rule_id, stability)
    for path, kind, old, new in walk(ra.get("params", {}), rb.get("params", {}), ("params",)):
        yield _make(element, a.id, _json_path(path), kind, old, new, classify_leaf(path, kind, old, new), stability)


IGNORED_DOCUMENT_KEYS = frozenset({"requirements", "kind", "name"})


def diff_specs(old: Spec, new: Spec) -> SpecDiff:
    changes: list[Change] = []
    changes += _manifest_changes(old, new)
    old_docs = {d.ref: d for d in old.documents}
    new_docs = {d.ref: d for d in new.documents}
    removed = [r for r in old_docs if r not in new_docs]
    added = [r for r in new_docs if r not in old_docs]
    renamed = {}
    for ref in removed:  # same content under another name of the same kind
        body = _body(old_docs[ref])
        twin = next((n for n in added if new_docs[n].kind == old_docs[ref].kind and _body(new_docs[n]) == body), None)
        if twin:
            renamed[ref] = twin
            added.remove(twin)
    for ref in removed:
        data = thaw(old_docs[ref].data)
        if ref in renamed:
            changes.append(_make(ref, None, "$.name", "changed", ref, renamed[ref], "element-renamed", _stability(data)))
        else:
            changes.append(_removal(ref, None, "$", ref, data, new.version, "element-removed"))
    for ref in added:
        changes.append(_make(ref, None, "$", "added", MISSING, ref, "element-added"))
    for ref in [r for r in old_docs if r in new_docs]:
        changes += _document_changes(ref, old_docs[ref], new_docs[ref], new.version)
    return SpecDiff(new.family, old.version, new.version, _renames(changes))


def _body(doc: Any) -> Any:
    data = thaw(doc.data)
    data.pop("name", None)
    for r in data.get("requirements", []):
        r.pop("id", None)
    return data


def _document_changes(ref: str, a: Any, b: Any, new_version: str) -> list[Change]:
    da, db = thaw(a.data), thaw(b.data)
    if a.kind.endswith(".bench"):
        return _bench_changes(ref, da, db)
    stability = _stability(da)
    out: list[Change] = []
    if da.get("stability") != db.get("stability") and db.get("stability") == "deprecated":
        out.append(_make(ref, None, "$.stability", "changed", da.get("stability"), "deprecated",
                         "deprecation-announced"))
    body_a = {k: v for k, v in da.items() if k not in IGNORED_DOCUMENT_KEYS | {"stability", "deprecated"}}
    body_b = {k: v for k, v in db.items() if k not in IGNORED_DOCUMENT_KEYS | {"stability", "deprecated"}}
    for path, kind, old, new in walk(body_a, body_b):
        out.append(_make(ref, None, _json_path(path), kind, old, new, classify_leaf(path, kind, old, new), stability))
    reqs_a = {r.id: r for r in a.requirements}
    reqs_b = {r.id: r for r in b.requirements}
    for rid in reqs_a:
        if rid not in reqs_b:
            raw = next((x for x in da.get("requirements", []) if x.get("id") == rid), {})
            req_stability = raw.get("stability", stability)
            out.append(_removal(ref, rid, "$", rid, {**raw, "stability": req_stability}, new_version,
                                "requirement-removed"))
    for rid, r in reqs_b.items():
        if rid not in reqs_a:
            rule_id = "requirement-added-must" if r.level == "MUST" else "requirement-added-optional"
            out.append(_make(ref, rid, "$", "added", MISSING, rid, rule_id, r.stability if r.stability else stability))
        else:
            req_stability = reqs_a[rid].stability or stability
            out += list(_requirement_changes(ref, reqs_a[rid], r, req_stability))
    return out


BENCH_WHY = "a workload measures and judges nothing: no backend's verdict changes (additive for the bench)"
BENCH_GROUPS = ("overrides", "excluded", "categories", "composites")  # keyed by function / category / name


def _bench_changes(ref: str, da: dict, db: dict) -> list[Change]:
    """A bench document's changes, one per workload entry (an override, an exclusion, a composite) or
    per other top-level key; all minor (``bench-workload-<kind>``)."""
    out: list[Change] = []
    for key in dict.fromkeys([*da, *db]):
        if key in IGNORED_DOCUMENT_KEYS:
            continue
        a, b = da.get(key, MISSING), db.get(key, MISSING)
        if key in BENCH_GROUPS and not (a is MISSING or b is MISSING):
            a, b = ((_keyed(v) or {}) if isinstance(v, list) else v for v in (a, b))
            pairs = [((key, k), a.get(k, MISSING), b.get(k, MISSING)) for k in dict.fromkeys([*a, *b])]
        else:
            pairs = [((key,), a, b)]
        for path, old, new in pairs:
            if old == new:
                continue
            kind = "added" if old is MISSING else "removed" if new is MISSING else "changed"
            out.append(Change(ref, None, _json_path(path), kind, old, new, f"bench-workload-{kind}", MINOR, BENCH_WHY))
    return out


def _manifest_changes(old: Spec, new: Spec) -> list[Change]:
    out = []
    fa = {f.id: f for f in old.features}
    fb = {f.id: f for f in new.features}
    for fid in fa.keys() - fb.keys():
        out.append(_make("manifest", None, f"$.features.{fid}", "removed", fid, MISSING, "feature-removed"))
    for fid in fb.keys() - fa.keys():
        out.append(_make("manifest", None, f"$.features.{fid}", "added", MISSING, fid, "feature-added"))
    ca = {c.id: (c.title, c.section) for c in old.capabilities}
    cb = {c.id: (c.title, c.section) for c in new.capabilities}
    if ca != cb:
        out.append(_make("manifest", None, "$.capabilities", "changed", sorted(ca), sorted(cb),
                         "capability-group-changed"))
    if old.standards != new.standards:  # from the manifest or, for older releases, spec/<family>/standards.yaml
        out.append(_make("manifest", None, "$.standards", "changed", [str(s) for s in old.standards],
                         [str(s) for s in new.standards], "provenance"))
    if old.conditions != new.conditions:
        out.append(_make("manifest", None, "$.conditions", "changed", [c.kind for c in old.conditions],
                         [c.kind for c in new.conditions], "conditions-changed"))
    for key in ("title", "description"):
        if old.manifest.get(key) != new.manifest.get(key):
            out.append(_make("manifest", None, f"$.{key}", "changed", old.manifest.get(key),
                             new.manifest.get(key), "wording"))
    return out


def worst(changes: list[Change]) -> str | None:
    return max((c.level for c in changes), key=ORDER.__getitem__, default=None)


__all__ = ["BREAKING", "MINOR", "Change", "SpecDiff", "diff_specs", "walk", "classify_leaf", "worst"]
