"""``docfetch toc`` and ``docfetch link``: the sections of a document, and where to read them on the web."""

from __future__ import annotations

from docfetch.terminal import inert, json_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from docfetch.engine.fetcher import Fetcher
    from docfetch.reference import Reference


def _open(reference: str, offline: bool, quiet: bool) -> tuple[Fetcher, Reference, str | None]:
    from docfetch.config import load_settings
    from docfetch.engine.fetcher import Fetcher, FetchOptions
    from docfetch.errors import UsageError
    from docfetch.reference import SUBSERIES_SCHEMES, parse_one_target

    ref, section = parse_one_target(reference)
    if ref.scheme in SUBSERIES_SCHEMES and section is not None:
        raise UsageError(
            f"{ref.label()} is a series of RFCs: name one of them", hint=f"'docfetch info {ref}' lists them"
        )
    return Fetcher(load_settings(), FetchOptions(offline=offline, quiet=quiet)), ref, section


def toc_command(
    reference: str, depth: int | None = None, as_json: bool = False, offline: bool = False, quiet: bool = False
) -> int:
    """Print the table of contents of a document: every section, indented by level."""
    from docfetch import report
    from docfetch.knowledge.outlines import fetch_outline, toc_records
    from docfetch.sections import format_toc

    fetcher, ref, _section = _open(reference, offline, quiet)
    with fetcher:
        exact, _fmt, _data, found = fetch_outline(fetcher, ref)
    if as_json:
        records = toc_records(found)
        if depth is not None:
            records = [record for record in records if record["level"] <= depth]
        print(json_text(records))
        return 0
    if not found.sections:
        report.note(f"{exact.label()} has no sections")
        return 0
    print(inert(format_toc(found, depth)), end="")
    return 0


def link_command(reference: str, section: str | None = None, offline: bool = False, quiet: bool = False) -> int:
    """Print the web link of a document or one of its sections."""
    from docfetch.knowledge.outlines import fetch_outline, link, select

    fetcher, ref, fragment = _open(reference, offline, quiet)
    query = section or fragment
    if query is None:
        fetcher.close()
        print(link(ref))
        return 0
    with fetcher:
        exact, _fmt, _data, found = fetch_outline(fetcher, ref)
    print(link(exact if ref.revision else ref, select(found, query, exact)))
    return 0
