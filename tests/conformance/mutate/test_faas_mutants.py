"""The FaaS mutant set: every mutant's direct example really changes the answer of a deployed host (the mutant
applied in the host process the mutant adapter launches), the kit's reference host is never patched, and the
set is well formed against the draft."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from accord.conformance.mutate.model import check_set
from accord.conformance.mutate.sets import mutant_set
from accord.spec import load_spec, match_requirements

FAAS = mutant_set("faas")


def _host_state() -> dict:
    from accord.reference.faas import cloudevents, host

    return {f"{m.__name__}.{n}": getattr(m, n) for m in (host, cloudevents) for n in dir(m) if not n.startswith("__")}


@pytest.fixture(scope="module")
def differences() -> dict[str, str | None]:
    """Every mutant's difference, four at a time (each deploys a host; most of the time is waiting)."""
    before = _host_state()
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = dict(zip([m.id for m in FAAS.mutants], pool.map(FAAS.difference, FAAS.mutants), strict=True))
    assert _host_state() == before, "running a mutant changed the kit's reference host"
    return found


@pytest.mark.parametrize("mutant", FAAS.mutants, ids=lambda m: m.id)
def test_direct_example_differs_from_the_reference(differences: dict, mutant) -> None:
    assert differences[mutant.id] is not None, f"{mutant.id}: its direct example gives the reference's answer"


def test_the_mutant_adapter_refuses_to_start_beside_the_oracle() -> None:
    from accord.conformance.mutate.faas.adapter import FaasMutantAdapter

    adapter = FaasMutantAdapter()
    adapter.configure({"mutant": FAAS.mutants[0].id})
    with pytest.raises(RuntimeError, match="only inside a worker"):
        adapter.start()


def test_set_is_well_formed_against_the_draft() -> None:
    spec = load_spec("faas", "draft")
    capabilities = {c.id for c in spec.capabilities}
    assert check_set(FAAS.mutants, "faas") == []
    scored = [m for m in FAAS.mutants if not m.allowed]
    assert len(scored) >= 25
    for mutant in FAAS.mutants:
        assert mutant.group in capabilities, mutant.id
        selected = match_requirements(spec, mutant.globs())
        assert selected, f"{mutant.id} selects no requirement"
        assert mutant.group in {r.capability for r in selected}, f"{mutant.id}: group {mutant.group} is not one of " \
                                                                  "the capabilities its requirements are in"
    assert {m.group for m in scored} == capabilities  # every capability group has mutants
