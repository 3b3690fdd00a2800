"""pytest fixtures for the docfetch test kit.

An installed docfetch registers this module as the pytest plugin ``docfetch`` (``pytest11`` entry
point), so the fixtures are simply there. Without the install, load it with
``-p docfetch.testing.pytest_plugin`` or ``pytest_plugins = [...]``; never both (pytest refuses a
plugin registered twice under two names).

Servers, proxy and CA live for the whole session; ``fake_web`` and ``ietf_world`` give every
test a clean state (faults, latency and logs reset; files and hosts added by the test removed).
Override ``docfetch_corpus_dir`` in a conftest to preload a corpus into the session world.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from docfetch.testing.env import NETWORK_VARIABLES, clean_env
from docfetch.testing.ietf import IetfWorld
from docfetch.testing.proxy import ForwardProxy
from docfetch.testing.server import FakeWeb
from docfetch.testing.tls import LocalCA

RunDocfetch = Callable[..., "subprocess.CompletedProcess[bytes]"]


@pytest.fixture(scope="session")
def docfetch_ca(tmp_path_factory: pytest.TempPathFactory) -> LocalCA:
    """A trustme CA; ``.path`` is its PEM file, ``.ca`` the trustme object."""
    return LocalCA(tmp_path_factory.mktemp("docfetch-ca"))


@pytest.fixture(scope="session")
def docfetch_fake_web_session(docfetch_ca: LocalCA) -> Iterator[FakeWeb]:
    """The session's FakeWeb servers (prefer ``fake_web``, which resets state per test)."""
    web = FakeWeb(docfetch_ca).start()
    yield web
    web.close()


@pytest.fixture(scope="session")
def docfetch_corpus_dir() -> Path | None:
    """A corpus directory to preload into the session IetfWorld (override it; default none)."""
    return None


@pytest.fixture(scope="session")
def docfetch_ietf_world_session(docfetch_fake_web_session: FakeWeb, docfetch_corpus_dir: Path | None) -> IetfWorld:
    """The session's IetfWorld (prefer ``ietf_world``, which resets state per test)."""
    world = IetfWorld(docfetch_fake_web_session)
    if docfetch_corpus_dir is not None:
        world.load_corpus(docfetch_corpus_dir)
    return world


@pytest.fixture(scope="session")
def forward_proxy(docfetch_fake_web_session: FakeWeb) -> Iterator[ForwardProxy]:
    """The forward proxy to the fake web (its log is cleared with ``fake_web``'s)."""
    proxy = ForwardProxy(docfetch_fake_web_session).start()
    yield proxy
    proxy.close()


@pytest.fixture
def fake_web(docfetch_fake_web_session: FakeWeb) -> Iterator[FakeWeb]:
    """The session FakeWeb, reset: no faults, no latency, empty logs; the test's additions undone."""
    web = docfetch_fake_web_session
    web.reset()
    snap = web.snapshot()
    yield web
    web.reset()
    web.restore(snap)


@pytest.fixture
def ietf_world(docfetch_ietf_world_session: IetfWorld, fake_web: FakeWeb) -> Iterator[IetfWorld]:
    """The IETF layout on ``fake_web``; documents added by the test are removed afterwards."""
    world = docfetch_ietf_world_session
    state = world.snapshot()
    yield world
    world.restore(state)


@pytest.fixture
def docfetch_env(
    forward_proxy: ForwardProxy, docfetch_ca: LocalCA, fake_web: FakeWeb, tmp_path: Path
) -> dict[str, str]:
    """Environment for a docfetch subprocess: the machine's, minus proxies/CAs/DOCFETCH_*, through the proxy."""
    return clean_env(forward_proxy.url, docfetch_ca.path, tmp_path / "docfetch-env")


@pytest.fixture
def docfetch_inprocess_env(docfetch_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Apply ``docfetch_env`` to ``os.environ`` for the test (undone afterwards)."""
    for name in list(os.environ):
        if name in NETWORK_VARIABLES or name.startswith("DOCFETCH_"):
            monkeypatch.delenv(name)
    for name, value in docfetch_env.items():
        if os.environ.get(name) != value:
            monkeypatch.setenv(name, value)
    return docfetch_env


def docfetch_command() -> list[str]:
    """The installed ``docfetch`` script next to the interpreter, else ``python -m docfetch``."""
    script = Path(sys.executable).parent / "docfetch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "docfetch"]


@pytest.fixture
def run_docfetch(docfetch_env: dict[str, str], tmp_path: Path) -> RunDocfetch:
    """``run_docfetch(*args, env_extra=None, input=None, timeout=60, cwd=tmp_path)`` → CompletedProcess (bytes)."""

    def run(
        *args: str,
        env_extra: Mapping[str, str | None] | None = None,
        input: bytes | None = None,
        timeout: float = 60,
        cwd: str | Path | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        env = dict(docfetch_env)
        for name, value in (env_extra or {}).items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return subprocess.run(
            [*docfetch_command(), *map(str, args)],
            env=env,
            input=input,
            capture_output=True,
            timeout=timeout,
            cwd=cwd or tmp_path,
            check=False,
        )

    return run
