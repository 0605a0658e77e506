"""The portable handler contract types and the return-value rules of faas.contract:returns."""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import threading

import pytest

from accord.spec import load_spec
from accord.spec.faas import contract
from accord.spec.faas.contract import (
    CloudEvent,
    Headers,
    Query,
    Request,
    Response,
    call_to_completion,
    event_to_response,
    is_coroutine_handler,
    percent_encode_ce,
    response_body,
    to_response,
)


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


# ---------------------------------------------------------------- coroutine handlers (FaaS 1.1)


async def _async_echo(request: Request) -> bytes:
    await asyncio.sleep(0.001)  # needs a running loop: a bare coroutine.send() would not do
    return request.body


class _AsyncCallable:
    async def __call__(self, request: Request) -> bytes:
        return request.body


def _sync_returning_coroutine(request: Request) -> object:  # deliberately the wrong handler form
    return _async_echo(request)


def test_coroutine_handlers_are_recognised_by_definition() -> None:
    assert is_coroutine_handler(_async_echo)
    assert is_coroutine_handler(functools.partial(_async_echo))
    assert is_coroutine_handler(_AsyncCallable())
    assert not is_coroutine_handler(lambda request: request.body)
    # a sync function returning a coroutine object is a sync handler with a wrong result
    assert not is_coroutine_handler(_sync_returning_coroutine)


def test_call_to_completion_awaits_coroutines_and_calls_the_rest() -> None:
    request = Request("POST", body=b"\x00\xff")
    assert call_to_completion(_async_echo, request) == b"\x00\xff"
    assert call_to_completion(_AsyncCallable(), request) == b"\x00\xff"
    assert call_to_completion(lambda r: r.body, request) == b"\x00\xff"
    coroutine = call_to_completion(_sync_returning_coroutine, request)
    try:
        with pytest.raises(TypeError, match="may not return coroutine"):
            to_response(coroutine)  # the host answers 500, as for any result the contract forbids
    finally:
        coroutine.close()


def test_each_thread_reuses_one_loop_and_it_is_closed_with_the_thread() -> None:
    loops: list[asyncio.AbstractEventLoop] = []

    async def which_loop(_: object) -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    def serve_two() -> None:
        loops.extend(call_to_completion(which_loop, None) for _ in range(2))

    thread = threading.Thread(target=serve_two)
    thread.start()
    thread.join()
    gc.collect()
    assert loops[0] is loops[1]
    assert loops[0].is_closed()
    here = call_to_completion(which_loop, None)
    assert here is not loops[0] and not here.is_closed()
    assert contract._THREAD_LOCAL.own.loop is here
