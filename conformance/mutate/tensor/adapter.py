"""The tensor mutant adapter: the pure-Python reference with one mutant's overrides, in a worker only.

``accord.conformance.mutate.tensor.adapter:adapter`` takes the adapter option ``mutant`` (a mutant id);
without it, it is the plain reference (the control run). It is no entry point, so ``accord adapters``
never lists it, and it refuses to start outside a worker process: the kit's oracle is the reference
adapter's own instance (``accord.adapters.tensor.reference_adapter.adapter``) in the kit's process,
which never sees a patch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.reference_adapter import ReferenceAdapter
from accord.conformance.mutate.mutant_options import MutantOptions

HOOKS = ("method:", "getitem", "setitem")


class TensorMutantAdapter(MutantOptions, ReferenceAdapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="reference-mutant",
        family="tensor",
        backend_package="accord",
        claims=ReferenceAdapter.meta.claims,
        requires=ReferenceAdapter.meta.requires,
        description="Accord's tensor reference with one mutant applied (accord mutate); never the oracle.",
        spec_versions=ReferenceAdapter.meta.spec_versions,
    )
    hooks: dict[str, Callable[..., Any]] | None = None

    def start(self) -> None:
        self.require_worker()
        super().start()

    def make_overrides(self) -> dict[str, Callable[..., Any]]:
        if not self.mutant:
            self.hooks = {}
            return {}
        from ..model import load_set

        found = load_set(self.options.get("set") or "accord.conformance.mutate.tensor:MUTANTS")
        patched = found.get(self.mutant).patch(self.xp)
        self.hooks = {k: v for k, v in patched.items() if k.startswith(HOOKS)}
        return {k: v for k, v in patched.items() if not k.startswith(HOOKS)}

    def run(self, op: str, args: dict[str, Any]) -> Any:
        hooks = self.hooks or {}
        if op == "method" and f"method:{args['method']}" in hooks:
            return hooks[f"method:{args['method']}"](args["self"], *args.get("args", ()), **args.get("kwargs", {}))
        if op == "getitem" and "getitem" in hooks:
            return hooks["getitem"](args["self"], args["key"])
        if op == "setitem" and "setitem" in hooks:
            return hooks["setitem"](args["self"], args["key"], args["value"])
        return super().run(op, args)


adapter = TensorMutantAdapter()
