"""What a backend answers cannot make the kit's memory or the report enormous.

A 12-million-element result (96 MB of float64, 128 MB on the wire) is refused by the worker
and would be refused unread by the kit: ``error`` at once, the kit at its usual size, a small
report. A 30 000-element result fits the protocol but not the report: stored truncated with
its size. Before, the kit read, decoded and stored every answer whole (555 MB, a 96 MB report).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent

# The peak is read from VmHWM: ru_maxrss survives exec on Linux, so a kit started from a large
# process (a pytest worker late in the suite) would report its parent's size.
KIT = """
import json, re, sys
from pathlib import Path
from accord.conformance.check import RunSettings
from accord.conformance.runner import RunConfig, run
result = run(RunConfig("tensor", sys.argv[1], select=["tensor.add.values"],
                       settings=RunSettings(seed=1, max_examples=3, timeout=60), report_path=Path(sys.argv[2])))
hwm_kb = int(re.search(r"VmHWM:\\s*(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
print(json.dumps({"maxrss_mb": hwm_kb / 1024}))
"""


def _run_kit(adapter: str, report: Path) -> tuple[dict, dict]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    try:
        done = subprocess.run([sys.executable, "-c", KIT, adapter, str(report)], capture_output=True, text=True,
                              env=env, timeout=240)
    except subprocess.TimeoutExpired:
        pytest.fail(f"a run against {adapter} did not finish within 240 s")
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(report.read_text())
    entry = next(r for r in data["requirements"] if r["id"] == "tensor.add.values")
    return json.loads(done.stdout.strip().splitlines()[-1]), entry


def test_a_12_million_element_result_is_refused_not_read(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    kit, entry = _run_kit("hostile_answers:huge", report)
    assert entry["status"] == "error", entry
    assert "limit" in entry["message"] and "bytes" in entry["message"], entry["message"]
    assert kit["maxrss_mb"] < 150, kit  # 70 MB: the kit's own size with numpy, hypothesis and the spec loaded
    assert report.stat().st_size < 1024 * 1024


def test_a_large_result_is_stored_truncated_with_its_size(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    _, entry = _run_kit("hostile_answers:large", report)
    from accord.conformance.report import MAX_VALUE_BYTES

    assert entry["status"] == "fail", entry
    notes = [case["actual"]["$truncated"] for case in entry["findings"]
             if isinstance(case.get("actual"), dict) and "$truncated" in case["actual"]]
    assert notes and all(note["bytes"] > MAX_VALUE_BYTES for note in notes), entry["findings"]
    assert report.stat().st_size < 2 * 1024 * 1024
    from accord.conformance.report import validate_report

    assert validate_report(json.loads(report.read_text())) == []  # the note is in the report schema
    note = {"$truncated": {"bytes": 10, "head": "[1"}}
    assert validate_report({**json.loads(report.read_text()), "requirements": [{**entry, "actual": {**note, "x": 1}}]})


def test_bounded_keeps_small_values_and_notes_large_ones() -> None:
    from accord.conformance.report import bounded

    small = {"counterexample": {"x": [1, 2]}, "actual": "ok", "message": "m"}
    assert bounded(small) == small
    big = bounded({"expected": list(range(100_000)), "message": "x" * 100_000,
                   "findings": [{"counterexample": "y" * 100_000}]})
    assert big["expected"]["$truncated"]["bytes"] == len(json.dumps(list(range(100_000))))
    assert len(big["message"]) < 20_000 and "100000 characters" in big["message"]
    assert big["findings"][0]["counterexample"]["$truncated"]["bytes"] == 100_002


def test_the_kit_skips_an_oversized_line_unread() -> None:
    """Whatever the worker writes, the kit holds at most one line of ``MAX_LINE_BYTES``."""
    import queue

    from accord.conformance import protocol
    from accord.conformance.client import BackendClient, _Oversized

    size = protocol.MAX_LINE_BYTES + 5
    writer = f"import sys; sys.stdout.buffer.write(b'x' * {size} + b'\\n' + b'{{}}\\n')"
    proc = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE)
    lines: queue.Queue = queue.Queue()
    try:
        BackendClient._pump(proc, lines)
    finally:
        proc.wait()
        proc.stdout.close()
    first, second, end = lines.get_nowait(), lines.get_nowait(), lines.get_nowait()
    assert isinstance(first, _Oversized) and first.size == size + 1
    assert (second, end) == (b"{}\n", None)
