"""Findings: the failures of one report clustered into root causes, each with a stable id.

A requirement entry carries its distinct failures as *cases* (``entry["findings"]``,
written by the runner from ``Outcome.cases``). Many requirements often fail for one
reason (torch's missing uint16 kernels fail dozens of them), so a reader needs the
reasons, not the red cells. Every case gets a key:

- the backend raised (``case["raised"]``): ``(exception type, normalised message)``,
  across the whole report — one exception is one finding wherever it surfaced;
- a deviation from a spec rule many documents share (``case["rule"]``, e.g. type promotion's
  ``dtype:promote``): ``(rule, status, normalised message)`` across the whole report — torch's 0-d
  operands losing promotion is one finding, not one per binary function;
- otherwise: ``(document, status, normalised message)``, the document being the
  requirement id minus its last segment (``tensor.add.values`` → ``tensor.add``).

The normalisation removes what changes from seed to seed (numbers not attached to an
identifier, hex addresses, array and value reprs, quoted user data), so the finding id
(``F-`` + 10 hex digits of sha256 over family and key) is the same for the same
deviation on every seed and run, and can be linked from an upstream issue or declared
as an expected failure (``ExpectedFailure(finding="F-…")``).

Cause, as far as the kit can tell: ``adapter`` when the raise came from adapter code,
the adapter does not implement the op, or the requirement ran through an adapter shim;
``spec`` when a check marks the case as a spec ambiguity (a message starting with
:data:`SPEC_AMBIGUITY`, or ``case["ambiguity"]``); else ``backend``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.spec import Spec

FAILING = frozenset({"fail", "error", "timeout", "crashed", "xfail"})  # entries whose cases are clustered
SPEC_AMBIGUITY = "spec ambiguity:"  # a check starts a case's message with this when the spec's text leaves it open
UNSUPPORTED = "adapter does not implement it"  # the runner's message for an op the adapter lacks
CASE_KEYS = ("status", "message", "input_class", "counterexample", "expected", "actual", "snippet", "raised")
_RAISED = re.compile(r"(?:^|\bthe )(?:backend raised |BackendRaised: )([A-Za-z_][\w.]*): (.*)$", re.DOTALL)
_TITLE = 120

# ------------------------------------------------------------------ normalisation

_HEX = re.compile(r"\b0x[0-9a-fA-F]+\b")
_LONG_HEX = re.compile(r"\b(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b")  # digests, ids; not long decimals
# an HTTP status code is the deviation itself (200 where 413 belongs), not seed data: it survives as HTTP<code>
_STATUS_CODE = re.compile(r"\b(status|expected) ([1-5]\d\d)\b")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)*(?:[eE][-+]?\d+)?(?!\w)")
_QUOTED = re.compile(r"(?<!\w)(?:'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\")(?!\w)")  # not an apostrophe
# an engine's name for the example's dtype (torch's ScalarType, or any dtype quoted): seed-dependent like a value
_ENGINE_DTYPE = re.compile(r"\b(?:Byte|Char|Short|Int|Long|UInt16|UInt32|UInt64|Half|BFloat16|Float|Double|ComplexHalf|"
                           r"ComplexFloat|ComplexDouble|Bool)\b")
_DTYPE_NAME = re.compile(r"(?:torch\.|np\.|numpy\.)?(?:u?int(?:8|16|32|64)|float(?:16|32|64)|complex(?:64|128)|"
                         r"bool|bfloat16)", re.IGNORECASE)
_KEEP_QUOTED = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{2,}")  # names (types, dtypes, functions) are not user data
_REPR_CALL = re.compile(r"\b(array|tensor|Array|DeviceArray|asarray)\(")
_ATOM = r"(?:\s|#|…|,|-|:|nan|inf|True|False|None|'…'|'<dtype>'|\[…\]|\(…\)|\{…\})*"
# where in the example's array the wrong element sits: a 0-d and a 1-d counterexample of one deviation
# differ by it alone (a follow-up case is shrunk less, so one comes as a scalar, the other as an array)
_WHERE = re.compile(r" at index \[…\]")
_SEQUENCES = [(re.compile(r"\[" + _ATOM + r"\]"), "[…]"), (re.compile(r"\((?=[^)]*[#…])" + _ATOM + r"\)"), "(…)"),
              (re.compile(r"\{" + _ATOM + r"\}"), "{…}")]


def _collapse_reprs(text: str) -> str:
    """``array([[1, 2]], dtype=int8)`` → ``array(…, dtype=int8)``: the values change per seed, the dtype does not."""
    out, pos = [], 0
    for match in _REPR_CALL.finditer(text):
        if match.start() < pos:
            continue
        depth, end = 0, None
        for i in range(match.end() - 1, len(text)):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                end = i
                break
        if end is None:
            break
        dtype = re.search(r"dtype=([\w.]+)", text[match.end():end])
        out.append(text[pos:match.start()] + f"{match.group(1)}(…" + (f", dtype={dtype.group(1)}" if dtype else "") + ")")
        pos = end + 1
    return "".join(out) + text[pos:]


def _quoted(match: re.Match) -> str:
    """Quoted names (types, functions) stay; quoted dtypes and user data do not."""
    inner, quote = match.group(0)[1:-1], match.group(0)[0]
    if _DTYPE_NAME.fullmatch(inner) or _ENGINE_DTYPE.fullmatch(inner):
        return f"{quote}<dtype>{quote}"
    return match.group(0) if _KEEP_QUOTED.fullmatch(inner) else f"{quote}…{quote}"


def normalise(message: str | None, http: bool = False) -> str:
    """A message with the seed-dependent parts replaced, so equal deviations give equal keys.

    ``http``: status codes (``status 404``, ``expected 200``) are the deviation, not seed data, and stay;
    elsewhere ``expected 184`` is a value like any other."""
    text = " ".join((message or "").split())
    text = _collapse_reprs(text)
    text = _QUOTED.sub(_quoted, text)
    text = _ENGINE_DTYPE.sub("<dtype>", text)
    text = _HEX.sub("#", text)
    if http:
        text = _STATUS_CODE.sub(r"\1 HTTP\2", text)
    text = _LONG_HEX.sub("#", text)
    text = _NUMBER.sub("#", text)
    text = text.replace('"…"', "'…'")
    for _ in range(8):  # innermost sequences first, until nested ones are gone too
        before = text
        for pattern, replacement in _SEQUENCES:
            text = pattern.sub(replacement, text)
        if text == before:
            break
    return _WHERE.sub("", text)[:400]


# ------------------------------------------------------------------ cases and keys


def raised_of(case: dict[str, Any]) -> dict[str, Any] | None:
    """The case's backend exception: ``case["raised"]``, or read back from a message the runner wrote."""
    if case.get("raised"):
        return case["raised"]
    match = _RAISED.search(case.get("message") or "")
    return {"type": match.group(1), "message": match.group(2), "origin": None} if match else None


def document_of(requirement_id: str) -> str:
    return requirement_id.rsplit(".", 1)[0]


def case_key(requirement_id: str, case: dict[str, Any]) -> tuple[str, ...]:
    raised = raised_of(case)
    if raised:
        return ("raised", str(raised.get("type") or "?"), normalise(raised.get("message")))
    if case.get("rule"):
        return ("rule", str(case["rule"]), case.get("status") or "fail",
                normalise(_without_class(case.get("message") or "", case.get("input_class"))))
    return ("case", document_of(requirement_id), case.get("status") or "fail",
            normalise(_without_class(case.get("message") or "", case.get("input_class")),
                      http=requirement_id.startswith("faas.")))


def _without_class(message: str, input_class: str | None) -> str:
    """The kit's own message names the example's input class (``result dtype int8``); the class is recorded
    apart (``finding.classes``), so one deviation seen in several classes keeps one key. A backend's own
    message (a raise) is left alone: its words are the backend's, not the example's. A class is one token
    or a comma-separated list of them ("row 3" is one class, and its number is not a value of the message)."""
    tokens = {t.strip() for t in (input_class or "").split(",")}  # "int8,uint16": each operand's class
    for token in sorted({t for t in tokens if re.search(r"[A-Za-z]", t)}, key=len, reverse=True):
        message = re.sub(rf"(?<![\w.]){re.escape(token)}(?!\w)", "<class>", message)
    return message


def finding_id(family: str, key: tuple[str, ...]) -> str:
    text = json.dumps([family, *key], ensure_ascii=False, separators=(",", ":"))
    return "F-" + hashlib.sha256(text.encode()).hexdigest()[:10]


def entry_cases(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The entry's cases; an entry that failed without any (a plain check, a timeout) yields one from its fields."""
    if entry.get("findings"):
        return entry["findings"]
    if entry.get("status") not in FAILING:
        return []
    status = entry.get("outcome") if entry.get("status") == "xfail" else entry.get("status")
    case = {k: entry[k] for k in CASE_KEYS[1:] if entry.get(k) is not None}
    case["status"] = status if status in FAILING - {"xfail"} else "fail"
    case["message"] = str(case.get("message") or "")
    return [case]


def outcome_cases(outcome: Any) -> list[dict[str, Any]]:
    """The cases of a check's Outcome (``Outcome.cases``, or its primary fields when it has none)."""
    cases = getattr(outcome, "cases", None) or []
    if cases:
        return [c.to_json() if hasattr(c, "to_json") else dict(c) for c in cases]
    fields = {k: getattr(outcome, k, None) for k in CASE_KEYS}
    return entry_cases({**{k: v for k, v in fields.items() if v is not None}, "status": outcome.status})


def finding_ids(requirement_id: str, cases: Iterable[dict[str, Any]]) -> set[str]:
    family = requirement_id.split(".", 1)[0]
    return {finding_id(family, case_key(requirement_id, c)) for c in cases}


def is_spec_ambiguity(case: dict[str, Any]) -> bool:
    """The hook for checks: a case the spec's own text leaves open is the spec's finding, not the backend's."""
    return bool(case.get("ambiguity")) or (case.get("message") or "").lower().startswith(SPEC_AMBIGUITY)


def case_cause(case: dict[str, Any], entry: dict[str, Any], emulated: frozenset[str] = frozenset()) -> str:
    """Whose fault a case is, as far as the kit can tell.

    The adapter's when its own code raised (the worker reads the traceback), when it lacks the op,
    or when the requirement ran through a shim that *emulates* the function (the adapter computes
    the answer) and the backend did not raise. A shim that only renames or wraps a backend function
    leaves the computation, and so the fault, with the backend.
    """
    if is_spec_ambiguity(case):
        return "spec"
    raised = raised_of(case) or {}
    if raised.get("origin") == "adapter" or UNSUPPORTED in (case.get("message") or ""):
        return "adapter"
    if raised.get("origin") != "backend" and emulated & set(entry.get("shims") or ()):
        return "adapter"
    return "backend"


def emulating_shims(report: dict[str, Any]) -> frozenset[str]:
    """Names of the adapter's shims that compute a function themselves (kind ``emulate``)."""
    return frozenset(s["name"] for s in report.get("adapter", {}).get("shims") or () if s.get("kind") == "emulate")


# ------------------------------------------------------------------ spec text


def load_report_spec(report: dict[str, Any]) -> Spec | None:
    """The spec a report was run against, when this installation has it with the same digest (None otherwise)."""
    info = report.get("spec", {})
    return _spec(info.get("family", ""), "draft" if info.get("status") == "draft" else info.get("version", ""),
                 info.get("digest", ""))


@cache
def _spec(family: str, version: str, expected_digest: str) -> Spec | None:
    from accord.spec import SpecError, digest, load_spec, spec_dir

    try:
        if digest(spec_dir(family, version)) != expected_digest:  # cheap: loading a spec takes seconds
            return None
        return load_spec(family, version)
    except (LookupError, SpecError, OSError, ValueError):
        return None


def spec_text(spec: Spec | None, requirement_id: str, summary: str | None, level: str | None) -> str:
    """What the finding violates: the requirement's sentence and where its document comes from."""
    provenance = None
    if spec is not None:
        try:
            requirement = spec.requirement(requirement_id)
            summary, level = requirement.summary, requirement.level
            provenance = spec.document_of(requirement).data.get("provenance") or spec.manifest.get("provenance")
        except KeyError:
            pass
    text = f"{requirement_id} ({level or '?'}): {summary or 'no summary recorded'}"
    if provenance:
        source = " ".join(str(provenance[k]) for k in ("source", "revision") if provenance.get(k))
        if provenance.get("section"):
            source += f", {provenance['section']}"
        if provenance.get("url"):
            source += f" ({provenance['url']})"
        text += f" — from {source}"
    return text


# ------------------------------------------------------------------ clustering

_LEVEL_RANK = {"MUST": 0, "SHOULD": 1, "MAY": 2}
_CAUSE_RANK = {"spec": 0, "backend": 1, "adapter": 2}


def _size(case: dict[str, Any]) -> tuple:
    example = case.get("counterexample")
    size = len(json.dumps(example, sort_keys=True, ensure_ascii=False)) if example is not None else 10**9
    return (size, case.get("snippet") is None)


def _title(key: tuple[str, ...]) -> str:
    title = (f"{key[1]}: {key[2]}" if key[0] == "raised" else f"the {key[1]} rule ({key[2]}): {key[3]}"
             if key[0] == "rule" else f"{key[1]} ({key[2]}): {key[3]}")
    return title if len(title) <= _TITLE else title[: _TITLE - 1] + "…"


def cluster(report: dict[str, Any], spec: Spec | None = None) -> list[dict[str, Any]]:
    """The report's findings, most requirements first; every case in the report gets its ``finding`` id."""
    family = report["spec"]["family"]
    groups: dict[str, dict[str, Any]] = {}
    for entry in report["requirements"]:
        cases = entry_cases(entry)
        if not cases:
            continue
        if not entry.get("findings"):
            entry["findings"] = cases
        for case in cases:
            key = case_key(entry["id"], case)
            fid = finding_id(family, key)
            case["finding"] = fid
            group = groups.setdefault(fid, {"key": key, "members": []})
            group["members"].append((entry, case))
    emulated = emulating_shims(report)
    findings = [_finding(fid, group["key"], group["members"], spec, emulated) for fid, group in groups.items()]
    findings.sort(key=lambda f: (_CAUSE_RANK[f["cause"]], _LEVEL_RANK.get(f["level"], 3), -len(f["requirements"]),
                                 f["id"]))
    return findings


def _finding(fid: str, key: tuple[str, ...], members: list[tuple[dict, dict]], spec: Spec | None,
             emulated: frozenset[str]) -> dict[str, Any]:
    causes = {case_cause(case, entry, emulated) for entry, case in members}
    cause = "spec" if "spec" in causes else "backend" if "backend" in causes else "adapter"
    entry, case = min(members, key=lambda m: (_size(m[1]), m[0]["id"]))
    requirements = sorted({e["id"] for e, _ in members})
    finding: dict[str, Any] = {
        "id": fid,
        "title": _title(key),
        "cause": cause,
        "level": min((e.get("level") for e, _ in members), key=lambda lvl: _LEVEL_RANK.get(lvl, 3)) or "MAY",
        "requirements": requirements,
        "classes": sorted({c["input_class"] for _, c in members if c.get("input_class")}),
        "status": case.get("status") or "fail",
        "message": case.get("message") or "",
        "repro_requirement": entry["id"],
        "spec_text": spec_text(spec, entry["id"], entry.get("summary"), entry.get("level")),
        "declared": all(e.get("status") == "xfail" for e, _ in members),
    }
    for field in ("snippet", "counterexample", "expected", "actual"):
        if case.get(field) is not None:
            finding[field] = case[field]
    raised = raised_of(case)
    if raised:
        finding["raised"] = {k: raised[k] for k in ("type", "message", "origin") if raised.get(k) is not None}
    shims = sorted({s for e, _ in members for s in e.get("shims") or ()})
    if shims:  # the reader sees the adapter was involved, whoever's fault it is
        finding["shims"] = shims
    return finding


def attach(report: dict[str, Any], spec: Spec | None = None) -> list[dict[str, Any]]:
    """Cluster a finished (or interrupted) run and store the findings at the report's top level."""
    findings = cluster(report, spec if spec is not None else load_report_spec(report))
    report["findings"] = findings
    return findings


def findings_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    """A report's findings: the stored ones, or clustered now for a report written before findings existed."""
    if "findings" in report:
        return report["findings"]
    return cluster(json.loads(json.dumps(report)), load_report_spec(report))


def failing_requirements(report: dict[str, Any]) -> list[str]:
    return [e["id"] for e in report["requirements"] if e.get("status") in FAILING]


def ratio_line(report: dict[str, Any]) -> str:
    """``N failing requirements / M findings = ratio``: how many red requirements one root cause explains."""
    failing, findings = len(failing_requirements(report)), len(findings_of(report))
    ratio = f"{failing / findings:.2f}" if findings else "—"
    return f"{failing} failing requirements / {findings} findings = {ratio}"


def stale_declarations(report: dict[str, Any]) -> list[str]:
    """One line per expected-failure declaration by finding id that matches no finding of the run (the backend
    may have fixed it). Declarations by requirement id are checked before the run (:mod:`.declarations`)."""
    found = {f["id"] for f in findings_of(report)}
    return [f"expected failure finding {declared['finding']!r} matches no finding of this run"
            for declared in report.get("adapter", {}).get("expected_failures", [])
            if declared.get("finding") and declared["finding"] not in found and not report["settings"].get("select")]
