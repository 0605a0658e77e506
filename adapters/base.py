"""Adapter base classes and the per-family protocols.

An adapter maps one family's interface onto a real backend. It runs inside a
worker process (never in the kit's own process, except the reference used as
oracle), so everything it exchanges with the kit is JSON. Adapter modules must
import their backend lazily, in :meth:`Adapter.start`, so that listing adapters
never imports an engine.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

FAMILIES = ("tensor", "pipeline", "faas")


@dataclass(frozen=True)
class ExpectedFailure:
    """A known deviation the adapter declares; shows as ``xfail`` / ``xpass``.

    Name the requirements (``id``, a glob) or a finding (``finding="F-…"``, from ``accord findings``):
    a finding matches every requirement whose failures all belong to it, wherever it surfaces.
    """

    id: str = ""  # requirement id or shell-style glob
    reason: str = ""
    link: str = ""
    finding: str = ""  # a finding id (F- + 10 hex digits) instead of requirement ids
    #: the spec versions it holds for (empty: every one), for a deviation a later revision of the text allows
    spec_versions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (self.id or self.finding):
            raise ValueError("ExpectedFailure needs a requirement id (glob) or a finding id")

    def to_json(self) -> dict[str, str]:
        data = {"id": self.id, "finding": self.finding, "reason": self.reason, "link": self.link,
                "spec_versions": list(self.spec_versions)}
        return {k: v for k, v in data.items() if v or k in ("reason", "link")}


@dataclass(frozen=True)
class NotApplicable:
    """A requirement that cannot apply to this backend (distinct from not claimed)."""

    id: str  # requirement id or glob
    reason: str


SHIM_KINDS = ("wrap", "replace", "emulate")


@dataclass(frozen=True)
class Shim:
    """A backend function the adapter wraps, replaces or emulates so that the backend conforms.

    ``kind``: ``wrap`` calls the backend's function of the same name with its arguments adapted
    (a keyword renamed, a missing parameter worked out around it); ``replace`` calls another
    backend function under the spec's name (``equal`` -> ``torch.eq``); ``emulate`` builds the
    function from others because the backend has none (dask's ``sort``). ``functions`` are spec
    function names; a report marks the requirements of those functions as exercising the shim.
    """

    name: str
    functions: tuple[str, ...]
    kind: str
    reason: str

    def __post_init__(self) -> None:
        if self.kind not in SHIM_KINDS:
            raise ValueError(f"shim {self.name!r}: kind {self.kind!r} is not one of {', '.join(SHIM_KINDS)}")

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "functions": list(self.functions), "kind": self.kind, "reason": self.reason}


@dataclass(frozen=True)
class AdapterMeta:
    name: str
    family: str
    backend_package: str  # the distribution whose version is reported ("numpy", "apache-beam")
    spec_versions: tuple[str, ...] = ("1.0",)
    claims: tuple[str, ...] = ()  # optional (MAY) features claimed: "complex", "streaming", …
    expected_failures: tuple[ExpectedFailure, ...] = ()
    not_applicable: tuple[NotApplicable, ...] = ()
    is_reference: bool = False
    description: str = ""
    requires: tuple[str, ...] = ()  # import names that must be importable for the adapter to be usable
    shims: tuple[Shim, ...] = ()  # every backend function wrapped, replaced or emulated to conform

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "family": self.family,
            "backend": {"package": self.backend_package, "version": backend_version(self.backend_package)},
            "spec_versions": list(self.spec_versions),
            "claims": list(self.claims),
            "expected_failures": [
                e.to_json() for e in self.expected_failures
            ],
            "not_applicable": [{"id": n.id, "reason": n.reason} for n in self.not_applicable],
            "is_reference": self.is_reference,
            "description": self.description,
            "shims": [s.to_json() for s in self.shims],
        }


def backend_version(package: str) -> str | None:
    """Installed version of a distribution, or None when it is not installed."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


class AdapterUnsupported(Exception):
    """Raised by ``invoke`` for an op the adapter does not implement."""


@dataclass
class Adapter:
    """Base class of every adapter.

    Subclasses set ``meta`` and implement :meth:`invoke`; they may override
    :meth:`start` / :meth:`stop` to bring an engine up and down once per worker.
    """

    meta: ClassVar[AdapterMeta]
    options: dict[str, Any] = field(default_factory=dict)
    #: the standard revisions the run's spec version follows (:meth:`follow`)
    standards: list[dict[str, Any]] = field(default_factory=list)
    #: the options :meth:`configure` accepts (``raw``: the backend's own namespace, shims off)
    accepted_options: ClassVar[frozenset[str]] = frozenset()

    def check_options(self, options: dict[str, Any]) -> None:
        """A ValueError (one line) for an option this adapter does not take; changes nothing."""
        unknown = sorted(set(options) - self.accepted_options)
        if unknown == ["raw"]:
            raise ValueError(f"adapter {self.meta.name!r} has no raw mode (no shims to turn off)")
        if unknown:
            raise ValueError(f"adapter {self.meta.name!r} takes no option {', '.join(map(repr, unknown))}")

    def configure(self, options: dict[str, Any]) -> None:
        """Set the run's adapter options (before :meth:`start`); an unknown one is a ValueError."""
        self.check_options(options)
        self.options = dict(options)

    def follow(self, standards: list[dict[str, Any]]) -> None:
        """Note the standard revisions the run's spec version follows (before :meth:`start`).

        An implementation of several revisions (the reference, array-api-strict's ``api_version``)
        answers as the one under test; :meth:`revision` reads it back."""
        self.standards = [dict(s) for s in standards]

    def revision(self, standard: str) -> str | None:
        """The revision of ``standard`` the run follows, or None when the kit did not say."""
        return next((s["revision"] for s in self.standards if s.get("name") == standard), None)

    def meta_json(self) -> dict[str, Any]:
        """The adapter metadata the worker reports (the options may change it, e.g. ``raw``)."""
        return self.meta.to_json()

    def unusable_reason(self) -> str | None:
        """Why this adapter cannot run here (one line), or None if it can."""
        for module in self.meta.requires:
            try:
                found = importlib.util.find_spec(module) is not None
            except (ImportError, ValueError):
                found = False
            if not found:
                return f"backend module {module!r} is not importable in this Python"
        return None

    def start(self) -> None:
        """Bring the backend up (import it, start a cluster or a host process)."""

    def stop(self) -> None:
        """Release everything :meth:`start` acquired; must be safe to call twice."""

    def invoke(self, op: str, args: Any) -> Any:
        """Execute one family operation; ``args`` and the result are JSON values."""
        raise AdapterUnsupported(op)


@runtime_checkable
class FamilyAdapter(Protocol):
    """What every family's adapter has: its metadata and the start / stop / invoke life cycle."""

    meta: ClassVar[AdapterMeta]

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def invoke(self, op: str, args: Any) -> Any: ...


@runtime_checkable
class TensorAdapter(FamilyAdapter, Protocol):
    """Tensor family: ops ``call``, ``method``, ``getitem``, ``setitem``, ``namespace_info``.

    Values travel in the tensor wire format (``accord.spec.tensor.wire``).
    """

    def snippet(self, op: str, args: Any) -> str: ...


@runtime_checkable
class PipelineAdapter(FamilyAdapter, Protocol):
    """Pipeline family: op ``run`` takes a pipeline graph (JSON) and returns its outputs."""


@runtime_checkable
class FaasAdapter(FamilyAdapter, Protocol):
    """FaaS family: op ``deploy`` starts a host with the probe functions and returns their URLs."""


PROTOCOLS: dict[str, type] = {"tensor": TensorAdapter, "pipeline": PipelineAdapter, "faas": FaasAdapter}
