"""A run leaves nothing behind in the temp dir: worker logs go when the worker goes."""

from __future__ import annotations

import os
from pathlib import Path

from accord_testing import accord

HERE = Path(__file__).parent


def test_runs_leave_the_temp_dir_empty(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {"TMPDIR": str(scratch), "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    # one clean run, and one whose worker crashes and is restarted (the crash note reads the log first)
    for adapter in ("numpy", "misbehaving:segfaults"):
        result = accord("run", "-f", "tensor", "-a", adapter, "--select", "tensor.add.values,tensor.subtract.values",
                        "--max-examples", "5", "--timeout", "5", "--report", str(tmp_path / f"{adapter}.json"), env=env)
        assert result.returncode in (0, 1), result.stderr
    assert sorted(p.name for p in scratch.iterdir()) == []
    assert "crashed" in (tmp_path / "misbehaving:segfaults.json").read_text()
