"""Fixtures shared across the test tree (helpers live in ``accord_testing``)."""

import os
from pathlib import Path

import pytest
from accord_testing.host_fixtures import no_host_left_behind  # noqa: F401


@pytest.fixture(scope="session")
def plan_env_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The environment cache of every test that builds plan environments (plan, bisect, history), so a
    release's venv is built once per session; removed with pytest's temp folders.

    Under pytest-xdist every worker has a temp folder of its own: the cache goes beside them, in the
    session's, so that the workers share it (envs.ensure locks each environment while building it)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        path = tmp_path_factory.getbasetemp().parent / "plan-envs"
        path.mkdir(exist_ok=True)
        return path
    return tmp_path_factory.mktemp("plan-envs")
