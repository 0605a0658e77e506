"""ndonnx (``import ndonnx``) as a tensor backend, written the way CONTRIBUTING.md describes.

Arrays travel through numpy (``unwrap_numpy`` / ``ndonnx.asarray``); ndonnx's dtypes are its own
objects, mapped by name. Without onnxruntime ndonnx propagates values with ONNX's reference
evaluator (slow). Run it::

    pip install ndonnx
    accord run -f tensor -a examples.adapters.ndonnx_adapter:adapter --spec-version draft
"""

from __future__ import annotations

from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.namespace_adapter import SPEC_DTYPES, NamespaceAdapter
from accord.spec.tensor import wire


class NdonnxCodec(wire.BridgeCodec):
    name = "ndonnx"

    def __init__(self, ndx: Any) -> None:
        super().__init__()
        self.ndx = ndx
        self.by_name = {n: getattr(ndx, n) for n in SPEC_DTYPES if hasattr(ndx, n)}

    def is_native(self, value: Any) -> bool:
        return isinstance(value, self.ndx.Array)

    def native_to_numpy(self, value: Any) -> Any:
        return self.np.asarray(value.unwrap_numpy())

    def from_numpy(self, array: Any) -> Any:
        return self.ndx.asarray(array)

    def is_dtype(self, value: Any) -> bool:
        return isinstance(value, self.ndx.DType) or super().is_dtype(value)

    def dtype_name(self, dtype: Any) -> str:
        for name, known in self.by_name.items():
            if dtype == known:
                return name
        return super().dtype_name(dtype)

    def dtype_from_name(self, name: str) -> Any:
        try:
            return self.by_name[name]
        except KeyError:
            raise wire.WireError(f"ndonnx has no dtype {name!r}") from None


class NdonnxAdapter(NamespaceAdapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="ndonnx", family="tensor", backend_package="ndonnx", requires=("ndonnx",),
        spec_versions=("1.0", "1.1", "2.0"), description="ndonnx (ONNX-backed arrays), eager values, CPU.",
    )
    snippet_header: ClassVar[str] = "import ndonnx as ndx"
    alias: ClassVar[str] = "ndx"

    def load_namespace(self) -> Any:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "onnxruntime is not installed": the reference evaluator is used
            import ndonnx

        return ndonnx

    def make_codec(self) -> wire.Codec:
        return NdonnxCodec(self.xp)


adapter = NdonnxAdapter()
