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
from .vocab import AL, local_id

KINDS = ("chips", "foundry", "memory", "equipment", "compute", "models", "capital",
         "distribution", "licensing", "power", "ownership", "other")

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

# Every statement about a partnership (roles, share, dates, status, sources), sorted in Python.
PARTNERSHIP_FACTS = "SELECT ?p ?prop ?value WHERE { ?p al:kind ?k ; ?prop ?value }"

DIRECT_EDGES = "SELECT ?x ?prop ?y WHERE { VALUES ?prop { %s } ?x ?prop ?y . FILTER(?x != ?y) }"
ENTITY_SOURCES = "SELECT ?x ?src WHERE { ?x al:source ?src }"

NODE_LAYERS = "SELECT DISTINCT ?x ?layer WHERE { ?x al:layer ?layer }"
NODE_ARENAS = """
SELECT DISTINCT ?x ?arena WHERE { ?c a al:Competition ; al:arena ?arena ; al:competitor ?x }
"""
ENDED = {"cancelled", "ended"}


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

    from .resolve import resolver_for

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

    roles: dict[str, set[str]] = defaultdict(set)
    kind_of: dict[str, str] = {}  # partnership kind IRI -> dependency kind id
    direct: dict[str, str] = {}   # dependsOn sub-property IRI -> dependency kind id
    for r in store.select(VOCABULARY):
        term, what = str(r["term"]), str(r["what"])
        if what == "kind":
            kind_of[term] = local_id(r["dk"])
        elif what == "dependsOn":
            direct[term] = local_id(r["dk"]) if r["dk"] is not None else "other"
        else:
            roles[what].add(term)
    kind_of = {k: v for k, v in kind_of.items() if k not in direct}

    def values(iris) -> str:
        return " ".join(f"<{i}>" for i in sorted(iris))

    facts_of: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in store.select(PARTNERSHIP_FACTS):
        facts_of[str(r["p"])][str(r["prop"])].append(r["value"])
    prop = str(AL)
    for p, f in facts_of.items():
        dks = {kind_of[str(k)] for k in f[prop + "kind"] if str(k) in kind_of}
        if not dks:
            continue

        def one(name, f=f):
            vals = f.get(prop + name)
            return min(vals) if vals else None

        status = one("status")
        if status is not None and local_id(status) in ENDED:
            continue
        announced, start, end = one("announced"), one("start"), one("end")
        if not active_as_of(announced, start, end, as_of):
            continue
        if as_of is None and end is not None and str(end) <= today:
            continue
        share = f.get(prop + "share")
        share = min(1.0, max(0.0, max(float(v.toPython()) for v in share))) if share else None
        sources = sorted(local_id(v) for v in f.get(prop + "source", []))
        dependents = {v for role in roles["dependent"] for v in f.get(role, [])}
        suppliers = {v for role in roles["supplier"] for v in f.get(role, [])}
        for x in dependents:
            for y in suppliers:
                if x != y:
                    for dk in dks:
                        add(local_id(x), local_id(y), dk, share, local_id(p), sources,
                            announced and str(announced))
    entity_sources: dict[str, list[str]] = defaultdict(list)
    for r in store.select(ENTITY_SOURCES):
        entity_sources[str(r["x"])].append(local_id(r["src"]))
    direct[prop + "subsidiaryOf"] = "ownership"
    for r in store.select(DIRECT_EDGES % values(direct)):
        x, y, kind = local_id(r["x"]), local_id(r["y"]), direct[str(r["prop"])]
        if kind == "ownership":
            x, y = y, x
        add(x, y, kind, sources=entity_sources.get(str(r["x"]), []))

    graph = nx.DiGraph()
    for (x, y, kind), rec in sorted(facts.items()):  # sorted: the same graph on every store
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

    entities = {ref.id: ref for ref in resolver_for(store).entities.values()}
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
