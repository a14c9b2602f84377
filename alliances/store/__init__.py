"""Stores: where the graph lives and how it is read (SPARQL only, read-only).

:mod:`~alliances.store.base` (the interface), :mod:`~alliances.store.memory` (embedded),
:mod:`~alliances.store.oxigraph` (on disk), :mod:`~alliances.store.endpoint` (any SPARQL 1.1
endpoint), :mod:`~alliances.store.backends` (pick one from ``--store``/``--endpoint``),
:mod:`~alliances.store.gate` (the read-only gate user queries pass), :mod:`~alliances.store.cache`,
:mod:`~alliances.store.serve` (a read-only endpoint of our own). Imports nothing above itself.
"""
