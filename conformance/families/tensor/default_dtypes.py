"""Check kind ``namespace-defaults``: what ``__array_namespace_info__()`` says about capabilities and dtypes.

The standard's *Data types / Default data types* and *Inspection / dtypes* pages say the default complex
dtype "should" match the default real floating dtype, the default index dtype "should" be int64 except on
32-bit platforms, and dtypes outside the specification "should not" be listed by ``dtypes()``. Each is a
SHOULD requirement with ``params.aspect`` naming which; the names and pairings come from the spec's own
``tensor.dtypes`` document (its ``dtypes`` rows: a complex dtype's ``real`` component). The *Inspection*
pages' "must"s are MUST requirements of the same kind: the keys and value types of ``capabilities()`` and
``default_dtypes()``, ``dtypes()``'s keys (canonical names) and its ``kind`` filter (the kinds and their
members from the document's ``categories``), ``devices()`` a list of devices each usable as ``device=``
of a creation function (a device travels as ``$device``, its place in the backend's own list). Each aspect asks the info object one or more deterministic
questions through ``ask`` and names the last one in a failure.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

import numpy as np

from accord.conformance.check import Context, Outcome
from accord.conformance.client import BackendRaised
from accord.spec.model import Document, Requirement

from . import oracle

INFO = "__array_namespace_info__."
#: the info object's methods; any other name ``ask`` is given is a namespace function
INFO_METHODS = frozenset({"capabilities", "default_device", "default_dtypes", "devices", "dtypes"})


class _Raised(Exception):
    """The info object raised: the requirement's failure, whatever the aspect was judging."""

    def __init__(self, method: str, exc: BackendRaised) -> None:
        super().__init__(f"{method}() raised {exc}")


Ask = Callable[..., Any]
Judged = tuple[str | None, Any, Any]  # (reason or None, expected, actual)


def namespace_defaults(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """Deterministic questions to the namespace's info object, judged by ``params.aspect``."""
    aspect = req.params["aspect"]
    if aspect == "devices-container":
        container = req.params.get("container")
        if container not in ("list", "tuple"):
            raise ValueError(f"{req.id}: params.container must be list or tuple, not {container!r}")
        judge = _devices_in(container)
    else:
        judge = _ASPECTS.get(aspect)
    if judge is None:
        raise ValueError(f"{req.id}: params.aspect {aspect!r} is not one of {', '.join(_ASPECTS)}")
    calls: list[dict[str, Any]] = []

    def ask(method: str, *args: Any, **kwargs: Any) -> Any:
        call = oracle.call(INFO + method if method in INFO_METHODS else method, *args, **kwargs)
        calls.append(call)
        try:
            return oracle.decode(ctx.backend.invoke("call", call))
        except BackendRaised as exc:
            raise _Raised(method, exc) from None

    try:
        reason, expected, actual = judge(doc, ask)
    except _Raised as exc:
        reason, expected, actual = str(exc), None, str(exc)
    if reason:
        return Outcome("fail", examples=len(calls), message=reason, expected=expected, actual=actual,
                       counterexample=calls[-1], snippet=oracle.snippet(ctx, "call", calls[-1]))
    return Outcome("pass", examples=len(calls))


def _dictionary(method: str, found: Any) -> str | None:
    return None if isinstance(found, dict) else f"{method}() returned {type(found).__name__}, not a dictionary"


def _by_names(method: str, judge: Callable[[Document, dict[str, str]], tuple[str | None, Any]]) -> Callable[..., Judged]:
    """A judge of the dtype names one method's dictionary maps to."""
    def judged(doc: Document, ask: Ask) -> Judged:
        found = ask(method)
        if (reason := _dictionary(method, found)) is not None:
            return reason, None, repr(found)[:200]
        names = {k: _name(v) for k, v in found.items()}
        reason, expected = judge(doc, names)
        return reason, expected, names
    return judged


def _name(value: Any) -> str:
    return getattr(value, "name", None) or str(value)


def _complex_matches_real(doc: Document, found: dict[str, str]) -> tuple[str | None, Any]:
    real, cplx = found.get("real floating"), found.get("complex floating")
    if real is None or cplx is None:
        return "default_dtypes() lacks the 'real floating' or 'complex floating' key", ["real floating", "complex floating"]
    component = {row["name"]: row.get("real") for row in doc.data["dtypes"]}.get(cplx)
    if component != real:
        want = next((row["name"] for row in doc.data["dtypes"] if row.get("real") == real), None)
        return (f"the default complex floating dtype is {cplx} while the default real floating dtype is {real}",
                {"real floating": real, "complex floating": want})
    return None, None


def _index_int64(doc: Document, found: dict[str, str]) -> tuple[str | None, Any]:
    if struct.calcsize("P") * 8 < 64:  # the kit's platform: its worker runs on the same machine
        return None, None  # "may be int32 on 32-bit platforms"
    index = found.get("indexing")
    if index != "int64":
        return f"the default array index dtype is {index}, not int64 (a 64-bit platform)", {"indexing": "int64"}
    return None, None


def _spec_dtypes_only(doc: Document, found: dict[str, str]) -> tuple[str | None, Any]:
    names = {row["name"] for row in doc.data["dtypes"]}
    extra = sorted(k for k in found if k not in names)
    if extra:
        return f"dtypes() lists data types outside the specification: {', '.join(extra)}", sorted(names)
    return None, None


def _is_dtype(value: Any) -> bool:
    return isinstance(value, np.dtype)


def _capabilities(doc: Document, ask: Ask) -> Judged:
    found = ask("capabilities")
    if (reason := _dictionary("capabilities", found)) is not None:
        return reason, None, repr(found)[:200]
    shown = {k: repr(v) for k, v in found.items()}
    for key in ("boolean indexing", "data-dependent shapes"):
        if not isinstance(found.get(key), bool):
            return (f"capabilities()[{key!r}] is {found.get(key, 'missing')!r}, not a bool",
                    {key: "True or False"}, shown)
    # the text says "max dimensions"; the standard's own Capabilities TypedDict spells it "max rank": either passes
    key = next((k for k in ("max dimensions", "max rank") if k in found), None)
    if key is None:
        return "capabilities() lacks the 'max dimensions' key", {"max dimensions": "None or an int"}, shown
    value = found[key]
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        return f"capabilities()[{key!r}] is {value!r}, neither None nor a finite integer", {key: "None or an int"}, shown
    return None, None, None


#: default_dtypes() key -> the spec categories its value must belong to
_DEFAULT_KINDS = {"real floating": "real-floating", "complex floating": "complex-floating",
                  "integral": "integer", "indexing": "integer"}


def _default_dtypes_keys(doc: Document, ask: Ask) -> Judged:
    found = ask("default_dtypes")
    if (reason := _dictionary("default_dtypes", found)) is not None:
        return reason, None, repr(found)[:200]
    shown = {k: _name(v) for k, v in found.items()}
    for key, category in _DEFAULT_KINDS.items():
        if key not in found:
            return f"default_dtypes() lacks the {key!r} key", sorted(_DEFAULT_KINDS), shown
        value = found[key]
        if not _is_dtype(value):
            return (f"default_dtypes()[{key!r}] is {value!r} ({type(value).__name__}), not a data type object",
                    {key: "a dtype"}, shown)
        if value.name not in doc.data["categories"][category]:
            return (f"default_dtypes()[{key!r}] is {value.name}, not a {category.replace('-', ' ')} data type",
                    {key: sorted(doc.data["categories"][category])}, shown)
    return None, None, None


def _dtypes_keys(doc: Document, ask: Ask) -> Judged:
    found = ask("dtypes")
    if (reason := _dictionary("dtypes", found)) is not None:
        return reason, None, repr(found)[:200]
    spec_names = {row["name"] for row in doc.data["dtypes"]}
    for key, value in found.items():
        if not _is_dtype(value):
            return f"dtypes()[{key!r}] is {value!r} ({type(value).__name__}), not a data type object", "dtypes", \
                {k: _name(v) for k, v in found.items()}
        if key in spec_names and value.name != key or key not in spec_names and value.name in spec_names:
            return (f"dtypes() maps the key {key!r} to {value.name}: keys must be the canonical names",
                    {value.name: value.name}, {k: _name(v) for k, v in found.items()})
    return None, None, None


#: the kind strings dtypes(kind=...) must support -> the spec category holding their dtypes
_KINDS = {"bool": "bool", "signed integer": "signed-integer", "unsigned integer": "unsigned-integer",
          "integral": "integer", "real floating": "real-floating", "complex floating": "complex-floating",
          "numeric": "numeric"}


def _dtypes_kind(doc: Document, ask: Ask) -> Judged:
    every = ask("dtypes")
    if (reason := _dictionary("dtypes", every)) is not None:
        return reason, None, repr(every)[:200]
    supported = {_name(v) for v in every.values()}
    categories = doc.data["categories"]
    spec_names = {row["name"] for row in doc.data["dtypes"]}
    union = ("bool", "real floating")  # a tuple of kinds is their union
    for kind in (*_KINDS, union):
        members = set().union(*(categories[_KINDS[k]] for k in (kind if isinstance(kind, tuple) else (kind,))))
        found = ask("dtypes", kind=kind)
        if (reason := _dictionary("dtypes", found)) is not None:
            return reason, None, repr(found)[:200]
        # dtypes outside the specification may join a kind (the standard lets kinds be extended): not judged
        got = {_name(v) for v in found.values()} & spec_names
        want = supported & members
        if got != want:
            return (f"dtypes(kind={kind!r}) lists {sorted(got)}; of the supported dtypes, {sorted(want)} are of that kind",
                    sorted(want), sorted(got))
    return None, None, None


def _devices_in(container: str) -> Callable[[Document, Ask], Judged]:
    """devices() answers in ``container`` (a list until 2025.12, a tuple since: ``params.container``)."""
    kind, annotation = {"list": (list, "List[device]"), "tuple": (tuple, "Tuple[device, ...]")}[container]

    def judge(doc: Document, ask: Ask) -> Judged:
        found = ask("devices")
        if not isinstance(found, kind):
            return (f"devices() returned a {type(found).__name__}; the standard's return annotation says "
                    f"{annotation}", container, type(found).__name__)
        return None, None, None
    return judge


def _devices_usable(doc: Document, ask: Ask) -> Judged:
    found = ask("devices")
    if not isinstance(found, list | tuple) or not found:
        return f"devices() returned {found!r}, no device to create an array on", "a device", repr(found)[:200]
    for device in found:
        try:
            ask("zeros", (1,), device=device)
        except _Raised as exc:
            text = getattr(device, "text", device)
            return f"zeros((1,), device={text!r}) with a device of devices(): {exc}", "an array", str(exc)
    return None, None, None


_ASPECTS: dict[str, Callable[[Document, Ask], Judged]] = {
    "complex-matches-real": _by_names("default_dtypes", _complex_matches_real),
    "index-int64": _by_names("default_dtypes", _index_int64),
    "spec-dtypes-only": _by_names("dtypes", _spec_dtypes_only),
    "capabilities": _capabilities,
    "default-dtypes-keys": _default_dtypes_keys,
    "dtypes-keys": _dtypes_keys,
    "dtypes-kind": _dtypes_kind,
    "devices-list": _devices_in("list"),  # tensor 3.0 (2024.12); 4.0 says devices-container
    "devices-usable": _devices_usable,
}
