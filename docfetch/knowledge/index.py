"""The RFC index database, kept current with the index file the cache holds or (re)fetches."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from docfetch.errors import DocfetchError, FetchError, NotFoundError, RefusedContentError

if TYPE_CHECKING:
    from docfetch.engine.fetcher import Fetcher
    from docfetch.store.indexdb import IndexDB


class NeverIssuedError(NotFoundError):
    """The RFC index lists the number as not issued (exit 3, like every document that does not exist)."""

    def __init__(self, number: int) -> None:
        super().__init__(f"RFC {number} was never issued (the RFC index lists it as not issued)")
        self.number = number


def never_issued(root: str) -> frozenset[int]:
    """The RFC numbers the local index database lists as not issued; empty without one. No network, never raises.

    A number once listed as not issued stays so (the RFC Editor does not reuse numbers), so a
    database of any age answers.
    """
    path = os.path.join(root, "index", "rfc-index.sqlite")
    if not os.path.isfile(path):
        return frozenset()
    import sqlite3

    from docfetch.store.indexdb import IndexDB

    try:
        with IndexDB(path) as db:
            return frozenset(number for (number,) in db.conn.execute("SELECT number FROM not_issued"))
    except (sqlite3.Error, OSError):
        return frozenset()


def local_index(fetcher: Fetcher) -> IndexDB:
    """The index database from local data only: as built, or built from the cached index file. No network.

    NotFoundError when neither is there (``search`` or ``bcp:`` download the index).
    """
    from docfetch.plugins.source import RFC_INDEX
    from docfetch.store import indexdb

    path = indexdb.db_path()
    xml = fetcher.cache.lookup(RFC_INDEX, "xml")
    if xml is None and not os.path.isfile(path):
        offline = " (offline)" if fetcher.options.offline else ""
        raise NotFoundError(f"the RFC index is not in the cache{offline}", hint="'docfetch search' downloads it")
    import sqlite3
    from xml.etree.ElementTree import ParseError

    try:
        if xml is not None:
            return indexdb.IndexDB(indexdb.ensure(xml.path, path))
    except ParseError as exc:
        if indexdb.read_meta(path) is None:
            raise RefusedContentError(f"the cached RFC index is not valid XML ({exc})") from None
    except (sqlite3.Error, OSError) as exc:
        if indexdb.read_meta(path) is None:
            raise FetchError(f"cannot build the RFC index database {path}: {exc}") from None
    if indexdb.read_meta(path) is None:
        raise NotFoundError("the RFC index database cannot be read", hint="'docfetch search' builds it again")
    return indexdb.IndexDB(path)


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
        try:
            return indexdb.IndexDB(indexdb.ensure(document.path, path))
        except (sqlite3.Error, OSError) as exc:  # an unusable cache: a private database for this run
            fetcher.keeper.give_up(str(exc))
            return indexdb.IndexDB(indexdb.ensure(document.path, fetcher.keeper.scratch() / indexdb.DB_NAME))
    except ParseError as exc:
        failure: DocfetchError = RefusedContentError(f"the RFC index is not valid XML ({exc})")
    except (sqlite3.Error, OSError) as exc:
        failure = FetchError(f"cannot build the RFC index database {path}: {exc}")
    except DocfetchError as exc:
        failure = exc
    if indexdb.read_meta(path) is None:
        if fetcher.options.offline and isinstance(failure, NotFoundError):
            raise NotFoundError(
                "the RFC index is not in the cache (offline)", hint="run once without --offline to download it"
            )
        raise type(failure)(f"the RFC index is not available: {failure.message}")
    fetcher.note(f"using the last RFC index database ({failure.message})")
    return indexdb.IndexDB(path)
