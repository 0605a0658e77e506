"""A deploy is idempotent, hands out loopback URLs only, and undeploy stops every process of its groups.

The socket-level check (no port beyond loopback, for every host) is
``tests/adapters/faas/hosts/test_no_open_ports.py``; this one runs in-process on the two
lightest hosts and checks what the adapter itself promises.
"""

from __future__ import annotations

import importlib
import time

import pytest

from accord.adapters.procs import group_members, open_sockets


@pytest.mark.parametrize("module", ["reference_adapter", "functions_framework_adapter"])
def test_deploy_is_idempotent_on_loopback(module: str) -> None:
    adapter = importlib.import_module(f"accord.adapters.faas.{module}").adapter
    assert adapter.unusable_reason() is None
    deployed = adapter.invoke("deploy", {"deadline_seconds": 2.0, "max_body_bytes": 1024})
    groups = deployed["process_groups"]
    try:
        sockets = open_sockets([pid for group in groups for pid in group_members(group)])
        assert [s for s in sockets if s.protocol == "tcp"], "the host listens nowhere"
        assert all(s.loopback for s in sockets), [str(s) for s in sockets]
        assert all(url.startswith("http://127.0.0.1:") for url in deployed["functions"].values())
        assert adapter.invoke("deploy", {"deadline_seconds": 2.0, "max_body_bytes": 1024}) == deployed
    finally:
        adapter.invoke("undeploy", {})
    end = time.monotonic() + 10
    while any(group_members(g) for g in groups) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(group_members(g) for g in groups)
