"""numpy 2.x main namespace (``import numpy as np``), which follows the array API 2024.12.

Workarounds (each a name/signature gap only, the values are numpy's own):

* ``clip``: numpy's ``min`` / ``max`` are keyword-only (its positional slots are ``a_min`` /
  ``a_max``); the standard has ``clip(x, /, min=None, max=None)``, so the adapter passes them on
  by keyword.
* ``sort`` / ``argsort``: numpy has no ``descending``; a descending sort is a stable
  ascending argsort of the reversed axis, reversed back and re-indexed, so equal elements
  keep their original order as the standard asks for ``stable=True``.

numpy scalars (``np.float64`` from a full reduction) travel as 0-d arrays of their dtype.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta, ExpectedFailure, Shim
from accord.adapters.tensor.namespace_adapter import NamespaceAdapter
from accord.spec.tensor import wire


def descending_argsort(xp: Any, x: Any, axis: int, argsort: Callable[..., Any]) -> Any:
    """Indices that sort ``x`` descending along ``axis``, equal elements in original order.

    Built from an ascending *stable* ``argsort`` of the reversed axis; shared by the adapters
    whose backend has no ``descending`` flag. It is stable whatever ``stable`` asks (allowed:
    ``stable=False`` only permits, never requires, reordering equal elements).
    """
    reversed_idx = argsort(xp.flip(x, axis=axis), axis)
    n = x.shape[axis]
    return (n - 1) - xp.flip(reversed_idx, axis=axis)


SHIMS: tuple[Shim, ...] = (
    Shim("descending-sort", ("sort", "argsort"), "wrap",
         "numpy.sort / numpy.argsort have no descending parameter and default stable to None (kind="
         "'quicksort'): descending is a stable ascending argsort of the reversed axis, reversed back, and "
         "stable defaults to True as in the standard"),
    Shim("clip-keywords", ("clip",), "wrap",
         "numpy.clip's positional bounds are named a_min / a_max and its min / max are keyword-only: the "
         "standard's clip(x, /, min=None, max=None) passes them on by keyword"),
)


class NumpyAdapter(NamespaceAdapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="numpy",
        family="tensor",
        backend_package="numpy",
        claims=("complex", "linalg", "fft"),  # linalg, fft: the extensions (tensor 4.0)
        requires=("numpy",),
        description="numpy 2.x main namespace, in-process, CPU.",
        spec_versions=("1.0", "1.1", "2.0", "2.1", "3.0", "4.0"),  # 2.1: complex accuracy measured, as the text says
        shims=SHIMS,
        expected_failures=(
            ExpectedFailure("tensor.broadcast_arrays.result-container",
                            "numpy 2 returns a tuple: the standard's 2024.12 annotation is List[array] (its 2025.12 "
                            "revision changed it to Tuple[array, ...], which tensor 4.0 follows)",
                            spec_versions=("3.0",)),
            ExpectedFailure("tensor.meshgrid.result-container",
                            "numpy 2 returns a tuple: the standard's 2024.12 annotation is List[array] (its 2025.12 "
                            "revision changed it to Tuple[array, ...], which tensor 4.0 follows)",
                            spec_versions=("3.0",)),
            ExpectedFailure("tensor.dtypes.finfo-attribute-types",
                            "numpy.finfo(float32)'s eps, max, min and smallest_normal are numpy.float32 scalars, "
                            "not Python floats (float64's are numpy.float64, a float subclass)"),
            ExpectedFailure("tensor.dtypes.info-devices-tuple",
                            "numpy 2.4's __array_namespace_info__().devices() returns ['cpu'], a list: the 2025.12 "
                            "revision annotates Tuple[device, ...] (2024.12 said List)",
                            "https://github.com/numpy/numpy/blob/main/numpy/_array_api_info.py",
                            spec_versions=("4.0", "4.1")),
        ),
    )
    snippet_header: ClassVar[str] = "import numpy as np"
    alias: ClassVar[str] = "np"
    override_names: ClassVar[frozenset[str]] = frozenset(f for s in SHIMS for f in s.functions)

    def load_namespace(self) -> Any:
        import numpy

        return numpy

    def make_codec(self) -> wire.Codec:
        return wire.NumpyCodec()

    def make_overrides(self) -> dict[str, Callable[..., Any]]:
        np = self.xp

        def stable_argsort(x: Any, axis: int) -> Any:
            return np.argsort(x, axis=axis, stable=True)

        def argsort(x: Any, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Any:
            """np.argsort, descending via a stable argsort of the reversed axis"""
            if descending:
                return descending_argsort(np, x, axis, stable_argsort)
            return np.argsort(x, axis=axis, stable=stable)

        def sort(x: Any, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Any:
            """np.sort, descending via np.take_along_axis with the descending argsort"""
            if descending:
                return np.take_along_axis(x, descending_argsort(np, x, axis, stable_argsort), axis=axis)
            return np.sort(x, axis=axis, stable=stable)

        def clip(x: Any, /, min: Any = None, max: Any = None) -> Any:  # noqa: A002 - the standard's names
            """np.clip(x, min=min, max=max)"""
            return np.clip(x, min=min, max=max)

        return {"argsort": argsort, "sort": sort, "clip": clip}


adapter = NumpyAdapter()
