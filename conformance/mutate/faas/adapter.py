"""The FaaS mutant adapter: the reference host with one mutant applied, in the host process only.

``accord.conformance.mutate.faas.adapter:adapter`` takes the adapter options ``mutant`` (an id) and ``set``
(where its MutantSet is); without them it is the plain reference adapter (the control run). With a
mutant it launches ``python -m accord.conformance.mutate.faas.host``, which installs the patch in the
host process and then runs the reference host; nothing is patched in the worker, and the kit's
reference host (in the kit's process) never sees a patch. No entry point; it refuses to start outside
``python -m accord.conformance.worker``.
"""

from __future__ import annotations

import sys
from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.faas.reference_adapter import ReferenceAdapter

from ..mutant_options import MutantOptions

DEFAULT_SET = "accord.conformance.mutate.faas:MUTANTS"


class FaasMutantAdapter(MutantOptions, ReferenceAdapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="reference-mutant",
        family="faas",
        backend_package="accord",
        spec_versions=ReferenceAdapter.meta.spec_versions,
        description="Accord's reference function host with one mutant applied (accord mutate); never the oracle.",
    )

    def start(self) -> None:
        self.require_worker()
        super().start()

    @property
    def host_name(self) -> str:  # type: ignore[override]
        return "faas-reference-mutant" if self.mutant else "faas-reference"

    def host_command(self, port: int, config: dict[str, Any]) -> list[str]:
        """The reference host's command, run through the wrapper that patches it first (unmutated: as is)."""
        command = super().host_command(port, config)
        if not self.mutant:
            return command
        return [sys.executable, "-m", "accord.conformance.mutate.faas.host", "--mutant", self.mutant,
                "--set", self.options.get("set") or DEFAULT_SET, "--", *command[3:]]


adapter = FaasMutantAdapter()
