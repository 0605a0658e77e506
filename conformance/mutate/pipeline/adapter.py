"""The pipeline mutant adapter: the pipeline reference with one mutant's overrides, in a worker only.

``accord.conformance.mutate.pipeline.adapter:adapter`` takes the adapter options ``mutant`` (an id) and
``set`` (where its MutantSet is); without them it is the plain reference (the control run). It is no
entry point and refuses to start outside ``python -m accord.conformance.worker``: the overrides replace
functions of the worker's own copy of ``accord.reference.pipeline``, while the kit's oracle is the
reference in the kit's process, which never sees a patch.
"""

from __future__ import annotations

from typing import ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.pipeline.reference_adapter import ReferencePipelineAdapter

from ..mutant_options import MutantOptions

DEFAULT_SET = "accord.conformance.mutate.pipeline:MUTANTS"


class PipelineMutantAdapter(MutantOptions, ReferencePipelineAdapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="reference-mutant",
        family="pipeline",
        backend_package="accord",
        spec_versions=ReferencePipelineAdapter.meta.spec_versions,
        claims=ReferencePipelineAdapter.meta.claims,
        description="Accord's pipeline reference with one mutant applied (accord mutate); never the oracle.",
    )

    def start(self) -> None:
        self.require_worker()
        if self.mutant:
            from ..model import load_set
            from .tools import Ref, install

            install(load_set(self.options.get("set") or DEFAULT_SET).get(self.mutant).patch(Ref()))


adapter = PipelineMutantAdapter()
