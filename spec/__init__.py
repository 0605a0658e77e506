"""Accord's interface specifications, the loader that turns them into typed objects, and each
family's interface model (``accord.spec.tensor``, ``accord.spec.pipeline``, ``accord.spec.faas``).

The loader's names are imported lazily: a worker in a minimal virtual environment imports the
interface model (standard library only) without pulling in the loader's jsonschema and yaml.
"""

from __future__ import annotations

import importlib
from typing import Any

_FROM = {
    "SpecError": ".errors", "SpecProblem": ".errors",
    "Capability": ".model", "Document": ".model", "Feature": ".model", "Requirement": ".model", "Spec": ".model",
    "Standard": ".model",
    **{name: ".loader" for name in (
        "FAMILIES", "SPEC_ROOT", "check_folder", "check_paths", "digest", "latest_version", "load_spec",
        "load_spec_dir", "match_requirements", "spec_dir", "versions")},
}

__all__ = sorted(_FROM)


def __getattr__(name: str) -> Any:
    module = _FROM.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
