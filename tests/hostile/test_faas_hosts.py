"""FaaS hosts that never start, never get ready, die mid-run, listen on every interface or leave a
detached child: each is a recorded result naming the adapter, a valid report, a kit of bounded size,
and no process left — no host, no supervisor, no child that left the host's process group.

A host never ready costs the run's ``--timeout``, not a fixed minute; one listening on 0.0.0.0 is an
``error`` read from the host's own sockets after deploy (moved here from
tests/conformance/families/faas/test_host_exposure.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import Traces, check_bounded, run_case

REQUIREMENT = "faas.handler.round-trip"

CASES = [
    # adapter (in hostile_faas), status of the requirement, words its record holds
    ("never_starts", "error", "before it was ready: hostile host: cannot open the function's module"),
    ("never_ready", "error", "not ready after 3s"),
    ("dies_mid_run", "fail", "the backend gave no HTTP answer: ConnectionRefusedError"),
    ("binds_all", "error", "beyond loopback"),
    ("leaks_detached", "pass", ""),
]
LEAKS = {"never_ready", "dies_mid_run", "leaks_detached"}


@pytest.mark.parametrize(("adapter", "status", "words"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_faas_host_is_recorded_and_leaves_nothing(
        adapter: str, status: str, words: str, traces: Traces, tmp_path: Path) -> None:
    outcome = run_case("faas", f"hostile_faas:{adapter}", [REQUIREMENT], tmp_path, hangs=adapter == "never_ready")
    entry = outcome.by_id[REQUIREMENT]
    assert entry["status"] == status, entry
    assert outcome.exit_code == (0 if status == "pass" else 1)
    assert words in json.dumps(entry), entry
    if status == "error":  # a deployment that failed names the adapter
        assert f"'hostile-{adapter.replace('_', '-')}'" in entry["message"], entry["message"]
    assert outcome.seconds < 40, f"{outcome.seconds:.0f} s"  # a host never ready costs the --timeout, not a minute
    check_bounded(outcome)
    if adapter in LEAKS:
        assert traces.recorded(), "the host leaked nothing: the case proves nothing"
    assert traces.left() == []
