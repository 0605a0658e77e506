"""Deployed hosts listen on 127.0.0.1 only, and undeploy stops every process of their groups."""

from __future__ import annotations

import importlib
import os
import time
from pathlib import Path

import pytest

from accord.adapters.procs import group_members

LISTEN = "0A"


def _listening_addresses(pids: list[int]) -> set[str]:
    """``ip:port`` of every TCP socket in LISTEN state owned by ``pids`` (from /proc)."""
    inodes = set()
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == LISTEN and inode in inodes:
                address, port = local.split(":")
                if len(address) == 8:  # IPv4, little-endian hex
                    ip = ".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0))
                else:
                    ip = "::" if set(address) == {"0"} else address
                found.add(f"{ip}:{int(port, 16)}")
    return found


@pytest.mark.parametrize("module", ["reference_adapter", "functions_framework_adapter"])
def test_hosts_listen_on_loopback_only(module: str) -> None:
    adapter = importlib.import_module(f"accord.adapters.faas.{module}").adapter
    if adapter.unusable_reason():
        pytest.skip(adapter.unusable_reason())
    deployed = adapter.invoke("deploy", {"deadline_seconds": 2.0, "max_body_bytes": 1024})
    groups = deployed["process_groups"]
    try:
        pids = [pid for group in groups for pid in group_members(group)]
        addresses = _listening_addresses(pids)
        assert addresses, "the host listens nowhere"
        assert all(a.startswith("127.0.0.1:") for a in addresses), addresses
        assert all(url.startswith("http://127.0.0.1:") for url in deployed["functions"].values())
        assert adapter.invoke("deploy", {"deadline_seconds": 2.0, "max_body_bytes": 1024}) == deployed  # idempotent
    finally:
        adapter.invoke("undeploy", {})
    end = time.monotonic() + 10
    while any(group_members(g) for g in groups) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(group_members(g) for g in groups)
