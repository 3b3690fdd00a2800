"""Errata of RFCs: read ``errata.json``, keep it in SQLite, place each erratum on a section, render it.

The modules, each with one job:

- :mod:`~docfetch.errata.model`: the ``Erratum`` record and the normalisation of statuses and types;
- :mod:`~docfetch.errata.parse`: reading ``errata.json`` bytes, whatever shape its entries have;
- :mod:`~docfetch.errata.store`: the SQLite database (atomic build, freshness, queries);
- :mod:`~docfetch.errata.placement`: which section of the RFC each erratum concerns, or why none;
- :mod:`~docfetch.errata.render`: text for a person, JSON, the ``info`` counts and the fetch note.

Importing this package imports nothing: ``store.has_verified`` runs on every fetch of an RFC.

The package is also the library function ``docfetch.errata(reference, ...)`` (see
:func:`docfetch.api.errata`): Python binds a subpackage to its parent's attribute of the same name
when it is imported, so the package itself is made callable rather than shadowed.
"""

from __future__ import annotations

import sys
from types import ModuleType

TYPE_CHECKING = False  # typing costs every fetch of an RFC several ms
if TYPE_CHECKING:
    from typing import Any


class _CallableModule(ModuleType):
    """This package, callable as :func:`docfetch.api.errata`."""

    def __call__(self, reference: str, **options: Any) -> list[dict[str, Any]]:
        from docfetch.api import errata

        return errata(reference, **options)


sys.modules[__name__].__class__ = _CallableModule
