"""pytest plugin: the conformance suite as test items inside a backend author's own session.

``pytest --accord-family tensor --accord-adapter numpy [--accord-select GLOBS]``
adds one item per requirement. ``-x``, ``-k`` and ``-n`` (xdist) work as usual:
each pytest process starts its own worker for the adapter, lazily.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from .check import Context, RunSettings
from .families import get_suite
from .report import BAD, Status
from .runner import (
    RunConfig,
    check_adapter_name,
    default_version,
    load_for_run,
    prepare,
    run_requirement,
    start_worker,
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("accord", "Accord conformance")
    group.addoption("--accord-family", default=None, help="spec family to run (tensor, pipeline, faas)")
    group.addoption("--accord-adapter", default=None, help="adapter name or module:attribute")
    group.addoption("--accord-select", default=None, help="requirement id globs, comma-separated")
    group.addoption("--accord-spec-version", default=None, help="spec version (default: the latest released one the adapter supports)")
    group.addoption("--accord-max-examples", type=int, default=50, help="hypothesis examples per requirement")
    group.addoption("--accord-seed", type=int, default=None, help="seed (default: random, shown in the header)")
    group.addoption("--accord-timeout", type=float, default=30.0, help="seconds per backend call")
    group.addoption("--accord-python", default=None, help="interpreter for the worker process")
    group.addoption("--accord-strict", action="store_true",
                    help="fail on SHOULD/MAY requirements too (default: only MUST fails the session)")


class _Session:
    """One worker per pytest process, started on first use."""

    def __init__(self, config: pytest.Config) -> None:
        opt = config.getoption
        self.family = opt("accord_family")
        self.config = RunConfig(self.family, opt("accord_adapter"), python=opt("accord_python"))
        version = opt("accord_spec_version") or default_version(self.family, check_adapter_name(self.config))
        self.spec = load_for_run(self.family, version)
        seed = opt("accord_seed")
        if seed is None:
            # xdist workers must agree on the seed: take it from the controller when there is one
            seed = getattr(config, "workerinput", {}).get("accord_seed") or random.randrange(2**32)
        self.seed = seed
        self.settings = RunSettings(seed=seed, max_examples=opt("accord_max_examples"),
                                    timeout=opt("accord_timeout"))
        self.config.settings = self.settings
        self.strict = opt("accord_strict")
        self.ctx: Context | None = None
        self.start_error: str | None = None

    def context(self) -> Context:
        if self.start_error:
            raise RuntimeError(self.start_error)
        if self.ctx is None:
            from .client import BackendStartError

            try:
                client, hello = start_worker(self.config, self.spec)
            except BackendStartError as exc:
                self.start_error = str(exc)
                raise RuntimeError(self.start_error) from None
            self.ctx = Context(backend=client, spec=self.spec, settings=self.settings, adapter=hello["adapter"])
            prepare(self.ctx, get_suite(self.family))
        return self.ctx

    def close(self) -> None:
        if self.ctx is not None:
            self.ctx.backend.close()


_KEY = pytest.StashKey[_Session]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "accord(level, capability): an Accord conformance requirement")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(), "accord-xdist-hooks")
    if config.getoption("accord_family") and config.getoption("accord_adapter"):
        try:
            config.stash[_KEY] = _Session(config)
        except Exception as exc:  # a bad family/version is a usage error, not a traceback
            raise pytest.UsageError(f"accord: {exc}") from None
    elif config.getoption("accord_family") or config.getoption("accord_adapter"):
        raise pytest.UsageError("accord: --accord-family and --accord-adapter go together")


class _XdistHooks:
    """Hooks of pytest-xdist, registered only when xdist is loaded: pluggy rejects a plugin that
    implements a hook nobody declared, which would break every pytest run without xdist."""

    def pytest_configure_node(self, node: Any) -> None:  # xdist controller → workers
        session = node.config.stash.get(_KEY, None)
        if session is not None:
            node.workerinput["accord_seed"] = session.seed


def pytest_report_header(config: pytest.Config) -> str | None:
    session = config.stash.get(_KEY, None)
    if session is None:
        return None
    return (f"accord: {session.family} {session.spec.version} on {session.config.adapter}, "
            f"seed {session.seed} (rerun with --accord-seed {session.seed})")


class RequirementItem(pytest.Item):
    def __init__(self, *, requirement: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.requirement = requirement
        self.add_marker(pytest.mark.accord(requirement.level, requirement.capability))
        for word in (requirement.level, requirement.capability):
            self.keywords[word] = True

    def runtest(self) -> None:
        session = self.config.stash[_KEY]
        ctx = session.context()
        result = run_requirement(ctx, get_suite(session.family), self.requirement)
        status = result["status"]
        self.user_properties.append(("accord_status", status))
        if status == Status.PASS:
            return
        if status in (Status.NOT_CLAIMED, Status.NOT_APPLICABLE, Status.SKIPPED):
            pytest.skip(f"{status}: {result.get('message') or ''}")
        if status == Status.XFAIL:
            pytest.xfail(f"declared known failure: {result['declared'].get('reason', '')}")
        if status == Status.XPASS:
            return
        if status in BAD:
            text = _describe(result)
            if self.requirement.level != "MUST" and not session.strict:
                pytest.xfail(f"{self.requirement.level} requirement not met: {text}")
            raise AccordFailure(text)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, AccordFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[str, int, str]:
        return self.requirement.file, max(self.requirement.line - 1, 0), self.requirement.id


class AccordFailure(Exception):
    pass


def _describe(result: dict[str, Any]) -> str:
    lines = [f"{result['status']}: {result.get('message') or ''}"]
    for key in ("counterexample", "expected", "actual"):
        if result.get(key) is not None:
            lines.append(f"{key}: {json.dumps(result[key], ensure_ascii=False)[:2000]}")
    if result.get("snippet"):
        lines.append("reproduce:\n" + result["snippet"])
    return "\n".join(lines)


@pytest.hookimpl(tryfirst=True)  # before pytest's own -k / -m deselection, so those apply to our items
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    state = config.stash.get(_KEY, None)
    if state is None:
        return
    from accord.spec import match_requirements

    select = [g.strip() for g in (config.getoption("accord_select") or "").split(",") if g.strip()]
    items.extend(RequirementItem.from_parent(session, name=r.id, nodeid=r.id, requirement=r)
                 for r in match_requirements(state.spec, select))


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_KEY, None)
    if state is not None:
        state.close()
