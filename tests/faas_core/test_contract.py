"""The portable handler contract types and the return-value rules of faas.contract:returns."""

from __future__ import annotations

import json

import pytest

from accord.adapters.faas.contract import (
    CloudEvent,
    Headers,
    Query,
    Response,
    event_to_response,
    percent_encode_ce,
    response_body,
    to_response,
)
from accord.spec import load_spec


def test_headers_are_case_insensitive_and_keep_repeats_in_order() -> None:
    h = Headers([("X-A", "1"), ("Content-Type", "text/plain"), ("x-a", "2")])
    assert h.get("x-A") == "1" and h.getall("X-a") == ["1", "2"]
    assert "CONTENT-TYPE" in h and "nope" not in h
    assert h.items() == [("X-A", "1"), ("Content-Type", "text/plain"), ("x-a", "2")]
    with pytest.raises(KeyError):
        h["missing"]


def test_query_keeps_interleaved_repeats_blanks_and_decodes_form_encoding() -> None:
    q = Query.parse("a=1&b=&a=%C3%A9+x&c")
    assert q.items() == [("a", "1"), ("b", ""), ("a", "é x"), ("c", "")]
    assert q.getall("a") == ["1", "é x"] and q.get("A") is None  # query names compare exactly


def test_return_values_follow_the_spec_table() -> None:
    rows = {row["python"]: row for row in load_spec("faas", "1.0").document("faas.contract", "returns").data["returns"]}
    cases = {"bytes": b"\xff\x00", "str": "é", "dict | list": {"a": [1]}, "None": None}
    for python, value in cases.items():
        response = to_response(value)
        assert response.status == rows[python]["status"], python
        content_type = dict((k.lower(), v) for k, v in response.header_pairs()).get("content-type")
        assert content_type == rows[python]["content_type"], python
    assert json.loads(response_body(to_response({"a": [1]}))) == {"a": [1]}
    assert response_body(to_response("é")) == "é".encode()
    passthrough = Response(418, [("X", "1"), ("X", "2")], "t")
    assert to_response(passthrough) is passthrough and passthrough.header_pairs() == [("X", "1"), ("X", "2")]
    with pytest.raises(TypeError):
        to_response(3.5)  # not a permitted return type


def test_ce_percent_encoding_follows_the_http_binding() -> None:
    assert percent_encode_ce("a b\"%é~!") == "a%20b%22%25%C3%A9~!"
    assert percent_encode_ce("plain-ASCII_value.1") == "plain-ASCII_value.1"


def test_event_reply_is_binary_mode() -> None:
    reply = event_to_response(CloudEvent({"specversion": "1.0", "id": "1", "source": "s p", "type": "t",
                                          "datacontenttype": "application/json"}, {"k": "é"}))
    headers = dict(reply.header_pairs())
    assert reply.status == 200 and headers["ce-source"] == "s%20p" and headers["Content-Type"] == "application/json"
    assert json.loads(response_body(reply)) == {"k": "é"}
    assert event_to_response(None).status == 204
    raw = event_to_response(CloudEvent({"specversion": "1.0", "id": "1", "source": "s", "type": "t"}, b"\xff"))
    assert response_body(raw) == b"\xff" and "Content-Type" not in dict(raw.header_pairs())
