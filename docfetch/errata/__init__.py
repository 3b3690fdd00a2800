"""Errata of RFCs: read ``errata.json``, keep it in SQLite, place each erratum on a section, render it.

The modules, each with one job:

- :mod:`~docfetch.errata.model`: the ``Erratum`` record and the normalisation of statuses and types;
- :mod:`~docfetch.errata.parse`: reading ``errata.json`` bytes, whatever shape its entries have;
- :mod:`~docfetch.errata.store`: the SQLite database (atomic build, freshness, queries);
- :mod:`~docfetch.errata.placement`: which section of the RFC each erratum concerns, or why none;
- :mod:`~docfetch.errata.render`: text for a person, JSON, the ``info`` counts and the fetch note.

Importing this package imports nothing: ``store.has_verified`` runs on every fetch of an RFC.
"""
