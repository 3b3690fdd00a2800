"""The declaration of the command line: every command, argument and option, once.

Everything else is derived from this: the parser that runs commands (:mod:`docfetch.cli.argv`),
the cached fast path (:mod:`docfetch.cli.fastpath`), and the typer application that renders
``--help`` and drives shell completion (:mod:`docfetch.cli.typer_app`). Plain data, stdlib only:
a cached fetch reads it before anything else is imported.

Kinds of option: ``flag`` (no value), ``text``, ``int``, ``float``, ``path``.
"""

from __future__ import annotations

PROGRAM = "docfetch"


class Opt:
    """One option: its flags, where its value goes, and how it is described."""

    __slots__ = ("cached_ok", "complete", "default", "dest", "flags", "help", "kind", "maximum", "metavar", "minimum")

    def __init__(
        self,
        *flags: str,
        dest: str,
        help: str,
        kind: str = "flag",
        metavar: str | None = None,
        default: object = None,
        minimum: int | None = None,
        maximum: int | None = None,
        complete: str | None = None,
        cached_ok: bool = False,
    ) -> None:
        self.flags = flags
        self.dest = dest
        self.help = help
        self.kind = kind
        self.metavar = metavar
        self.default = False if kind == "flag" and default is None else default
        self.minimum = minimum
        self.maximum = maximum
        self.complete = complete  # "sources" | "formats": completion of the value
        self.cached_ok = cached_ok  # a document answered from the cache is the same with it

    @property
    def takes_value(self) -> bool:
        """True for options followed by a value (``-s NAME``)."""
        return self.kind != "flag"


class Arg:
    """A positional argument (``many``: one or more)."""

    __slots__ = ("dest", "help", "many", "metavar", "required")

    def __init__(self, dest: str, *, metavar: str, help: str, many: bool = False, required: bool = True) -> None:
        self.dest = dest
        self.metavar = metavar
        self.help = help
        self.many = many
        self.required = required


class Command:
    """A command: its arguments and options, what runs it (``module:function``), and its help."""

    __slots__ = ("args", "epilog", "handler", "help", "name", "options", "subcommands", "summary")

    def __init__(
        self,
        name: str,
        *,
        summary: str,
        help: str = "",
        args: tuple[Arg, ...] = (),
        options: tuple[Opt, ...] = (),
        handler: str = "",
        subcommands: tuple[Command, ...] = (),
        epilog: str = "",
    ) -> None:
        self.name = name
        self.summary = summary
        self.help = help or summary
        self.args = args
        self.options = options
        self.handler = handler
        self.subcommands = subcommands
        self.epilog = epilog

    def option(self, flag: str) -> Opt | None:
        """The option spelled ``flag`` (``-s`` or ``--source``), if any."""
        for opt in self.options:
            if flag in opt.flags:
                return opt
        return None

    def subcommand(self, name: str) -> Command | None:
        """The sub-command called ``name`` (``cache info``), if any."""
        for command in self.subcommands:
            if command.name == name:
                return command
        return None


EXIT_CODES = (
    (0, "ok"),
    (2, "usage error or invalid reference"),
    (3, "not found (no such document or section; not cached with --offline)"),
    (4, "could not fetch: network or server failure"),
    (5, "refused content (HTML where text was asked for, over --max-size, truncated)"),
    (6, "local trouble: the output could not be written (full disk, closed stdout)"),
    (130, "interrupted (Ctrl-C; 143 for SIGTERM, 129 for SIGHUP)"),
)

EXAMPLES = (
    ("docfetch rfc:791", "RFC 791 as published (also 791, RFC791, 'RFC 791')"),
    ("docfetch -O rfcs/ rfc:1-10", "ten RFCs, one file each (rfcs/rfc1.txt...)"),
    ("docfetch draft-ietf-quic-transport", "a draft's latest revision (-34: that one)"),
    ("docfetch rfc9110#15.5.5", "one section (also --section 15.5.5, a pasted link)"),
    ("docfetch bcp:14", "every RFC of BCP 14, in order"),
    ("docfetch -f pdf -o x.pdf 9114", "another format, written whole to a file"),
    ("docfetch search http caching", "find RFCs by title, author, keyword"),
)

EXIT_CODES_TEXT = "Exit codes: " + "; ".join(f"{code} {text}" for code, text in EXIT_CODES) + "."

QUIET = Opt("-q", "--quiet", dest="quiet", help="No notes on stderr (errors are still shown).", cached_ok=True)
JSON = Opt("--json", dest="as_json", help="Machine-readable output (JSON).")
OFFLINE = Opt("--offline", dest="offline", help="Never touch the network; use the local copies.", cached_ok=True)

FETCH = Command(
    "fetch",
    summary="Fetch documents and print them (the default command: 'docfetch rfc:791').",
    help="Fetch standards documents (RFCs, Internet-Drafts, BCP/STD/FYI, plugin kinds) and print them "
    "exactly as published.",
    handler="docfetch.cli.fetch:run_fetch",
    epilog=EXIT_CODES_TEXT,
    args=(
        Arg(
            "references",
            metavar="REFERENCE...",
            many=True,
            help="rfc:791, 791, 'RFC 791', rfc:1-10, draft-NAME[-NN], bcp:14, a link, or a plugin's scheme:NAME.",
        ),
    ),
    options=(
        Opt(
            "-s",
            "--source",
            dest="source",
            kind="text",
            metavar="NAME",
            help="Source to use (see 'docfetch sources').",
            complete="sources",
        ),
        Opt(
            "-f",
            "--format",
            dest="fmt",
            kind="text",
            metavar="FORMAT",
            help="txt, html, pdf, xml, json or csv, where the source has it.",
            complete="formats",
        ),
        Opt("-o", "--output", dest="output", kind="path", metavar="FILE", help="Write to FILE (whole or not at all)."),
        Opt(
            "-O",
            "--output-dir",
            dest="output_dir",
            kind="path",
            metavar="DIR",
            help="Write one file per document into DIR (rfc791.txt, ...).",
        ),
        Opt(
            "-j",
            "--jobs",
            dest="jobs",
            kind="int",
            metavar="N",
            default=4,
            minimum=1,
            maximum=32,
            help="Concurrent downloads (1 to 32).",
            cached_ok=True,
        ),
        Opt(
            "--section",
            dest="section",
            kind="text",
            metavar="SECTION",
            help="Only this section, with its subsections: 15.5.5, B.1, section-15.5.5, or a title (also REF#15.5.5).",
            cached_ok=True,
        ),
        Opt(
            "--no-page-breaks",
            dest="no_page_breaks",
            help="Without page furniture (footers, form feeds, running headers): text that reads on.",
            cached_ok=True,
        ),
        Opt(
            "--json",
            dest="as_json",
            help="A section as JSON: its id, number, title, byte range and the file's sha256, and its text.",
            cached_ok=True,
        ),
        Opt("--no-pager", dest="no_pager", help="On a terminal, print instead of paging.", cached_ok=True),
        QUIET,
        OFFLINE,
        Opt("--refresh", dest="refresh", help="Fetch again even when cached."),
        Opt("--no-cache", dest="no_cache", help="Neither read nor write the cache."),
        Opt("--timeout", dest="timeout", kind="float", metavar="SECONDS", help="Seconds to connect and between bytes."),
        Opt("--retries", dest="retries", kind="int", metavar="N", help="Further attempts after a failed one."),
        Opt("--max-size", dest="max_size", kind="text", metavar="SIZE", help="Refuse documents over SIZE (e.g. 64M)."),
    ),
)

INFO = Command(
    "info",
    summary="Show what a document is: title, authors, date, status, what obsoletes or updates it.",
    handler="docfetch.cli.knowledge:info_command",
    args=(Arg("reference", metavar="REFERENCE", help="rfc:2616, RFC2616, bcp:14, draft-NAME[-NN]."),),
    options=(JSON, OFFLINE, QUIET),
)

SEARCH = Command(
    "search",
    summary="Search the RFC index, best matches first (titles weigh most).",
    handler="docfetch.cli.knowledge:search_command",
    args=(Arg("words", metavar="WORDS...", many=True, help="Words to look for in titles, authors, keywords."),),
    options=(
        Opt(
            "-S",
            "--status",
            dest="status",
            kind="text",
            metavar="STATUS",
            help="Only RFCs with this status (proposed, bcp, informational...).",
        ),
        Opt(
            "-n",
            "--limit",
            dest="limit",
            kind="int",
            metavar="N",
            default=20,
            minimum=1,
            maximum=1000,
            help="At most N results.",
        ),
        JSON,
        OFFLINE,
        QUIET,
    ),
)

TOC = Command(
    "toc",
    summary="Print the table of contents of a document: every section, indented by level.",
    handler="docfetch.cli.sections:toc_command",
    args=(Arg("reference", metavar="REFERENCE", help="rfc:9110, draft-NAME[-NN], a link."),),
    options=(
        Opt("-d", "--depth", dest="depth", kind="int", metavar="N", minimum=1, maximum=20, help="Only N levels."),
        Opt("--json", dest="as_json", help="A list of {id, number, title, level} objects."),
        OFFLINE,
        QUIET,
    ),
)

LINK = Command(
    "link",
    summary="Print the web link of a document or section (rfc:9110#15.5.5 -> ...rfc9110.html#section-15.5.5).",
    handler="docfetch.cli.sections:link_command",
    args=(Arg("reference", metavar="REFERENCE", help="rfc:9110#section-15.5.5, rfc9110#15.5.5, draft-NAME-NN#2."),),
    options=(
        Opt("--section", dest="section", kind="text", metavar="SECTION", help="The section (else REF#SECTION)."),
        OFFLINE,
        QUIET,
    ),
)

CACHE = Command(
    "cache",
    summary="Where docfetch keeps documents and the RFC index database: show, measure, verify, clear.",
    subcommands=(
        Command("path", summary="Print the cache directory.", handler="docfetch.cli.cachecmd:path_command"),
        Command(
            "info",
            summary="Show the cache directory, how many documents it holds and the state of the RFC index.",
            handler="docfetch.cli.cachecmd:info_command",
            options=(JSON,),
        ),
        Command(
            "clear",
            summary="Delete every cached document, the RFC index and its database.",
            handler="docfetch.cli.cachecmd:clear_command",
            options=(QUIET,),
        ),
        Command(
            "verify",
            summary="Check every cached document against the size and SHA-256 recorded when it was stored.",
            help="Check every cached document against the size and SHA-256 recorded when it was stored; "
            "with --repair, fetch the damaged ones again. Exit 0 when every document is whole (or repaired), "
            "6 when damaged ones remain.",
            handler="docfetch.cli.cachecmd:verify_command",
            options=(
                Opt("--repair", dest="repair", help="Fetch damaged documents again (and drop those that cannot be)."),
                JSON,
                QUIET,
            ),
        ),
    ),
)

SOURCES = Command(
    "sources",
    summary="List the sources: plugin distribution and version, schemes, formats, defaults.",
    handler="docfetch.cli.sources:sources_command",
    options=(JSON,),
)

HELP = Command(
    "help",
    summary="Show help for docfetch or for one command ('docfetch help search').",
    handler="docfetch.cli.main:help_command",
    args=(Arg("topic", metavar="COMMAND", many=True, required=False, help="The command to explain."),),
)

#: The default command runs when the first word is not a command.
DEFAULT = FETCH
#: Every built-in command, in the order help lists them.
COMMANDS = (FETCH, TOC, LINK, INFO, SEARCH, CACHE, SOURCES, HELP)


def command(name: str) -> Command | None:
    """The built-in command called ``name``, if any."""
    for candidate in COMMANDS:
        if candidate.name == name:
            return candidate
    return None
