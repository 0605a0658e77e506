"""A Dask adapter's cluster keeps its scratch space in a folder of its own, gone when the cluster closes.

The cluster runs in a child Python process: a LocalCluster with worker processes starts multiprocessing's
resource tracker, which would outlive the test in the test's own process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="dask.distributed is not installed")

PROBE = '''
import json, os, sys
from dask.distributed import Client
from accord.adapters.dask_cluster import close_cluster, start_cluster


class Owner:
    client = cluster = scratch = None


if __name__ == "__main__":
    owner = Owner()
    if sys.argv[1] == "refused":  # the scheduler, which starts first, refuses an option
        try:
            start_cluster(owner, n_workers=1, processes=False, scheduler_kwargs={"no_such_option": 1})
        except RuntimeError as exc:
            print(json.dumps({"folder": owner.scratch, "error": str(exc), "left": os.path.exists(owner.scratch)}))
        sys.exit(0)
    start_cluster(owner, n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                  dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False})
    owner.client = Client(owner.cluster)
    folder = owner.scratch
    seen = {"folder": folder, "scheduler": owner.cluster.scheduler.local_directory,
            "workers": list(owner.client.run(lambda dask_worker: dask_worker.local_directory).values()),
            "scratch_space": os.path.isdir(os.path.join(folder, "dask-scratch-space"))}
    close_cluster(owner)
    close_cluster(owner)  # a second stop does nothing
    seen.update(left=os.path.exists(folder), cleared=owner.cluster is None and owner.client is None)
    print(json.dumps(seen))
'''


def probe(tmp_path: Path, mode: str) -> dict:
    script = tmp_path / "cluster_probe.py"
    script.write_text(PROBE)
    done = subprocess.run([sys.executable, str(script), mode], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_scheduler_and_worker_processes_work_in_the_clusters_own_folder_which_closing_removes(
        tmp_path: Path) -> None:
    seen = probe(tmp_path, "cluster")
    folder = seen["folder"]
    assert seen["scheduler"].startswith(folder) and seen["scratch_space"]
    assert seen["workers"] and all(path.startswith(folder) for path in seen["workers"])  # the worker process too
    assert not seen["left"] and seen["cleared"]


def test_a_cluster_that_cannot_start_leaves_no_folder(tmp_path: Path) -> None:
    seen = probe(tmp_path, "refused")
    assert "no_such_option" in seen["error"] and not seen["left"]
