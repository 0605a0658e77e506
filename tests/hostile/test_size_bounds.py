"""What a backend answers cannot make the kit's memory or the report enormous.

A 12-million-element result (96 MB of float64, 128 MB on the wire) is refused by the worker
and would be refused unread by the kit: ``error`` at once, the kit at its usual size, a small
report (a row of test_tensor_backends.py). A 30 000-element result fits the protocol but not the
report: stored truncated with its size. Before, the kit read, decoded and stored every answer
whole (555 MB, a 96 MB report).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from accord_testing import HOSTILE_ENV
from harness import Traces

from accord.conformance.report import MAX_VALUE_BYTES, validate_report


def test_a_large_result_is_stored_truncated_with_its_size(traces: Traces, tmp_path: Path) -> None:
    """``accord run`` in a process of its own, as a user runs it; its peak memory is read from its own
    VmHWM at exit (``ru_maxrss`` would count the pytest worker it was forked from)."""
    report_path, status_path = tmp_path / "report.json", tmp_path / "status"
    kit = ("import atexit\n"
           f"atexit.register(lambda: open({str(status_path)!r}, 'w').write(open('/proc/self/status').read()))\n"
           "from accord.conformance.cli import main\nmain()")
    proc = subprocess.run([sys.executable, "-c", kit, "run", "-f", "tensor", "-a", "hostile_answers:large",
                           "--select", "tensor.add.values", "--max-examples", "3", "--seed", "1",
                           "--report", str(report_path)],
                          env={**HOSTILE_ENV, **traces.env()}, capture_output=True, text=True, timeout=300)
    stderr = proc.stderr
    assert proc.returncode == 1, stderr[-2000:]  # a MUST failed
    report = json.loads(report_path.read_text())
    assert validate_report(report) == []
    entry = next(r for r in report["requirements"] if r["id"] == "tensor.add.values")
    assert entry["status"] == "fail", entry
    notes = [case["actual"]["$truncated"] for case in entry["findings"]
             if isinstance(case.get("actual"), dict) and "$truncated" in case["actual"]]
    assert notes and all(note["bytes"] > MAX_VALUE_BYTES for note in notes), entry["findings"]
    assert report_path.stat().st_size < 1024 * 1024
    # the kit's peak: about 90 MB; 290 MB when hypothesis kept every failure's answers
    peak_kib = int(re.search(r"VmHWM:\s+(\d+) kB", status_path.read_text()).group(1))
    assert peak_kib < 200 * 1024, peak_kib
    note = {"$truncated": {"bytes": 10, "head": "[1"}}
    assert validate_report({**report, "requirements": [{**entry, "actual": {**note, "x": 1}}]})
    assert traces.left() == []


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
