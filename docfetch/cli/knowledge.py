"""``docfetch info`` and ``docfetch search``: the command-line side (reading options, printing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docfetch.errors import NotFoundError
from docfetch.terminal import inert, json_text

if TYPE_CHECKING:
    from docfetch.engine.fetcher import Fetcher
    from docfetch.knowledge.metadata import Metadata
    from docfetch.reference import Reference


def _fetcher(offline: bool, quiet: bool) -> Fetcher:
    from docfetch.config import load_settings
    from docfetch.engine.fetcher import Fetcher, FetchOptions

    return Fetcher(load_settings(), FetchOptions(offline=offline, quiet=quiet))


def info_command(reference: str, as_json: bool = False, offline: bool = False, quiet: bool = False) -> int:
    """Show what a document is: title, authors, date, status, what obsoletes or updates it."""
    from docfetch.knowledge.info import ask_early_for, describe
    from docfetch.reference import SUBSERIES_SCHEMES, parse_reference

    ref = parse_reference(reference)
    ask_early_for(ref, offline)  # the per-RFC JSON's request leaves while the rest loads
    from docfetch.knowledge.metadata import Metadata

    with _fetcher(offline, quiet) as fetcher:
        data = describe(fetcher, ref)
    if as_json:
        print(json_text(data))
    elif ref.scheme in SUBSERIES_SCHEMES:
        print(render_subseries(ref, data), end="")
    else:
        errata = data.pop("errata", None)
        print(render_metadata(Metadata(**data), ref, errata), end="")
    return 0


def render_subseries(ref: Reference, data: dict[str, object]) -> str:
    """The human-readable ``info`` of a BCP, STD or FYI."""
    items: list[dict[str, object]] = data["members"]  # type: ignore[assignment]
    count = f"{len(items)} RFC{'s' if len(items) != 1 else ''}" if items else "no RFCs (not in use)"
    lines = [f"{ref.label()}: {count}"]
    for item in items:
        lines.append(f"  RFC {item['number']!s:<5}  {item['title']} ({item['status'] or '?'}, {item['date'] or '?'})")
    return inert("\n".join(lines)) + "\n"


def search_command(
    words: list[str],
    status: str | None = None,
    limit: int = 20,
    as_json: bool = False,
    offline: bool = False,
    quiet: bool = False,
) -> int:
    """Search the RFC index, best matches first (titles weigh most)."""
    from docfetch.knowledge.search import search
    from docfetch.reference import shown

    text = " ".join(words)
    with _fetcher(offline, quiet) as fetcher:
        hits, wanted = search(fetcher, text, status=status, limit=limit)
    if as_json:
        print(json_text(hits))
    if not hits:
        within = f" with status {wanted.lower()}" if wanted else ""
        raise NotFoundError(f"no RFC{within} matches {shown(text.strip())}")
    if not as_json:
        for hit in hits:
            extra = ", obsoleted" if hit["obsoleted_by"] else ""
            print(
                inert(f"RFC {hit['number']:<5}  {hit['title']}  ({hit['status'] or '?'}, {hit['date'] or '?'}{extra})")
            )
    return 0


def _ids(doc_ids: list[str]) -> str:
    from docfetch.knowledge.notes import label

    return ", ".join(label(d) for d in doc_ids)


def errata_line(record: Metadata, counts: dict[str, int] | None) -> str:
    """The ``Errata:`` value of an RFC: counts by status from the local database, or how to get them."""
    from docfetch.knowledge.errata import counts_text

    url = record.errata_url or ""
    if counts is None:
        get = f"counts: 'docfetch errata rfc:{record.number}' downloads them"
        return f"{url} ({get})" if url else get
    return f"{counts_text(counts)}" + (f"; {url}" if url else "")


def render_metadata(record: Metadata, ref: Reference | None = None, errata: dict[str, int] | None = None) -> str:
    """The human-readable ``info`` output (``errata``: an RFC's errata counts by status, None when unknown)."""
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
        ("Errata", errata_line(record, errata) if record.kind == "rfc" else record.errata_url or ""),
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
    return inert("\n".join(lines)) + "\n"
