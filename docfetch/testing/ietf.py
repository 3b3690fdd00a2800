"""IetfWorld: the IETF and RFC Editor servers, laid out on a FakeWeb as the real ones are.

Hosts (all https-only, as the real sites redirect plain http with a 301):

* ``www.rfc-editor.org``: gzip forced on every body; ``/rfc/rfc{n}.{ext}``; zero-padded names and
  ``/rfc/rfc{n}`` 302 elsewhere; ``/rfc-index.xml|txt`` (old ``/rfc/rfc-index.*`` 302 there); ``/errata.json``;
  ``/bcp|std|fyi/{kind}-index.txt``; missing files get 404 ``404 - Not found`` (text/plain).
* ``www.ietf.org``: ``/rfc/*`` redirects (301 by default) to rfc-editor; drafts under
  ``/archive/id/{name}-{NN}.{ext}`` (every revision) and ``/id/`` (latest only).
* ``datatracker.ietf.org``: ``/doc/{name}/doc.json`` and ``/doc/id/{name}[-{NN}][.txt]``.
* ``www.iana.org``: ``/assignments/{name}/{name}.{fmt}``.

Documents are passed in as bytes; :meth:`IetfWorld.from_corpus` loads a directory of them.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docfetch.testing._draftmeta import parse_draft
from docfetch.testing.server import FakeWeb

RFC_EDITOR = "www.rfc-editor.org"
IETF = "www.ietf.org"
DATATRACKER = "datatracker.ietf.org"
IANA = "www.iana.org"
ERRATA = "errata.rfc-editor.org"
TOOLS = "tools.ietf.org"
#: The body of the RFC Editor's 404 for a missing file.
NOT_FOUND = b"404 - Not found"
SUBSERIES = ("bcp", "std", "fyi")
_DRAFT_FILE = re.compile(r"^(?P<name>draft-[a-z0-9-]+?)-(?P<rev>\d{2})\.(?P<ext>[a-z]+)$")


@dataclass
class Documents:
    """Everything an IetfWorld publishes, by kind (bodies are bytes)."""

    rfcs: dict[int, dict[str, bytes]] = field(default_factory=dict)
    drafts: dict[str, dict[int, dict[str, bytes]]] = field(default_factory=dict)
    draft_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    index_xml: bytes | None = None
    index_txt: bytes | None = None
    errata_json: bytes | None = None
    subseries_indexes: dict[str, bytes] = field(default_factory=dict)
    bundles: dict[tuple[str, int], bytes] = field(default_factory=dict)
    iana: dict[tuple[str, str], bytes] = field(default_factory=dict)


class IetfWorld:
    """The real IETF layout on ``web``; add documents with the ``add_*`` methods."""

    def __init__(self, web: FakeWeb, *, ietf_redirect_status: int = 301, serve_bundles: bool = False) -> None:
        self.web = web
        self.docs = Documents()
        #: Serve ``/bcp/bcp14.txt``-style bundle files over HTTP (unverified since 2026: off).
        self.serve_bundles = serve_bundles
        self._owns_web = False
        self._install(ietf_redirect_status)

    # -- layout ----------------------------------------------------------------------------
    def _install(self, ietf_redirect_status: int) -> None:
        web = self.web
        web.host(
            RFC_EDITOR,
            forced_gzip=True,
            https_only=True,
            not_found_body=NOT_FOUND,
            not_found_type="text/plain;charset=utf-8",
        )
        ed = f"https://{RFC_EDITOR}"
        padded = re.compile(r"/rfc/rfc0+(?P<n>[1-9]\d*)(?P<ext>\.\w+)?$")
        web.add_redirect(RFC_EDITOR, padded, ed + "/rfc/rfc{n}{ext}", 302)
        web.add_redirect(RFC_EDITOR, re.compile(r"/rfc/rfc(?P<n>[1-9]\d*)$"), ed + "/info/rfc{n}/", 302)
        web.add_redirect(RFC_EDITOR, re.compile(r"/rfc/rfc-index\.(?P<ext>xml|txt)$"), ed + "/rfc-index.{ext}", 302)
        web.add_redirect(RFC_EDITOR, re.compile(r"/(?P<s>bcp|std|fyi)/(?P=s)0*(?P<n>\d+)$"), ed + "/info/{s}{n}/", 302)
        web.add_redirect(RFC_EDITOR, re.compile(r"/errata/rfc(?P<n>\d+)$"), f"https://{ERRATA}/rfc{{n}}", 302)
        web.host(ERRATA, https_only=True)
        web.host(IETF, https_only=True)
        web.add_redirect(IETF, "/rfc/", ed + "/rfc/{rest}", ietf_redirect_status, name="rfc")
        web.host(DATATRACKER, https_only=True)
        web.add_redirect(DATATRACKER, re.compile(r"/doc/html/(?P<s>bcp|std|fyi)(?P<n>\d+)$"), ed + "/info/{s}{n}/", 302)
        web.host(TOOLS, https_only=True)
        web.add_redirect(TOOLS, re.compile(r"/html/(?P<doc>[\w-]+)$"), f"https://{DATATRACKER}/doc/html/{{doc}}", 301)
        web.host(IANA, https_only=True)

    @property
    def ietf_redirect_status(self) -> int:
        """Status of the ``www.ietf.org/rfc/*`` redirect (unverified: 301 or 302)."""
        rule = self.web.redirect_rule(IETF, "rfc")
        return rule.status if rule else 0

    @ietf_redirect_status.setter
    def ietf_redirect_status(self, status: int) -> None:
        rule = self.web.redirect_rule(IETF, "rfc")
        if rule is not None:
            rule.status = status

    # -- RFC Editor ------------------------------------------------------------------------
    def add_rfc(self, number: int, body: bytes, fmt: str = "txt") -> str:
        """Publish RFC ``number`` in ``fmt``; returns its canonical URL."""
        number = int(number)
        self.docs.rfcs.setdefault(number, {})[fmt] = bytes(body)
        self.web.add_file(RFC_EDITOR, f"/rfc/rfc{number}.{fmt}", body)
        info = f"<!DOCTYPE html><html><head><title>RFC {number}</title></head><body><h1>RFC {number}</h1></body></html>"
        self.web.add_file(RFC_EDITOR, f"/info/rfc{number}/", info.encode())
        if fmt == "html":
            self.web.add_file(DATATRACKER, f"/doc/html/rfc{number}", body, "text/html;charset=utf-8")
        return self.rfc_url(number, fmt)

    def add_index(self, xml_bytes: bytes | None, txt_bytes: bytes | None = None) -> None:
        """Publish ``/rfc-index.xml`` (and ``/rfc-index.txt``)."""
        if xml_bytes is not None:
            self.docs.index_xml = bytes(xml_bytes)
            self.web.add_file(RFC_EDITOR, "/rfc-index.xml", xml_bytes)
        if txt_bytes is not None:
            self.docs.index_txt = bytes(txt_bytes)
            self.web.add_file(RFC_EDITOR, "/rfc-index.txt", txt_bytes)

    def add_errata(self, body: bytes) -> str:
        """Publish ``/errata.json`` (every erratum of every RFC, bytes as given); returns its URL."""
        self.docs.errata_json = bytes(body)
        self.web.add_file(RFC_EDITOR, "/errata.json", body, "application/json;charset=utf-8")
        return f"https://{RFC_EDITOR}/errata.json"

    def add_subseries_index(self, kind: str, body: bytes) -> None:
        """Publish ``/bcp/bcp-index.txt`` (``kind`` is bcp, std or fyi); bytes as given."""
        self.docs.subseries_indexes[kind] = bytes(body)
        self.web.add_file(RFC_EDITOR, f"/{kind}/{kind}-index.txt", body)

    def add_subseries_bundle(self, kind: str, number: int, body: bytes) -> None:
        """Keep a multi-RFC bundle such as ``bcp14.txt`` for mirrors (served only if serve_bundles)."""
        self.docs.bundles[(kind, int(number))] = bytes(body)
        if self.serve_bundles:
            self.web.add_file(RFC_EDITOR, f"/{kind}/{kind}{int(number)}.txt", body)

    # -- drafts ----------------------------------------------------------------------------
    def add_draft(
        self,
        name: str,
        rev: int | str,
        body: bytes,
        fmt: str = "txt",
        *,
        title: str | None = None,
        abstract: str | None = None,
        authors: list[str] | None = None,
        state: str = "Active",
    ) -> str:
        """Publish revision ``rev`` of draft ``name``; returns its archive URL."""
        rev_n = int(rev)
        self.docs.drafts.setdefault(name, {}).setdefault(rev_n, {})[fmt] = bytes(body)
        self.web.add_file(IETF, f"/archive/id/{name}-{rev_n:02d}.{fmt}", body)
        meta: dict[str, Any] = self.docs.draft_meta.setdefault(name, {})
        if fmt == "txt":
            parsed = parse_draft(body.decode("utf-8", "replace"), name)
            meta.setdefault("revs", {})[rev_n] = parsed.published
            for key, value in (("title", parsed.title), ("abstract", parsed.abstract), ("authors", parsed.authors)):
                if value and (rev_n >= max(self.docs.drafts[name]) or key not in meta):
                    meta[key] = value
        for key, given in (("title", title), ("abstract", abstract), ("authors", authors)):
            if given is not None:
                meta[key] = given
        meta["state"] = state
        self._publish_draft(name)
        return f"https://{IETF}/archive/id/{name}-{rev_n:02d}.{fmt}"

    def _publish_draft(self, name: str) -> None:
        """Refresh ``/id/``, the datatracker raw texts and ``doc.json`` after a change."""
        revs = self.docs.drafts[name]
        latest = max(revs)
        for rev, fmts in revs.items():
            for fmt in fmts:
                self.web.remove_file(IETF, f"/id/{name}-{rev:02d}.{fmt}")
            if "txt" in fmts:
                for path in (f"/doc/id/{name}-{rev:02d}.txt", f"/doc/id/{name}-{rev:02d}"):
                    self.web.add_file(DATATRACKER, path, fmts["txt"], "text/plain;charset=utf-8")
        for fmt, body in revs[latest].items():
            self.web.add_file(IETF, f"/id/{name}-{latest:02d}.{fmt}", body)
        if "txt" in revs[latest]:
            for path in (f"/doc/id/{name}.txt", f"/doc/id/{name}"):
                self.web.add_file(DATATRACKER, path, revs[latest]["txt"], "text/plain;charset=utf-8")
        doc = self.draft_json(name)
        self.web.add_file(DATATRACKER, f"/doc/{name}/doc.json", json.dumps(doc, indent=2).encode(), "application/json")
        api = {k: doc[k] for k in ("name", "rev", "title", "abstract")} | {"type": "/api/v1/name/doctypename/draft/"}
        self.web.add_file(DATATRACKER, f"/api/v1/doc/document/{name}/", json.dumps(api).encode(), "application/json")

    def draft_json(self, name: str) -> dict[str, Any]:
        """The datatracker ``doc.json`` record of draft ``name``."""
        revs = self.docs.drafts[name]
        meta = self.docs.draft_meta.get(name, {})
        dates = meta.get("revs", {})
        return {
            "name": name,
            "rev": f"{max(revs):02d}",
            "title": meta.get("title") or name,
            "abstract": meta.get("abstract", ""),
            "state": meta.get("state", "Active"),
            "authors": [{"name": a, "email": ""} for a in meta.get("authors", [])],
            "rev_history": [
                {
                    "name": name,
                    "rev": f"{rev:02d}",
                    "published": (dates.get(rev) or "1970-01-01") + "T00:00:00Z",
                    "url": f"https://{DATATRACKER}/doc/{name}/{rev:02d}/",
                }
                for rev in sorted(revs)
            ],
        }

    # -- IANA ------------------------------------------------------------------------------
    def add_iana(self, name: str, body: bytes, fmt: str = "xml") -> str:
        """Publish an IANA registry at ``/assignments/{name}/{name}.{fmt}``; returns its URL."""
        self.docs.iana[(name, fmt)] = bytes(body)
        path = f"/assignments/{name}/{name}.{fmt}"
        self.web.add_file(IANA, path, body)
        return f"https://{IANA}{path}"

    # -- URLs ------------------------------------------------------------------------------
    @staticmethod
    def rfc_url(number: int, fmt: str = "txt") -> str:
        """The canonical URL of an RFC file."""
        return f"https://{RFC_EDITOR}/rfc/rfc{int(number)}.{fmt}"

    # -- corpus, mirrors, state ------------------------------------------------------------
    def load_corpus(self, root: str | Path) -> IetfWorld:
        """Add every document of a corpus directory (``rfc/<fmt>/``, ``index/``, ``subseries/``, ``drafts/``)."""
        root = Path(root)
        for path in sorted(root.glob("rfc/*/rfc*.*")):
            m = re.fullmatch(r"rfc(\d+)\.(\w+)", path.name)
            if m:
                self.add_rfc(int(m.group(1)), path.read_bytes(), m.group(2))
        index = root / "index"
        xml, txt = index / "rfc-index.xml", index / "rfc-index.txt"
        self.add_index(xml.read_bytes() if xml.is_file() else None, txt.read_bytes() if txt.is_file() else None)
        errata = root / "errata" / "errata.json"
        if errata.is_file():
            self.add_errata(errata.read_bytes())
        for kind in SUBSERIES:
            sub = index / f"{kind}-index.txt"
            if sub.is_file():
                self.add_subseries_index(kind, sub.read_bytes())
            for path in sorted(root.glob(f"subseries/{kind}/{kind}*.txt")):
                m = re.fullmatch(rf"{kind}(\d+)\.txt", path.name)
                if m:
                    self.add_subseries_bundle(kind, int(m.group(1)), path.read_bytes())
        for path in sorted(root.glob("drafts/*")):
            m = _DRAFT_FILE.match(path.name)
            if m:
                self.add_draft(m.group("name"), int(m.group("rev")), path.read_bytes(), m.group("ext"))
        return self

    @classmethod
    def from_corpus(cls, root: str | Path, web: FakeWeb | None = None, **options: Any) -> IetfWorld:
        """A world holding a corpus; without ``web`` a new started FakeWeb (closed by :meth:`close`)."""
        owned = web is None
        world = cls(web or FakeWeb().start(), **options)
        world._owns_web = owned
        return world.load_corpus(root)

    def close(self) -> None:
        """Close the FakeWeb if this world created it."""
        if self._owns_web:
            self.web.close()

    def __enter__(self) -> IetfWorld:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def snapshot(self) -> tuple[Any, Documents]:
        """Save the web's hosts and files and this world's documents."""
        return self.web.snapshot(), copy.deepcopy(self.docs)

    def restore(self, state: tuple[Any, Documents]) -> None:
        """Go back to a :meth:`snapshot`."""
        self.web.restore(state[0])
        self.docs = copy.deepcopy(state[1])

    def build_mirror(self, dest: str | Path) -> Path:
        """Write the documents in the RFC Editor rsync layout under ``dest``; returns ``dest``."""
        from docfetch.testing.mirror import mirror_layout, write_tree

        return write_tree(mirror_layout(self.docs), Path(dest))

    def serve_mirror(self, host: str = "127.0.0.1", prefix: str = "/rfcs/") -> str:
        """Serve the rsync layout over plain HTTP on ``host`` under ``prefix``; returns the base URL."""
        from docfetch.testing.mirror import mirror_layout, serve_tree

        serve_tree(self.web, host, prefix, mirror_layout(self.docs))
        if host == "127.0.0.1":
            return self.web.local_url(prefix)
        return f"http://{host}{prefix}"
