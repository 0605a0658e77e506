"""Knative func-python, in its own virtual environment, deploys the probes and answers over real HTTP.

The worker runs under ``~/.cache/accord/venvs/knative/bin/python`` (cloudevents 2.x), while this
test process has functions-framework's cloudevents 1.x: adapters with conflicting dependencies
coexist through the worker protocol. ``.ci/install-faas-hosts.sh`` makes the venv.
"""

from __future__ import annotations

import importlib.metadata
import os

import pytest
from accord_testing.hostcheck import (
    KNATIVE_PYTHON,
    check_basic_probes,
    check_coroutine_probes,
    check_event_probe,
    kill_worker,
    request,
    wait_gone,
)

from accord.conformance.client import BackendClient


@pytest.fixture(scope="module")
def deployed():
    assert os.path.exists(KNATIVE_PYTHON), f"{KNATIVE_PYTHON} is missing: run .ci/install-faas-hosts.sh"
    client = BackendClient("knative", family="faas", python=KNATIVE_PYTHON, timeout=120)
    client.start()
    try:
        yield client, client.invoke("deploy", {})
    finally:
        client.close()


def test_runs_beside_conflicting_cloudevents(deployed):
    client, _ = deployed
    assert client.hello["adapter"]["backend"]["package"] == "func-python"
    assert client.hello["adapter"]["backend"]["version"]
    here = importlib.metadata.version("cloudevents")
    assert here.startswith("1."), here  # functions-framework's pin in the kit's environment


def test_probes_over_http(deployed):
    _, deployment = deployed
    check_basic_probes(deployment["functions"], raise_status=500, raise_body_complete=False)


def test_event_probe_through_the_sdk(deployed):
    _, deployment = deployed
    seen = check_event_probe(deployment["functions"]["event-echo"])
    # the CloudEvents 2.x SDK decodes JSON data and invents a `time` the sender did not give
    assert seen["data"] == {"kind": "json", "value": {"k": 1}}
    assert "time" in seen["attributes"]


def test_coroutine_probes(deployed):
    _, deployment = deployed
    check_coroutine_probes(deployment["functions"])


def test_zz_undeploy_leaves_nothing(deployed):
    client, deployment = deployed
    assert client.invoke("undeploy", {}) == {}
    assert wait_gone(deployment["process_groups"], 2) == []


def test_killed_worker_takes_its_hosts_along():
    client = BackendClient("knative", family="faas", python=KNATIVE_PYTHON, timeout=120)
    client.start()
    try:
        deployment = client.invoke("deploy", {"probes": ["echo", "event-echo"]})
        assert request(deployment["functions"]["echo"], "POST", b"x")[2] == b"x"
        kill_worker(client)
        assert wait_gone(deployment["process_groups"], 15) == []
    finally:
        client.close()
