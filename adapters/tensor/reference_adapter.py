"""The pure-Python tensor reference (``accord.reference.tensor``), the suite's oracle.

No workaround and no numpy: arrays cross the wire through :class:`ReferenceCodec`
(flat lists of Python numbers packed with :mod:`struct`). The conformance suite also calls
this adapter in-process (``adapter.invoke``) to compute expected values.
"""

from __future__ import annotations

from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.namespace_adapter import ARRAY_API_STANDARD, NamespaceAdapter
from accord.spec.tensor import wire


class ReferenceCodec(wire.FlatCodec):
    """The pure-Python reference (``accord.reference.tensor``): flat lists, no numpy."""

    name = "reference"

    def __init__(self) -> None:
        from accord.reference import tensor  # lazily, like every backend: listing adapters imports none

        self.ref = tensor

    def is_array(self, value: Any) -> bool:
        return isinstance(value, self.ref.Array)

    def array_from_flat(self, values: list[Any], shape: tuple[int, ...], dtype: str) -> Any:
        return self.ref.Array.from_flat(values, shape, self.dtype_from_name(dtype))

    def array_to_flat(self, value: Any) -> tuple[str, tuple[int, ...], list[Any]]:
        return self.dtype_name(value.dtype), tuple(value.shape), list(value.to_flat())

    def is_dtype(self, value: Any) -> bool:
        return any(value is getattr(self.ref, n, None) for n in wire.ELEMENT_FORMAT)

    def dtype_name(self, dtype: Any) -> str:
        for name in wire.ELEMENT_FORMAT:
            if dtype is getattr(self.ref, name, None):
                return name
        raise wire.WireError(f"{dtype!r} is not a dtype of the reference")

    def dtype_from_name(self, name: str) -> Any:
        try:
            return getattr(self.ref, name)
        except AttributeError:
            raise wire.WireError(f"the reference has no dtype {name!r}") from None


class ReferenceAdapter(NamespaceAdapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="reference",
        family="tensor",
        backend_package="accord",
        claims=("complex", "linalg", "fft"),  # linalg, fft: the extensions (tensor 4.0)
        is_reference=True,
        requires=("accord.reference.tensor",),
        description="Accord's pure-Python tensor reference (the oracle).",
        spec_versions=("1.0", "1.1", "2.0", "2.1", "3.0", "4.0"),  # 2.1: complex accuracy measured, as the text says
    )
    snippet_header: ClassVar[str] = "from accord.reference import tensor as xp"
    alias: ClassVar[str] = "xp"

    def start(self) -> None:
        from accord.reference.tensor import revision

        # answer as the revision the run's spec follows (lists or tuples of arrays, 2024.12 / 2025.12)
        revision.set_revision(self.revision(ARRAY_API_STANDARD) or revision.DEFAULT)
        super().start()

    def load_namespace(self) -> Any:
        from accord.reference import tensor

        return tensor

    def make_codec(self) -> wire.Codec:
        return ReferenceCodec()


adapter = ReferenceAdapter()
