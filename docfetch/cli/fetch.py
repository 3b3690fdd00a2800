"""The fetch command itself, without the command-line library around it.

``docfetch.cli.typer_app`` (typer) calls :func:`run_fetch` for ``docfetch fetch ...``; so does
``docfetch.__main__`` directly when :func:`parse_fetch_args` understands the whole command
line, which spares an ordinary fetch the ~50 ms of importing typer. Anything unusual (help,
a sub-command, an unknown flag, a value typer would reject) is left to typer, so both paths
give the same answers and the same errors. A test checks that ``FETCH_FLAGS`` and the typer
command declare the same options.
"""

from __future__ import annotations

from pathlib import Path

from docfetch.errors import EXIT_OK, UsageError, worst_exit_code

#: Every option of the fetch command: flag -> (parameter, kind). Kinds: bool, str, path, int, float.
FETCH_FLAGS: dict[str, tuple[str, str]] = {
    "--source": ("source", "str"),
    "-s": ("source", "str"),
    "--format": ("fmt", "str"),
    "-f": ("fmt", "str"),
    "--output": ("output", "path"),
    "-o": ("output", "path"),
    "--output-dir": ("output_dir", "path"),
    "-O": ("output_dir", "path"),
    "--jobs": ("jobs", "int"),
    "-j": ("jobs", "int"),
    "--no-pager": ("no_pager", "bool"),
    "--quiet": ("quiet", "bool"),
    "-q": ("quiet", "bool"),
    "--offline": ("offline", "bool"),
    "--refresh": ("refresh", "bool"),
    "--no-cache": ("no_cache", "bool"),
    "--timeout": ("timeout", "float"),
    "--retries": ("retries", "int"),
    "--max-size": ("max_size", "str"),
}
JOBS_RANGE = (1, 32)
DEFAULT_JOBS = 4


def parse_fetch_args(args: list[str]) -> dict[str, object] | None:
    """Keyword arguments for :func:`run_fetch`, or None when typer should handle the line."""
    from docfetch.reference import parse_references

    values: dict[str, object] = {"references": []}
    position = 0
    while position < len(args):
        arg = args[position]
        position += 1
        if not arg.startswith("-") or arg == "-":
            try:
                parse_references(arg)
            except UsageError:
                return None  # a command name, or an error typer reports the usual way
            values["references"].append(arg)  # type: ignore[union-attr]
            continue
        flag, has_inline, inline = arg.partition("=")
        spec = FETCH_FLAGS.get(flag)
        if spec is None:
            return None
        name, kind = spec
        if kind == "bool":
            if has_inline:
                return None
            values[name] = True
            continue
        if has_inline:
            text = inline
        elif position < len(args):
            text, position = args[position], position + 1
        else:
            return None
        try:
            values[name] = {"int": int, "float": float, "path": Path}.get(kind, str)(text)
        except ValueError:
            return None
    jobs = values.get("jobs", DEFAULT_JOBS)
    if not values["references"] or not (JOBS_RANGE[0] <= jobs <= JOBS_RANGE[1]):  # type: ignore[operator]
        return None
    return values


def run_fetch(
    references: list[str],
    *,
    source: str | None = None,
    fmt: str | None = None,
    output: Path | None = None,
    output_dir: Path | None = None,
    jobs: int = DEFAULT_JOBS,
    no_pager: bool = False,
    quiet: bool = False,
    offline: bool = False,
    refresh: bool = False,
    no_cache: bool = False,
    timeout: float | None = None,
    retries: int | None = None,
    max_size: str | None = None,
) -> int:
    """Fetch the documents and deliver them; return the exit code (raises DocfetchError)."""
    from docfetch.cli.delivery import Delivery
    from docfetch.config import apply_flags, load_settings
    from docfetch.engine.fetcher import Fetcher, FetchOptions
    from docfetch.knowledge.notes import MetadataPrefetch, noting, print_local_notes
    from docfetch.plugins.source import KNOWN_FORMATS
    from docfetch.reference import parse_references

    if offline and refresh:
        raise UsageError("--offline and --refresh contradict each other")
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in KNOWN_FORMATS:
            raise UsageError(f"unknown format {fmt[:20]!r} (known: {', '.join(KNOWN_FORMATS)})")
    refs = [ref for text in references for ref in parse_references(text)]
    settings = apply_flags(load_settings(), timeout=timeout, retries=retries, max_size=max_size)
    options = FetchOptions(source, fmt, offline, refresh, not no_cache, quiet)
    delivery = Delivery(output=output, output_dir=output_dir, use_pager=not no_pager, quiet=quiet)
    fetched: list[int] = []  # RFCs that arrived, for the obsolescence notes
    with Fetcher(settings, options) as fetcher:
        metadata = MetadataPrefetch(settings, options, refs, beside=fetcher)
        try:
            codes = delivery.run(noting(fetcher.fetch_many(refs, jobs=jobs), fetched), total=len(refs))
        except KeyboardInterrupt:
            fetcher.cancel()
            metadata.cancel()
            raise
        except BrokenPipeError:  # the reader went away (| head): stop quietly, like cat
            fetcher.cancel()
            metadata.cancel()
            from docfetch.terminal import silence_stdout

            silence_stdout()
            return EXIT_OK
        if not quiet:
            metadata.wait()
        metadata.cancel()  # whatever has not arrived by now is dropped, leaving nothing half-written
    if not quiet:
        print_local_notes(fetched, build_missing=True)
    return worst_exit_code(codes)
