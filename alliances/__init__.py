"""alliances: a sourced knowledge graph of the AI industry's alliances.

The Python API, imported lazily (``import alliances`` loads no RDF or graph library):

========================  ==========================================================
``load(data=(), ...)``    a store with the ontology, shipped data and yours (embedded by default)
``open_store(spec, ...)`` a store from a spec: ``"memory"``, ``"oxigraph:DIR"``, or an endpoint
``resolve(store, name)``  an entity by id, label, alias or ticker (case-insensitive)
``query(store, text)``    a read-only SPARQL query through the gate: rows, a bool or a graph
``dependency_graph(s)``   the dependency graph as a ``networkx.DiGraph``
``exposure(graph, ids)``  who is exposed to a shock on ``ids``, and through what
``portfolio_exposure``    look-through exposure of weighted holdings
``render_html(graph)``    the offline HTML map, as a string
``metrics``               the metrics module (concentration, chokepoints, ...)
========================  ==========================================================

Examples
--------
>>> import alliances
>>> store = alliances.load()
>>> alliances.resolve(store, "NVIDIA").id
'nvidia'
>>> graph = alliances.dependency_graph(store)
>>> report = alliances.exposure(graph, ["nvidia"])
>>> 0 < report.value("openai") < 1
True
"""

from importlib import import_module

__version__ = "0.1.0"

# name -> module that defines it ("module:attr" when the name differs), resolved on
# first attribute access (PEP 562).
# No name here is also the name of a submodule of this package, so importing a
# submodule can never shadow an API function.
_LAZY = {
    "load": "alliances.store.backends:load_store",
    "open_store": "alliances.store.backends",
    "Store": "alliances.store.base",
    "resolve": "alliances.catalog.resolve",
    "query": "alliances.store.gate",
    "dependency_graph": "alliances.graph.dependency",
    "exposure": "alliances.graph.exposure",
    "portfolio_exposure": "alliances.graph.portfolio",
    "read_holdings": "alliances.graph.portfolio",
    "render_html": "alliances.render.html",
    "AlliancesError": "alliances.errors",
}
_MODULES = {"metrics": "alliances.graph.metrics"}

__all__ = ["__version__", *_LAZY, *_MODULES]


def __getattr__(name: str):
    if name in _LAZY:
        module, _, attr = _LAZY[name].partition(":")
        return getattr(import_module(module), attr or name)
    if name in _MODULES:
        return import_module(_MODULES[name])
    raise AttributeError(f"module 'alliances' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
