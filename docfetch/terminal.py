"""Making text safe for a terminal: the one module that does it, for documents and messages alike.

A terminal obeys control characters: ESC sequences retitle the window, move the cursor, clear
the screen or write the clipboard (OSC 52); C1 controls (0x9B is a one-byte CSI) do the same on
some terminals; bidi overrides reorder what is read. Nothing from a document, a server or a
user reaches a terminal without passing through here. Pipes and files get exact bytes and never
pass through here.
"""

from __future__ import annotations

import re

BOM = "\ufeff"
# C0 controls except TAB, LF, FF, CR; DEL; C1 controls; bidi embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _caret(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return "^" + chr(code + 64)
    if code == 0x7F:
        return "^?"
    return f"<U+{code:04X}>"


def inert(text: str, *, keep_returns: bool = True) -> str:
    """``text`` with every control sequence shown inert: ``^[`` for ESC, ``<U+009B>`` for C1 and bidi.

    Tabs, newlines and form feeds are kept (documents use them), and carriage returns unless
    ``keep_returns`` is false (short texts from strangers, where a lone CR could hide what
    precedes it on the line: shown as ``^M``).
    """
    shown = _UNSAFE.sub(_caret, text)
    return shown if keep_returns else shown.replace("\r", "^M")


def document_text(data: bytes) -> str:
    """Document bytes as terminal text: decoded as UTF-8 (bad bytes replaced), no BOM, controls inert."""
    return inert(data.decode("utf-8", errors="replace").replace(BOM, ""))


def one_line(text: object, limit: int = 200) -> str:
    """Server-controlled text (a reason phrase, a Location header) fit for one line of an error message."""
    value = str(text)[:limit]
    return value if value.isprintable() else value.encode("unicode_escape", "backslashreplace").decode("ascii")


def quoted(text: str, limit: int = 60) -> str:
    """What a user typed, quoted for a message: bounded, and escaped unless plain printable ASCII."""
    cut = text if len(text) <= limit else text[:limit] + "..."
    if cut.isprintable() and cut.isascii():
        return repr(cut)
    return ascii(cut)


def json_text(data: object) -> str:
    """Indented JSON for a terminal or a pipe: UTF-8 kept, DEL, C1 and bidi controls escaped."""
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
