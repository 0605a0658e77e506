"""The tensor wire format: how array values travel as JSON between kit and worker.

The format is language-neutral, so a worker may be written in any language:

* array: ``{"$array": {"dtype": "float32", "shape": [2, 3], "data": "<base64>"}}`` where
  ``data`` holds the elements' little-endian bytes in row-major (C) order; ``bool`` is one
  byte 0/1, ``complex64`` / ``complex128`` are (real, imaginary) pairs of float32 / float64.
  Bytes round-trip exactly, so NaN, -0.0 and subnormals survive (a NaN's payload bits
  are carried but carry no meaning).
* bool, int (any size) -> JSON ``true``/``false`` / integer; a finite float other than -0.0
  -> a JSON number written with a ``.`` or an exponent (Python's shortest round-trip form);
  NaN, ±inf and -0.0 -> ``{"$float": "nan" | "inf" | "-inf" | "-0.0"}``;
  complex -> ``{"$complex": [re, im]}`` with each part written as a float.
* dtype -> ``{"$dtype": "int16"}``; tuple -> ``{"$tuple": [...]}`` (a namedtuple adds
  ``"fields": [...]``); list -> JSON list; slice -> ``{"$slice": [start, stop, step]}``;
  Ellipsis -> ``{"$ellipsis": true}``; None -> ``null``;
  a device object (not a string) -> ``{"$device": {"index", "text"}}``: its place in the backend's
  ``devices()`` (the codec's ``devices``, set by the adapter) and its ``str()``; the kit decodes it
  to :class:`Device`, which encodes back to the same tag, and the worker to the backend's object;
  finfo / iinfo -> ``{"$info": {"bits", "max", "min", "dtype", ["eps", "smallest_normal"], "types"}}``,
  the numbers as plain numbers and ``types`` saying what each number attribute was before that:
  ``"int"`` / ``"float"`` for an instance of the builtin (subclasses included), else the type's
  ``module.qualname`` (the standard types them: ``bits`` an int, ``eps`` a float, …);
  dict with string keys -> JSON object (wrapped as ``{"$dict": {...}}`` when a key starts
  with ``$`` so it cannot be taken for a tagged value).
* view (arguments only): ``{"$view": {"base": <array>, "key": <index key>}}`` decodes to
  ``base[key]`` built natively by the backend, so a check can hand it a non-contiguous
  (strided, reversed, transposed-by-slicing) view; results are always sent as ``$array``.

Each backend supplies a :class:`Codec` that turns its native arrays and dtypes into
(dtype name, shape, bytes) and back. :class:`FlatCodec` is for a backend that speaks in
flat lists of Python numbers (the pure-Python reference): the byte conversion is done
here with :mod:`struct`, no numpy involved.
"""

from __future__ import annotations

import base64
import collections
import math
import struct
from dataclasses import dataclass, field
from typing import Any

from .wire_objects import Device, device_index, python_type

#: dtype name -> struct format of one element (complex: of one of its two parts)
ELEMENT_FORMAT: dict[str, str] = {
    "bool": "?",
    "int8": "b",
    "int16": "h",
    "int32": "i",
    "int64": "q",
    "uint8": "B",
    "uint16": "H",
    "uint32": "I",
    "uint64": "Q",
    "float16": "e",
    "float32": "f",
    "float64": "d",
    "complex64": "f",
    "complex128": "d",
}
COMPLEX_DTYPES = frozenset({"complex64", "complex128"})
DTYPE_NAMES: tuple[str, ...] = tuple(ELEMENT_FORMAT)

_SPECIAL_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "-0.0": -0.0}
_TAGS = frozenset(
    {"$array", "$view", "$float", "$complex", "$dtype", "$tuple", "$slice", "$ellipsis", "$info", "$dict", "$device"}
)


class WireError(ValueError):
    """A value that cannot be encoded, or JSON that is not valid tensor wire format."""


@dataclass(frozen=True)
class Info:
    """Decoded ``finfo`` / ``iinfo``: plain numbers, comparable with ``==``.

    ``eps`` and ``smallest_normal`` are None for integer dtypes (``iinfo``).
    """

    bits: int
    max: int | float
    min: int | float
    dtype: Any
    eps: float | None = None
    smallest_normal: float | None = None
    #: attribute -> "int" / "float" / the module.qualname of the type the backend returned (not compared)
    types: dict[str, str] | None = field(default=None, compare=False)


class Codec:
    """How one backend's arrays and dtypes map onto the wire.

    Subclasses override the array and dtype hooks; everything else (scalars, containers,
    tags) is handled by :func:`encode` / :func:`decode`.
    """

    name = "abstract"
    #: the backend's ``devices()`` in order (set by its adapter); None on the kit's side
    devices: tuple[Any, ...] | None = None

    def is_array(self, value: Any) -> bool:
        return False

    def array_to_bytes(self, value: Any) -> tuple[str, tuple[int, ...], bytes]:
        """(dtype name, shape, little-endian row-major bytes) of a native array."""
        raise WireError(f"codec {self.name!r} cannot encode arrays")

    def array_from_bytes(self, dtype: str, shape: tuple[int, ...], data: bytes) -> Any:
        """A native array built from the wire parts."""
        raise WireError(f"codec {self.name!r} cannot decode arrays")

    def is_dtype(self, value: Any) -> bool:
        return False

    def dtype_name(self, dtype: Any) -> str:
        raise WireError(f"codec {self.name!r} cannot encode dtypes")

    def dtype_from_name(self, name: str) -> Any:
        return name

    def make_view(self, base: Any, key: Any) -> Any:
        """The view ``base[key]`` for a ``$view`` argument (a backend may build it its own way)."""
        return base[key]

    def is_info(self, value: Any) -> bool:
        """finfo / iinfo objects; by default recognised by their attributes."""
        return all(hasattr(value, a) for a in ("bits", "max", "min", "dtype")) and not isinstance(value, type)


class FlatCodec(Codec):
    """A codec for a backend that builds arrays from flat lists of Python numbers.

    Subclasses implement :meth:`array_from_flat` and :meth:`array_to_flat`; the conversion
    between flat values and bytes (:func:`flat_to_bytes` / :func:`bytes_to_flat`) is shared.
    """

    def array_from_flat(self, values: list[Any], shape: tuple[int, ...], dtype: str) -> Any:
        raise NotImplementedError

    def array_to_flat(self, value: Any) -> tuple[str, tuple[int, ...], list[Any]]:
        raise NotImplementedError

    def array_to_bytes(self, value: Any) -> tuple[str, tuple[int, ...], bytes]:
        dtype, shape, values = self.array_to_flat(value)
        return dtype, shape, flat_to_bytes(dtype, values)

    def array_from_bytes(self, dtype: str, shape: tuple[int, ...], data: bytes) -> Any:
        return self.array_from_flat(bytes_to_flat(dtype, data), shape, dtype)


def _element_format(dtype: str) -> str:
    try:
        return ELEMENT_FORMAT[dtype]
    except KeyError:
        raise WireError(f"unknown dtype {dtype!r} (known: {', '.join(DTYPE_NAMES)})") from None


def item_size(dtype: str) -> int:
    """Bytes per element of a wire dtype."""
    size = struct.calcsize("<" + _element_format(dtype))
    return 2 * size if dtype in COMPLEX_DTYPES else size


def flat_to_bytes(dtype: str, values: list[Any]) -> bytes:
    """Little-endian bytes of a flat list of Python numbers of the given dtype."""
    fmt = _element_format(dtype)
    if dtype in COMPLEX_DTYPES:
        parts: list[float] = []
        for v in values:
            c = complex(v)
            parts.extend((c.real, c.imag))
        return struct.pack(f"<{len(parts)}{fmt}", *parts)
    if dtype == "bool":
        values = [bool(v) for v in values]
    return struct.pack(f"<{len(values)}{fmt}", *values)


def bytes_to_flat(dtype: str, data: bytes) -> list[Any]:
    """Flat list of Python numbers (bool / int / float / complex) from little-endian bytes."""
    fmt = _element_format(dtype)
    size = item_size(dtype)
    if len(data) % size:
        raise WireError(f"{len(data)} bytes is not a whole number of {dtype} elements")
    if dtype in COMPLEX_DTYPES:
        parts = struct.unpack(f"<{2 * (len(data) // size)}{fmt}", data)
        return [complex(parts[i], parts[i + 1]) for i in range(0, len(parts), 2)]
    if dtype == "bool" and any(b > 1 for b in data):
        raise WireError("bool array data must be bytes 0 or 1")
    return list(struct.unpack(f"<{len(data) // size}{fmt}", data))


def encode_float(x: float) -> Any:
    """A float as JSON: a number, or a ``$float`` tag for NaN, ±inf and -0.0."""
    if math.isnan(x):
        return {"$float": "nan"}
    if math.isinf(x):
        return {"$float": "inf" if x > 0 else "-inf"}
    if x == 0.0 and math.copysign(1.0, x) < 0:
        return {"$float": "-0.0"}
    return float(x)


def decode_float(value: Any) -> float:
    if isinstance(value, dict):
        try:
            return _SPECIAL_FLOATS[value["$float"]]
        except (KeyError, TypeError):
            raise WireError(f"not a wire float: {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WireError(f"not a wire float: {value!r}")
    return float(value)


def _opt_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise WireError(f"slice bound must be an integer or null, got {value!r}")
    return value


def view(base: Any, key: Any, codec: Codec) -> dict[str, Any]:
    """Wire form of the view ``base[key]`` (``base`` a native array of ``codec``)."""
    return {"$view": {"base": encode(base, codec), "key": encode(key, codec)}}


def encode(value: Any, codec: Codec) -> Any:
    """Encode a backend value (array, scalar, dtype, container …) as wire JSON."""
    if value is None:
        return None
    if codec.is_array(value):
        dtype, shape, data = codec.array_to_bytes(value)
        return {
            "$array": {
                "dtype": dtype,
                "shape": [int(n) for n in shape],
                "data": base64.b64encode(data).decode("ascii"),
            }
        }
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return encode_float(value)
    if isinstance(value, complex):
        return {"$complex": [encode_float(value.real), encode_float(value.imag)]}
    if isinstance(value, str):
        return value
    if codec.is_dtype(value):
        return {"$dtype": codec.dtype_name(value)}
    if value is Ellipsis:
        return {"$ellipsis": True}
    if isinstance(value, slice):
        return {"$slice": [_opt_int(value.start), _opt_int(value.stop), _opt_int(value.step)]}
    if isinstance(value, tuple):
        items = [encode(v, codec) for v in value]
        fields = getattr(value, "_fields", None)
        if fields is not None:
            return {"$tuple": items, "fields": list(fields)}
        return {"$tuple": items}
    if isinstance(value, list):
        return [encode(v, codec) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise WireError(f"dict keys must be strings, got {list(value)!r}")
        body = {k: encode(v, codec) for k, v in value.items()}
        return {"$dict": body} if any(k.startswith("$") for k in value) else body
    if codec.is_info(value):
        return {"$info": _encode_info(value, codec)}
    if isinstance(value, Device):
        return {"$device": {"index": value.index, "text": value.text}}
    if (index := device_index(value, codec.devices)) is not None:
        return {"$device": {"index": index, "text": str(value)}}
    raise WireError(f"cannot encode {type(value).__module__}.{type(value).__qualname__} on the tensor wire")


def arrays_in(value: Any, codec: Codec, path: str = "") -> list[tuple[str, Any]]:
    """Every array in a native result with its path (``""`` the result itself, ``"1"`` item 1 of a tuple,
    ``"1.0"`` nested): what :func:`encode` would send as ``$array``, before any conversion."""
    if codec.is_array(value):
        return [(path, value)]
    if isinstance(value, tuple | list):
        return [found for i, v in enumerate(value) for found in arrays_in(v, codec, f"{path}.{i}" if path else str(i))]
    return []


def _encode_info(info: Any, codec: Codec) -> dict[str, Any]:
    dtype = info.dtype
    out: dict[str, Any] = {
        "bits": int(info.bits),
        "dtype": {"$dtype": codec.dtype_name(dtype)} if codec.is_dtype(dtype) else encode(dtype, codec),
    }
    is_float = hasattr(info, "eps")
    keys = ("max", "min", "eps", "smallest_normal") if is_float else ("max", "min")
    for key in keys:
        raw = getattr(info, key)
        out[key] = encode_float(float(raw)) if is_float else int(raw)
    out["types"] = {key: python_type(getattr(info, key)) for key in ("bits", *keys)}
    return out


def decode(value: Any, codec: Codec) -> Any:
    """Decode wire JSON into backend values using ``codec``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, list):
        return [decode(v, codec) for v in value]
    if not isinstance(value, dict):
        raise WireError(f"not tensor wire JSON: {value!r}")
    tags = _TAGS.intersection(value)
    if not tags:
        return {k: decode(v, codec) for k, v in value.items()}
    if len(tags) > 1:
        raise WireError(f"ambiguous wire object with tags {sorted(tags)}")
    (tag,) = tags
    body = value[tag]
    if tag == "$array":
        return _decode_array(body, codec)
    if tag == "$view":
        if not isinstance(body, dict) or set(body) != {"base", "key"}:
            raise WireError(f"$view needs base and key, got {body!r}")
        return codec.make_view(decode(body["base"], codec), decode(body["key"], codec))
    if tag == "$float":
        return decode_float(value)
    if tag == "$complex":
        if not isinstance(body, list) or len(body) != 2:
            raise WireError(f"$complex needs [re, im], got {body!r}")
        return complex(decode_float(body[0]), decode_float(body[1]))
    if tag == "$dtype":
        if body not in ELEMENT_FORMAT:
            raise WireError(f"unknown dtype {body!r}")
        return codec.dtype_from_name(body)
    if tag == "$tuple":
        if not isinstance(body, list):
            raise WireError(f"$tuple needs a list, got {body!r}")
        items = [decode(v, codec) for v in body]
        fields = value.get("fields")
        if fields is None:
            return tuple(items)
        if not isinstance(fields, list) or len(fields) != len(items) or not all(isinstance(f, str) for f in fields):
            raise WireError(f"$tuple fields must name each of its {len(items)} items, got {fields!r}")
        return collections.namedtuple("WireTuple", fields, rename=True)(*items)
    if tag == "$slice":
        if not isinstance(body, list) or len(body) != 3:
            raise WireError(f"$slice needs [start, stop, step], got {body!r}")
        return slice(*(_opt_int(b) for b in body))
    if tag == "$ellipsis":
        return Ellipsis
    if tag == "$info":
        return _decode_info(body, codec)
    if tag == "$device":
        return _decode_device(body, codec)
    if tag == "$dict":
        if not isinstance(body, dict):
            raise WireError(f"$dict needs an object, got {body!r}")
        return {k: decode(v, codec) for k, v in body.items()}
    raise AssertionError(tag)  # pragma: no cover - _TAGS is exhaustive


def _decode_array(body: Any, codec: Codec) -> Any:
    try:
        dtype, shape, data = body["dtype"], body["shape"], body["data"]
    except (KeyError, TypeError):
        raise WireError(f"$array needs dtype, shape and data, got {body!r}") from None
    if not isinstance(shape, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape
    ):
        raise WireError(f"$array shape must be a list of non-negative integers, got {shape!r}")
    raw = base64.b64decode(data, validate=True)
    count = math.prod(shape)
    if len(raw) != count * item_size(dtype):
        raise WireError(
            f"$array of {dtype} shape {shape} needs {count * item_size(dtype)} bytes, got {len(raw)}"
        )
    if dtype == "bool" and raw.strip(b"\x00\x01"):
        raise WireError("bool array data must be bytes 0 or 1")
    return codec.array_from_bytes(dtype, tuple(shape), raw)


def _decode_device(body: Any, codec: Codec) -> Any:
    if not isinstance(body, dict) or not isinstance(body.get("index"), int) or not isinstance(body.get("text"), str):
        raise WireError(f"$device needs an integer index and a text, got {body!r}")
    if codec.devices is None:
        return Device(body["index"], body["text"])
    if not 0 <= body["index"] < len(codec.devices):
        raise WireError(f"$device index {body['index']} is not one of the backend's {len(codec.devices)} devices")
    return codec.devices[body["index"]]


def _decode_info(body: Any, codec: Codec) -> Info:
    if not isinstance(body, dict):
        raise WireError(f"$info needs an object, got {body!r}")
    types = body.get("types")
    if types is not None and not (isinstance(types, dict) and all(isinstance(v, str) for v in types.values())):
        raise WireError(f"$info types must map attribute names to type names, got {types!r}")
    try:
        dtype = decode(body["dtype"], codec)
        if "eps" in body:
            return Info(
                bits=body["bits"],
                max=decode_float(body["max"]),
                min=decode_float(body["min"]),
                dtype=dtype,
                eps=decode_float(body["eps"]),
                smallest_normal=decode_float(body["smallest_normal"]),
                types=types,
            )
        return Info(bits=body["bits"], max=body["max"], min=body["min"], dtype=dtype, types=types)
    except KeyError as missing:
        raise WireError(f"$info lacks {missing}") from None


class NumpyCodec(Codec):
    """numpy arrays (and numpy scalars, as 0-d arrays) on the wire; used by the kit to decode results."""

    name = "numpy"

    def __init__(self) -> None:
        import numpy

        self.np = numpy

    def is_array(self, value: Any) -> bool:
        return isinstance(value, self.np.ndarray | self.np.generic)

    def array_to_bytes(self, value: Any) -> tuple[str, tuple[int, ...], bytes]:
        arr = self.np.asarray(value)
        name = NumpyCodec.dtype_name(self, arr.dtype)
        if name == "bool":  # uninitialised memory (empty, empty_like) may hold bytes other than 0/1
            return name, arr.shape, (arr.view(self.np.uint8) != 0).view(self.np.uint8).tobytes(order="C")
        return name, arr.shape, arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes(order="C")

    def array_from_bytes(self, dtype: str, shape: tuple[int, ...], data: bytes) -> Any:
        np = self.np
        wire_dtype = np.dtype(dtype).newbyteorder("<")
        return np.frombuffer(data, dtype=wire_dtype).reshape(shape).astype(np.dtype(dtype), copy=True)

    def is_dtype(self, value: Any) -> bool:
        np = self.np
        return isinstance(value, np.dtype) or (isinstance(value, type) and issubclass(value, np.generic))

    def dtype_name(self, dtype: Any) -> str:
        name = self.np.dtype(dtype).name
        if name not in ELEMENT_FORMAT:
            raise WireError(f"numpy dtype {name!r} has no tensor wire form")
        return name

    def dtype_from_name(self, name: str) -> Any:
        return self.np.dtype(name)


class BridgeCodec(NumpyCodec):
    """A backend whose arrays convert to and from numpy (torch, jax, dask, array-api-strict).

    Subclasses give :meth:`is_native`, :meth:`native_to_numpy`, :meth:`from_numpy` and the
    dtype hooks; the bytes are then produced by numpy, which is exact for every wire dtype.
    numpy arrays and scalars a backend hands back (e.g. from a numpy-based dtype function)
    are encoded as arrays too.
    """

    name = "bridge"

    def is_native(self, value: Any) -> bool:
        raise NotImplementedError

    def native_to_numpy(self, value: Any) -> Any:
        raise NotImplementedError

    def from_numpy(self, array: Any) -> Any:
        raise NotImplementedError

    def is_array(self, value: Any) -> bool:
        return self.is_native(value) or isinstance(value, self.np.ndarray | self.np.generic)

    def to_numpy(self, value: Any) -> Any:
        return self.native_to_numpy(value) if self.is_native(value) else self.np.asarray(value)

    def array_to_bytes(self, value: Any) -> tuple[str, tuple[int, ...], bytes]:
        return super().array_to_bytes(self.to_numpy(value))

    def array_from_bytes(self, dtype: str, shape: tuple[int, ...], data: bytes) -> Any:
        return self.from_numpy(super().array_from_bytes(dtype, shape, data))
