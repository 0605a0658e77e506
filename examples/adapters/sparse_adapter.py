"""pydata/sparse (``import sparse``) as a tensor backend, written the way CONTRIBUTING.md describes.

Arrays travel through numpy (``todense`` / ``sparse.asarray``); nothing else is adapted, so every
deviation is sparse's own. Run it without installing anything::

    pip install sparse
    accord run -f tensor -a examples/adapters/sparse_adapter.py:adapter --spec-version draft

(or ``examples.adapters.sparse_adapter:adapter`` from the repository root).
"""

from __future__ import annotations

from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.namespace_adapter import NamespaceAdapter
from accord.spec.tensor import wire


class SparseCodec(wire.BridgeCodec):
    """sparse arrays <-> numpy; numpy arrays a function hands back are encoded too (the kit flags them)."""

    name = "sparse"

    def __init__(self, sparse: Any) -> None:
        super().__init__()
        self.sparse = sparse

    def is_native(self, value: Any) -> bool:
        return isinstance(value, self.sparse.SparseArray)

    def native_to_numpy(self, value: Any) -> Any:
        return value.todense()

    def from_numpy(self, array: Any) -> Any:
        return self.sparse.asarray(array)


class SparseAdapter(NamespaceAdapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="sparse", family="tensor", backend_package="sparse", requires=("sparse",),
        spec_versions=("1.0", "1.1", "2.0"), description="pydata/sparse (COO), in-process, CPU.",
    )
    snippet_header: ClassVar[str] = "import sparse"
    alias: ClassVar[str] = "sparse"

    def load_namespace(self) -> Any:
        import sparse

        return sparse

    def make_codec(self) -> wire.Codec:
        return SparseCodec(self.xp)


adapter = SparseAdapter()
