"""Ending the dask.distributed LocalCluster an adapter runs on (the tensor and pipeline Dask adapters)."""

from __future__ import annotations

from typing import Any


def close_cluster(owner: Any) -> None:
    """Close ``owner.client`` then ``owner.cluster`` (its workers and nannies end); both become None.

    Both are cleared first, so a second stop, or a stop after a failed close, does nothing.
    """
    client, cluster = owner.client, owner.cluster
    owner.client = owner.cluster = None
    if client is not None:
        client.close()
    if cluster is not None:
        cluster.close()
