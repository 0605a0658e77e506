"""The draft's CloudEvents ``time`` admits only real RFC 3339 dates (days per month, leap years).

The released 1.0 / 1.1 pattern checks each field's range alone, so it admits 2026-02-30 and 2025-02-29;
the draft's pattern spells the days of each month and the leap-year rule. Checked through the
structured-mode schema, the binary-mode attributes and the OpenAPI document's copies alike.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from accord.spec import load_spec

DRAFT = load_spec("faas", "draft").root
EVENT = {"specversion": "1.0", "id": "1", "source": "urn:x", "type": "t"}
IMPOSSIBLE = ["2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-32T00:00:00Z", "2026-01-00T00:00:00Z",
              "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-06-31T12:00:00+01:00", "2026-09-31T00:00:00Z",
              "2026-11-31T00:00:00Z", "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2100-02-29T00:00:00z"]
REAL = ["2026-12-04T03:05:00Z", "2026-01-31T00:00:00.5Z", "2026-02-28T23:59:59-05:00", "2024-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z", "1600-02-29T00:00:00Z", "2026-04-30T00:00:00Z", "2016-12-31T23:59:60Z",
        "0004-02-29t00:00:00Z"]


def _schemas() -> dict[str, dict]:
    openapi = yaml.safe_load((DRAFT / "openapi.yaml").read_text())["components"]["schemas"]
    files = {name: json.loads((DRAFT / "schemas" / f"{name}.schema.json").read_text())
             for name in ("cloudevent", "binary-attributes")}
    return {**files, "openapi CloudEvent": openapi["CloudEvent"], "openapi BinaryAttributes": openapi["BinaryAttributes"]}


@pytest.mark.parametrize("name", list(_schemas()))
@pytest.mark.parametrize("time", IMPOSSIBLE)
def test_impossible_dates_are_rejected(name: str, time: str) -> None:
    assert not jsonschema.Draft202012Validator(_schemas()[name]).is_valid({**EVENT, "time": time})


@pytest.mark.parametrize("name", list(_schemas()))
@pytest.mark.parametrize("time", REAL)
def test_real_dates_are_accepted(name: str, time: str) -> None:
    jsonschema.Draft202012Validator(_schemas()[name]).validate({**EVENT, "time": time})
