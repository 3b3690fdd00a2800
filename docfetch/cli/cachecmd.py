"""``docfetch cache path|info|clear``: where documents are kept, how much, and starting afresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docfetch.terminal import json_text


def path_command() -> int:
    """Print the cache directory."""
    from docfetch.config import cache_dir

    print(cache_dir())
    return 0


def _size(count: int) -> str:
    value = float(count)
    for unit in ("bytes", "KiB", "MiB"):
        if value < 1024:
            return f"{count} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def _when(timestamp: float | None) -> str:
    import time

    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp)) if timestamp else ""


def cache_report() -> dict[str, Any]:
    """What the cache holds: documents, the RFC index file and its database, errata.json and its database."""
    from docfetch.config import cache_dir
    from docfetch.plugins.source import RFC_INDEX
    from docfetch.store import indexdb
    from docfetch.store.cache import Cache

    root = cache_dir()
    cache = Cache(root)
    count, size = cache.usage()
    report: dict[str, Any] = {"path": str(root), "documents": count, "bytes": size, "index": None, "database": None}
    xml = indexdb.index_xml_path(root)
    report["index"] = _downloaded(cache.lookup(RFC_INDEX, "xml"))
    db = indexdb.db_path(root)
    report["database"] = _database(db, ("rfcs",), lambda: indexdb.is_current(db, xml))
    report.update(errata_report(root, cache))
    return report


def errata_report(root: Path, cache: Any) -> dict[str, Any]:
    """``errata`` (the cached errata.json) and ``errata_database`` (its database), each None when absent."""
    from docfetch.errata import store
    from docfetch.knowledge.errata import ERRATA_KEY

    entry = cache.lookup(ERRATA_KEY, "json")
    db = store.db_path(root)
    return {
        "errata": _downloaded(entry),
        "errata_database": _database(
            db, ("errata", "rfcs", "skipped"), lambda: entry is None or store.is_current(db, entry.path)
        ),
    }


def _downloaded(entry: Any) -> dict[str, Any] | None:
    """A downloaded file the cache keeps (the RFC index, errata.json): where, how big, when checked."""
    if entry is None:
        return None
    return {"path": str(entry.path), "bytes": entry.path.stat().st_size, "checked": entry.checked, "etag": entry.etag}


def _database(db: Path, counts: tuple[str, ...], current: Any) -> dict[str, Any] | None:
    """A database derived from a download: where, how big, its ``counts`` (meta rows), when built, current or not."""
    from docfetch.store.derived import read_meta

    meta = read_meta(db)
    if meta is None:
        return None
    numbers = {name: int(meta.get(name) or 0) for name in counts}
    return {"path": str(db), "bytes": db.stat().st_size, **numbers, "built": float(meta.get("built") or 0),
            "current": current()}  # fmt: skip


def info_command(as_json: bool = False) -> int:
    """Show the cache directory, how many documents it holds and the state of the RFC index."""
    report = cache_report()
    if as_json:
        print(json_text(report))
        return 0
    print(f"Cache:      {report['path']}")
    print(f"Documents:  {report['documents']} ({_size(report['bytes'])})")
    index = report["index"]
    if index:
        etag = f", ETag {index['etag']}" if index["etag"] else ""
        print(f"RFC index:  {_size(index['bytes'])}, checked {_when(index['checked'])}{etag}")
    else:
        print("RFC index:  not downloaded yet ('docfetch search' or 'docfetch info' fetch it)")
    db = report["database"]
    if db:
        state = "current" if db["current"] else "older than the index file: rebuilt on next use"
        print(f"Database:   {db['rfcs']} RFCs, {_size(db['bytes'])}, built {_when(db['built'])} ({state})")
    else:
        print("Database:   not built yet")
    errata, errata_db = report["errata"], report["errata_database"]
    if errata:
        etag = f", ETag {errata['etag']}" if errata["etag"] else ""
        print(f"Errata:     {_size(errata['bytes'])}, checked {_when(errata['checked'])}{etag}")
    else:
        print("Errata:     not downloaded yet ('docfetch errata' fetches them)")
    if errata_db:
        state = "current" if errata_db["current"] else "older than errata.json: rebuilt on next use"
        skipped = f", {errata_db['skipped']} entries unreadable" if errata_db["skipped"] else ""
        print(
            f"Errata DB:  {errata_db['errata']} errata of {errata_db['rfcs']} RFCs{skipped}, "
            f"{_size(errata_db['bytes'])}, built {_when(errata_db['built'])} ({state})"
        )
    return 0


def clear_command(quiet: bool = False) -> int:
    """Delete every cached document, the RFC index, the errata and their databases."""
    from docfetch.config import cache_dir
    from docfetch.errata.store import db_path as errata_db_path
    from docfetch.store.cache import Cache
    from docfetch.store.indexdb import db_path

    root = cache_dir()
    cache = Cache(root)
    count, size = cache.usage()
    databases = [name for name, path in (("the RFC index database", db_path(root)),
                 ("the errata database", errata_db_path(root))) if path.is_file()]  # fmt: skip
    cache.clear()
    if not quiet:
        files = f"{count} cached file{'s' if count != 1 else ''} ({_size(size)})"
        print(f"Removed {' and '.join([files, *databases])} from {root}")
    return 0


def _reference_of(cache_root: Path, path: Path) -> tuple[Any, str] | None:
    """The reference and format of a cached document path (``docs/rfc/rfc791.txt``), if it names one."""
    from docfetch.errors import UsageError
    from docfetch.reference import NUMBERED_SCHEMES, Reference, parse_reference

    scheme = path.parent.name
    stem, _dot, fmt = path.name.rpartition(".")
    try:
        if scheme in NUMBERED_SCHEMES and stem.startswith(scheme) and stem[len(scheme) :].isdigit():
            return Reference(scheme, str(int(stem[len(scheme) :]))), fmt
        if scheme == "draft":
            return parse_reference(stem), fmt
        return parse_reference(f"{scheme}:{stem}"), fmt
    except UsageError:
        return None


def verify_command(repair: bool = False, as_json: bool = False, quiet: bool = False) -> int:
    """Check every cached document; with ``--repair`` fetch the damaged ones again."""
    from docfetch import report
    from docfetch.config import cache_dir
    from docfetch.errors import EXIT_LOCAL, DocfetchError
    from docfetch.store.cache import Cache

    root = cache_dir()
    cache = Cache(root)
    damaged: list[dict[str, Any]] = []
    checked = 0
    for path in cache.documents():
        checked += 1
        problem = cache.check(path)
        if problem is not None:
            damaged.append({"path": str(path), "problem": problem, "repaired": False})
    if repair and damaged:
        from docfetch.config import load_settings
        from docfetch.engine.fetcher import Fetcher, FetchOptions

        with Fetcher(load_settings(), FetchOptions(quiet=True)) as fetcher:
            for item in damaged:
                found = _reference_of(root, Path(item["path"]))
                if found is None:
                    continue
                ref, fmt = found
                try:
                    fetcher.fetch(ref, fmt)  # the damaged entry is dropped and fetched again
                except DocfetchError as exc:
                    item["problem"] += f"; not repaired: {exc.message}"
                    continue
                item["repaired"] = cache.check(Path(item["path"])) is None
    remaining = [item for item in damaged if not item["repaired"]]
    if as_json:
        print(json_text({"path": str(root), "checked": checked, "damaged": damaged}))
    else:
        for item in damaged:
            if not item["repaired"]:
                report.error(f"{item['path']}: {item['problem']}")
            elif not quiet:
                print(f"repaired: {item['path']}")
        if not quiet:
            report.summary(
                f"{checked} cached document{'s' if checked != 1 else ''} checked, {len(damaged)} damaged"
                + (f", {len(damaged) - len(remaining)} repaired" if repair else "")
            )
    if remaining and not repair and not as_json:
        report.note("'docfetch cache verify --repair' fetches them again")
    return EXIT_LOCAL if remaining else 0
