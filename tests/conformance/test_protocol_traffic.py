"""Real traffic, every message checked against the protocol schema (ACCORD_VALIDATE_PROTOCOL=1).

Short runs of the tensor, pipeline and FaaS suites against the reference adapters, and one call of
every tensor op, must pass with validation on: a message the code builds that the schema does not
describe fails them. A worker whose answer drifts from the schema is caught only with validation on.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from accord.conformance import protocol
from accord.conformance.check import RunSettings
from accord.conformance.client import BackendClient, BackendProtocolError, BackendRaised
from accord.conformance.families.tensor import oracle
from accord.conformance.report import BAD, Status
from accord.conformance.runner import RunConfig, run

SELECTIONS = {
    "tensor": ["tensor.add.*", "tensor.dtypes.*", "tensor.finfo.*", "tensor.getitem.*", "tensor.setitem.*",
               "tensor.cumulative_sum.signature"],
    "pipeline": ["pipeline.map.*", "pipeline.metrics.counter", "pipeline.default_trigger.late_pane",
                 "pipeline.stateful_par_do.value_state", "pipeline.model.random_windowed_pipelines"],
    "faas": ["faas.deploy.*", "faas.cloudevents.binary", "faas.async-handlers.event"],
}


@pytest.fixture
def validating(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(protocol.VALIDATE_ENV, "1")


@pytest.mark.parametrize("family", list(SELECTIONS))
def test_reference_runs_pass_with_every_message_validated(family: str, validating: None, tmp_path: Path) -> None:
    config = RunConfig(family=family, adapter="reference", spec_version="1.1", select=SELECTIONS[family],
                       settings=RunSettings(seed=1, max_examples=5, timeout=60), report_path=tmp_path / "r.json")
    result = run(config)
    statuses = {r["id"]: r["status"] for r in result.report.data["requirements"]}
    ran = [i for i, s in statuses.items() if s not in (Status.NOT_CLAIMED, Status.NOT_APPLICABLE, Status.NOT_RUN)]
    assert len(ran) >= 3, statuses
    bad = {r["id"]: r.get("message") for r in result.report.data["requirements"] if r["status"] in BAD}
    assert bad == {}


def test_every_tensor_op_round_trips_validated(validating: None) -> None:
    x = np.array([[1.0, -0.0], [np.nan, np.inf]], dtype=np.float32)
    calls = {
        "call": oracle.call("add", x, np.float32(1.5)),
        "method": {"method": "__mul__", "self": oracle.encode(x), "args": [oracle.encode(x)]},
        "getitem": {"self": oracle.encode(oracle.View(x, (slice(None, None, -1), 0))),
                    "key": oracle.encode((Ellipsis, slice(0, 1, None)))},
        "setitem": {"self": oracle.encode(x), "key": oracle.encode((0, Ellipsis)), "value": oracle.encode(np.float32(2))},
        "attribute": {"self": oracle.encode(x), "name": "dtype"},
        "signature": {"fn": "cumulative_sum"},
        "namespace_info": {"names": ["add", "frobnicate"]},
    }
    calls["snippet"] = {"op": "call", "args": calls["call"]}
    calls["result_types"] = {"op": "call", "args": oracle.call("asarray", 0)}
    # DLPack needs arrays with memory: the pure-Python reference has none, so numpy answers this one
    numpy_calls = {"dlpack_exchange": {"x": oracle.encode(x), "source": "numpy", "kwargs": {"copy": False}, "value": 7}}
    assert set(calls) | set(numpy_calls) == _tensor_ops()
    with BackendClient("numpy", "tensor") as client:
        assert client.validate
        client.start()
        shared, written = oracle.decode(client.invoke("dlpack_exchange", numpy_calls["dlpack_exchange"]))
        assert written and (shared == 7).all()
    with BackendClient("reference", "tensor") as client:
        assert client.validate
        client.start()
        answers = {op: client.invoke(op, args) for op, args in calls.items()}
        assert oracle.decode(answers["attribute"]) == np.float32  # a dtype came back, typed
        assert answers["namespace_info"]["functions"] == ["add"]
        assert answers["result_types"] == []
        with pytest.raises(BackendRaised):
            client.invoke("call", oracle.call("add", x, "text"))
        with pytest.raises(BackendProtocolError, match="kit's request does not match"):
            client.invoke("frobnicate", {})
    assert client._log is None  # close() released the worker's (nameless) stderr file


def _tensor_ops() -> set[str]:
    from accord_testing.schema_bundle import schemas

    return set(schemas()["urn:accord:meta:tensor.wire"]["$defs"]["params"]["properties"]["op"]["enum"])


def test_drift_is_caught_only_with_validation() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    env.pop(protocol.VALIDATE_ENV, None)
    with BackendClient("drifting:adapter", "tensor", env=env, validate=False) as quiet:
        quiet.start()
        assert quiet.invoke("namespace_info", {"names": ["add"]})["threads"] == 1
    with BackendClient("drifting:adapter", "tensor", env=env, validate=True) as strict:
        strict.start()
        with pytest.raises(BackendProtocolError, match="'threads' was unexpected"):
            strict.invoke("namespace_info", {"names": ["add"]})
    for client in (quiet, strict):
        assert client._log is None  # close() released the worker's (nameless) stderr file
