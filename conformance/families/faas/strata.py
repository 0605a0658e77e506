"""The FaaS condition kinds: how to recognise each in a request (the example of an exchange property).

Read from the request as sent, with the class tables of :mod:`.classes` (so a stratum and an input
class agree on what a newline path or a repeated header is). Drawn on purpose by filtering the
requirement's own requests, whose generators aim at these classes already (``generate``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.conformance.check import Context
from accord.conformance.strata import Stratum, StratumKind
from accord.spec.model import Document, Requirement

from . import classes
from .wire import HttpRequest


def _probe_names(request: HttpRequest) -> list[str]:
    return [k for k, _ in request.headers if k.lower().startswith("x-probe-")]


def _repeated_header(request: HttpRequest) -> bool:
    names = [k.lower() for k in _probe_names(request)]
    return len(set(names)) < len(names)


def _mixed_case_header(request: HttpRequest) -> bool:
    return any(k not in (k.lower(), k.title()) for k in _probe_names(request))


def _repeated_query(request: HttpRequest) -> bool:
    names = [k for k, _ in request.query]
    return len(set(names)) < len(names)


def _interleaved_query(request: HttpRequest) -> bool:
    return classes.query_class(request.query) == "query:interleaved"


def _non_utf8_body(request: HttpRequest) -> bool:
    return classes.body_class(request.body) == "body:non-utf8"


def _content_type(request: HttpRequest) -> str:
    return next((v for k, v in request.headers if k.lower() == "content-type"), "")


def _structured(request: HttpRequest) -> bool:
    return "cloudevents+json" in _content_type(request)


def _binary(request: HttpRequest) -> bool:
    return any(k.lower().startswith("ce-") for k, _ in request.headers) and not _structured(request)


def _non_ascii(request: HttpRequest) -> bool:
    """Anywhere in what the function receives: sub-path, query, header values (percent-decoded ce-*
    attributes included), a UTF-8 body."""
    texts = [request.subpath, *(k + v for k, v in request.query), *(v for _, v in request.headers)]
    if _binary(request):
        attributes, _, _ = classes._event_parts(request)
        texts += [v for v in attributes.values() if isinstance(v, str)]
    if any(not t.isascii() for t in texts):
        return True
    return classes.body_class(request.body) == "body:utf8"


def _plain(recognise: Callable[[HttpRequest], bool]) -> StratumKind:
    def make(argument: str | None, ctx: Context, req: Requirement, doc: Document) -> Stratum:
        return Stratum("", recognise)
    return make


def _path_kind(argument: str | None, ctx: Context, req: Requirement, doc: Document) -> Stratum | None:
    """``path-kind:<class>``: a character of that class in the sub-path (the class tables of ``classes``)."""
    name = f"path:{argument}"
    if name not in classes.PATH_CHARACTERS and name != "path:dot-segment":
        return None

    def recognise(request: Any) -> bool:
        if name == "path:dot-segment":
            return classes.path_class(request.subpath) == name
        table = {name: classes.PATH_CHARACTERS[name]}
        return classes._first(request.subpath, table, "") == name
    return Stratum("", recognise)


KINDS: dict[str, StratumKind] = {
    "repeated-header": _plain(_repeated_header),
    "mixed-case-header": _plain(_mixed_case_header),
    "repeated-query": _plain(_repeated_query),
    "interleaved-query": _plain(_interleaved_query),
    "empty-body": _plain(lambda request: not request.body),
    "non-utf8-body": _plain(_non_utf8_body),
    "non-ascii": _plain(_non_ascii),
    "binary-mode": _plain(_binary),
    "structured-mode": _plain(_structured),
    "path-kind": _path_kind,
}
