"""The ``keep-alive`` check: requests sent one after another on one HTTP/1.1 connection are all answered on it.

Every other check opens a connection per request (``wire.send``), so what a host does to a connection is seen
nowhere else. A host that closes each connection after one answer makes every client pay a new connection
per request, and one that does so after announcing nothing (RFC 9112 §9.6: a sender SHOULD send ``close``
when it intends to close) has its next request lost: a client reusing the connection gets no answer, and a
POST may not be retried for it.
"""

from __future__ import annotations

import shlex

from accord.conformance.check import Context, Outcome
from accord.conformance.families.faas import deployment
from accord.conformance.families.faas.wire import HttpRequest, connect, send_on
from accord.spec.model import Document, Requirement


def _closes(connection_field: str | None) -> bool:
    return "close" in [token.strip().lower() for token in (connection_field or "").split(",")]


def _replay(mount: str, request: HttpRequest, n: int) -> str:
    """A curl command sending the ``n`` requests on one connection (``-v`` shows whether it is re-used)."""
    address = "/".join(mount.split("/", 3)[:3]) + request.target(mount)
    one = " ".join(["-o /dev/null", *(f"-H {shlex.quote(f'{k}: {v}')}" for k, v in request.headers),
                    f"--data-binary {shlex.quote(request.body.decode())}", shlex.quote(address)])
    return (f"# {n} requests on one connection: curl -v says 'Re-using existing connection' for each after the "
            f"first, or 'Connection died'\ncurl -sS -v " + " --next ".join([one] * n))


def keep_alive(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """``params.requests`` POSTs with a short body to ``params.operation``, each sent once the last is answered."""
    deployment.require(ctx)
    n = int(req.params["requests"])
    request = HttpRequest(req.params["operation"], "POST", headers=(("Content-Type", "application/octet-stream"),),
                          body=b"accord keep-alive")
    url = deployment.url(ctx, request.function)
    snippet = _replay(url, request, n)
    conn = connect(url, ctx.settings.timeout)
    try:
        for i in range(n):
            answer = send_on(conn, url, request)
            if answer.error is not None and i == 0:
                return Outcome("error", message=f"the first request got no answer ({answer.error}): a connection "
                                                f"that never carried an answer says nothing about keep-alive")
            if answer.error is not None:
                why = ("the host left the kept connection unanswered" if "timed out" in answer.error else
                       f"the host closed the connection after answer {i}, which did not say 'Connection: close'")
                return Outcome("fail", examples=i + 1, snippet=snippet, counterexample=request.to_json(),
                               message=f"request {i + 1} of {n} on one connection got no answer ({answer.error}): "
                                       f"{why}", expected={"answered_on_one_connection": n},
                               actual={"answered_on_one_connection": i})
            if _closes(answer.header("Connection")) and i < n - 1:
                return Outcome("fail", examples=i + 1, snippet=snippet, counterexample=request.to_json(),
                               message=f"answer {i + 1} of {n} closed the connection ('Connection: close'): the "
                                       f"host does not keep a connection for the next request",
                               expected={"answered_on_one_connection": n},
                               actual={"answered_on_one_connection": i + 1})
    finally:
        conn.close()
    return Outcome("pass", examples=n)
