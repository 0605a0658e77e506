"""The tensor wire format round-trips every value bit-exactly and rejects malformed JSON."""

from __future__ import annotations

import collections
import json
import math
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from accord.spec.tensor import wire

CODEC = wire.NumpyCodec()
SPEC_DTYPES = [d for d in wire.DTYPE_NAMES if d != "float16"]


def through_json(value, codec=CODEC):
    return wire.decode(json.loads(json.dumps(wire.encode(value, codec), allow_nan=False)), codec)


def float_arrays(dtype: str):
    """Arrays reaching NaN, ±0, ±inf and subnormals for a float or complex dtype."""
    return hnp.arrays(
        np.dtype(dtype),
        hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
        elements={"allow_nan": True, "allow_infinity": True, "allow_subnormal": True},
    )


@pytest.mark.parametrize("dtype", SPEC_DTYPES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_numpy_array_round_trip_is_bit_exact(dtype, data):
    arr = data.draw(
        hnp.arrays(np.dtype(dtype), hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    )
    back = through_json(arr)
    assert back.dtype == arr.dtype and back.shape == arr.shape
    assert back.tobytes() == arr.tobytes()
    assert back.flags.writeable


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_special_floats_survive(dtype, data):
    arr = data.draw(float_arrays(dtype))
    back = through_json(arr)
    assert back.tobytes() == arr.tobytes()


def test_edge_values_by_bits():
    arr = np.array([np.nan, -0.0, 0.0, np.inf, -np.inf, 5e-324, -2.2250738585072014e-308])
    assert through_json(arr).tobytes() == arr.tobytes()
    f32 = np.array([1e-45, -0.0, np.float32(3.4028235e38)], dtype=np.float32)
    assert through_json(f32).tobytes() == f32.tobytes()


def test_layout_is_little_endian_row_major():
    arr = np.array([[1, 2], [3, 256]], dtype=np.int16).T  # a non-contiguous view
    body = wire.encode(arr, CODEC)["$array"]
    assert body["shape"] == [2, 2]
    raw = wire.base64.b64decode(body["data"])
    assert struct.unpack("<4h", raw) == (1, 3, 2, 256)
    big = arr.astype(">i2")
    assert wire.encode(big, CODEC) == wire.encode(arr, CODEC)


def test_bool_is_one_byte_and_complex_is_pairs():
    assert wire.base64.b64decode(wire.encode(np.array([True, False]), CODEC)["$array"]["data"]) == b"\x01\x00"
    body = wire.encode(np.array([1 + 2j], dtype=np.complex64), CODEC)["$array"]
    assert struct.unpack("<2f", wire.base64.b64decode(body["data"])) == (1.0, 2.0)


@pytest.mark.parametrize("dtype", SPEC_DTYPES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_struct_flat_path_agrees_with_numpy(dtype, data):
    """The reference's struct-based conversion reads and writes the same bytes numpy does."""
    arr = data.draw(hnp.arrays(np.dtype(dtype), st.integers(0, 6)))
    raw = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
    flat = wire.bytes_to_flat(dtype, raw)
    assert len(flat) == arr.size
    for got, want in zip(flat, arr.tolist(), strict=True):
        if isinstance(want, float | complex) and (want != want):
            assert got != got
        else:
            assert got == want and type(got) is type(want)
    back = wire.flat_to_bytes(dtype, flat)
    if dtype.startswith(("float", "complex")):
        assert np.array_equal(np.frombuffer(back, arr.dtype.newbyteorder("<")), arr, equal_nan=True)
        assert np.array_equal(
            np.signbit(np.frombuffer(back, arr.dtype.newbyteorder("<")).real), np.signbit(arr.real)
        )
    else:
        assert back == raw


@given(st.integers())
def test_ints_of_any_size(n):
    assert through_json(n) == n and type(through_json(n)) is int


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_python_floats(x):
    back = through_json(x)
    assert type(back) is float
    assert (math.isnan(back) and math.isnan(x)) or struct.pack("<d", back) == struct.pack("<d", x)


def test_special_float_tags():
    assert wire.encode(-0.0, CODEC) == {"$float": "-0.0"}
    assert wire.encode(0.0, CODEC) == 0.0
    assert wire.encode(float("-inf"), CODEC) == {"$float": "-inf"}
    assert wire.encode(complex(float("nan"), -0.0), CODEC) == {
        "$complex": [{"$float": "nan"}, {"$float": "-0.0"}]
    }
    assert math.copysign(1, through_json(-0.0)) == -1


def test_containers_and_tags():
    Pair = collections.namedtuple("Pair", "values counts")
    value = [
        True,
        None,
        (1, 2.5),
        Pair(np.arange(2), 3),
        slice(None, 5, -1),
        Ellipsis,
        np.dtype("int16"),
        np.float32,
        {"a": 1, "boolean indexing": True},
        {"$array": 1},
        "text",
        1j,
    ]
    back = through_json(value)
    assert back[:3] == [True, None, (1, 2.5)]
    assert back[3]._fields == ("values", "counts") and back[3].counts == 3
    assert np.array_equal(back[3].values, np.arange(2))
    assert back[4] == slice(None, 5, -1) and back[5] is Ellipsis
    assert back[6] == np.dtype("int16") and back[7] == np.dtype("float32")
    assert back[8] == {"a": 1, "boolean indexing": True}
    assert back[9] == {"$array": 1}
    assert back[10:] == ["text", 1j]


def test_numpy_scalars_travel_as_0d_arrays():
    back = through_json(np.float32(1.5))
    assert back.shape == () and back.dtype == np.float32 and back == 1.5


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_finfo(dtype):
    info = np.finfo(dtype)
    back = through_json(info)
    assert back == wire.Info(
        bits=info.bits,
        max=float(info.max),
        min=float(info.min),
        dtype=np.dtype(dtype),
        eps=float(info.eps),
        smallest_normal=float(info.smallest_normal),
    )


@pytest.mark.parametrize("dtype", ["int8", "uint64", "int64"])
def test_iinfo(dtype):
    info = np.iinfo(dtype)
    back = through_json(info)
    assert (back.bits, back.max, back.min, back.dtype, back.eps) == (
        info.bits,
        info.max,
        info.min,
        info.dtype,
        None,
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"$array": {"dtype": "float32", "shape": [2], "data": "AAAA"}},  # 3 bytes, needs 8
        {"$array": {"dtype": "float8", "shape": [], "data": ""}},
        {"$array": {"dtype": "int8", "shape": [-1], "data": ""}},
        {"$array": {"dtype": "int8", "shape": [1], "data": "!!"}},
        {"$array": {"dtype": "bool", "shape": [1], "data": "Ag=="}},  # byte 2 is not a bool
        {"$float": "nope"},
        {"$complex": [1.0]},
        {"$dtype": "float8"},
        {"$slice": [1.5, None, None]},
        {"$float": "nan", "$dtype": "int8"},
        {"$info": {"bits": 8}},
    ],
)
def test_malformed_wire_is_rejected(bad):
    with pytest.raises((wire.WireError, ValueError)):
        wire.decode(bad, CODEC)


def test_unencodable_values_are_named():
    with pytest.raises(wire.WireError, match="object"):
        wire.encode(object(), CODEC)
    with pytest.raises(wire.WireError, match="keys"):
        wire.encode({1: 2}, CODEC)


def test_views_decode_to_native_strided_views():
    base = np.arange(12, dtype=np.int32).reshape(3, 4)
    sent = wire.view(base, (slice(None, None, -1), slice(0, None, 2)), CODEC)
    got = wire.decode(json.loads(json.dumps(sent)), CODEC)
    assert np.array_equal(got, base[::-1, ::2])
    assert not got.flags.c_contiguous  # a real view, not a copy
    with pytest.raises(wire.WireError):
        wire.decode({"$view": {"base": sent["$view"]["base"]}}, CODEC)


def test_bool_from_uninitialised_memory_is_normalised():
    raw = np.frombuffer(bytes([0, 1, 2, 255]), dtype=np.uint8).view(np.bool_)  # like np.empty(bool)
    body = wire.encode(raw, CODEC)["$array"]
    assert wire.base64.b64decode(body["data"]) == b"\x00\x01\x01\x01"


def test_info_says_what_each_number_was():
    """The standard types finfo / iinfo attributes (bits: int, eps: float, …): the plain JSON numbers lose that,
    so ``types`` keeps it; an instance of a subclass of float (numpy.float64) is a float."""
    f32, f64, i8 = (through_json(np.finfo("float32")), through_json(np.finfo("float64")), through_json(np.iinfo("int8")))
    assert f32.types == {"bits": "int", "max": "numpy.float32", "min": "numpy.float32", "eps": "numpy.float32",
                         "smallest_normal": "numpy.float32"}
    assert set(f64.types.values()) == {"int", "float"} and f64.types["eps"] == "float"
    assert i8.types == {"bits": "int", "max": "int", "min": "int"}
    assert f32 == wire.Info(bits=32, max=f32.max, min=f32.min, dtype=np.dtype("float32"), eps=f32.eps,
                            smallest_normal=f32.smallest_normal)  # types are not compared
    with pytest.raises(wire.WireError, match="types"):
        wire.decode({"$info": {"bits": 8, "max": 127, "min": -128, "dtype": {"$dtype": "int8"}, "types": [1]}},
                    wire.NumpyCodec())


def test_a_device_travels_as_its_place_in_the_backends_devices():
    """The kit cannot rebuild a backend's device object: it gets ``Device(index, text)`` and sends that back,
    which the worker's codec (holding its backend's ``devices()``) turns into the same object."""
    class Gpu:
        def __str__(self) -> str:
            return "gpu:0"

    worker = wire.NumpyCodec()
    gpu = Gpu()
    worker.devices = ("cpu", gpu)
    kit = wire.NumpyCodec()
    sent = json.loads(json.dumps(wire.encode([gpu], worker)))
    assert sent == [{"$device": {"index": 1, "text": "gpu:0"}}]
    seen = wire.decode(sent, kit)
    assert seen == [wire.Device(1, "gpu:0")]
    assert wire.decode(json.loads(json.dumps(wire.encode(seen, kit))), worker) == [gpu]
    with pytest.raises(wire.WireError, match="not one of the backend's 2 devices"):
        wire.decode({"$device": {"index": 2, "text": "x"}}, worker)
    with pytest.raises(wire.WireError, match="cannot encode"):
        wire.encode(Gpu(), kit)  # a device no devices() lists has no wire form
