"""alliances: a sourced knowledge graph of the AI industry's alliances.

Load the shipped ontology and data, resolve an entity and ask who depends on it::

    >>> import alliances
    >>> store = alliances.load()
    >>> alliances.catalog.resolve(store, "NVIDIA").id
    'nvidia'

Heavy modules (rdflib, networkx, scipy, pyvis) are imported lazily, so that
``import alliances`` and ``alliances --help`` stay fast.
"""

from importlib import import_module

__version__ = "0.1.0"

# name -> module that defines it; resolved on first attribute access (PEP 562).
_LAZY = {
    "load": "alliances.store.memory",
    "Store": "alliances.store.memory",
    "resolve": "alliances.catalog.resolve",
    "query": "alliances.store.gate",
    "dependency_graph": "alliances.graph.dependency",
    "exposure": "alliances.graph.exposure",
    "AlliancesError": "alliances.errors",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'alliances' has no attribute {name!r}")
