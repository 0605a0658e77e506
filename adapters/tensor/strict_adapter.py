"""array-api-strict: the strict, minimal array API namespace, pinned to the spec's revision.

``start()`` sets the library's ``api_version`` flag to the standard revision the run's spec version
follows (the kit says it with hello; 2024.12 when it does not, the revision tensor 1.0-3.0 follow). No other
workaround: the library is the standard's own executable reading.
"""

from __future__ import annotations

from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.namespace_adapter import ARRAY_API_STANDARD, SPEC_DTYPES, NamespaceAdapter
from accord.spec.tensor import wire

API_VERSION = "2024.12"


class StrictCodec(wire.BridgeCodec):
    name = "array-api-strict"

    def __init__(self, xp: Any) -> None:
        super().__init__()
        self.xp = xp
        self.array_type = type(xp.asarray(0))
        self.dtype_type = type(xp.float32)
        self.by_name = {n: getattr(xp, n) for n in SPEC_DTYPES}
        self.cpu = xp.__array_namespace_info__().default_device()

    def is_native(self, value: Any) -> bool:
        return isinstance(value, self.array_type)

    def native_to_numpy(self, value: Any) -> Any:
        # an array on one of strict's test devices (device1, device2) refuses numpy: the wire reads it on the CPU
        return self.np.asarray(value if value.device == self.cpu else value.to_device(self.cpu))

    def from_numpy(self, array: Any) -> Any:
        return self.xp.asarray(array)

    def is_dtype(self, value: Any) -> bool:
        return isinstance(value, self.dtype_type)

    def dtype_name(self, dtype: Any) -> str:
        for name, known in self.by_name.items():
            if dtype == known:
                return name
        raise wire.WireError(f"array-api-strict dtype {dtype!r} has no tensor wire form")

    def dtype_from_name(self, name: str) -> Any:
        try:
            return self.by_name[name]
        except KeyError:
            raise wire.WireError(f"array-api-strict has no dtype {name!r}") from None


class StrictAdapter(NamespaceAdapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="array-api-strict",
        family="tensor",
        backend_package="array-api-strict",
        claims=("complex", "linalg", "fft"),  # linalg, fft: the extensions (tensor 4.0)
        requires=("array_api_strict",),
        description="array_api_strict with api_version set to the revision the run follows, in-process, CPU.",
        spec_versions=("1.0", "1.1", "2.0", "2.1", "3.0", "4.0"),  # 2.1: complex accuracy measured, as the text says
    )
    alias: ClassVar[str] = "xp"

    def start(self) -> None:
        import array_api_strict

        array_api_strict.set_array_api_strict_flags(api_version=self.api_version())  # on every start: the run's
        super().start()

    def load_namespace(self) -> Any:
        import array_api_strict

        return array_api_strict

    def api_version(self) -> str:
        """The revision the run's spec follows (2024.12 when the kit does not say): the library's flag."""
        return self.revision(ARRAY_API_STANDARD) or API_VERSION

    @property
    def snippet_header(self) -> str:  # type: ignore[override]
        return f'import array_api_strict as xp\nxp.set_array_api_strict_flags(api_version="{self.api_version()}")'

    def make_codec(self) -> wire.Codec:
        return StrictCodec(self.xp)


adapter = StrictAdapter()
