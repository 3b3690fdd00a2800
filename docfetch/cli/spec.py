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
    ("docfetch errata rfc:9110", "the errata of RFC 9110, placed on its sections"),
    ("docfetch cite check src/", "are the RFC citations in src/ still right?"),
    ("docfetch bcp:14", "every RFC of BCP 14, in order"),
    ("docfetch -f pdf -o x.pdf 9114", "another format, written whole to a file"),
    ("docfetch search http caching", "find RFCs by title, author, keyword"),
)

EXIT_CODES_TEXT = "Exit codes: " + "; ".join(f"{code} {text}" for code, text in EXIT_CODES) + "."

QUIET = Opt("-q", "--quiet", dest="quiet", help="No notes on stderr (errors are still shown).", cached_ok=True)
JSON = Opt("--json", dest="as_json", help="Machine-readable output (JSON).")
JOBS = Opt(
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
)
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
        JOBS,
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
        Opt(
            "--errata",
            dest="errata",
            help="After a section, the errata placed on it and its subsections, below a delimiter line "
            '(with --json: an "errata" list).',
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

ERRATA = Command(
    "errata",
    summary="Show the errata of an RFC, each placed on the section it concerns.",
    help="Show the errata of an RFC (from the RFC Editor's errata.json, kept in the cache and revalidated "
    "daily), each placed on the section it concerns where that can be done honestly. Default: every "
    "status but Rejected.",
    handler="docfetch.cli.errata:errata_command",
    epilog="Exit codes: 0 ok (also when the RFC has no errata); 2 usage error; 3 no such RFC, no such "
    "section, or --offline and not cached; 4 could not fetch; 5 refused content.",
    args=(Arg("reference", metavar="REFERENCE", help="rfc:9110, RFC9110, rfc9110#15.4.9, a link."),),
    options=(
        Opt(
            "-S",
            "--status",
            dest="status",
            kind="text",
            metavar="STATUS",
            help="verified, reported, held, rejected (comma-separated), or all; default: all but rejected.",
        ),
        Opt(
            "-t",
            "--type",
            dest="errata_type",
            kind="text",
            metavar="TYPE",
            help="technical or editorial; default: both.",
        ),
        Opt(
            "--section",
            dest="section",
            kind="text",
            metavar="SECTION",
            help="Only the errata placed on this section and its subsections (also REF#SECTION).",
        ),
        Opt("--json", dest="as_json", help="A list of objects: every field of errata.json, placed_section, url."),
        OFFLINE,
        QUIET,
    ),
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
            summary="Show the cache directory, how many documents it holds, the RFC index and the errata.",
            handler="docfetch.cli.cachecmd:info_command",
            options=(JSON,),
        ),
        Command(
            "clear",
            summary="Delete every cached document, the RFC index, the errata and their databases.",
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

CITE = Command(
    "cite",
    summary="Check the RFC and Internet-Draft citations in code and documentation.",
    subcommands=(
        Command(
            "check",
            summary="Check every citation under PATH...: document, section, quotation, obsolescence, errata.",
            help="Scan files and directories (recursively; binary files, .git, node_modules and virtual "
            "environments skipped) for citations of RFCs and drafts, and check each against the published "
            "text: the document exists and was issued, the section exists, the quotation is in the cited "
            "section; warn when the document is obsoleted or verified errata touch the section.",
            handler="docfetch.cli.cite:check_command",
            epilog="Exit codes: 0 no errors (warnings allowed); 1 errors (with --strict: or warnings); "
            "2 usage error or a PATH that cannot be read; 3, 4, 5 a cited document could not be had "
            "(not cached with --offline, network failure, refused content) and nothing else is wrong.",
            args=(Arg("paths", metavar="PATH...", many=True, help="Files and directories to scan."),),
            options=(
                Opt(
                    "-f",
                    "--format",
                    dest="fmt",
                    kind="text",
                    metavar="FORMAT",
                    default="text",
                    help="text (path:line:column: severity: code: message), json, sarif or github.",
                ),
                Opt("--strict", dest="strict", help="Warnings (obsolete, errata) count as errors for the exit code."),
                OFFLINE,
                JOBS,
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
COMMANDS = (FETCH, TOC, LINK, INFO, ERRATA, SEARCH, CITE, CACHE, SOURCES, HELP)


def command(name: str) -> Command | None:
    """The built-in command called ``name``, if any."""
    for candidate in COMMANDS:
        if candidate.name == name:
            return candidate
    return None
