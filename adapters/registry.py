"""Find adapters: the ``accord.adapters`` entry-point group, or ``module:attribute``.

The kit registers its own adapters through the same entry-point group a third
party uses, so there is one discovery path for everybody.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass

from .base import FAMILIES, Adapter

GROUP = "accord.adapters"


class AdapterNotFound(LookupError):
    pass


def _entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=GROUP)}


def qualified_name(name: str, family: str | None) -> str:
    """``numpy`` with family ``tensor`` → ``tensor.numpy``; ``module:attr`` stays as it is."""
    if ":" in name or (family is None) or name.split(".", 1)[0] in FAMILIES:
        return name
    return f"{family}.{name}"


def resolve(name: str, family: str | None = None) -> Adapter:
    """Load an adapter object; every failure is an AdapterNotFound with a one-line reason."""
    if ":" in name:
        module_name, _, attribute = name.partition(":")
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:
            raise AdapterNotFound(f"adapter {name!r}: cannot import module {module_name!r}: {exc}") from None
        try:
            obj = getattr(module, attribute)
        except AttributeError:
            raise AdapterNotFound(f"adapter {name!r}: module {module_name!r} has no attribute {attribute!r}") from None
    else:
        qualified = qualified_name(name, family)
        eps = _entry_points()
        if qualified not in eps and family is None:  # a short name is enough when one family has it
            matches = sorted(n for n in eps if n.split(".", 1)[1] == name)
            if len(matches) > 1:
                raise AdapterNotFound(f"adapter {name!r} is ambiguous: {', '.join(matches)} "
                                      "(give --family or the full name)")
            qualified = matches[0] if matches else qualified
        if qualified not in eps:
            known = ", ".join(sorted(n for n in eps if family is None or n.startswith(f"{family}.")))
            raise AdapterNotFound(f"unknown adapter {name!r}" + (f" for family {family!r}" if family else "")
                                  + f" (known: {known or 'none'})")
        try:
            obj = eps[qualified].load()
        except Exception as exc:
            raise AdapterNotFound(f"adapter {qualified!r}: cannot import {eps[qualified].value}: {exc}") from None
    if isinstance(obj, type) and issubclass(obj, Adapter):
        obj = obj()
    if not isinstance(obj, Adapter):
        raise AdapterNotFound(f"adapter {name!r} is a {type(obj).__name__}, not an accord.adapters.base.Adapter")
    if family is not None and obj.meta.family != family:
        raise AdapterNotFound(f"adapter {name!r} belongs to family {obj.meta.family!r}, not {family!r}")
    return obj


@dataclass
class AdapterInfo:
    entry_point: str
    family: str
    name: str
    backend_package: str
    backend_version: str | None
    usable: bool
    reason: str | None
    is_reference: bool = False
    spec_versions: tuple[str, ...] = ()


def list_adapters(family: str | None = None) -> list[AdapterInfo]:
    """Every registered adapter, usable or not, with the reason when not."""
    infos = []
    for ep_name in sorted(_entry_points()):
        fam, _, short = ep_name.partition(".")
        if family and fam != family:
            continue
        try:
            adapter = resolve(ep_name)
        except AdapterNotFound as exc:
            infos.append(AdapterInfo(ep_name, fam, short, "?", None, False, str(exc)))
            continue
        meta = adapter.meta
        reason = adapter.unusable_reason()
        version = meta.to_json()["backend"]["version"]  # adapters of non-Python backends override it
        infos.append(AdapterInfo(ep_name, meta.family, meta.name, meta.backend_package,
                                 version, reason is None, reason, meta.is_reference, tuple(meta.spec_versions)))
    return infos
