"""docfetch.testing: real local HTTP(S) servers that imitate the IETF servers, for tests.

Part of the plugin author kit. Nothing here is a mock: :class:`FakeWeb` runs real HTTP/1.1 and
HTTPS servers on 127.0.0.1 (certificates from a throw-away ``trustme`` CA), serving virtual hosts
by their ``Host`` header; :class:`ForwardProxy` makes every host name resolve to them, so a
client keeps its real URLs (``https://www.rfc-editor.org/...``) and only needs
``HTTPS_PROXY``/``HTTP_PROXY`` and ``REQUESTS_CA_BUNDLE``. :class:`IetfWorld` lays out the real
sites (forced gzip, redirects, 404 bodies, drafts, datatracker JSON); faults (status
sequences, truncation, resets, stalls, gzip bombs, HTML instead of text, redirects anywhere)
are set per path with :meth:`FakeWeb.fault`. :func:`with_default_signals` starts a command that a
test signals with SIGINT, SIGTERM and SIGHUP at their default action, even under a runner (or
``nohup``) that ignores them.

A plugin testing its own source with no network::

    pytest_plugins = ["docfetch.testing.pytest_plugin"]

    def test_my_source(fake_web, run_docfetch):
        fake_web.add_file("docs.example.org", "/spec/42.txt", b"Spec 42\\n")
        fake_web.fault("docs.example.org", "/spec/42.txt", statuses=[503, 200], retry_after=0)
        result = run_docfetch("myscheme:42")
        assert result.returncode == 0, result.stderr
        assert fake_web.count("docs.example.org", "/spec/42.txt") == 2

Fixtures (``docfetch.testing.pytest_plugin``): ``fake_web``, ``ietf_world``, ``forward_proxy``,
``docfetch_ca``, ``docfetch_env``, ``docfetch_inprocess_env``, ``run_docfetch``; servers live for the
session, state is reset for every test.

Without pytest: ``with FakeWeb() as web, ForwardProxy(web) as proxy: ...``. ``trustme`` is needed
only for HTTPS and imported on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CONTENT_TYPES",
    "NOT_FOUND",
    "FakeWeb",
    "Fault",
    "ForwardProxy",
    "IetfWorld",
    "LocalCA",
    "ProxyRecord",
    "Raw",
    "RedirectRule",
    "RequestRecord",
    "VirtualHost",
    "clean_env",
    "with_default_signals",
]

_WHERE = {
    "CONTENT_TYPES": "server",
    "FakeWeb": "server",
    "RedirectRule": "server",
    "RequestRecord": "server",
    "VirtualHost": "server",
    "Fault": "faults",
    "Raw": "faults",
    "ForwardProxy": "proxy",
    "ProxyRecord": "proxy",
    "IetfWorld": "ietf",
    "NOT_FOUND": "ietf",
    "LocalCA": "tls",
    "clean_env": "env",
    "with_default_signals": "signals",
}


def __getattr__(name: str) -> Any:
    """Import the public names lazily."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
