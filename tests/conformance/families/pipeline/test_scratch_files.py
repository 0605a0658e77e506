"""The files ``read_text`` pipelines read live in the kit process's own folder, removed when it ends.

Hypothesis draws pipelines it never runs (filtered out, replaced by smaller ones while shrinking): their
files were once left in the temp dir, 1700 of them in an hour of runs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

DRAW_AND_EXIT = """
import os
from hypothesis import given, settings, strategies as st
from accord.conformance.families.pipeline import generate

seen = []

@settings(max_examples=20, database=None)
@given(generate.transform_graph({"transform": "read_text"}))
def draw(graph):
    seen.extend(n["params"]["path"] for n in graph["nodes"] if n["transform"] == "read_text")

draw()
assert seen and all(os.path.dirname(p) == generate.scratch_dir() for p in seen), seen
assert os.listdir(generate.scratch_dir())  # drawn, never run: still there while the process lives
print(generate.scratch_dir())
"""


def test_drawn_files_are_gone_when_the_process_ends() -> None:
    done = subprocess.run([sys.executable, "-c", DRAW_AND_EXIT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip())
    assert folder.parent == Path(tempfile.gettempdir()) and not folder.exists()
