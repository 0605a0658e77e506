"""A seed gives the same examples whatever local modules the kit's process has loaded.

Hypothesis draws some values from constants found in loaded "local" modules; an adapter imported
in-process (or the user's project under pytest) would otherwise change what a seed generates.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from accord_testing import TESTS_ENV

DRAW = textwrap.dedent('''
    import json, sys
    import hypothesis
    from hypothesis import settings, strategies as st
    from accord.conformance.check import Property, RunSettings, run_property

    if sys.argv[1] == "with-module":
        sys.path.insert(0, sys.argv[2])
        import many_constants  # noqa: F401  (a local module: its constants are what hypothesis harvests)

    strategy = st.lists(st.tuples(st.integers(), st.text(max_size=8), st.floats(allow_nan=False)), max_size=4)
    seen = []
    run_property(Property(strategy, lambda example: seen.append(repr(example))), RunSettings(seed=1, max_examples=200))

    plain = []  # the same search without the kit: hypothesis's own behaviour, as the control
    @settings(max_examples=200, database=None, phases=[hypothesis.Phase.generate])
    @hypothesis.seed(1)
    @hypothesis.given(strategy)
    def control(example):
        plain.append(repr(example))
    control()
    print(json.dumps({"kit": seen, "plain": plain}))
''')


def _draws(tmp_path: Path, mode: str) -> dict[str, list[str]]:
    out = subprocess.run([sys.executable, "-c", DRAW, mode, str(tmp_path)], capture_output=True, text=True,
                         env=TESTS_ENV, cwd=tmp_path, timeout=300, check=True)
    return json.loads(out.stdout)


def test_a_seed_draws_the_same_examples_with_or_without_a_local_module_loaded(tmp_path: Path) -> None:
    lines = [f"VALUE_{i} = {7919 * i + 104729}\nNAME_{i} = 'constant-{i}-x'\nRATIO_{i} = {i}.25" for i in range(300)]
    (tmp_path / "many_constants.py").write_text("\n".join(lines) + "\n")
    bare, loaded = _draws(tmp_path, "bare"), _draws(tmp_path, "with-module")
    assert bare["plain"] != loaded["plain"], "control: hypothesis itself should draw the module's constants"
    assert bare["kit"] == loaded["kit"]
    assert len(bare["kit"]) == 200


def test_the_kit_leaves_hypothesis_local_constants_on_for_the_users_own_tests() -> None:
    from hypothesis.internal.conjecture import providers

    from accord.conformance.seeded import seed_only

    before = providers._get_local_constants
    with seed_only():
        assert providers._get_local_constants is not before
    assert providers._get_local_constants is before


def test_the_kit_leaves_hypothesis_reseeding_of_global_prngs_on_for_the_users_own_tests() -> None:
    import hypothesis.core

    from accord.conformance.seeded import seed_only

    before = hypothesis.core.deterministic_PRNG
    with seed_only():
        assert hypothesis.core.deterministic_PRNG is not before
    assert hypothesis.core.deterministic_PRNG is before


def test_skipping_the_global_prng_reseeding_changes_no_example(monkeypatch: object) -> None:
    """The kit's searches skip hypothesis's per-example reseeding of ``random`` / ``numpy.random``
    (a tenth of a tensor run): what they draw must be what hypothesis draws with it."""
    import hypothesis.core

    from accord.conformance import seeded
    from accord.conformance.check import Property, RunSettings, run_property

    strategy = st_calls()
    seen: list[str] = []
    run_property(Property(strategy, lambda example: seen.append(repr(example))), RunSettings(seed=3, max_examples=150))
    reseeded: list[str] = []
    monkeypatch.setattr(seeded, "_PRNG", "no-such-attribute")  # type: ignore[attr-defined]
    run_property(Property(strategy, lambda example: reseeded.append(repr(example))),
                 RunSettings(seed=3, max_examples=150))
    assert seen == reseeded and len(seen) == 150
    assert hypothesis.core.deterministic_PRNG.__module__ == "hypothesis.internal.entropy"


def st_calls() -> object:
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    return st.tuples(hnp.arrays("float64", hnp.array_shapes(max_dims=2, max_side=3)), st.integers(), st.text(max_size=4))


def test_a_search_does_not_hash_its_test_source_and_draws_the_same(monkeypatch: object) -> None:
    """``keyless``: hypothesis would hash each search's test source for a database key the kit never reads."""
    import hypothesis.core

    from accord.conformance import seeded
    from accord.conformance.check import Property, RunSettings, run_property

    hashed: list[object] = []
    digest = hypothesis.core.function_digest
    monkeypatch.setattr(hypothesis.core, "function_digest", lambda f: hashed.append(f) or digest(f))  # type: ignore[attr-defined]
    keyless: list[str] = []
    run_property(Property(st_calls(), lambda example: keyless.append(repr(example))), RunSettings(seed=5, max_examples=40))
    assert hashed == []
    keyed: list[str] = []
    monkeypatch.setattr(seeded, "_KEY", "_no_such_attribute")  # type: ignore[attr-defined]
    run_property(Property(st_calls(), lambda example: keyed.append(repr(example))), RunSettings(seed=5, max_examples=40))
    assert hashed, "control: without the key hypothesis hashes the test's source"
    assert keyless == keyed and len(keyless) == 40
