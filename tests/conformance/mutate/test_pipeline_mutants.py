"""The pipeline mutant set: every mutant's direct example really changes the reference's answer (run in a worker
of the mutant adapter), the kit's own reference is never patched, and the set is well formed against the draft."""

from __future__ import annotations

import pytest

from accord.conformance.mutate.model import check_set
from accord.conformance.mutate.sets import mutant_set
from accord.spec import load_spec, match_requirements

PIPELINE = mutant_set("pipeline")


def _reference_state() -> dict:
    from accord.reference import pipeline
    from accord.reference.pipeline import evaluate, stateful, triggers, windowing

    state = {f"{m.__name__}.{n}": getattr(m, n) for m in (evaluate, windowing, triggers, stateful)
             for n in dir(m) if not n.startswith("__")}
    return {**state, "run_wire": pipeline.run_wire, "TRANSFORMS": dict(evaluate.TRANSFORMS)}


@pytest.mark.parametrize("mutant", PIPELINE.mutants, ids=lambda m: m.id)
def test_direct_example_differs_from_the_reference(mutant) -> None:
    before = _reference_state()
    assert PIPELINE.difference(mutant) is not None, f"{mutant.id}: its direct example gives the reference's answer"
    assert _reference_state() == before, "running a mutant changed the kit's reference"


def test_the_mutant_adapter_refuses_to_start_beside_the_oracle() -> None:
    from accord.conformance.mutate.pipeline.adapter import PipelineMutantAdapter

    adapter = PipelineMutantAdapter()
    adapter.configure({"mutant": PIPELINE.mutants[0].id})
    with pytest.raises(RuntimeError, match="only inside a worker"):
        adapter.start()


def test_set_is_well_formed_against_the_draft() -> None:
    spec = load_spec("pipeline", "draft")
    capabilities = {c.id for c in spec.capabilities}
    assert check_set(PIPELINE.mutants, "pipeline") == []
    scored = [m for m in PIPELINE.mutants if not m.allowed]
    assert len(scored) >= 30
    for mutant in PIPELINE.mutants:
        assert mutant.group in capabilities, mutant.id
        selected = match_requirements(spec, mutant.globs())
        assert selected, f"{mutant.id} selects no requirement"
        assert mutant.group in {r.capability for r in selected}, f"{mutant.id}: group {mutant.group} is not one of " \
                                                                  "the capabilities its requirements are in"
    # spread over the capability groups (all but the combine-function contract, which no backend runs)
    assert len({m.group for m in scored}) >= 20
