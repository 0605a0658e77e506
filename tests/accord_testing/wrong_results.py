"""Real numpy-backed tensor adapters whose results come in the wrong Python types, on purpose.

What the standard types and the tensor draft checks (``result-container``, the ``finfo-types`` /
``iinfo-types`` aspects, the inspection aspects of ``namespace-defaults``): a tuple where it says
``List[array]`` and a list where it says ``Tuple[array, ...]``; finfo / iinfo attributes of numpy scalar
types; an info object whose dictionaries miss keys, hold names for dtypes or ignore ``kind``, and whose
``devices()`` is a tuple with a device numpy refuses. Loaded
in-process by the suite's tests, or by a worker as ``accord_testing.wrong_results:<name>``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord_testing.overriding import INFO, Overriding, numpy_meta


class SwappedContainers(Overriding):
    """broadcast_arrays and meshgrid answer tuples, unstack and nonzero lists: each the other container."""

    meta: ClassVar[AdapterMeta] = numpy_meta("swapped-containers")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {"broadcast_arrays": lambda *arrays: tuple(np.broadcast_arrays(*arrays)),
                "meshgrid": lambda *arrays, indexing="xy": tuple(np.meshgrid(*arrays, indexing=indexing)),
                "unstack": lambda x, /, *, axis=0: list(np.unstack(x, axis=axis)),
                "nonzero": lambda x, /: list(np.nonzero(x))}


class ListContainers(Overriding):
    """broadcast_arrays and meshgrid answer lists (numpy 2 answers tuples): every container as the text says."""

    meta: ClassVar[AdapterMeta] = numpy_meta("list-containers")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {"broadcast_arrays": lambda *arrays: list(np.broadcast_arrays(*arrays)),
                "meshgrid": lambda *arrays, indexing="xy": list(np.meshgrid(*arrays, indexing=indexing))}


class ScalarInfo(Overriding):
    """iinfo's max and min are numpy.int64 scalars, finfo's bits a float; the values stay right."""

    meta: ClassVar[AdapterMeta] = numpy_meta("scalar-info")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def iinfo(type: Any, /) -> Any:  # noqa: A002 (the standard's parameter name)
            found = np.iinfo(type)
            return SimpleNamespace(bits=found.bits, max=np.int64(found.max) if found.max < 2**63 else found.max,
                                   min=np.int64(found.min), dtype=found.dtype)

        def finfo(type: Any, /) -> Any:  # noqa: A002
            found = np.finfo(type)
            return SimpleNamespace(bits=float(found.bits), eps=float(found.eps), max=float(found.max),
                                   min=float(found.min), smallest_normal=float(found.smallest_normal),
                                   dtype=found.dtype)
        return {"iinfo": iinfo, "finfo": finfo}


class SloppyInfo(Overriding):
    """capabilities() without 'max dimensions', default_dtypes() of names, dtypes() ignoring kind and keyed oddly."""

    meta: ClassVar[AdapterMeta] = numpy_meta("sloppy-info")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        info = np.__array_namespace_info__()

        def capabilities() -> dict[str, Any]:
            return {"boolean indexing": True, "data-dependent shapes": True}

        def default_dtypes(*, device: Any = None) -> dict[str, Any]:
            return {k: v.name for k, v in info.default_dtypes().items()}

        def dtypes(*, device: Any = None, kind: Any = None) -> dict[str, Any]:
            found = dict(info.dtypes())
            found["double"] = found.pop("float64")  # numpy's alias, not the canonical name
            return found
        return {INFO + "capabilities": capabilities, INFO + "default_dtypes": default_dtypes, INFO + "dtypes": dtypes}


class OddDevices(Overriding):
    """devices() a tuple (the standard says List[device]) naming a device numpy's creation functions refuse."""

    meta: ClassVar[AdapterMeta] = numpy_meta("odd-devices")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {INFO + "devices": lambda: ("cpu", "gpu")}


swapped_containers = SwappedContainers()
list_containers = ListContainers()
scalar_info = ScalarInfo()
sloppy_info = SloppyInfo()
odd_devices = OddDevices()
