"""FaaS test backends for the bench tests: the reference host with misbehaving probes.

Loaded by the worker as ``faas_bench_adapters:<name>`` with this folder on PYTHONPATH (``test_faas_bench.ENV``);
each host is this module run as ``python -m faas_bench_adapters BEHAVIOUR --port ...``, which swaps probes
before serving the reference host:

* ``wrong``: ``echo`` drops the body's last byte, ``event-echo`` forgets the event's extensions (wrong, and as
  fast as the reference);
* ``crash`` / ``hang``: ``echo`` and ``event-echo`` answer correctly 24 times, then the host process exits
  (``crash``) or every further request waits forever (``hang``): they pass the check and fail under load.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.faas.reference_adapter import ReferenceAdapter
from accord.spec.faas.contract import CloudEvent, Request


def short_echo(request: Request) -> Any:
    """The request body without its last byte: wrong, and no slower than the real echo."""
    return request.body[:-1]


def forgetful_event_echo(event: CloudEvent) -> Any:
    """The real event-echo reply, as if the event had arrived without its extension attributes."""
    from accord.spec.faas.probes import event_echo

    known = ("id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "time")
    return event_echo(CloudEvent({k: v for k, v in event.attributes.items() if k in known}, event.data))


GOOD_ANSWERS = 24
_served = iter(range(10**9))
_lock = threading.Lock()


def failing(behaviour: str, function: Any) -> Any:
    """``function`` for the first :data:`GOOD_ANSWERS` calls of any probe so wrapped, then the failure."""

    def wrapped(arg: Any) -> Any:
        with _lock:
            n = next(_served)
        if n >= GOOD_ANSWERS:
            if behaviour == "crash":
                os._exit(3)
            threading.Event().wait()  # hang: never answers
        return function(arg)

    return wrapped


class Misbehaving(ReferenceAdapter):
    """The reference host with the probes of :attr:`behaviour` swapped in."""

    behaviour: ClassVar[str] = ""
    host_module = "faas_bench_adapters"

    def host_command(self, port: int, config: dict[str, Any]) -> list[str]:
        command = super().host_command(port, config)
        at = command.index(self.host_module) + 1
        return [*command[:at], self.behaviour, *command[at:]]


def _meta(name: str, what: str) -> AdapterMeta:
    return AdapterMeta(name=name, family="faas", backend_package="accord", description=f"test backend: {what}",
                       spec_versions=("1.0", "1.1", "1.2"))


class WrongFastEcho(Misbehaving):
    meta: ClassVar[AdapterMeta] = _meta("wrong-fast-echo", "echo drops a byte, event-echo drops extensions")
    behaviour = "wrong"
    host_name = "faas-wrong-fast-echo"


class CrashesUnderLoad(Misbehaving):
    meta: ClassVar[AdapterMeta] = _meta("crashes-under-load", f"the host exits after {GOOD_ANSWERS} answers")
    behaviour = "crash"
    host_name = "faas-crashes-under-load"


class HangsUnderLoad(Misbehaving):
    meta: ClassVar[AdapterMeta] = _meta("hangs-under-load", f"the host stops answering after {GOOD_ANSWERS}")
    behaviour = "hang"
    host_name = "faas-hangs-under-load"


wrong_fast_echo = WrongFastEcho()
crashes_under_load = CrashesUnderLoad()
hangs_under_load = HangsUnderLoad()


if __name__ == "__main__":
    from accord.reference.faas.host import main
    from accord.spec.faas.probes import PROBES, Probe, echo, event_echo

    behaviour, argv = sys.argv[1], sys.argv[2:]
    if behaviour == "wrong":
        PROBES["echo"] = Probe("echo", "http", short_echo)
        PROBES["event-echo"] = Probe("event-echo", "event", forgetful_event_echo)
    else:
        PROBES["echo"] = Probe("echo", "http", failing(behaviour, echo))
        PROBES["event-echo"] = Probe("event-echo", "event", failing(behaviour, event_echo))
    sys.exit(main(argv))
