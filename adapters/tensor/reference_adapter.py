"""The pure-Python tensor reference (``accord.reference.tensor``), the suite's oracle.

No workaround and no numpy: arrays cross the wire through :class:`wire.ReferenceCodec`
(flat lists of Python numbers packed with :mod:`struct`). The conformance suite also calls
this adapter in-process (``adapter.invoke``) to compute expected values.
"""

from __future__ import annotations

from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.namespace_adapter import NamespaceAdapter
from accord.spec.tensor import wire


class ReferenceAdapter(NamespaceAdapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="reference",
        family="tensor",
        backend_package="accord",
        claims=("complex",),
        is_reference=True,
        requires=("accord.reference.tensor",),
        description="Accord's pure-Python tensor reference (the oracle).",
        spec_versions=("1.0", "1.1"),  # 1.1 adds complex special cases (MAY) and loosens one compare
    )
    snippet_header: ClassVar[str] = "from accord.reference import tensor as xp"
    alias: ClassVar[str] = "xp"

    def load_namespace(self) -> Any:
        from accord.reference import tensor

        return tensor

    def make_codec(self) -> wire.Codec:
        return wire.ReferenceCodec()


adapter = ReferenceAdapter()
