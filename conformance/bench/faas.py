"""The FaaS family's bench: ``spec/faas/<version>/bench.yaml`` expanded into workloads for the ``bench_http`` op.

Each workload of the document becomes one :class:`~.workloads.Workload` (a concurrent load one per connection
count): ``faas.bench.echo_latency.seq``, ``faas.bench.echo_throughput.c1`` / ``.c8``,
``faas.bench.cloudevent.binary``, ``faas.bench.cold_start.deploy``. The load runs inside each backend's worker
(:mod:`accord.adapters.faas.bench_op`) against the function that worker deployed on 127.0.0.1. Before any
timing, each workload's answer to one request is compared with the reference host's answer to the same request,
under the compare rule of the requirement the workload names (``judged_by``: the rule the conformance suite
applies, e.g. ``faas.cloudevents.binary`` for the CloudEvent round trip): a backend that answers differently is
``wrong``, with the rule's finding, and not timed.
"""

from __future__ import annotations

import base64
from typing import Any

from accord.spec.model import thaw

from ..client import BackendCrashed, BackendRaised, BackendTimeout, BackendUnsupported
from .estimates import fast_half_ratio
from .workloads import BenchFamily, BenchSpecError, Checked, Workload, bench_document, unanswered

FAMILY = "faas"
OP = "bench_http"




def body_bytes(body: dict[str, Any]) -> bytes:
    """A ``bodies`` entry's bytes: ``octets`` of the pattern 0..255 repeated, or ``text`` in UTF-8."""
    if "octets" in body:
        n = int(body["octets"])
        return (bytes(range(256)) * (n // 256 + 1))[:n]
    return str(body["text"]).encode("utf-8")


def requirement(spec: Any, rid: str) -> dict[str, Any] | None:
    """The compare rule of requirement ``rid`` when it is an ``http`` rule (None otherwise)."""
    for r in spec.requirements:
        if r.id == rid and r.compare is not None and thaw(r.compare).get("rule") == "http":
            return dict(thaw(r.compare))
    return None


def expand(spec: Any) -> list[Workload]:
    """Every workload of the spec version's bench document, in the document's order."""
    bench = bench_document(spec, FAMILY)
    deploy = dict(bench["deploy"])
    out: list[Workload] = []
    for w in bench["workloads"]:
        if w["probe"] not in deploy["probes"]:
            raise BenchSpecError(f"bench: workload {w['name']} calls probe {w['probe']!r}, which the deploy "
                                 f"section does not deploy ({', '.join(deploy['probes'])})")
        body = bench["bodies"].get(w["request"]["body"])
        if body is None:
            raise BenchSpecError(f"bench: workload {w['name']} names body {w['request']['body']!r}, which "
                                 f"bodies does not define")
        request = {"method": w["request"]["method"], "headers": [list(h) for h in w["request"]["headers"]],
                   "body_base64": base64.b64encode(body_bytes(body)).decode("ascii")}
        args = {"mode": w["load"], "deploy": deploy, "probe": w["probe"], "request": request,
                "warmup": int(w["warmup"]), "min_number": int(w["requests"])}
        if requirement(spec, w["judged_by"]) is None:
            raise BenchSpecError(f"bench: workload {w['name']} is judged by {w['judged_by']}, which is no "
                                 f"requirement of faas {spec.version} with an http compare rule")
        loads = [(f"c{n}", n) for n in w["connections"]] if w["load"] == "concurrent" else [(w["size"], 1)]
        for size, connections in loads:
            out.append(Workload(f"{FAMILY}.bench.{w['name']}.{size}", w["name"], size, None, False, w["name"],
                                {**args, "connections": connections}))
    return out


def judge(rule: dict[str, Any], request: dict[str, Any], probe: str, expected: dict[str, Any],
          got: dict[str, Any]) -> str | None:
    """How ``got`` (a ``bench_http`` answer) differs from the reference host's ``expected`` under the spec's compare
    rule (``accord.conformance.families.faas.compare``, the rule the conformance suite applies), or None."""
    from accord.conformance.check import Mismatch
    from accord.conformance.families.faas.compare import compare
    from accord.conformance.families.faas.wire import HttpRequest, HttpResponse

    def response(answer: dict[str, Any]) -> HttpResponse:
        return HttpResponse(int(answer["status"]), [(k, v) for k, v in answer["headers"]],
                            base64.b64decode(answer["body_base64"]))

    sent = HttpRequest(probe, request["method"], headers=tuple((k, v) for k, v in request["headers"]),
                       body=base64.b64decode(request["body_base64"]))
    try:
        compare(rule, sent, response(expected), response(got))
    except Mismatch as exc:
        return exc.message
    return None


class FaasBench(BenchFamily):
    """The bench of the FaaS family."""

    name = FAMILY
    default_baseline = "functions-framework"
    clocks = ("wall",)
    #: one worker (one deployment) per backend: a second one's host is never idle (Ray keeps its cluster
    #: busy) and slowed every other host; two back-to-back runs with two agreed on 4 ratios of 15
    workers = 1
    #: workloads whose rounds interleave (:meth:`~.measure.Runner.run`): all of them, so each one's rounds spread
    #: over the whole run. A host's own pace drifts within a run (Ray Serve's time per request went from 7 to
    #: 12 ms over a few minutes, every workload alike), and a workload timed in one minute of it moved its ratio
    #: by up to 40 % between two runs. A cold start's round leaves a fresh deployment behind: the next timed
    #: round on it sends its warm-up first (``bench_http``)
    spread = 5
    #: rounds per workload at most; the bench document's least_rounds say how many each gets whatever a round
    #: costs (a loopback load on 2 cores varies by a tenth from one round to the next)
    default_rounds = 9
    #: a host's pace drifts within a run and a loopback load has bursts, which reach one side of a round's
    #: pair and not the other: the faster half of each side's rounds estimates its speed. On six unchanged
    #: runs (fifteen pairs) the ratios agreed within 15 % on 80-100 % (mean 93 %), paired on 67-100 % (mean 90 %)
    ratio = staticmethod(fast_half_ratio)
    timing = ("measured inside the worker, by a standard-library HTTP/1.1 client (http.client over keep-alive "
              "loopback connections to 127.0.0.1) against the function that worker deployed: time.perf_counter_ns "
              "from sending each request to reading the last byte of its answer; a round counts its median request "
              "(under N concurrent connections, divided by N: each connection waits for its answer, so this is the "
              "time per request the host sustains, stalls left to p99), with the fastest round's p50 / p99 and its "
              "requests/s from the wall time beside it; for a cold start the "
              "time from the deploy call to the first successful answer; the kit's wire and the worker protocol "
              "are excluded, the loopback client's own cost is included and the same for every backend")

    def __init__(self) -> None:
        self.spec: Any = None
        self._workloads: list[Workload] = []
        self.least: dict[str, int] = {}  # workload name -> its least rounds
        self.host_cpus: list[int] | None = None  # the CPUs the hosts run on (auto_affinity)
        self.judged_by: dict[str, str] = {}  # workload name (its group) -> the requirement whose rule judges it
        self._expected: dict[str, tuple[dict[str, Any] | None, str | None]] | None = None

    def workloads(self, spec: Any, seed: int) -> list[Workload]:
        self.spec = spec
        self._workloads = expand(spec)
        document = bench_document(spec, FAMILY)["workloads"]
        self.judged_by = {w["name"]: w["judged_by"] for w in document}
        self.least = {w["name"]: int(w["least_rounds"]) for w in document if "least_rounds" in w}
        self._expected = None
        return list(self._workloads)

    def least_rounds(self, workload: Workload) -> int | None:
        """The rounds the bench document asks for at least (a cold start: a deployment per round)."""
        return self.least.get(workload.group)

    def auto_affinity(self, allowed: frozenset[int], threads: int | None) -> frozenset[int] | None:
        """The worker (the load generator) on the first CPU the kit may use, every host it
        deploys on the others, so client and server never contend for or trade a core; with fewer than two
        CPUs, nothing is pinned. Returns the worker's CPUs; the hosts' go into every request."""
        if len(allowed) < 2:
            self.host_cpus = None
            return None
        first = min(allowed)
        self.host_cpus = sorted(allowed - {first})
        return frozenset({first})

    def timing_args(self, workload: Workload, number: int, repeat: int, target_ns: int) -> tuple[str, Any]:
        return OP, {**self._args(workload), "number": number, "repeat": repeat, "target_ns": target_ns}

    def _args(self, workload: Workload) -> dict[str, Any]:
        return {**workload.args, "host_cpus": self.host_cpus} if self.host_cpus else dict(workload.args)

    def probe(self, client: Any) -> list[dict[str, Any]]:
        return []  # the hosts are separate processes: the worker's thread pools say nothing about them

    def check(self, sample: Workload, client: Any) -> Checked:
        """One request of the workload: the backend's answer must equal the reference host's."""
        try:
            got = client.invoke(OP, {**self._args(sample), "number": 1, "repeat": 0, "answer": True})["answer"]
        except (BackendUnsupported, BackendRaised, BackendTimeout, BackendCrashed) as exc:
            return unanswered(exc)
        expected, why = self.expected(sample)
        if why:
            return Checked("ok", note=why)
        assert expected is not None
        rid = self.judged_by[sample.group]
        finding = judge(requirement(self.spec, rid) or {}, sample.args["request"], sample.args["probe"], expected, got)
        if finding:
            return Checked("wrong", f"on the sample request to {sample.args['probe']} ({rid}): {finding}"[:1000])
        return Checked("ok")

    def expected(self, sample: Workload) -> tuple[dict[str, Any] | None, str | None]:
        """The reference host's answer to the group's request, or why there is none.

        All groups are answered on the first call, by one in-process reference adapter that is stopped at once:
        no reference host runs while backends are timed.
        """
        if self._expected is None:
            from accord.adapters.faas.reference_adapter import ReferenceAdapter

            self._expected = {}
            reference = ReferenceAdapter()
            try:
                for w in self._workloads or [sample]:
                    if w.group in self._expected:
                        continue
                    try:
                        answer = reference.invoke(OP, {**w.args, "number": 1, "repeat": 0, "answer": True})
                        self._expected[w.group] = (answer["answer"], None)
                    except Exception as exc:  # the reference refuses it: time without a comparison, and say so
                        self._expected[w.group] = (None, f"not compared: the reference host could not answer "
                                                         f"({type(exc).__name__}: {str(exc)[:200]})")
            finally:
                reference.stop()
        if sample.group not in self._expected:
            return None, "not compared: the workload is not in this spec version's bench document"
        return self._expected[sample.group]
