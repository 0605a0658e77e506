"""Usage mistakes on ``accord run`` and ``accord repro``: one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from accord_testing import TESTS_ENV, accord


def _accord(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    try:
        return accord(*args, cwd=cwd, timeout=90, env=TESTS_ENV)
    except subprocess.TimeoutExpired:
        pytest.fail(f"accord {' '.join(args)} ran on for 90 s instead of stopping at a usage error")


@pytest.mark.parametrize("select", ["", ",", " , ,"])
def test_an_empty_select_is_a_usage_error(select: str, tmp_path: Path) -> None:
    done = _accord("run", "-f", "tensor", "-a", "numpy", "--select", select, "--max-examples", "1",
                   "--report", str(tmp_path / "r.json"), cwd=tmp_path)
    assert done.returncode == 2, done.stdout[-500:]
    assert done.stderr.strip().count("\n") == 0 and "--select" in done.stderr, done.stderr
    assert not (tmp_path / "r.json").exists()


def test_a_report_under_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a folder")
    target = tmp_path / "afile" / "sub" / "r.json"
    done = _accord("run", "-f", "tensor", "-a", "numpy", "--select", "tensor.add.values", "--max-examples", "1",
                   "--report", str(target), cwd=tmp_path)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "afile" in lines[0] and "not a folder" in lines[0], done.stderr


def test_repro_of_a_report_whose_adapter_is_not_importable_here_is_one_line(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    done = _accord("run", "-f", "tensor", "-a", "accord_testing.wrong_add:WrongAdd", "--select", "tensor.add.values",
                   "--max-examples", "5", "--report", str(report), cwd=tmp_path)
    assert done.returncode == 1, done.stderr[-500:]
    data = json.loads(report.read_text())
    data["adapter"]["spec"] = "no_such_module_here:Adapter"
    report.write_text(json.dumps(data))
    done = _accord("repro", str(report), "tensor.add.values", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "no_such_module_here" in lines[0] and "--adapter" in lines[0], done.stderr
