"""Bundled plugins use only the public API, as a third party must: ``docfetch`` and ``docfetch.testing``."""

import ast
from pathlib import Path

import docfetch

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"


def imported_docfetch_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "docfetch":
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "docfetch")
    return found


def test_plugins_import_only_the_public_api():
    sources = [p for p in PLUGINS.rglob("*.py") if "tests" not in p.parts]
    tests = [p for p in PLUGINS.rglob("*.py") if "tests" in p.parts]
    assert sources and tests
    for path in sources:
        assert imported_docfetch_modules(path) <= {"docfetch"}, path
    for path in tests:  # the test kit, docfetch.testing and its pytest plugin, is public too
        modules = imported_docfetch_modules(path)
        assert all(m == "docfetch" or m.startswith("docfetch.testing") for m in modules), (path, modules)


def test_every_public_name_resolves():
    for name in docfetch.__all__:
        assert getattr(docfetch, name) is not None, name


#: What a command plugin may use of a Fetcher (docfetch.Fetcher's documented methods).
FETCHER_API = {"fetch", "fetch_many", "fetch_url", "transfer", "open_source", "has_source", "note", "warn", "cancel"}


def imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "docfetch":
            names.update(alias.name for alias in node.names)
    return names


def fetcher_attributes(path: Path) -> set[str]:
    """Attributes read on anything called ``fetcher`` or ``probe`` (``fetcher.open_source``, ``self.fetcher.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Attribute):
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name in ("fetcher", "probe"):
                found.add(node.attr)
    return found


def test_plugins_use_only_public_names_and_fetcher_methods():
    sources = [p for p in PLUGINS.rglob("*.py") if "tests" not in p.parts]
    for path in sources:
        assert imported_names(path) <= set(docfetch.__all__), (path, imported_names(path) - set(docfetch.__all__))
        assert fetcher_attributes(path) <= FETCHER_API, (path, fetcher_attributes(path) - FETCHER_API)
    assert all(hasattr(docfetch.Fetcher, name) for name in FETCHER_API)
