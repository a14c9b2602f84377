"""Where the figures of an exposure report come from: the sources behind its hops.

The dependency graph is built without sources for speed (on a large store reading
every ``al:source`` is a good part of the time); a report shows a few dozen hops, so
their sources are read afterwards with one small query: the partnerships' and
observations' ``al:source`` (for a product dependency or an ownership, the sources of
the entity that states it), then each source's publisher, date, title, URL or seed file.

>>> from alliances.store.memory import load
>>> from alliances.graph.dependency import dependency_graph
>>> from alliances.graph.exposure import exposure
>>> store = load()
>>> report = exposure(dependency_graph(store, provenance=False), "tsmc")
>>> sources = attach_sources(store, report, top=3)
>>> all(h.sources for h in report.hops(3)) and all("publisher" in s for s in sources.values())
True
"""

from __future__ import annotations

from alliances.vocab import E, iri_list, local_id

FACT_SOURCES = "SELECT ?x ?src WHERE { VALUES ?x { %s } ?x al:source ?src }"
SOURCE_FIELDS = """
SELECT ?s ?p ?o WHERE {
  VALUES ?p { dcterms:title dcterms:publisher dcterms:date schema:url al:seedFile }
  VALUES ?s { %s } ?s ?p ?o }
"""
FIELD_NAMES = {"title": "title", "publisher": "publisher", "date": "date", "url": "url",
               "seedFile": "seed_file"}


def attach_sources(store, report, top: int | None = None) -> dict[str, dict]:
    """Fill the ``sources`` of every hop of the paths of the `top` first entities of
    `report` (when the graph was built without them) and return the sources' details:
    {source id: {title, publisher, date, url or seed_file}}."""
    hops = [h for e in report.entities[:top] for p in e.paths for h in p.hops]
    facts: dict = {}
    for h in hops:
        for fact in h.facts:
            facts.setdefault(fact, []).append(h)
    found: dict[str, set] = {}
    if facts:
        for x, src in store.values(FACT_SOURCES % iri_list(str(E[f]) for f in facts), cached=False):
            found.setdefault(local_id(x), set()).add(local_id(src))
    for h in hops:
        if not h.sources:
            h.sources = sorted({s for f in h.facts for s in found.get(f, ())})
    return source_details(store, {s for h in hops for s in h.sources})


def source_details(store, ids) -> dict[str, dict]:
    """{source id: {title, publisher, date, url, seed_file}} for the source ids given."""
    out: dict[str, dict] = {s: {} for s in sorted(ids)}
    if not out:
        return out
    for s, p, o in store.values(SOURCE_FIELDS % iri_list(str(E[s]) for s in out), cached=False):
        name = FIELD_NAMES.get(local_id(p))
        info = out.setdefault(local_id(s), {})
        if name and name not in info:
            info[name] = o
    return out


def source_text(source_id: str, info: dict) -> str:
    """One source as `id (publisher, date, url or seed file)`.

    >>> source_text("src-a", {"publisher": "Reuters", "date": "2025-01-02", "url": "https://x"})
    'src-a (Reuters, 2025-01-02, https://x)'
    """
    parts = [info.get("publisher"), info.get("date"), info.get("url") or info.get("seed_file")]
    return f"{source_id} ({', '.join(p for p in parts if p)})"
