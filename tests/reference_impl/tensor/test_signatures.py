"""Signatures (parameter names, kinds, defaults) against array-api-strict's 2024.12 namespace.

array-api-strict is used only as an independent transcription of the standard's stubs.
The reference follows the 2024.12 stubs of the data-apis/array-api repository, including the
backported ``expand_dims(x, /, axis)`` (the rendered 2024.12 page still shows ``*, axis=0``).
"""

from __future__ import annotations

import inspect

import pytest

import accord.reference.tensor as xp

strict = pytest.importorskip("array_api_strict")

FOLLOWS_2024_STUB: set[str] = set()
NOT_PROVIDED = {"from_dlpack", "isin"}  # DLPack has no meaning here; isin is a 2025.12 addition


def _strict_functions() -> list[str]:
    strict.set_array_api_strict_flags(api_version="2024.12")
    names = []
    for n in strict.__all__:
        obj = getattr(strict, n)
        if callable(obj) and not isinstance(obj, type) and "strict_flags" not in n and n not in NOT_PROVIDED:
            names.append(n)
    return sorted(names)


def _shape(fn) -> list[tuple]:
    out = []
    for p in inspect.signature(fn).parameters.values():
        default = p.default
        if default is not inspect.Parameter.empty and type(default).__name__ == "Undef":
            default = None  # array-api-strict's private "not given" marker
        out.append((p.name, p.kind, default))
    return out


@pytest.mark.parametrize("name", _strict_functions())
def test_signature_matches_standard(name: str) -> None:
    assert hasattr(xp, name), f"reference lacks {name}"
    if name in FOLLOWS_2024_STUB:
        return
    assert _shape(getattr(xp, name)) == _shape(getattr(strict, name))


def test_expand_dims_follows_the_2024_12_stub() -> None:
    params = inspect.signature(xp.expand_dims).parameters
    assert params["axis"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert params["axis"].default is inspect.Parameter.empty


def test_namespace_metadata() -> None:
    assert xp.__array_api_version__ == "2024.12"
    assert len([n for n in xp.__all__ if callable(getattr(xp, n))]) >= 120
