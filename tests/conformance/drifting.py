"""A tensor adapter whose answers drift from the protocol schema (for tests/conformance/test_protocol_traffic.py).

``namespace_info`` reports one field more than the schema knows: the kind of drift a change to
one side of the protocol makes, which only schema validation notices (the suite ignores the field).
"""

from __future__ import annotations

from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import NumpyAdapter


class ReportsThreads(NumpyAdapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(name="reports-threads", family="tensor", backend_package="numpy",
                                              requires=("numpy",), spec_versions=("1.0", "1.1"))

    def namespace_info(self, names: list[str] | None = None) -> dict[str, Any]:
        return {**super().namespace_info(names), "threads": 1}


adapter = ReportsThreads()
