"""Apache Beam (Python SDK) adapter: every Accord transform becomes Beam's own transform.

Batch graphs run on the in-process ``FnApiRunner``; graphs with a ``test_stream``
run on the ``BundleBasedDirectRunner`` in streaming mode (the FnApiRunner has no
TestStream support, apache/beam#21988). Both runners are pinned explicitly: the
default DirectRunner may try to download a portable runner at run time.
Translation table: :mod:`accord.adapters.pipeline._beam_parts`.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any, ClassVar

from accord.adapters.base import Adapter, AdapterMeta, AdapterUnsupported

from ._engine_common import expected

_LIFTING = ("Beam's lifted combiners (CombinePerKey, Count.PerKey, Count.PerElement, Distinct) pre-combine each "
            "bundle in a Python dict, so 1/1.0/True and 0/0.0/-0.0/False merge before the byte-wise GroupByKey "
            "(GroupByKey alone follows the spec). Minimal: Create([(1, 0), (1.0, 0)]) | CombinePerKey('sum') "
            "gives one group.")
_VARINT = ("Beam types int PCollections with the 64-bit VarIntCoder (inferred from Create's values and from the "
           "functions), so ints of 2**63 and beyond raise OverflowError. Minimal: Create([2**63]) | "
           "CombineGlobally('sum').")


class BeamAdapter(Adapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="beam",
        family="pipeline",
        backend_package="apache-beam",
        claims=("streaming",),
        requires=("apache_beam",),
        # Observed in `accord run -f pipeline -a beam` with seeds 1, 2 and 3; random requirements are
        # listed only when every seed failed them.
        expected_failures=(
            *expected(_LIFTING, "", "key_equality.numeric_types", "key_equality.signed_zero",
                      "key_equality.kinds", "key_equality.distinct"),
            *expected(_VARINT, "", "side_inputs.values", "filter.values", "partition.values", "with_keys.values"),
            *expected(f"{_LIFTING} Also: {_VARINT}", "", "key_equality.random", "combine_per_key.values",
                      "count_per_element.values"),
        ),
        description="Apache Beam Python SDK on the local FnApiRunner (batch) and "
                    "BundleBasedDirectRunner with TestStream (streaming).",
    )

    _parts: Any = None
    _runs = itertools.count()

    def start(self) -> None:
        # Beam logs optional-dependency warnings (GCS, BigQuery) at import; they are noise here.
        logging.getLogger("apache_beam").setLevel(logging.ERROR)
        logging.getLogger().setLevel(logging.ERROR)
        from accord.adapters.pipeline import _beam_parts

        self._parts = _beam_parts

    def stop(self) -> None:
        self._parts = None  # the runners are in-process and end with each run

    def invoke(self, op: str, args: Any) -> Any:
        if op != "run":
            raise AdapterUnsupported(op)
        if self._parts is None:
            self.start()
        return self._parts.run(args["graph"], f"run{next(self._runs)}")


adapter = BeamAdapter()
