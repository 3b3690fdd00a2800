"""The fetch command's entry: a fully cached fetch is answered here, without loading the engine.

``docfetch rfc:791 | less`` for a cached RFC is the most common call there is; it must not pay
for typer, pluggy or requests. The command line is read once, against its one declaration
(:data:`docfetch.cli.spec.FETCH`); when every option used is one a cached answer does not depend
on (``cached_ok`` in the declaration) and every document is in the cache, the bytes are copied
from there. Anything else goes to :func:`docfetch.cli.fetch.run_fetch`, which gives the same
answer, only slower.
"""

from __future__ import annotations

import os
import sys

from docfetch import report
from docfetch.cli.argv import parse
from docfetch.cli.spec import FETCH
from docfetch.reference import Target, parse_targets

TYPE_CHECKING = False  # typing costs the fast path several ms
if TYPE_CHECKING:
    from typing import Any


def fetch_entry(args: list[str]) -> int:
    """Run the fetch command with ``args`` (its options and references)."""
    return fetch_values(parse(FETCH, args))


def fetch_values(values: dict[str, object]) -> int:
    """Run the fetch command with its options and references already read (by argv or by typer)."""
    if values["quiet"]:
        report.to_stderr(quiet=True)
    targets = parse_targets(values["references"])  # type: ignore[arg-type]
    if values["section"] is not None:  # --section: for every reference without its own #fragment
        targets = [Target(t.ref, t.section or str(values["section"])) for t in targets]
    from docfetch.cli.shaping import check_errata_option, check_section_options

    check_section_options(any(t.section for t in targets), as_json=bool(values["as_json"]))
    if values["errata"]:
        check_errata_option(targets)
    served = serve_from_cache(values, targets)
    if served is not None:
        return served
    from docfetch.cli.fetch import run_fetch

    options: dict[str, Any] = {k: v for k, v in values.items() if k not in ("references", "section")}
    return run_fetch(targets, **options)


def _only_cached_ok_options(values: dict[str, object]) -> bool:
    return all(opt.cached_ok or values[opt.dest] == opt.default for opt in FETCH.options)


def serve_from_cache(values: dict[str, object], targets: list[Target]) -> int | None:
    """Write the cached documents (or their sections) to stdout and return the exit code; None: the long way."""
    if not _only_cached_ok_options(values) or sys.stdout.isatty():
        return None
    from docfetch.store.layout import cache_root, document_path, is_immutable

    root = cache_root()
    paths = []
    numbers = []  # RFCs, for the obsolescence notes
    for target in targets:
        ref = target.ref
        if not is_immutable(ref.scheme, ref.revision, "txt"):
            return None
        path = document_path(root, ref.scheme, ref.stem, "txt")
        if not os.path.isfile(path):
            return None
        paths.append(path)
        if ref.scheme == "rfc":
            numbers.append(ref.number)
    if values["errata"]:
        from docfetch.knowledge.errata_notes import ready

        if not ready(root, bool(values["offline"])):
            return None  # errata.json to fetch or revalidate: the engine's job
    verified = _verified(paths, root) if len(paths) <= _VERIFY_AT_MOST else None
    if verified is None:
        return None  # the engine reports the damage and fetches again
    if any(t.section for t in targets) or values["no_page_breaks"]:
        code = _serve_cut(values, targets, paths, verified, root)
    else:
        code = _serve_whole([data for data, _sha256 in verified])
    if numbers and not report.quiet():
        from docfetch.knowledge.errata_notes import report_errata_notes
        from docfetch.knowledge.notes import report_notes

        report_notes(numbers, root)
        if not values["errata"]:
            report_errata_notes(numbers, root)
    return code


#: More documents than this are left to the engine (its checks run beside the downloads).
_VERIFY_AT_MOST = 64


def _verified(paths: list[str], root: str) -> list[tuple[bytes, str]] | None:
    """Every cached document's bytes and SHA-256, when each matches what was recorded when it was stored."""
    from docfetch.store import integrity

    found = []
    for path in paths:
        record = integrity.read_record(path)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        if integrity.damage(data, record) is not None:
            return None
        if not integrity.has_record(record):
            integrity.adopt(path, data, record, os.path.join(root, "tmp"))
            record = integrity.read_record(path)
        sha256 = (record or {}).get("sha256")
        found.append((data, sha256 if isinstance(sha256, str) else integrity.sha256_of(data)))
    return found


def _serve_whole(documents: list[bytes]) -> int:
    out = sys.stdout.buffer
    try:
        for data in documents:
            out.write(data)
        out.flush()
    except BrokenPipeError:
        _silence_stdout()
    return 0


def _serve_cut(
    values: dict[str, object], targets: list[Target], paths: list[str], verified: list[tuple[bytes, str]], root: str
) -> int:
    """Sections, or documents without page breaks, cut as the engine path cuts them."""
    from docfetch.cli.shaping import deliver_cut, shape
    from docfetch.errors import DocfetchError, worst_exit_code

    pieces = []
    codes = []
    errata = _local_errata(root) if values["errata"] else None
    for target, path, (data, sha256) in zip(targets, paths, verified, strict=True):
        try:
            piece = shape(
                target.ref,
                "txt",
                path,
                target.section,
                page_breaks=not values["no_page_breaks"],
                as_json=bool(values["as_json"]),
                root=root,
                errata=errata,
                data=data,
                sha256=sha256,
            )
        except DocfetchError as exc:
            report.error(exc.message, exc.hint)
            codes.append(exc.exit_code)
            continue
        pieces.append(piece)
        codes.append(0)
    if errata is not None:
        errata.close()
    try:
        deliver_cut(pieces, single=len(targets) == 1)
    except BrokenPipeError:
        _silence_stdout()
    return worst_exit_code(codes)


def _local_errata(root: str) -> Any:
    """``--errata`` from the local errata database (:func:`docfetch.knowledge.errata_notes.ready` said it is there)."""
    from docfetch.errata.store import ErrataDB
    from docfetch.knowledge.errata import SectionErrata, db_path

    return SectionErrata(lambda: ErrataDB(db_path(root)))


def _silence_stdout() -> None:
    """After the reader went away: point stdout at /dev/null so the exit flush is quiet."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
