"""The ``accord`` command line starts without hypothesis's third-party plugins (a user's setting wins)."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

PLUGINS = list(entry_points(group="hypothesis"))
ROOTS = sorted({plugin.value.split(".")[0] for plugin in PLUGINS})  # trio: the packages the plugins live in
PROBE = f"import sys, accord.conformance.cli; print([m for m in {ROOTS!r} if m in sys.modules])"

pytestmark = pytest.mark.skipif(not PLUGINS, reason="no package here registers a hypothesis plugin (trio does)")


def _loaded_plugins(env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_the_command_line_loads_no_hypothesis_plugin() -> None:
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    assert _loaded_plugins(env) == "[]"


def test_a_user_who_sets_the_variable_keeps_the_plugins() -> None:
    """An empty HYPOTHESIS_NO_PLUGINS is hypothesis's "load them", and the kit leaves a set variable alone."""
    loaded = _loaded_plugins({**os.environ, "HYPOTHESIS_NO_PLUGINS": ""})
    assert loaded == repr(ROOTS)
