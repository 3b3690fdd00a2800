"""The RFC index database, kept current with the index file the cache holds or (re)fetches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docfetch.errors import DocfetchError, FetchError, NotFoundError, RefusedContentError

if TYPE_CHECKING:
    from docfetch.engine.fetcher import Fetcher
    from docfetch.store.indexdb import IndexDB


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
