"""The FaaS check kinds: each sends real HTTP requests to the backend's deployed probes and judges the answers.

Property checks (``exchange``, ``event-exchange``) send every generated request
to the reference host (in the kit's process) and to the backend, and compare
under the requirement's ``http`` rule. The other checks hold the backend to
expectations written in the spec (``params.expect``) and to the limits of the
contract documents.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jsonschema
from hypothesis import strategies as st

from accord.conformance.check import Context, Mismatch, NotApplicableHere, Outcome, Property
from accord.conformance.families.faas import deployment, events
from accord.conformance.families.faas.classes import event_classifier, request_classifier
from accord.conformance.families.faas.compare import compare
from accord.conformance.families.faas.generate import (
    event_strategy,
    json_schema,
    operation_fields,
    request_strategy,
    varied_fields,
)
from accord.conformance.families.faas.keep_alive import keep_alive
from accord.conformance.families.faas.wire import HttpRequest, HttpResponse, curl, pattern, send
from accord.conformance.findings import normalise
from accord.spec.model import Document, Requirement

FIXED_OPERATION_EXAMPLES = 3  # operations without parameters: a few repeats are enough


def _snippet(ctx: Context, request: HttpRequest, expected: HttpResponse | None, actual: HttpResponse) -> str:
    lines = ["# replay against the backend:", curl(deployment.url(ctx, request.function), request)]
    if expected is not None:
        lines += ["# reference host answered:", json.dumps(expected.summary(), ensure_ascii=False)]
    lines += ["# backend answered:", json.dumps(actual.summary(), ensure_ascii=False)]
    return "\n".join(lines)


def _exchange(ctx: Context, rule: Mapping[str, Any], request: HttpRequest, timeout: float) -> None:
    """Send ``request`` to both hosts and compare; a mismatch carries the curl command and both answers."""
    expected = send(deployment.reference_url(ctx, request.function), request, timeout)
    actual = send(deployment.url(ctx, request.function), request, timeout)
    try:
        compare(rule, request, expected, actual)
    except Mismatch as exc:
        exc.snippet = _snippet(ctx, request, expected, actual)  # type: ignore[attr-defined]
        raise


SHRINK_SECONDS = 5.0
"""How long shrinking the failures of one class may keep sending requests, per search.

Every shrink step is two real HTTP exchanges, and hypothesis may try thousands
on a nested event. Past the budget, examples of that class not seen failing are
let pass, so hypothesis stops at the smallest failing example found so far;
examples that did fail keep failing, so the replay of the reported one is
consistent. Each class has its own budget, and every search starts with fresh
ones: a class whose failure was left behind while shrinking another is searched
in full when the core looks again with the reported class excluded.
"""


def _shape(message: str) -> str:
    """A failure's message with its example-specific values removed (status codes kept)."""
    return " ".join([normalise(message, http=True), *re.findall(r"status (\d{3})", message)])


def _property(ctx: Context, strategy: st.SearchStrategy, rule: Mapping[str, Any],
              max_examples: int | None = None,
              classify: Callable[[HttpRequest], str] | None = None) -> Property:
    """A property over real exchanges; with ``classify``, each failing class with a new kind of failure is a case.

    The core searches again after a failure with that class excluded. A failure of the same shape as one
    an earlier search reported (the same deviation met in another class: a host inventing ``time`` whatever
    the data) is let pass there, so the next search looks for a different deviation instead of reporting
    the same one once per class.
    """
    timeout = ctx.settings.timeout
    failed: dict[str, tuple[Mismatch, str]] = {}  # example -> its failure and that failure's shape
    repeated: set[str] = set()  # examples failing as an earlier search's reported failure did
    budgets: dict[str | None, float] = {}  # class -> when its first failure in this search was seen
    reported: set[str] = set()  # shapes of the failures earlier searches reported
    last: list[str] = []  # shape of the latest failure raised: the one the search reports at its end

    def test(request: HttpRequest) -> None:
        key = json.dumps(request.to_json(), sort_keys=True)
        if key in failed:
            last[:] = [failed[key][1]]
            raise failed[key][0]
        if key in repeated:
            return
        cls = classify(request) if classify else None
        if cls in budgets and time.monotonic() - budgets[cls] > SHRINK_SECONDS:
            return
        try:
            _exchange(ctx, rule, request, timeout)
        except Mismatch as exc:
            shape = _shape(exc.message)
            if shape in reported:
                repeated.add(key)
                return
            if cls is not None:  # the class leads the message: one finding per class, whatever the seed
                exc.message = f"{cls}: {exc.message}"
                exc.args = (exc.message,)
            failed[key] = (exc, shape)
            last[:] = [shape]
            budgets.setdefault(cls, time.monotonic())
            raise

    def snippet(request: HttpRequest) -> str:
        known = failed.get(json.dumps(request.to_json(), sort_keys=True), (None, ""))[0]
        return getattr(known, "snippet", None) or curl(deployment.url(ctx, request.function), request)

    if classify is not None:
        # the core narrows the strategy with a filter for each further search: a new search starts
        plain_filter = strategy.filter

        def next_search(predicate: Callable[[Any], bool]) -> st.SearchStrategy:
            budgets.clear()
            reported.update(last)
            return plain_filter(predicate)

        strategy = strategy.map(lambda request: request)
        strategy.filter = next_search  # type: ignore[method-assign]

    return Property(
        strategy=strategy,
        test=test,
        encode=HttpRequest.to_json,
        decode=HttpRequest.from_json,
        snippet=snippet,
        max_examples=max_examples,
        classify=classify,
    )


def exchange(ctx: Context, req: Requirement, doc: Document) -> Property:
    """Requests generated from the requirement's OpenAPI operation, compared with the reference host.

    The requirement varies only the request fields it is about (``generate.varied_fields``), and each
    example's class in those fields (``classes``) lets the core report every failing class separately.
    """
    deployment.require(ctx)
    operation = req.params["operation"]
    root = str(ctx.spec.root)
    vary = varied_fields(req.compare)
    strategy = request_strategy(root, operation, vary=vary)
    fixed = not request_strategy_has_parameters(ctx, operation)
    heavy = operation == "large"
    budget = FIXED_OPERATION_EXAMPLES if fixed else (min(ctx.settings.max_examples, 10) if heavy else None)
    return _property(ctx, strategy, req.compare, budget, request_classifier(vary, operation_fields(root, operation)))


def request_strategy_has_parameters(ctx: Context, operation: str) -> bool:
    from accord.conformance.families.faas.generate import openapi
    from accord.conformance.families.faas.generate import operation as find

    _, _, op = find(openapi(str(ctx.spec.root)), operation)
    return bool(op.get("parameters")) or "requestBody" in op


# ---------------------------------------------------------------- expectations from the spec


def error_body_problem(response: HttpResponse, code: str | None, spec_root: str) -> str | None:
    """Why the body is not the spec's JSON error body (with ``code``), or None."""
    from accord.conformance.families.faas.compare import media_type

    kind = (media_type(response.header("content-type")) or "").split(";")[0]
    if kind != "application/json":
        return f"Content-Type {response.header('content-type')!r}, expected application/json"
    try:
        body = json.loads(response.body)
    except ValueError:
        return "the error body is not JSON"
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(json_schema(spec_root, "error")).iter_errors(body)
    )
    if error is not None:
        return f"the error body does not match schemas/error.schema.json: {error.message}"
    if code is not None and body["error"]["code"] != code:
        return f"error code {body['error']['code']!r}, expected {code!r}"
    return None


STATUS_CLASSES: dict[str, Callable[[int], bool]] = {
    "2xx": lambda s: 200 <= s < 300,
    "4xx": lambda s: 400 <= s < 500,
    "5xx": lambda s: 500 <= s < 600,
    "2xx-or-4xx": lambda s: 200 <= s < 300 or 400 <= s < 500,
}


def judge(ctx: Context, expect: Mapping[str, Any], request: HttpRequest, response: HttpResponse,
          within: float | None = None) -> Outcome:
    """An Outcome for ``response`` against the spec's ``expect`` mapping."""

    def failed(message: str) -> Outcome:
        return Outcome("fail", examples=1, message=message, counterexample=request.to_json(),
                       expected=dict(expect), actual=response.summary(),
                       snippet=_snippet(ctx, request, None, response))

    if response.error is not None:
        return failed(f"no HTTP answer: {response.error}")
    if within is not None and response.elapsed > within:
        return failed(f"answered after {response.elapsed:.2f}s, later than {within:.2f}s")
    if "status" in expect and response.status != expect["status"]:
        return failed(f"status {response.status}, expected {expect['status']}")
    if "status_class" in expect and not STATUS_CLASSES[expect["status_class"]](response.status or 0):
        return failed(f"status {response.status}, expected {expect['status_class']}")
    for text in expect.get("forbid", ()):
        if text.encode() in response.body:
            return failed(f"the body contains {text!r}")
    if expect.get("json_error_body"):
        problem = error_body_problem(response, expect.get("error_code"), str(ctx.spec.root))
        if problem:
            return failed(problem)
    if "then_serves" in expect:
        follow = _serves(ctx, expect["then_serves"])
        if follow is not None:
            return failed(f"afterwards the host no longer serves {expect['then_serves']}: {follow}")
    return Outcome("pass", examples=1)


def _serves(ctx: Context, function: str) -> str | None:
    """None if ``function`` still answers as on the reference host, else why not."""
    if function == "event-echo":
        request = events.binary({"specversion": "1.0", "id": "after", "source": "urn:accord:check", "type": "t"})
        rule: dict[str, Any] = {"rule": "http", "status": "exact", "event": ["required"]}
    else:
        request = HttpRequest(function)
        rule = {"rule": "http", "status": "exact", "body": "bytes"}
    try:
        _exchange(ctx, rule, request, ctx.settings.timeout)
    except Mismatch as exc:
        return exc.message
    return None


def _fixed_request(req: Requirement) -> HttpRequest:
    query = tuple((k, str(v)) for k, v in (req.params.get("query") or {}).items())
    return HttpRequest(req.params["operation"], req.params.get("method", "GET"), query=query)


def expect(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """One fixed request to a probe, judged against the spec's expectations."""
    deployment.require(ctx)
    request = _fixed_request(req)
    return judge(ctx, req.params["expect"], request, send(deployment.url(ctx, request.function), request, ctx.settings.timeout))


def _limits(ctx: Context, name: str) -> Mapping[str, Any]:
    return ctx.spec.document("faas.contract", name).data["limits"]


def size_limit(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """A body exactly at the limit must be echoed; beyond it the spec's expectations apply."""
    deployment.require(ctx)
    limit = int(_limits(ctx, "limits")["max_body_bytes"])
    size = limit if req.params["size"] == "at-limit" else 2 * limit
    request = HttpRequest(req.params["operation"], "POST", body=pattern(size))
    if "expect" not in req.params:
        try:
            _exchange(ctx, req.compare, request, ctx.settings.timeout)
        except Mismatch as exc:
            return Outcome("fail", examples=1, message=exc.message, counterexample={"body_bytes": size},
                           expected=exc.expected, actual=exc.actual, snippet=getattr(exc, "snippet", None))
        return Outcome("pass", examples=1)
    response = send(deployment.url(ctx, request.function), request, ctx.settings.timeout)
    outcome = judge(ctx, req.params["expect"], request, response)
    if outcome.counterexample is not None:
        outcome.counterexample = {"body_bytes": size}
    return outcome


def deadline(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """The sleep probe within and beyond the deadline the adapter deployed with."""
    deployment.require(ctx)
    limits = _limits(ctx, "deadlines")
    seconds, slack = float(limits["deadline_seconds"]), float(limits["slack_seconds"])
    if req.params["sleep"] == "within-deadline":
        request = HttpRequest(req.params["operation"], query=(("ms", str(int(seconds * 250))),))
        try:
            _exchange(ctx, req.compare, request, seconds + slack + 5)
        except Mismatch as exc:
            return Outcome("fail", examples=1, message=exc.message, counterexample=request.to_json(),
                           expected=exc.expected, actual=exc.actual, snippet=getattr(exc, "snippet", None))
        return Outcome("pass", examples=1)
    request = HttpRequest(req.params["operation"], query=(("ms", str(int((seconds + slack + 2) * 1000))),))
    response = send(deployment.url(ctx, request.function), request, seconds + slack + 6)
    within = seconds + slack if req.params["expect"].get("answered_within") else None
    return judge(ctx, req.params["expect"], request, response, within=within)


# ---------------------------------------------------------------- CloudEvents


def event_exchange(ctx: Context, req: Requirement, doc: Document) -> Property:
    """Events generated from the spec's CloudEvent schema, sent to both hosts' event function, replies compared.

    The event function is the requirement's ``operation`` (an event-echo probe), ``event-echo`` if it names none.
    """
    deployment.require(ctx)
    mode, focus = req.params["mode"], req.params.get("focus", "any")
    function = req.params.get("operation", "event-echo")
    strategy = st.tuples(event_strategy(str(ctx.spec.root), focus, mode), st.sampled_from(events.STRUCTURED_TYPES)).map(
        lambda drawn: events.encode(drawn[0], mode, function, content_type=drawn[1]))
    return _property(ctx, strategy, req.compare, classify=event_classifier(focus, mode))


def _valid_event() -> dict[str, Any]:
    return {"specversion": "1.0", "id": "accord-1", "source": "urn:accord:check", "type": "dev.accord.check",
            "datacontenttype": "application/json", "data": {"n": 1}}


def event_reject(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """Invalid events (a required attribute dropped, a foreign specversion, batch mode) must be refused."""
    deployment.require(ctx)
    mode = req.params["mode"]
    candidates: list[HttpRequest] = []
    for name in req.params.get("drop", ()):
        event = {k: v for k, v in _valid_event().items() if k != name}
        candidates.append(events.encode(event, mode))
    for version in req.params.get("specversions", ()):
        candidates.append(events.encode({**_valid_event(), "specversion": version}, mode))
    if mode == "batch":
        candidates.append(events.batch([_valid_event()]))
    if not candidates:
        raise NotApplicableHere("the requirement names no invalid event")
    for i, request in enumerate(candidates):
        response = send(deployment.url(ctx, request.function), request, ctx.settings.timeout)
        outcome = judge(ctx, req.params["expect"], request, response)
        if outcome.status != "pass":
            outcome.examples = i + 1
            return outcome
    return Outcome("pass", examples=len(candidates))


# ---------------------------------------------------------------- operation


def concurrency(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """Simultaneous requests: each answer must be its own request's (and, for a sleeping probe, overlap in time).

    With ``sleep_ms`` the operation is a sleeping probe (``sleep``, ``sleep-async``) called with ``?ms=``;
    without it, an inspect-like probe called with distinct sub-path, query and body per request.
    """
    deployment.require(ctx)
    n = int(req.params["requests"])
    operation = req.params["operation"]
    if "sleep_ms" in req.params:
        ms = int(req.params["sleep_ms"])
        requests = [HttpRequest(operation, query=(("ms", str(ms)),)) for _ in range(n)]
    else:
        requests = [HttpRequest(operation, "POST", subpath=f"c{i}", query=(("q", str(i)), ("q", "x")),
                                body=f"request {i}".encode()) for i in range(n)]
    url = deployment.url(ctx, operation)
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=n) as pool:
        answers = list(pool.map(lambda r: send(url, r, ctx.settings.timeout), requests))
    wall = time.monotonic() - began
    if "max_fraction_of_serial" in req.params:
        # judged first: calls run one after another can also overrun the deadline, and the
        # serialisation, not the deadline answer it causes, is the finding
        serial = n * int(req.params["sleep_ms"]) / 1000
        limit = serial * float(req.params["max_fraction_of_serial"])
        if wall > limit:
            statuses = [a.status if a.error is None else a.error for a in answers]
            return Outcome("fail", examples=n, message=f"{n} concurrent {req.params['sleep_ms']} ms calls took "
                           f"{wall:.2f}s; overlapping they take under {limit:.2f}s (serially {serial:.2f}s)",
                           counterexample=requests[0].to_json(), expected={"max_seconds": round(limit, 3)},
                           actual={"seconds": round(wall, 3), "statuses": statuses},
                           snippet=f"# send {n} at once:\n" + curl(url, requests[0]))
    for request, answer in zip(requests, answers, strict=True):
        expected = send(deployment.reference_url(ctx, operation), request, ctx.settings.timeout)
        try:
            compare(req.compare, request, expected, answer)
        except Mismatch as exc:
            return Outcome("fail", examples=n, message=f"under {n} concurrent requests: {exc.message}",
                           counterexample=request.to_json(), expected=exc.expected, actual=exc.actual,
                           snippet=_snippet(ctx, request, expected, answer))
    return Outcome("pass", examples=n)


def cold_start(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """The deployment and the first request, as recorded by the suite's prepare step."""
    state = deployment.require(ctx)
    aspect = req.params.get("aspect", "first-answer")
    if aspect == "functions":
        expected = {d.name for d in ctx.spec.documents_of("faas.probe")}
        missing = sorted(expected - set(state["functions"]))
        foreign = sorted(u for u in state["functions"].values() if not u.startswith("http://127.0.0.1:"))
        if missing or foreign:
            return Outcome("fail", message=f"deploy reported no URL for {missing}" if missing else
                           f"functions outside loopback: {foreign}", expected=sorted(expected),
                           actual=state["functions"])
        return Outcome("pass", examples=1)
    first: HttpResponse | None = state["first_response"]
    request: HttpRequest = state["first_request"]
    if first is None:
        return Outcome("fail", message="the backend deployed no 'text' probe to send the first request to")
    if aspect == "time":
        bound = float(_limits(ctx, "lifecycle")["cold_start_seconds"])
        total = state["deploy_seconds"] + first.elapsed
        if total > bound:
            return Outcome("fail", message=f"deploy + first answer took {total:.2f}s (limit {bound}s)",
                           expected={"max_seconds": bound},
                           actual={"deploy_seconds": round(state["deploy_seconds"], 3), "first_answer_seconds": round(first.elapsed, 3)})
        return Outcome("pass", examples=1)
    expected = send(deployment.reference_url(ctx, request.function), request, ctx.settings.timeout)
    try:
        compare(req.compare, request, expected, first)
    except Mismatch as exc:
        return Outcome("fail", examples=1, message=f"first request after deployment: {exc.message}",
                       counterexample=request.to_json(), expected=exc.expected, actual=exc.actual,
                       snippet=_snippet(ctx, request, expected, first))
    return Outcome("pass", examples=1)


CHECKS = {
    "exchange": exchange,
    "expect": expect,
    "size-limit": size_limit,
    "deadline": deadline,
    "event-exchange": event_exchange,
    "event-reject": event_reject,
    "concurrency": concurrency,
    "cold-start": cold_start,
    "keep-alive": keep_alive,
}
