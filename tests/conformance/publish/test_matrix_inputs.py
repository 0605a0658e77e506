"""Hostile report bytes given to ``accord matrix``: a binary file is named in one line, and control
characters in report strings reach ``matrix.md`` only as visible escapes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from accord_testing import accord
from accord_testing.matrix_fixtures import report

CONTROL = "\x00\x07\x1b[2J\x1b]0;owned\x07\x7f\x9b"


def test_a_binary_report_is_named(tmp_path: Path) -> None:
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00{" + bytes(range(256)))
    done = accord("matrix", str(binary), "--out", str(tmp_path / "site"))
    assert done.returncode == 2, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(binary) in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_matrix_md_carries_no_raw_control_characters(tmp_path: Path) -> None:
    hostile = report("tensor", "numpy" + CONTROL, "2.4.0" + CONTROL,
                     {"tensor.add.values": "fail", "tensor.sum.values": "xfail"},
                     details={"tensor.add.values": {"message": "differs" + CONTROL, "snippet": "np.add" + CONTROL},
                              "tensor.sum.values": {"declared": {"reason": "known" + CONTROL, "pattern": "x",
                                                                 "link": "https://example.org/" + CONTROL}}},
                     package="numpy" + CONTROL)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile))
    done = accord("matrix", str(path), "--out", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "site" / "matrix.md").read_text(encoding="utf-8")
    raw = sorted({f"{ord(c):#04x}" for c in text if c != "\n" and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F)})
    assert not raw, f"raw control characters in matrix.md: {raw}"
    assert "\\x1b" in text and "\\x07" in text and "\\x00" in text  # escaped visibly, not dropped
    assert re.search(r"known\\x00\\x07\\x1b", text)
