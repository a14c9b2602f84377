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
* ownership: ``X al:subsidiaryOf Y`` gives an edge Y -> X of kind ``ownership``: a
  parent's business rests on its subsidiaries (Amazon -> AWS -> Nvidia), while a
  subsidiary does not inherit its parent's suppliers (SK hynix is not exposed to
  Nvidia because SK Group buys GPUs).

Weights. For a node X and a kind k, ``share_k(X, Y)`` is the share of X's need of
kind k that Y covers. A share stated by the data (``al:share``; the largest one when
several partnerships state one for the same pair) is kept; the remainder
``max(0, 1 - sum of stated shares)`` is split evenly among the suppliers of that
kind without a stated share, and those shares are flagged ``estimated``. Each kind
X depends on is an equal part of X's need, so the edge weight is

    W[X, Y] = sum_k share_k(X, Y) / K(X)

where K(X) is the number of kinds X depends on. Every row of W sums to at most 1,
which keeps exposures in [0, 1] (see :mod:`alliances.graph.exposure`).

>>> from alliances.store.memory import load
>>> g = dependency_graph(load())
>>> g.number_of_edges() > 0
True
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict

from alliances.datavalues import date_text, number
from alliances.gcpause import gc_paused
from alliances.store.base import Store
from alliances.timeline import active_as_of
from alliances.vocab import AL, iri_list, local_id

# The vocabulary (roles, kinds, dependsOn sub-properties) is read first, so the edge
# queries bind their predicates with VALUES: far faster than property paths on rdflib.
VOCABULARY = """
SELECT ?term ?what ?dk WHERE {
  { ?term rdfs:subPropertyOf* al:dependent . BIND("dependent" AS ?what) }
  UNION { ?term rdfs:subPropertyOf* al:supplier . BIND("supplier" AS ?what) }
  UNION { ?term al:dependencyKind ?dk . BIND("kind" AS ?what) }
  UNION { ?term rdfs:subPropertyOf* al:dependsOn . BIND("dependsOn" AS ?what)
          OPTIONAL { ?term al:dependencyKind ?dk } }
}
"""

# Partnership edges are read with one scan per property and no join: on an on-disk
# store a join costs an index seek per row. Two columns at most: every value read back
# is a string looked up in the store (1M triples: 2.7 s instead of 3.4 s).
PARTNERSHIPS_OF_KINDS = "SELECT ?p WHERE { VALUES ?k { %s } ?p al:kind ?k }"
PARTIES = "SELECT ?p ?x WHERE { VALUES ?role { %s } ?p ?role ?x }"
PARTNERSHIP_FACT = "SELECT ?p ?value WHERE { ?p al:%s ?value }"

DIRECT_EDGES = "SELECT ?x ?prop ?y WHERE { VALUES ?prop { %s } ?x ?prop ?y . FILTER(?x != ?y) }"
ENTITY_SOURCES = "SELECT ?x ?src WHERE { ?x al:source ?src }"

NODE_LAYERS = "SELECT DISTINCT ?x ?layer WHERE { ?x al:layer ?layer }"
NODE_ARENAS = """
SELECT DISTINCT ?x ?arena WHERE { ?c a al:Competition ; al:arena ?arena ; al:competitor ?x }
"""
ENDED = {"cancelled", "ended"}


@gc_paused
def dependency_graph(store: Store, as_of: str | None = None, kinds=None, provenance: bool = True):
    """The dependency DiGraph of `store` (edges consumer -> provider).

    `as_of` (YYYY-MM-DD) keeps only partnerships active on that date; `kinds` (an
    iterable of dependency kind ids) keeps only those kinds, and the weights are
    then normalised over the kinds kept. With ``provenance=False`` the edges'
    ``sources`` stay empty: exposure does not need them, and on a large store reading
    every al:source is a good part of the time.

    Node attributes: ``label``, ``cls`` (most specific class), ``layers`` and
    ``arenas`` (lists of ids). Edge attributes: ``kind`` (kinds joined with ``+``
    when a pair depends in several ways), ``shares`` ({kind: share}), ``weight``,
    ``estimated`` (bool), ``estimated_kinds``, ``partnerships``, ``sources``
    (lists of ids), ``announced`` (earliest date or None).
    """
    import networkx as nx

    from alliances.catalog.resolve import resolver_for

    wanted = set(kinds) if kinds else None
    today = dt.date.today().isoformat()
    short = functools.cache(local_id)  # the same IRIs come back on many rows

    roles: dict[str, set[str]] = defaultdict(set)
    kind_of: dict[str, str] = {}  # partnership kind IRI -> dependency kind id
    direct: dict[str, str] = {}   # dependsOn sub-property IRI -> dependency kind id
    for term, what, dk in store.values(VOCABULARY):
        if what == "kind":
            kind_of[term] = local_id(dk)
        elif what == "dependsOn":
            direct[term] = local_id(dk) if dk is not None else "other"
        else:
            roles[what].add(term)
    kind_of = {k: v for k, v in kind_of.items() if k not in direct}

    # partnership IRI -> its dependency kinds
    kinds_of: dict[str, set[str]] = defaultdict(set)
    by_dependency_kind: dict[str, list[str]] = defaultdict(list)
    for term, dk in kind_of.items():
        if wanted is None or dk in wanted:
            by_dependency_kind[dk].append(term)
    for dk, terms in sorted(by_dependency_kind.items()):
        for (p,) in store.values(PARTNERSHIPS_OF_KINDS % iri_list(terms)):
            kinds_of[p].add(dk)

    def grouped(query) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for p, value in store.values(query):
            if p in kinds_of:
                out[p].append(value)
        return out

    def first(query) -> dict[str, str]:  # the least value, when a partnership states several
        return {p: min(vals) for p, vals in grouped(query).items()}

    def first_date(prop) -> dict[str, str]:  # the earliest date; a value that is no date is skipped
        out = {}
        for p, vals in grouped(PARTNERSHIP_FACT % prop).items():
            dates = [d for d in (date_text(store, v, p, prop) for v in vals) if d is not None]
            if dates:
                out[p] = min(dates)
        return out

    dependents = grouped(PARTIES % iri_list(roles["dependent"])) if roles["dependent"] else {}
    suppliers = grouped(PARTIES % iri_list(roles["supplier"])) if roles["supplier"] else {}
    status, end = first(PARTNERSHIP_FACT % "status"), first_date("end")
    shares = grouped(PARTNERSHIP_FACT % "share")
    # dates only when filtering by date or keeping provenance; sources only for provenance
    dated = as_of is not None or provenance
    announced_of = first_date("announced") if dated else {}
    start_of = first_date("start") if dated else {}
    sources_of = grouped(PARTNERSHIP_FACT % "source") if provenance else {}

    # (x, y) -> {"stated": {kind: share or None}, "partnerships", "sources", "announced"}
    edges: dict[tuple[str, str], dict] = {}

    def add(x, y, kind, share=None, partnership=None, sources=(), announced=None):
        data = edges.get((x, y))
        if data is None:
            data = edges[(x, y)] = {"shares": {}, "stated": {}, "partnerships": set(),
                                    "sources": set(), "announced": None}
        stated = data["stated"]
        if share is not None and stated.get(kind) is not None:
            stated[kind] = max(stated[kind], share)
        elif kind not in stated or share is not None:
            stated[kind] = share
        if partnership:
            data["partnerships"].add(partnership)
        data["sources"].update(sources)
        if announced and (data["announced"] is None or announced < data["announced"]):
            data["announced"] = announced

    for p, dks in kinds_of.items():
        xs, ys = dependents.get(p), suppliers.get(p)
        if not xs or not ys:
            continue
        if p in status and local_id(status[p]) in ENDED:
            continue
        announced, start, stop = announced_of.get(p), start_of.get(p), end.get(p)
        if not active_as_of(announced, start, stop, as_of):
            continue
        if as_of is None and stop is not None and stop <= today:
            continue
        stated = [v for v in (number(store, v, p, "share") for v in shares.get(p, ())) if v is not None]
        share = min(1.0, max(0.0, max(stated))) if stated else None
        sources = [local_id(v) for v in sources_of.get(p, ())]
        pid = short(p)
        for x in set(xs):
            for y in set(ys):
                if x != y:
                    for dk in dks:
                        add(short(x), short(y), dk, share, pid, sources, announced)
    entity_sources: dict[str, list[str]] = defaultdict(list)
    if provenance:
        for x, src in store.values(ENTITY_SOURCES):
            entity_sources[x].append(local_id(src))
    direct[str(AL) + "subsidiaryOf"] = "ownership"
    for x_iri, p_iri, y_iri in store.values(DIRECT_EDGES % iri_list(direct)):
        x, y, kind = short(x_iri), short(y_iri), direct[p_iri]
        if kind == "ownership":
            x, y = y, x
        if wanted is None or kind in wanted:
            add(x, y, kind, sources=entity_sources.get(x_iri, []))

    # sorted, so that the graph is the same on every store
    edges = {pair: edges[pair] for pair in sorted(edges)}
    for data in edges.values():
        data["partnerships"] = sorted(data["partnerships"])
        data["sources"] = sorted(data["sources"])
        data["stated"] = dict(sorted(data["stated"].items()))

    entities = {ref.id: ref for ref in resolver_for(store).entities.values()}
    nodes = sorted({n for pair in edges for n in pair})
    node_attrs = {n: {"label": n, "cls": None, "layers": [], "arenas": []} for n in nodes}
    for node, attrs in node_attrs.items():
        ref = entities.get(node)
        if ref is not None:
            attrs["label"], attrs["cls"] = ref.label, ref.cls
    for query, attr in ((NODE_LAYERS, "layers"), (NODE_ARENAS, "arenas")):
        found: dict[str, set[str]] = defaultdict(set)
        for x, value in store.values(query):
            node = short(x)
            if node in node_attrs:
                found[node].add(local_id(value))
        for node, ids in found.items():
            node_attrs[node][attr] = sorted(ids)
    graph = nx.DiGraph()
    graph.add_nodes_from(node_attrs.items())
    weigh_edges(edges)
    graph.add_edges_from((x, y, data) for (x, y), data in edges.items())
    return graph


def assign_weights(graph, kinds=None) -> None:
    """(Re)compute ``shares``, ``weight``, ``estimated`` and ``kind`` of every edge from
    the stated shares (``stated``: {kind: share or None}), as the module docstring
    says. With `kinds`, only those kinds count (the others get share 0)."""
    weigh_edges({(x, y): data for x, y, data in graph.edges(data=True)}, kinds)


def weigh_edges(edges: dict, kinds=None) -> None:
    """:func:`assign_weights` on a plain {(x, y): data} mapping (what the graph is built
    from: a third of the time of walking networkx's edge views at 100k edges)."""
    per_kind: dict[tuple[str, str], list[tuple[str, float | None]]] = defaultdict(list)
    for (x, y), data in edges.items():
        for kind, share in data["stated"].items():
            if kinds is None or kind in kinds:
                per_kind[(x, kind)].append((y, share))
    n_kinds: dict[str, int] = defaultdict(int)
    for x, _kind in per_kind:
        n_kinds[x] += 1
    for data in edges.values():
        data["shares"], data["estimated_kinds"] = {}, []
    for (x, kind), suppliers in per_kind.items():
        stated = sum(s for _, s in suppliers if s is not None)
        unknown = [y for y, s in suppliers if s is None]
        rest = max(0.0, 1.0 - stated) / len(unknown) if unknown else 0.0
        scale = 1.0 / stated if stated > 1.0 else 1.0  # stated shares that overshoot 1
        for y, share in suppliers:
            data = edges[(x, y)]
            if share is None:
                data["shares"][kind] = rest
                data["estimated_kinds"].append(kind)
            else:
                data["shares"][kind] = share * scale
    for (x, _y), data in edges.items():
        shares = data["shares"]
        data["weight"] = sum(shares.values()) / n_kinds[x] if n_kinds[x] else 0.0
        data["estimated"] = bool(data["estimated_kinds"])
        data["kind"] = "+".join(sorted(shares)) or "+".join(sorted(data["stated"]))
