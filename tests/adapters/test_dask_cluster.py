"""A Dask adapter's cluster keeps its scratch space in a folder of its own, gone when the cluster closes."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("distributed", reason="dask.distributed is not installed")

from accord.adapters.dask_cluster import close_cluster, start_cluster  # noqa: E402


class Owner:
    """What an adapter holds of its cluster."""

    client: object = None
    cluster: object = None
    scratch: object = None


def test_the_scheduler_and_worker_processes_work_in_the_clusters_own_folder_which_closing_removes() -> None:
    from dask.distributed import Client

    owner = Owner()
    start_cluster(owner, n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                  dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False})
    owner.client = Client(owner.cluster)
    folder = owner.scratch
    workers = owner.client.run(lambda dask_worker: dask_worker.local_directory)  # in the worker process
    assert owner.cluster.scheduler.local_directory.startswith(folder)
    assert workers and all(path.startswith(folder) for path in workers.values())
    assert os.path.isdir(os.path.join(folder, "dask-scratch-space"))
    close_cluster(owner)
    assert not os.path.exists(folder) and owner.cluster is None and owner.client is None
    close_cluster(owner)  # a second stop does nothing


def test_a_cluster_that_cannot_start_leaves_no_folder() -> None:
    owner = Owner()
    with pytest.raises(RuntimeError, match="no_such_option"):  # the scheduler, which starts first, refuses it
        start_cluster(owner, n_workers=1, processes=False, scheduler_kwargs={"no_such_option": 1})
    assert owner.scratch and not os.path.exists(owner.scratch) and owner.cluster is None
