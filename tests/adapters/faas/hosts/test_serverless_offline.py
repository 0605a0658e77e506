"""serverless-offline deploys the probes and answers over real HTTP; it leaves no process behind."""

from __future__ import annotations

import time

import pytest
from accord_testing.hostcheck import (
    check_basic_probes,
    check_coroutine_probes,
    check_event_probe,
    kill_worker,
    request,
    wait_gone,
)

from accord.conformance.client import BackendClient

pytestmark = pytest.mark.slow
DEADLINE = 2.0


@pytest.fixture(scope="module")
def deployed():
    client = BackendClient("serverless-offline", family="faas", timeout=180)
    client.start()
    try:
        yield client, client.invoke("deploy", {"deadline_seconds": DEADLINE})
    finally:
        client.close()


def test_reports_npm_version(deployed):
    client, _ = deployed
    backend = client.hello["adapter"]["backend"]
    assert backend["package"] == "serverless-offline"
    assert backend["version"].startswith("13.")


def test_probes_over_http(deployed):
    _, deployment = deployed
    # serverless-offline answers an unhandled Python exception only when the Lambda timeout
    # fires, with HTTP 200 and a LambdaTimeoutError body (a finding the suite reports)
    began = time.monotonic()
    check_basic_probes(deployment["functions"], raise_status=200)
    assert time.monotonic() - began < DEADLINE + 15


def test_event_probe(deployed):
    _, deployment = deployed
    check_event_probe(deployment["functions"]["event-echo"])


def test_coroutine_probes(deployed):
    _, deployment = deployed
    check_coroutine_probes(deployment["functions"])


def test_second_deploy_is_idempotent(deployed):
    client, deployment = deployed
    assert client.invoke("deploy", {"deadline_seconds": DEADLINE}) == deployment


def test_zz_undeploy_leaves_nothing(deployed):
    client, deployment = deployed
    request(deployment["functions"]["echo"], "POST", b"warm")  # the python runner is up now
    assert client.invoke("undeploy", {}) == {}
    assert wait_gone(deployment["process_groups"], 5) == []


def test_killed_worker_takes_its_host_along():
    client = BackendClient("serverless-offline", family="faas", timeout=180)
    client.start()
    try:
        deployment = client.invoke("deploy", {"probes": ["echo"]})
        assert request(deployment["functions"]["echo"], "POST", b"x")[2] == b"x"
        kill_worker(client)
        assert wait_gone(deployment["process_groups"], 15) == []
    finally:
        client.close()
