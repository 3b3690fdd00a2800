"""Where things live on disk and which cached documents never change (stdlib ``os`` only).

Kept free of heavy imports: the cached-fetch fast path uses it before anything else loads.
"""

from __future__ import annotations

import os
import sys


def cache_root() -> str:
    """The cache directory: ``DOCFETCH_CACHE_DIR``, else the user cache directory.

    On Linux the XDG rule is applied directly (what platformdirs does, which a test checks),
    because importing platformdirs would cost a cached fetch several times its own run time.
    """
    named = os.environ.get("DOCFETCH_CACHE_DIR")
    if named:
        return os.path.expanduser(named)
    if sys.platform.startswith("linux"):
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        return os.path.join(xdg if xdg else os.path.expanduser("~/.cache"), "docfetch")
    from platformdirs import user_cache_dir

    return user_cache_dir("docfetch")


def document_path(root: str, scheme: str, stem: str, fmt: str) -> str:
    """``<root>/docs/<scheme>/<stem>.<fmt>`` (stems come from validated references only)."""
    return os.path.join(root, "docs", scheme, f"{stem}.{fmt}")


def is_immutable(scheme: str, revision: str | None, fmt: str) -> bool:
    """Published RFC texts never change; nor does a draft at an exact revision."""
    if scheme == "rfc":
        return fmt in ("txt", "pdf", "xml")
    return scheme == "draft" and revision is not None
