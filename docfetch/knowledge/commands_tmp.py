"""Commands that know about documents: ``docfetch info``, ``docfetch search``, ``docfetch cache``.

Importing this module costs typer only (already loaded by the command line): sqlite3,
requests and json are imported inside the commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from docfetch.errors import DocfetchError, FetchError, NotFoundError, RefusedContentError, UsageError

if TYPE_CHECKING:
    from docfetch.engine.fetcher import Fetcher
    from docfetch.knowledge.metadata import Metadata
    from docfetch.reference import Reference
    from docfetch.store.indexdb import IndexDB

#: Short names accepted by ``search --status``.
STATUS_ALIASES = {
    "BCP": "BEST CURRENT PRACTICE",
    "STD": "INTERNET STANDARD",
    "PS": "PROPOSED STANDARD",
    "DS": "DRAFT STANDARD",
    "INFO": "INFORMATIONAL",
    "EXP": "EXPERIMENTAL",
}
#: The statuses the RFC Editor uses (the index may hold others: they are accepted too).
STATUSES = (
    "INTERNET STANDARD",
    "DRAFT STANDARD",
    "PROPOSED STANDARD",
    "BEST CURRENT PRACTICE",
    "INFORMATIONAL",
    "EXPERIMENTAL",
    "HISTORIC",
    "UNKNOWN",
)
MAX_LIMIT = 1000
#: Where the metadata of drafts is cached (``docs/datatracker/<name>.json``, revalidated daily).
DATATRACKER_SCHEME = "datatracker"

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output (JSON).")]
OfflineFlag = Annotated[bool, typer.Option("--offline", help="Never touch the network; use the local copies.")]
QuietFlag = Annotated[bool, typer.Option("--quiet", "-q", help="No notes on stderr (errors are still shown).")]


def register(app: typer.Typer) -> None:
    """Add ``info``, ``search`` and ``cache`` to the command line."""
    app.command("info")(info)
    app.command("search")(search)
    app.add_typer(cache_app, name="cache")


# -- shared plumbing ---------------------------------------------------------------------------


def _fetcher(offline: bool, quiet: bool) -> Fetcher:
    from docfetch.config import load_settings
    from docfetch.engine.fetcher import Fetcher, FetchOptions

    return Fetcher(load_settings(), FetchOptions(offline=offline, quiet=quiet))


def open_index(fetcher: Fetcher) -> IndexDB:
    """The index database, current with the RFC index the cache holds or (re)fetches.

    The index file is revalidated by the cache (ETag, after a day). Offline or when it cannot
    be fetched, the last database built is used.
    """
    import sqlite3
    from xml.etree.ElementTree import ParseError

    from docfetch.plugins.source import RFC_INDEX
    from docfetch.store import indexdb

    path = indexdb.db_path()
    try:
        document = fetcher.fetch(RFC_INDEX, "xml", scheme="rfc")
        return indexdb.IndexDB(indexdb.ensure(document.path, path))
    except ParseError as exc:
        failure: DocfetchError = RefusedContentError(f"the RFC index is not valid XML ({exc})")
    except (sqlite3.Error, OSError) as exc:
        failure = FetchError(f"cannot build the RFC index database {path}: {exc}")
    except DocfetchError as exc:
        failure = exc
    if indexdb.read_meta(path) is None:
        if fetcher.options.offline and isinstance(failure, NotFoundError):
            raise NotFoundError("the RFC index is not in the cache (offline): run once without --offline")
        raise type(failure)(f"the RFC index is not available: {failure.message}")
    fetcher.note(f"using the last RFC index database ({failure.message})")
    return indexdb.IndexDB(path)


def _safe(text: str) -> str:
    """Text from the network, fit for a terminal: control characters dropped."""
    return "".join(c for c in text if c.isprintable() or c == "\n")


def _print_json(data: Any) -> None:
    """Indented JSON, UTF-8 kept, but DEL, C1 and bidi controls escaped (a terminal would obey them)."""
    import json
    import re

    text = json.dumps(data, indent=2, ensure_ascii=False)
    print(re.sub("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m.group()):04x}", text))


# -- info ---------------------------------------------------------------------------------------


def info(
    reference: Annotated[str, typer.Argument(help="rfc:2616, RFC2616, bcp:14, draft-NAME[-NN].", show_default=False)],
    as_json: JsonFlag = False,
    offline: OfflineFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Show what a document is: title, authors, date, status, what obsoletes or updates it."""
    from docfetch.reference import SUBSERIES_SCHEMES, parse_reference

    ref = parse_reference(reference)
    with _fetcher(offline, quiet) as fetcher:
        if ref.scheme == "rfc":
            record = rfc_metadata(fetcher, ref.number)
        elif ref.scheme == "draft":
            record = draft_metadata(fetcher, ref)
        elif ref.scheme in SUBSERIES_SCHEMES:
            _subseries_info(fetcher, ref, as_json)
            return
        else:
            raise UsageError(f"info knows rfc:, bcp:, std:, fyi: and draft: references, not {ref.scheme}:")
    if as_json:
        _print_json(record.as_dict())
    else:
        print(render_metadata(record, ref), end="")


def rfc_metadata(fetcher: Fetcher, number: int) -> Metadata:
    """RFC ``number`` from the index database, enriched from ``rfc{n}.json`` when it lacks an abstract."""
    from docfetch.knowledge.metadata import from_index, merge, parse_rfc_json
    from docfetch.reference import Reference

    row, not_issued, index_failure = _index_row(fetcher, number)
    if not_issued:
        raise NotFoundError(f"RFC {number} was never issued (the RFC index lists it as not issued)")
    record = from_index(row) if row is not None else None
    if record is not None and record.abstract:
        return record
    try:
        document = fetcher.fetch(Reference("rfc", str(number)), "json")
        extra = parse_rfc_json(document.path.read_bytes())
        if extra.number != number:
            raise ValueError(f"it describes {extra.doc_id}")
    except (DocfetchError, ValueError, OSError) as exc:
        if record is not None:
            if not fetcher.options.offline:
                fetcher.note(f"no abstract: could not read the RFC {number} JSON metadata ({_reason(exc)})")
            return record
        why = f"; the RFC index: {index_failure.message}" if index_failure else ""
        raise NotFoundError(f"RFC {number}: no metadata ({_reason(exc)}{why})") from None
    return merge(record, extra) if record is not None else extra


def _index_row(fetcher: Fetcher, number: int) -> tuple[dict[str, Any] | None, bool, DocfetchError | None]:
    """RFC ``number``'s index row, whether it is a not-issued number, and why the index failed."""
    try:
        with open_index(fetcher) as db:
            return db.rfc(number), db.not_issued(number), None
    except DocfetchError as exc:
        return None, False, exc


def _reason(exc: BaseException) -> str:
    return exc.message if isinstance(exc, DocfetchError) else str(exc)


def draft_metadata(fetcher: Fetcher, ref: Reference) -> Metadata:
    """A draft's datatracker ``doc.json`` (cached, revalidated daily; the cached copy offline)."""
    from docfetch.knowledge.metadata import parse_doc_json
    from docfetch.plugins.ietf import DOC_JSON_URL
    from docfetch.reference import Reference

    url = DOC_JSON_URL.format(name=ref.name)
    raw = _cached_read(fetcher, Reference(DATATRACKER_SCHEME, ref.name), url)
    try:
        return parse_doc_json(raw)
    except (ValueError, UnicodeDecodeError):
        raise RefusedContentError(f"{url}: not the JSON datatracker publishes") from None


def _cached_read(fetcher: Fetcher, key: Reference, url: str) -> bytes:
    """The bytes at ``url`` through the cache (entry ``key`` as json): fresh, revalidated or new."""
    import os
    import tempfile
    from pathlib import Path

    from docfetch.engine.validate import check_body

    cache = fetcher.cache
    entry = cache.lookup(key, "json")
    if entry is not None and (entry.fresh() or fetcher.options.offline):
        return entry.path.read_bytes()
    if fetcher.options.offline:
        raise NotFoundError(f"{key.name}: no metadata in the cache (offline)")
    fd, name = tempfile.mkstemp(dir=cache.staging_dir(), prefix=f"{key.name}.", suffix=".part")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w+b") as sink:
            result = fetcher.transfer(url, sink, max_size=4 * 1024 * 1024, etag=entry.etag if entry else None)
        if result is not None and result.not_modified and entry is not None:
            cache.touch(key, "json", entry.etag)
            return entry.path.read_bytes()
        check_body(tmp, "json", url)
        return cache.store(key, "json", tmp, result.etag if result is not None else None).read_bytes()
    except DocfetchError as exc:
        if entry is None or isinstance(exc, NotFoundError):
            raise
        fetcher.note(f"could not refresh {key.name} metadata ({exc.message}); using the cached copy")
        return entry.path.read_bytes()
    finally:
        tmp.unlink(missing_ok=True)


def _subseries_info(fetcher: Fetcher, ref: Reference, as_json: bool) -> None:
    with open_index(fetcher) as db:
        members = db.members(ref.scheme, ref.number)
        if members is None:
            raise NotFoundError(f"{ref.label()} is not in the RFC index")
        rows = [db.rfc(int(doc_id[3:])) or {"number": int(doc_id[3:]), "doc_id": doc_id} for doc_id in members]
    items = [{k: row.get(k, "") for k in ("number", "doc_id", "title", "status", "date")} for row in rows]
    if as_json:
        _print_json({"doc_id": f"{ref.scheme.upper()}{ref.number}", "members": items})
        return
    count = f"{len(items)} RFC{'s' if len(items) != 1 else ''}" if items else "no RFCs (not in use)"
    print(f"{ref.label()}: {count}")
    for item in items:
        print(f"  RFC {item['number']:<5}  {_safe(item['title'])} ({item['status'] or '?'}, {item['date'] or '?'})")


def _ids(doc_ids: list[str]) -> str:
    from docfetch.store.indexdb import label

    return ", ".join(label(d) for d in doc_ids)


def render_metadata(record: Metadata, ref: Reference | None = None) -> str:
    """The human-readable ``info`` output."""
    import textwrap

    lines = [f"{record.label()}: {record.title or '(no title)'}"]
    revision = record.revision
    if record.kind == "draft" and ref is not None and ref.revision and ref.revision != revision:
        revision = f"{revision} (latest; you asked for {ref.revision})"
    fields = [
        ("Revision", revision or ""),
        ("Authors", ", ".join(record.authors)),
        ("Date", record.date),
        ("Status", record.status),
        ("Pages", str(record.pages) if record.pages else ""),
        ("Formats", ", ".join(record.formats)),
        ("Obsoletes", _ids(record.obsoletes)),
        ("Obsoleted by", _ids(record.obsoleted_by)),
        ("Updates", _ids(record.updates)),
        ("Updated by", _ids(record.updated_by)),
        ("Is also", _ids(record.is_also)),
        ("See also", _ids(record.see_also)),
        ("Draft", record.draft),
        ("Stream", record.stream),
        ("Group", record.wg),
        ("Keywords", ", ".join(record.keywords)),
        ("DOI", record.doi or ""),
        ("Errata", record.errata_url or ""),
    ]
    lines += [f"  {name + ':':<14}{value}" for name, value in fields if value]
    if record.revisions:
        history = ", ".join(f"{r['rev']} ({r['published']})" if r["published"] else r["rev"] for r in record.revisions)
        lines.append(f"  {'Revisions:':<14}{history}")
    if record.abstract:
        lines.append("  Abstract:")
        for paragraph in record.abstract.split("\n\n"):
            lines += [*textwrap.wrap(paragraph, 76, initial_indent="    ", subsequent_indent="    "), ""]
        lines.pop()
    return _safe("\n".join(lines)) + "\n"


# -- search -------------------------------------------------------------------------------------


def resolve_status(text: str, known: list[str]) -> str:
    """``proposed`` -> ``PROPOSED STANDARD``; aliases (``bcp``, ``info``), prefixes, any case."""
    key = " ".join(text.replace("-", " ").replace("_", " ").upper().split())
    key = STATUS_ALIASES.get(key, key)
    if key in known:
        return key
    matches = [status for status in known if status.startswith(key)] if key else []
    if len(matches) == 1:
        return matches[0]
    choices = ", ".join(s.lower() for s in known)
    raise UsageError(f"unknown status {text[:40]!r}: use one of {choices} (or bcp, std, ps, ds, info, exp)")


def search(
    words: Annotated[list[str], typer.Argument(help="Words to look for in titles, authors, keywords, abstracts.")],
    status: Annotated[
        str | None, typer.Option("--status", "-S", help="Only RFCs with this status (proposed, bcp, informational...).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most N results.")] = 20,
    as_json: JsonFlag = False,
    offline: OfflineFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Search the RFC index, best matches first (titles weigh most)."""
    from docfetch.reference import shown

    text = " ".join(words).strip()
    if not text:
        raise UsageError("search needs words to look for")
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"invalid --limit {limit}: expected 1 to {MAX_LIMIT}")
    with _fetcher(offline, quiet) as fetcher, open_index(fetcher) as db:
        known = sorted(set(STATUSES) | set(db.statuses()))
        wanted = resolve_status(status, known) if status is not None else None
        hits = db.search(text, status=wanted, limit=limit)
    if as_json:
        _print_json([hit.as_dict() for hit in hits])
    if not hits:
        within = f" with status {wanted.lower()}" if wanted else ""
        raise NotFoundError(f"no RFC{within} matches {shown(text)}")
    if not as_json:
        for hit in hits:
            extra = ", obsoleted" if hit.obsoleted_by else ""
            print(_safe(f"RFC {hit.number:<5}  {hit.title}  ({hit.status or '?'}, {hit.date or '?'}{extra})"))


# -- cache --------------------------------------------------------------------------------------

cache_app = typer.Typer(
    name="cache",
    help="Where docfetch keeps documents and the RFC index database: show, measure, clear.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


@cache_app.command("path")
def cache_path() -> None:
    """Print the cache directory."""
    from docfetch.config import cache_dir

    print(cache_dir())


def cache_report() -> dict[str, Any]:
    """What the cache holds: documents, the RFC index file and its database."""
    from docfetch.config import cache_dir
    from docfetch.plugins.source import RFC_INDEX
    from docfetch.store import indexdb
    from docfetch.store.cache import Cache

    root = cache_dir()
    cache = Cache(root)
    count, size = cache.usage()
    report: dict[str, Any] = {"path": str(root), "documents": count, "bytes": size, "index": None, "database": None}
    xml = indexdb.index_xml_path(root)
    entry = cache.lookup(RFC_INDEX, "xml")
    if entry is not None:
        report["index"] = {"path": str(xml), "bytes": xml.stat().st_size, "checked": entry.checked, "etag": entry.etag}
    db = indexdb.db_path(root)
    meta = indexdb.read_meta(db)
    if meta is not None:
        report["database"] = {
            "path": str(db),
            "bytes": db.stat().st_size,
            "rfcs": int(meta.get("rfcs", 0)),
            "built": float(meta.get("built", 0)),
            "current": indexdb.is_current(db, xml),
        }
    return report


@cache_app.command("info")
def cache_info(as_json: JsonFlag = False) -> None:
    """Show the cache directory, how many documents it holds and the state of the RFC index."""
    report = cache_report()
    if as_json:
        _print_json(report)
        return
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


@cache_app.command("clear")
def cache_clear(quiet: QuietFlag = False) -> None:
    """Delete every cached document, the RFC index and its database."""
    from docfetch.config import cache_dir
    from docfetch.store.cache import Cache
    from docfetch.store.indexdb import db_path

    root = cache_dir()
    cache = Cache(root)
    count, size = cache.usage()
    had_db = db_path(root).is_file()
    cache.clear()
    if not quiet:
        files = f"{count} cached file{'s' if count != 1 else ''} ({_size(size)})"
        print(f"Removed {files}{' and the RFC index database' if had_db else ''} from {root}")
