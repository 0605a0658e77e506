"""The type-conversion shims of the hosts without a CloudEvents or portable request model (no host needed)."""

from __future__ import annotations

import base64
import json

from accord.adapters.faas.hosts.events import EventRejected, decode_event, rejection_response
from accord.adapters.faas.hosts.lambda_shim import lambda_response, make_handler, request_from_event
from accord.spec.faas.contract import CloudEvent, Headers, Response

NON_UTF8 = bytes(range(256))


def v2_event(**overrides):
    event = {
        "version": "2.0", "routeKey": "ANY /inspect/{proxy+}", "rawPath": "/inspect/a%20b/c",
        "rawQueryString": "x=1&x=2&y=%20+z&blank=", "cookies": ["a=1", "b=2"],
        "headers": {"content-type": "application/octet-stream", "x-multi": "1,2"},
        "requestContext": {"http": {"method": "POST", "path": "/inspect/a b/c"}},
        "body": base64.b64encode(NON_UTF8).decode(), "isBase64Encoded": True,
    }
    event.update(overrides)
    return event


def test_v2_event_becomes_portable_request():
    request = request_from_event(v2_event(), "/inspect")
    assert request.method == "POST"
    assert request.path == "/a b/c"
    assert request.query.items() == [("x", "1"), ("x", "2"), ("y", "  z"), ("blank", "")]
    assert request.body == NON_UTF8
    assert request.headers.getall("X-Multi") == ["1,2"]  # as API Gateway joined them, not split again
    assert request.headers["cookie"] == "a=1; b=2"  # API Gateway moved the Cookie header into `cookies`


def test_plain_text_body_and_missing_fields():
    request = request_from_event(v2_event(body="h\u00e9", isBase64Encoded=False, rawQueryString="",
                                          cookies=None, headers=None, rawPath="/inspect"), "/inspect")
    assert request.body == "h\u00e9".encode()
    assert request.path == "/"
    assert len(request.query) == 0 and "cookie" not in request.headers


def test_response_object_joins_repeats_and_base64s_binary():
    result = lambda_response(Response(201, [("X-A", "1"), ("X-A", "2"), ("Set-Cookie", "s=1"),
                                            ("Set-Cookie", "t=2")], NON_UTF8))
    assert result["statusCode"] == 201
    assert result["headers"] == {"X-A": "1,2"}
    assert result["cookies"] == ["s=1", "t=2"]
    assert result["isBase64Encoded"] is True
    assert base64.b64decode(result["body"]) == NON_UTF8
    text = lambda_response(Response(200, [], "h\u00e9"))
    assert text == {"statusCode": 200, "headers": {}, "body": "h\u00e9", "isBase64Encoded": False}


def test_handler_does_not_catch_the_probes_exception():
    handler = make_handler("raise")
    try:
        handler(v2_event(rawPath="/raise"), None)
    except RuntimeError:
        pass
    else:
        raise AssertionError("the shim swallowed an exception that belongs to the host")


def test_event_handler_round_trip_and_rejections():
    handler = make_handler("event-echo")
    headers = {"ce-id": "1", "ce-source": "urn:s", "ce-type": "t", "ce-specversion": "1.0",
               "ce-note": "a%20b%C3%A9", "content-type": "application/octet-stream"}
    reply = handler(v2_event(rawPath="/event-echo", headers=headers), None)
    assert reply["statusCode"] == 200 and reply["headers"]["ce-id"] == "reply-1"
    seen = json.loads(reply["body"])
    assert seen["attributes"]["note"] == "a b\u00e9"
    assert seen["data"] == {"kind": "bytes", "base64": base64.b64encode(NON_UTF8).decode()}
    missing = handler(v2_event(rawPath="/event-echo", headers={"ce-id": "1"}), None)
    assert missing["statusCode"] == 400 and json.loads(missing["body"])["error"]["code"] == "invalid-event"


def test_structured_and_batch_modes():
    envelope = {"specversion": "1.0", "id": "9", "source": "urn:s", "type": "t", "flag": True,
                "data_base64": base64.b64encode(b"\x00\xff").decode()}
    event = decode_event(Headers({"Content-Type": "application/cloudevents+json; charset=utf-8"}),
                         json.dumps(envelope).encode())
    assert event == CloudEvent({"specversion": "1.0", "id": "9", "source": "urn:s", "type": "t", "flag": "true"},
                               b"\x00\xff")
    for content_type, body, code in [
        ("application/cloudevents-batch+json", b"[]", "unsupported-event-mode"),
        ("application/cloudevents+json", b"{not json", "invalid-event"),
        ("application/cloudevents+json", json.dumps({**envelope, "data": 1}).encode(), "invalid-event"),
    ]:
        try:
            decode_event(Headers({"content-type": content_type}), body)
        except EventRejected as exc:
            assert exc.code == code
            assert rejection_response(exc).status == {"invalid-event": 400, "unsupported-event-mode": 415}[code]
        else:
            raise AssertionError(f"accepted {body!r}")


def test_coroutine_probes_run_to_completion_in_the_lambda_shim():
    # the Lambda runtime calls handlers synchronously: the shim itself must run the coroutine
    sync, coroutine = make_handler("echo"), make_handler("echo-async")
    assert coroutine(v2_event(rawPath="/echo-async"), None) == sync(v2_event(rawPath="/echo"), None)
    slept = make_handler("sleep-async")(v2_event(rawPath="/sleep-async", rawQueryString="ms=5", body="",
                                                  isBase64Encoded=False), None)
    assert slept["statusCode"] == 200 and slept["body"] == "slept 5"
    headers = {"ce-id": "7", "ce-source": "urn:s", "ce-type": "t", "ce-specversion": "1.0",
               "content-type": "application/json"}
    replies = [make_handler(name)(v2_event(rawPath=f"/{name}", headers=headers, body='{"k": 1}',
                                           isBase64Encoded=False), None) for name in ("event-echo", "event-echo-async")]
    assert replies[0] == replies[1] and replies[0]["statusCode"] == 200
