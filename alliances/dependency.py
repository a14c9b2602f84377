"""Project the RDF graph into a networkx DiGraph "X depends on Y" (consumer -> provider).

Edges come from three kinds of facts, read with SPARQL only:

* partnerships: every party in a role under ``al:dependent`` depends on every party
  in a role under ``al:supplier``, with the dependency kind of the partnership kind
  (``kind:chip-supply`` -> ``chips``, ``kind:investment`` -> ``capital``, ...);
  cancelled or ended partnerships and those not active on ``as_of`` (default: those
  whose ``al:end`` has passed) are left out;
* direct product dependencies: sub-properties of ``al:dependsOn`` carry their kind
  (``al:usesChip`` -> ``chips``, ``al:fabricatedBy`` -> ``foundry``, ...); the
  generic ``al:dependsOn`` gives kind ``other``;
* ownership: ``X al:subsidiaryOf Y`` gives an edge X -> Y of kind ``ownership``.

Weights. For a node X and a kind k, ``share_k(X, Y)`` is the share of X's need of
kind k that Y covers. A share stated by the data (``al:share``; the largest one when
several partnerships state one for the same pair) is kept; the remainder
``max(0, 1 - sum of stated shares)`` is split evenly among the suppliers of that
kind without a stated share, and those shares are flagged ``estimated``. Each kind
X depends on is an equal part of X's need, so the edge weight is

    W[X, Y] = sum_k share_k(X, Y) / K(X)

where K(X) is the number of kinds X depends on. Every row of W sums to at most 1,
which keeps exposures in [0, 1] (see :mod:`alliances.risk`).

>>> from alliances.store import load
>>> g = dependency_graph(load())
>>> g.number_of_edges() > 0
True
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .store import Store
from .timeline import active_as_of
from .vocab import local_id

KINDS = ("chips", "foundry", "memory", "equipment", "compute", "models", "capital",
         "distribution", "licensing", "power", "ownership", "other")

PARTNERSHIP_EDGES = """
SELECT ?p ?x ?y ?dk ?share ?announced ?start ?end ?status
       (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources) WHERE {
  ?p a al:Partnership ; al:kind ?k ; ?r1 ?x ; ?r2 ?y .
  ?k al:dependencyKind ?dk .
  ?r1 rdfs:subPropertyOf* al:dependent .
  ?r2 rdfs:subPropertyOf* al:supplier .
  FILTER(?x != ?y)
  OPTIONAL { ?p al:share ?share } OPTIONAL { ?p al:announced ?announced }
  OPTIONAL { ?p al:start ?start } OPTIONAL { ?p al:end ?end }
  OPTIONAL { ?p al:status ?status } OPTIONAL { ?p al:source ?src }
} GROUP BY ?p ?x ?y ?dk ?share ?announced ?start ?end ?status
"""

DIRECT_EDGES = """
SELECT ?x ?y ?dk (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources) WHERE {
  ?x ?prop ?y .
  { ?prop rdfs:subPropertyOf+ al:dependsOn ; al:dependencyKind ?dk }
  UNION { FILTER(?prop = al:dependsOn) }
  FILTER(?x != ?y)
  OPTIONAL { ?x al:source ?src }
} GROUP BY ?x ?y ?dk
"""

OWNERSHIP_EDGES = """
SELECT ?x ?y (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources) WHERE {
  ?x al:subsidiaryOf ?y . FILTER(?x != ?y)
  OPTIONAL { ?x al:source ?src }
} GROUP BY ?x ?y
"""

NODE_LAYERS = "SELECT DISTINCT ?x ?layer WHERE { ?x al:layer ?layer }"
NODE_ARENAS = """
SELECT DISTINCT ?x ?arena WHERE { ?c a al:Competition ; al:arena ?arena ; al:competitor ?x }
"""
ENDED = {"cancelled", "ended"}


def _ids(text) -> list[str]:
    return sorted(local_id(s) for s in str(text).split(" ")) if text else []


def dependency_graph(store: Store, as_of: str | None = None, kinds=None):
    """The dependency DiGraph of `store` (edges consumer -> provider).

    `as_of` (YYYY-MM-DD) keeps only partnerships active on that date; `kinds` (an
    iterable of dependency kind ids) keeps only those kinds, and the weights are
    then normalised over the kinds kept.

    Node attributes: ``label``, ``cls`` (most specific class), ``layers`` and
    ``arenas`` (lists of ids). Edge attributes: ``kind`` (kinds joined with ``+``
    when a pair depends in several ways), ``shares`` ({kind: share}), ``weight``,
    ``estimated`` (bool), ``estimated_kinds``, ``partnerships``, ``sources``
    (lists of ids), ``announced`` (earliest date or None).
    """
    import networkx as nx

    from .resolve import Resolver

    wanted = set(kinds) if kinds else None
    today = dt.date.today().isoformat()
    # (x, y, kind) -> merged record
    facts: dict[tuple[str, str, str], dict] = {}

    def add(x, y, kind, share=None, partnership=None, sources=(), announced=None):
        if wanted is not None and kind not in wanted:
            return
        rec = facts.setdefault((x, y, kind), {"share": None, "partnerships": set(),
                                              "sources": set(), "announced": None})
        if share is not None:
            rec["share"] = share if rec["share"] is None else max(rec["share"], share)
        if partnership:
            rec["partnerships"].add(partnership)
        rec["sources"].update(sources)
        if announced and (rec["announced"] is None or announced < rec["announced"]):
            rec["announced"] = announced

    for r in store.select(PARTNERSHIP_EDGES):
        if r["status"] is not None and local_id(r["status"]) in ENDED:
            continue
        if not active_as_of(r["announced"], r["start"], r["end"], as_of):
            continue
        if as_of is None and r["end"] is not None and str(r["end"]) <= today:
            continue
        share = r["share"]
        share = min(1.0, max(0.0, float(share.toPython()))) if share is not None else None
        add(local_id(r["x"]), local_id(r["y"]), local_id(r["dk"]), share, local_id(r["p"]),
            _ids(r["sources"]), r["announced"] and str(r["announced"]))
    for r in store.select(DIRECT_EDGES):
        kind = local_id(r["dk"]) if r["dk"] is not None else "other"
        add(local_id(r["x"]), local_id(r["y"]), kind, sources=_ids(r["sources"]))
    for r in store.select(OWNERSHIP_EDGES):
        add(local_id(r["x"]), local_id(r["y"]), "ownership", sources=_ids(r["sources"]))

    graph = nx.DiGraph()
    for (x, y, kind), rec in facts.items():
        for node in (x, y):
            if node not in graph:
                graph.add_node(node, label=node, cls=None, layers=[], arenas=[])
        data = graph.get_edge_data(x, y)
        if data is None:
            graph.add_edge(x, y, shares={}, stated={}, partnerships=[], sources=[], announced=None)
            data = graph.edges[x, y]
        data["stated"][kind] = rec["share"]
        data["partnerships"] = sorted(set(data["partnerships"]) | rec["partnerships"])
        data["sources"] = sorted(set(data["sources"]) | rec["sources"])
        if rec["announced"] and (data["announced"] is None or rec["announced"] < data["announced"]):
            data["announced"] = rec["announced"]

    entities = {ref.id: ref for ref in Resolver(store).entities.values()}
    for node, attrs in graph.nodes(data=True):
        ref = entities.get(node)
        if ref is not None:
            attrs["label"], attrs["cls"] = ref.label, ref.cls
    for r in store.select(NODE_LAYERS):
        node = local_id(r["x"])
        if node in graph:
            graph.nodes[node]["layers"] = sorted({*graph.nodes[node]["layers"], local_id(r["layer"])})
    for r in store.select(NODE_ARENAS):
        node = local_id(r["x"])
        if node in graph:
            graph.nodes[node]["arenas"] = sorted({*graph.nodes[node]["arenas"], local_id(r["arena"])})
    assign_weights(graph)
    return graph


def assign_weights(graph, kinds=None) -> None:
    """(Re)compute ``shares``, ``weight``, ``estimated`` and ``kind`` of every edge from
    the stated shares (``stated``: {kind: share or None}), as the module docstring
    says. With `kinds`, only those kinds count (the others get share 0)."""
    per_kind: dict[tuple[str, str], list[tuple[str, float | None]]] = defaultdict(list)
    for x, y, data in graph.edges(data=True):
        for kind, share in data["stated"].items():
            if kinds is None or kind in kinds:
                per_kind[(x, kind)].append((y, share))
    n_kinds: dict[str, int] = defaultdict(int)
    for x, _kind in per_kind:
        n_kinds[x] += 1
    for _x, _y, data in graph.edges(data=True):
        data["shares"], data["estimated_kinds"] = {}, []
    for (x, kind), suppliers in per_kind.items():
        stated = sum(s for _, s in suppliers if s is not None)
        unknown = [y for y, s in suppliers if s is None]
        rest = max(0.0, 1.0 - stated) / len(unknown) if unknown else 0.0
        scale = 1.0 / stated if stated > 1.0 else 1.0  # stated shares that overshoot 1
        for y, share in suppliers:
            data = graph.edges[x, y]
            if share is None:
                data["shares"][kind] = rest
                data["estimated_kinds"].append(kind)
            else:
                data["shares"][kind] = share * scale
    for x, _y, data in graph.edges(data=True):
        data["weight"] = sum(data["shares"].values()) / n_kinds[x] if n_kinds[x] else 0.0
        data["estimated"] = bool(data["estimated_kinds"])
        data["kind"] = "+".join(sorted(data["shares"])) or "+".join(sorted(data["stated"]))
