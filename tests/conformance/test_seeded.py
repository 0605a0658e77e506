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
