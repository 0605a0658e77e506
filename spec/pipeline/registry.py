"""The registry mechanism behind the vetted functions: entries, lookup and binding.

``functions.py`` (map / flat_map / filter / timestamp / partition / combine) and
``stateful.py`` (stateful DoFns) register their entries here with :func:`register`;
the graph validator and the engines look them up through ``functions``, which
imports both. This module imports only the value codec, so nothing it serves
needs to import back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .values import GraphError

KINDS = ("map", "flat_map", "filter", "timestamp", "partition", "combine", "stateful")


@dataclass(frozen=True)
class CombineFn:
    """Beam's CombineFn contract, as four pure functions."""

    name: str
    create_accumulator: Callable[[], Any]
    add_input: Callable[[Any, Any], Any]
    merge_accumulators: Callable[[list], Any]
    extract_output: Callable[[Any], Any]

    def apply(self, values: list) -> Any:
        """Combine a whole list in one bundle (what the reference does)."""
        accumulator = self.create_accumulator()
        for value in values:
            accumulator = self.add_input(accumulator, value)
        return self.extract_output(accumulator)


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str
    factory: Callable[..., Any]  # factory(**params) -> callable or CombineFn
    accepts: str
    returns: str
    doc: str
    params: dict[str, type] = field(default_factory=dict)
    side: tuple[str, ...] = ()  # the views this function reads, in order
    metrics: tuple[str, ...] = ()  # "counter:<name>" / "distribution:<name>" it reports


REGISTRY: dict[str, Entry] = {}


def register(kind: str, accepts: str, returns: str, params: dict[str, type] | None = None,
              side: tuple[str, ...] = (), reports: tuple[str, ...] = ()) -> Callable:
    def decorate(factory: Callable) -> Callable:
        name = factory.__name__.removeprefix("_")
        REGISTRY[name] = Entry(name, kind, factory, accepts, returns, (factory.__doc__ or "").strip(),
                               params or {}, side, reports)
        return factory
    return decorate


def lookup(ref: Any, kind: str | None = None, where: str = "fn") -> Entry:
    """The registry entry a ``{"name", "params"}`` reference names (checked)."""
    if isinstance(ref, str):
        ref = {"name": ref}
    if not isinstance(ref, dict) or set(ref) - {"name", "params"} or not isinstance(ref.get("name"), str):
        raise GraphError(f"{where}: a function is {{name, params?}}, got {ref!r}")
    entry = REGISTRY.get(ref["name"])
    if entry is None:
        raise GraphError(f"{where}: no vetted function named {ref['name']!r}")
    if kind is not None and entry.kind != kind:
        raise GraphError(f"{where}: {ref['name']!r} is a {entry.kind} function, a {kind} function is needed")
    params = ref.get("params", {})
    if set(params) != set(entry.params):
        raise GraphError(f"{where}: {ref['name']!r} takes parameters {sorted(entry.params)}, got {sorted(params)}")
    for name, typ in entry.params.items():
        if not isinstance(params[name], typ) or isinstance(params[name], bool) or params[name] < 1:
            raise GraphError(f"{where}: {ref['name']}.{name} must be a positive {typ.__name__}")
    return entry


def bind(ref: Any, kind: str | None = None) -> Any:
    """The callable (or CombineFn) a function reference names."""
    entry = lookup(ref, kind)
    params = ref.get("params", {}) if isinstance(ref, dict) else {}
    return entry.factory(**params)


def names(kind: str) -> list[str]:
    """The registered function names of one kind, in registration order."""
    return [name for name, entry in REGISTRY.items() if entry.kind == kind]
