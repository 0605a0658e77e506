"""Starting and ending the dask.distributed LocalCluster an adapter runs on (the tensor and pipeline Dask adapters).

A cluster's scheduler, nannies and workers keep their work folders and lock files under dask's
``temporary-directory`` (``/tmp/dask-scratch-space`` by default), and leave the locks there when they end.
Each cluster here gets a folder of its own instead, removed when the cluster closes (or the process exits),
so that a run leaves nothing in the temp dir.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from typing import Any


def start_cluster(owner: Any, **options: Any) -> Any:
    """``owner.cluster``: a new ``LocalCluster(**options)`` whose scratch space is ``owner.scratch``, a fresh
    temp folder (removed by :func:`close_cluster`, or when the owner or the process ends)."""
    import dask
    from dask.distributed import LocalCluster

    owner.scratch = tempfile.mkdtemp(prefix="accord-dask-")
    weakref.finalize(owner, shutil.rmtree, owner.scratch, ignore_errors=True)
    try:
        with dask.config.set({"temporary-directory": owner.scratch}):  # read once, as each server starts
            owner.cluster = LocalCluster(**options)
    except BaseException:
        shutil.rmtree(owner.scratch, ignore_errors=True)
        raise
    return owner.cluster


def close_cluster(owner: Any) -> None:
    """Close ``owner.client`` then ``owner.cluster`` (its workers and nannies end), then remove its scratch
    folder; client and cluster become None.

    Both are cleared first, so a second stop, or a stop after a failed close, does nothing.
    """
    client, cluster = owner.client, owner.cluster
    owner.client = owner.cluster = None
    try:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    finally:
        if owner.scratch is not None:
            shutil.rmtree(owner.scratch, ignore_errors=True)
