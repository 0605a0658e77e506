"""Whose code raised: the worker's ``origin`` of a raise, on real engines through the real worker."""

from __future__ import annotations

import importlib.util
import json

import jsonschema
import numpy as np
import pytest

from accord.adapters.tensor.numpy_adapter import NumpyAdapter
from accord.conformance.client import BackendClient, BackendRaised
from accord.conformance.origin import file_kind, origin
from accord.conformance.worker import raised
from accord.spec import SPEC_ROOT
from accord.spec.tensor import wire

NP = wire.NumpyCodec()


def _raise(client: BackendClient, op: str, **args) -> BackendRaised:
    with pytest.raises(BackendRaised) as caught:
        client.invoke(op, wire.encode(args, NP))
    return caught.value


@pytest.fixture(scope="module")
def numpy_worker():
    with BackendClient("numpy", "tensor") as client:
        client.start()
        yield client


def test_a_numpy_error_is_the_backends(numpy_worker):
    exc = _raise(numpy_worker, "call", fn="reshape", args=[np.ones(4), (3,)])
    assert (exc.type, exc.origin) == ("ValueError", "backend")
    assert "cannot reshape" in exc.message and str(exc).startswith("ValueError: ")


def test_an_error_inside_a_shim_call_to_numpy_is_the_backends(numpy_worker):
    exc = _raise(numpy_worker, "call", fn="sort", args=[np.ones(2)], kwargs={"axis": 3})
    assert exc.origin == "backend"


def test_an_error_of_the_wire_codec_is_the_adapters(numpy_worker):
    with pytest.raises(BackendRaised) as caught:
        numpy_worker.invoke("call", {"fn": "asarray", "args": [{"$dtype": "float128"}]})
    assert (caught.value.type, caught.value.origin) == ("WireError", "adapter")


def test_an_explicit_raise_in_the_adapter_is_the_adapters(numpy_worker):
    assert _raise(numpy_worker, "call", fn="_hidden", args=[]).origin == "adapter"


def test_raw_numpy_rejecting_descending_is_the_backends():
    with BackendClient("numpy", "tensor", options={"raw": True}) as client:
        hello = client.start()
        assert hello["adapter"]["name"] == "numpy (raw namespace)" and hello["adapter"]["shims"] == []
        exc = _raise(client, "call", fn="sort", args=[np.ones(2)], kwargs={"descending": True})
    assert (exc.type, exc.origin) == ("TypeError", "backend") and "descending" in exc.message


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")
def test_torch_origins():
    with BackendClient("torch", "tensor") as client:
        client.start()
        uint = _raise(client, "call", fn="add", args=[np.ones(1, np.uint16), np.ones(1, np.int8)])
        shim = _raise(client, "call", fn="cumulative_sum", args=[np.ones((2, 2))])
        folded = _raise(client, "call", fn="result_type", args=[np.ones(1, np.uint16), np.ones(1, np.int8)])
        declared = _raise(client, "attribute", self=np.ones(2), name="size")
    assert uint.origin == "backend" and "uint16" in uint.message  # torch.add's C++ kernel
    assert shim.origin == "adapter"  # the cumulative_sum shim's own raise
    assert folded.origin == "backend"  # functools.reduce(torch.promote_types, ...) in the shim
    assert declared.origin == "backend"  # the adapter reports torch's own answer (accord_origin)


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="dask.distributed is not installed")
def test_dask_fold_of_all_empty_partitions_raises_in_dask(tmp_path):
    """The pipeline example of issue 12: ``TypeError: reduce() of empty iterable`` came from
    ``Bag.fold(..., initial=)`` of a bag whose partitions are all empty. It raises inside dask's own
    ``_reduce`` (dask drops the result of every empty partition but the last, initial value and
    all), on a distributed cluster as in the adapter: by the traceback it is dask's."""
    from operator import add

    import dask
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    with (
        dask.config.set({"temporary-directory": str(tmp_path)}),  # its work folders and locks, not /tmp's
        LocalCluster(processes=False, n_workers=1, threads_per_worker=1, dashboard_address="127.0.0.1:0",
                     worker_dashboard_address="127.0.0.1:0") as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        empty = db.from_sequence([1, 2], npartitions=2).filter(lambda x: False)
        with pytest.raises(TypeError, match="reduce.. of empty iterable") as caught:
            client.compute(empty.fold(add, add, initial=0)).result()
    assert origin(caught.value) == "backend"


def test_origin_in_process_and_file_kinds():
    adapter = NumpyAdapter()
    adapter.start()
    with pytest.raises(ValueError) as caught:
        adapter.invoke("call", wire.encode({"fn": "reshape", "args": [np.ones(4), (3,)]}, NP))
    assert origin(caught.value) == "backend"
    try:
        raise RuntimeError("no frame of anybody's")
    except RuntimeError as exc:
        exc.__traceback__ = None
        assert origin(exc) is None
    assert file_kind(np.__file__) == "engine" and file_kind(json.__file__) == "stdlib"
    assert file_kind(wire.__file__) == "accord"


def test_the_raised_error_matches_the_worker_protocol_schema():
    schema = json.loads((SPEC_ROOT / "meta" / "worker-protocol.schema.json").read_text())
    try:
        wire.decode({"$dtype": "float128"}, NP)
    except wire.WireError as exc:
        message = json.loads(raised(7, exc))
    jsonschema.validate(message, schema)
    assert message["error"] == {"kind": "raised", "type": "WireError", "message": "unknown dtype 'float128'",
                                "origin": "adapter"}
