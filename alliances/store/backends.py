"""Open the store a command runs on, from the global --store / --endpoint options.

- ``memory`` (the default): the files are parsed into an embedded rdflib Dataset.
- ``oxigraph:DIR``: an on-disk Oxigraph store built by ``alliances load``, opened read-only.
- ``--endpoint URL``: any SPARQL 1.1 endpoint, through the SPARQL 1.1 protocol.

>>> open_store("memory", None, ()).description.startswith("memory")
True
>>> parse_spec("oxigraph:/tmp/x")
('oxigraph', '/tmp/x')
"""

from __future__ import annotations

from alliances.errors import AlliancesError
from alliances.store.base import Store


def parse_spec(spec: str | None) -> tuple[str, str]:
    """('memory', ''), ('rdflib', '') or ('oxigraph', DIR); anything else is an error."""
    if spec in (None, "", "memory"):
        return "memory", ""
    if spec == "rdflib":
        return "rdflib", ""
    kind, _, where = spec.partition(":")
    if kind == "oxigraph":
        if not where:
            raise AlliancesError("--store oxigraph:DIR needs a directory, e.g. oxigraph:~/.alliances/ox")
        from pathlib import Path

        return "oxigraph", str(Path(where).expanduser())
    raise AlliancesError(f"--store: unknown store '{spec}' (use 'memory', 'rdflib' or 'oxigraph:DIR')")


def open_store(spec: str = "memory", endpoint: str | None = None, data=(), progress=None) -> Store:
    """The store for read commands: ``memory`` (embedded Oxigraph, the files parsed on
    each run), ``rdflib`` (the pure-Python engine), ``oxigraph:DIR`` (built by
    ``alliances load``) or a SPARQL 1.1 `endpoint`. `progress(done, total, path)` follows
    the parsing of the memory store's files (see :mod:`alliances.cli.progress`)."""
    kind, where = parse_spec(spec)
    if endpoint:
        if kind != "memory":
            raise AlliancesError("give either --store or --endpoint, not both")
        if data:
            raise AlliancesError("--data is not read with --endpoint: load the files into the endpoint")
        from alliances.store.endpoint import EndpointStore

        return EndpointStore(endpoint)
    if kind == "memory":
        from alliances.store.embedded import load_embedded

        return load_embedded(data, progress=progress)
    if kind == "rdflib":
        from alliances.store.memory import load

        return load(data)
    if data:
        raise AlliancesError(f"--data is read by `alliances load --store {spec}`, not by read commands;"
                             " load the files into the store first")
    from alliances.store.oxigraph import OxigraphStore

    return OxigraphStore.open(where)


def load_store(data=(), store: str = "memory", endpoint: str | None = None) -> Store:
    """The Python API's ``alliances.load``: the ontology, the shipped data and `data`
    (Turtle files or folders) in the store `store` names; with ``store="oxigraph:DIR"``
    and `data`, the files are bulk-loaded into DIR first; with `endpoint`, the endpoint.

    Examples
    --------
    >>> load_store().ask("ASK { e:nvidia a al:ChipDesigner }")
    True
    """
    kind, where = parse_spec(store)
    if kind == "oxigraph" and data:
        from alliances.store.oxigraph import load_oxigraph
        from alliances.store.paths import data_files

        load_oxigraph(where, data_files(data), report=None)
        data = ()
    return open_store(store, endpoint, data)


def export_graph(store: Store, fmt: str = "turtle", graph_name: str | None = None) -> bytes:
    """The store's graph (or the graph of one loaded file) as Turtle ('turtle') or N-Triples
    ('nt'). N-Triples lines come sorted: the same data gives the same bytes on every store
    and every run (rdflib's own order changes with Python's hash seed)."""
    data = _export(store, fmt, graph_name)
    if fmt != "turtle":
        data = b"".join(sorted(data.splitlines(keepends=True)))
    return data


def _canonical(term):
    """An xsd:decimal literal in its canonical form ("30.0" -> "30"), as Oxigraph stores
    it, so that every store exports the same bytes; other terms unchanged."""
    from rdflib import Literal

    from alliances.store.results import XSD_DECIMAL, lexical

    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == XSD_DECIMAL:
        text = lexical(term)
        if text != str(term):
            return Literal(text, datatype=term.datatype)
    return term


GRAPH_OF_FILE = "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?g { %s } GRAPH ?g { ?s ?p ?o } }"


def _export(store: Store, fmt: str, graph_name: str | None) -> bytes:
    import rdflib

    from alliances.store.memory import MemoryStore
    from alliances.vocab import PREFIXES

    rdf_format = "turtle" if fmt == "turtle" else "nt"
    if graph_name is None and hasattr(store, "serialize"):
        return store.serialize(fmt)
    if graph_name and hasattr(store, "graph_names"):  # the embedded store: a graph per file
        names = [g for g in store.graph_names() if g.endswith("/" + graph_name)]
        if not names:
            loaded = ", ".join(p.name for p in store.files())
            raise AlliancesError(f"--graph: no loaded file named '{graph_name}' (loaded: {loaded})")
        from alliances.vocab import iri_list

        graph = store.run(GRAPH_OF_FILE % iri_list(names[:1])).graph
    elif isinstance(store, MemoryStore):
        graph = rdflib.Graph()
        if graph_name:
            names = [g for g in store.dataset.graphs() if str(g.identifier).endswith("/" + graph_name)]
            if not names:
                loaded = ", ".join(p.name for p in store.files())
                raise AlliancesError(f"--graph: no loaded file named '{graph_name}' (loaded: {loaded})")
            triples = names[0].triples((None, None, None))
        else:
            triples = store.dataset.triples((None, None, None))
        for s, p, o in triples:
            graph.add((s, p, _canonical(o)))
    else:
        if graph_name and hasattr(store, "serialize"):
            raise AlliancesError("--graph: an oxigraph store holds the union of the files;"
                                 " export a file's graph from the memory store")
        if graph_name:
            import re

            if not re.fullmatch(r"[\w.+-]{1,200}", graph_name):  # pasted into a string below
                raise AlliancesError(f"--graph: bad file name '{graph_name[:80]}'"
                                     " (letters, digits, '.', '_', '+' and '-' only)")
            query = ('CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o }'
                     f' FILTER(STRENDS(STR(?g), "/{graph_name}")) }}')
        else:
            query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        graph = store.run(query).graph
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph.serialize(format=rdf_format, encoding="utf-8")
