"""Adapter shims are declared, exactly, and ``raw`` turns every one of them off.

The overridden set is derived from what each adapter really calls: a spec function is
overridden when ``adapter.function(name)`` is not the backend namespace's own callable. A test
fails when an adapter overrides a function without declaring it in ``meta.shims`` (and when a
declaration names a function the adapter does not override).
"""

from __future__ import annotations

import importlib

import jsonschema
import numpy as np
import pytest

from accord.adapters.base import SHIM_KINDS, Shim
from accord.adapters.tensor.namespace_adapter import INFO_PREFIX
from accord.conformance.report import report_schema
from accord.spec import load_spec
from accord.spec.tensor import wire

NP = wire.NumpyCodec()
ADAPTERS = ["reference", "numpy", "strict", "torch", "jax", "dask"]
INFO = [f"{INFO_PREFIX}{n}" for n in ("capabilities", "default_dtypes", "dtypes", "devices", "default_device")]


def _spec_functions() -> set[str]:
    names: set[str] = set()
    for version in ("1.0", "1.1", "draft"):
        names |= {d.name for d in load_spec("tensor", version).documents if d.kind == "tensor.function"}
    return names


SPEC_FUNCTIONS = _spec_functions()


def _adapter_class(name: str) -> type:
    module = importlib.import_module(f"accord.adapters.tensor.{name}_adapter")
    return type(module.adapter)


def _started(name: str, **options):
    cls = _adapter_class(name)
    reason = cls().unusable_reason()
    if reason:
        pytest.skip(reason)
    adapter = cls()
    adapter.configure(options)
    adapter.start()
    return adapter


@pytest.fixture(scope="module", params=ADAPTERS)
def adapter(request):
    ad = _started(request.param)
    yield ad
    ad.stop()


@pytest.fixture(scope="module", params=ADAPTERS)
def raw_adapter(request):
    ad = _started(request.param, raw=True)
    yield ad
    ad.stop()


def _native(adapter, name: str):
    try:
        if name.startswith(INFO_PREFIX):
            return getattr(adapter.xp.__array_namespace_info__(), name[len(INFO_PREFIX):])
        found = adapter.xp
        for part in name.split("."):  # an extension's function: linalg.solve
            found = getattr(found, part)
        return found
    except AttributeError:
        return None


def _same(a, b) -> bool:
    return a is b or (hasattr(a, "__func__") and getattr(a, "__func__", None) is getattr(b, "__func__", 0))


def overridden(adapter) -> set[str]:
    """Spec functions the adapter answers with a callable other than the namespace's own."""
    out = set()
    for name in sorted(SPEC_FUNCTIONS | set(INFO) | set(adapter.overrides)):
        try:
            mine = adapter.function(name)
        except AttributeError:
            continue  # absent in the backend and not shimmed: a finding, not a shim
        if not _same(mine, _native(adapter, name)):
            out.add(name)
    return out


def declared(adapter) -> set[str]:
    return {f for shim in adapter.meta.shims for f in shim.functions}


def test_every_override_is_a_declared_shim(adapter):
    found = overridden(adapter)
    undeclared = found - declared(adapter)
    assert not undeclared, f"{adapter.meta.name} overrides {sorted(undeclared)} without declaring a shim"
    stale = declared(adapter) - found
    assert not stale, f"{adapter.meta.name} declares shims for {sorted(stale)}, which it does not override"


def test_shim_declarations_are_well_formed(adapter):
    names = [s.name for s in adapter.meta.shims]
    assert len(names) == len(set(names)), names
    for shim in adapter.meta.shims:
        assert shim.kind in SHIM_KINDS and shim.reason and shim.functions
        assert len(shim.functions) == len(set(shim.functions)), shim.name
        for fn in shim.functions:  # a spec function (or an info method): a typo marks no requirement
            assert fn in SPEC_FUNCTIONS or fn in INFO, (shim.name, fn)


def test_shims_are_in_the_meta_json_the_report_keeps(adapter):
    data = adapter.meta_json()
    assert data["shims"] == [s.to_json() for s in adapter.meta.shims]
    schema = report_schema()
    jsonschema.validate(data["shims"], schema["properties"]["adapter"]["properties"]["shims"])


def test_conforming_namespaces_declare_none():
    for name in ("reference", "strict", "jax"):
        assert _adapter_class(name).meta.shims == ()
    assert {s.name for s in _adapter_class("numpy").meta.shims} == {"descending-sort", "clip-keywords"}


def test_raw_turns_every_shim_off(raw_adapter):
    assert raw_adapter.raw and raw_adapter.overrides == {}
    assert overridden(raw_adapter) == set()
    data = raw_adapter.meta_json()
    assert data["name"] == f"{raw_adapter.meta.name} (raw namespace)"
    assert data["shims"] == []


def test_unknown_option_is_refused():
    with pytest.raises(ValueError, match="takes no option 'fast'"):
        _adapter_class("numpy")().configure({"fast": True})


def test_a_shim_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind 'patch'"):
        Shim("x", ("sort",), "patch", "because")


def test_raw_numpy_is_numpy_itself():
    """numpy's own sort has no descending; clip's signature is numpy's; snippets call numpy."""
    shimmed, raw = _started("numpy"), _started("numpy", raw=True)
    x = wire.encode({"fn": "sort", "args": [np.array([1.0, 3.0, 2.0])], "kwargs": {"descending": True}}, NP)
    assert wire.decode(shimmed.invoke("call", x), NP).tolist() == [3.0, 2.0, 1.0]
    with pytest.raises(TypeError, match="descending"):
        raw.invoke("call", x)
    assert [p["name"] for p in raw.signature("clip")][:3] == ["a", "a_min", "a_max"]
    assert [p["name"] for p in shimmed.signature("clip")] == ["x", "min", "max"]
    call = {"fn": "sort", "args": [], "kwargs": {}}
    assert "adapter.function('sort')" in shimmed.snippet("call", call)
    assert "np.sort()" in raw.snippet("call", call) and "adapter" not in raw.snippet("call", call)


def _run(tmp_path, raw: bool):
    from accord.conformance.check import RunSettings
    from accord.conformance.report import validate_report
    from accord.conformance.runner import RunConfig, run

    config = RunConfig("tensor", "numpy", select=["tensor.sort.signature", "tensor.add.signature"],
                       settings=RunSettings(seed=1, max_examples=5), report_path=tmp_path / "report.json", raw=raw)
    data = run(config).report.data
    assert validate_report(data) == []
    return data, {r["id"]: r for r in data["requirements"]}


def test_the_report_marks_requirements_that_exercise_a_shim(tmp_path):
    data, by_id = _run(tmp_path, raw=False)
    assert [s["name"] for s in data["adapter"]["shims"]] == ["descending-sort", "clip-keywords"]
    assert by_id["tensor.sort.signature"]["shims"] == ["descending-sort"]
    assert by_id["tensor.sort.signature"]["status"] == "pass"
    assert "shims" not in by_id["tensor.add.signature"]
    assert "raw" not in data["settings"]


def test_a_raw_run_reports_numpys_own_namespace(tmp_path):
    data, by_id = _run(tmp_path, raw=True)
    assert data["settings"]["raw"] is True
    assert data["adapter"]["name"] == "numpy (raw namespace)" and data["adapter"]["shims"] == []
    assert by_id["tensor.sort.signature"]["status"] == "fail"
    assert "descending" in by_id["tensor.sort.signature"]["message"]
    assert "shims" not in by_id["tensor.sort.signature"]
    # checking the option in the kit's process leaves the shared adapter instance as it was
    assert not importlib.import_module("accord.adapters.tensor.numpy_adapter").adapter.options


def test_raw_is_refused_for_an_adapter_without_shims_to_turn_off():
    from accord.conformance.runner import RunConfig, UsageError, check_adapter_name

    with pytest.raises(UsageError, match="has no raw mode"):
        check_adapter_name(RunConfig("pipeline", "reference", raw=True))
