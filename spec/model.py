"""Typed, immutable objects a loaded spec is made of."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class FrozenDict(dict):
    """A dict that refuses mutation (still JSON-serialisable, unlike MappingProxyType)."""

    def _readonly(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("spec data is immutable")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items(), key=lambda kv: kv[0])))

    def __reduce__(self) -> tuple[Any, ...]:  # pickle builds it whole (its own setitem would refuse)
        return FrozenDict, (dict(self),)


def freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return FrozenDict({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Plain dicts and lists again (for JSON output and editing copies)."""
    if isinstance(value, dict):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class Capability:
    id: str
    title: str
    section: str = ""
    description: str = ""


@dataclass(frozen=True)
class Feature:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class ConditionKind:
    """A kind of condition a requirement may list as a stratum (manifest ``conditions``)."""

    kind: str
    meaning: str
    argument: str | None = None  # what the argument names, for a kind written ``kind:argument``


@dataclass(frozen=True)
class Standard:
    """An external standard a spec version follows, at one revision (manifest ``standards``)."""

    name: str
    revision: str
    url: str
    note: str = ""

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "revision": self.revision, "url": self.url, **({"note": self.note} if self.note else {})}

    def __str__(self) -> str:
        return f"{self.name} {self.revision}"


@dataclass(frozen=True)
class Requirement:
    id: str
    level: str
    capability: str
    since: str
    check: str
    compare: Mapping[str, Any]
    summary: str
    document_kind: str
    document_name: str
    feature: str | None = None
    params: Mapping[str, Any] = field(default_factory=FrozenDict)
    changed: tuple[Mapping[str, Any], ...] = ()
    deprecated: Mapping[str, Any] | None = None
    stability: str = "stable"
    description: str = ""
    file: str = ""
    line: int = 0
    conditions: tuple[str, ...] | None = None  # its strata; None = not listed, () = the text states none

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "level": self.level,
            "capability": self.capability,
            "since": self.since,
            "check": self.check,
            "compare": thaw(self.compare),
            "summary": self.summary,
        }
        if self.feature:
            out["feature"] = self.feature
        if self.params:
            out["params"] = thaw(self.params)
        if self.conditions is not None:
            out["conditions"] = list(self.conditions)
        return out


@dataclass(frozen=True)
class Document:
    kind: str
    name: str
    data: Mapping[str, Any]
    requirements: tuple[Requirement, ...]
    file: str = ""

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass(frozen=True)
class Spec:
    family: str
    version: str
    status: str
    title: str
    manifest: Mapping[str, Any]
    capabilities: tuple[Capability, ...]
    features: tuple[Feature, ...]
    documents: tuple[Document, ...]
    digest: str
    root: Path
    standards: tuple[Standard, ...] = ()  # from spec.yaml, or spec/<family>/standards.yaml for older releases
    conditions: tuple[ConditionKind, ...] = ()  # the manifest's vocabulary of condition kinds

    def condition_kind(self, condition: str) -> ConditionKind | None:
        """The declared kind of a listed condition (``non-default:keepdims`` -> ``non-default``)."""
        kind = condition.split(":", 1)[0]
        return next((c for c in self.conditions if c.kind == kind), None)

    @property
    def bench(self) -> tuple[Document, ...]:
        """The bench documents (kind ``<family>.bench``): workloads to time, no requirements."""
        return tuple(d for d in self.documents if d.kind == f"{self.family}.bench")

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return tuple(r for d in self.documents for r in d.requirements)

    def requirement(self, requirement_id: str) -> Requirement:
        for r in self.requirements:
            if r.id == requirement_id:
                return r
        raise KeyError(requirement_id)

    def document(self, kind: str, name: str) -> Document:
        for d in self.documents:
            if d.kind == kind and d.name == name:
                return d
        raise KeyError(f"{kind}:{name}")

    def document_of(self, requirement: Requirement) -> Document:
        return self.document(requirement.document_kind, requirement.document_name)

    def documents_of(self, kind: str) -> Iterator[Document]:
        return (d for d in self.documents if d.kind == kind)

    def capability(self, capability_id: str) -> Capability:
        for c in self.capabilities:
            if c.id == capability_id:
                return c
        raise KeyError(capability_id)
