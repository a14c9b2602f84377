"""Concentration, coverage, chokepoints, coopetition, vertical integration and capex tables.

Every function returns plain rows (lists of dicts) or a small dataclass; the CLI only
formats them. Graph metrics take the DiGraph of :func:`alliances.graph.dependency.dependency_graph`;
the others read the store through SPARQL.

HHI (Herfindahl-Hirschman index) is the sum of squared shares in percent (0..10,000),
banded as the DOJ/FTC do: unconcentrated below 1,000, moderate 1,000-1,800, high above 1,800.

>>> hhi([0.5, 0.5]), band(5000.0)
(5000.0, 'high')
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from alliances.datavalues import number
from alliances.graph.weights import AMOUNTS, BASES, MARKET, REMAINDER, STATED
from alliances.kinds import LEAF_LAYERS as LAYERS
from alliances.store.base import Store
from alliances.vocab import local_id

NOT_DEALS = {"regulatory-review", "export-control"}


def hhi(shares) -> float:
    """HHI of shares given as fractions (0..1) of the whole."""
    return float(sum((100.0 * s) ** 2 for s in shares))


def band(value: float) -> str:
    if value < 1000:
        return "unconcentrated"
    if value <= 1800:
        return "moderate"
    return "high"


def _by_kind(graph):
    """(entity, kind) -> [(supplier, share, basis)] from the edges' per-kind shares."""
    out: dict[tuple[str, str], list] = defaultdict(list)
    for x, y, d in graph.edges(data=True):
        shares = d.get("shares", {d.get("kind", ""): d.get("weight", 0.0)})
        for kind, share in shares.items():
            out[(x, kind)].append((y, share, d.get("basis", {}).get(kind, STATED)))
    return out


DERIVED = {STATED, REMAINDER, AMOUNTS, MARKET}


def supplier_hhi(graph) -> list[dict]:
    """HHI of each entity's suppliers per dependency kind, on the shares of the part of
    its need that the known suppliers cover (normalised to sum to 1), computed only
    where every share is stated or derived (remainder, amounts, market share). Where a share rests
    on an even split (one known supplier and no share, or several without a basis) the
    band is ``unknown``: missing coverage, not a verified sole source. ``coverage`` is
    the part of the need the data states shares for; ``basis`` the bases used."""
    rows = []
    for (x, kind), sup in sorted(_by_kind(graph).items()):
        total = sum(s for _, s, _ in sup)
        shares = [s / total for _, s, _ in sup] if total > 0 else [1.0 / len(sup)] * len(sup)
        known = all(b in DERIVED for _, _, b in sup)
        value = hhi(shares) if known else None
        top = min(zip(shares, [y for y, _, _ in sup]), key=lambda t: (-t[0], t[1]))
        rows.append({"entity": x, "kind": kind, "suppliers": len(sup),
                     "hhi": round(value, 1) if value is not None else None,
                     "band": band(value) if value is not None else "unknown",
                     "top_supplier": top[1], "top_share": round(top[0], 4) if known else None,
                     "basis": sorted({b for _, _, b in sup}, key=BASES.index),
                     "coverage": round(min(1.0, sum(s for _, s, b in sup if b == STATED)), 4)})
    rows.sort(key=lambda r: (r["hhi"] is None, -(r["hhi"] or 0.0), r["entity"], r["kind"]))
    return rows


def single_supplier(graph) -> list[dict]:
    """Dependencies of one kind that rest on a single known supplier, with the basis of
    its share (``stated``: a source says how much; ``even split``: only that it supplies)."""
    rows = []
    for (x, kind), sup in sorted(_by_kind(graph).items()):
        if len(sup) == 1:
            y, share, basis = sup[0]
            rows.append({"entity": x, "kind": kind, "supplier": y, "share": share, "basis": basis,
                         "partnerships": graph.edges[x, y].get("partnerships", [])})
    return rows


def coverage(graph) -> list[dict]:
    """How many dependency edges (entity, supplier, kind) rest on each basis (stated,
    remainder, amounts, market share, even split), per kind and overall (row ``all``), and the
    share of them that is stated: where the data's gaps are."""
    from alliances.graph.weights import coverage_rows

    return coverage_rows(graph)


MARKET_SHARES = """
SELECT ?o ?subject ?arena ?value ?unit ?period ?asOf
       (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources) WHERE {
  ?o a al:Observation ; al:metric metric:market-share ; al:subject ?subject ; al:arena ?arena ;
     al:value ?value ; al:unit ?unit .
  OPTIONAL { ?o al:period ?period } OPTIONAL { ?o al:asOf ?asOf } OPTIONAL { ?o al:source ?src }
  FILTER NOT EXISTS { ?newer al:supersedes ?o }
} GROUP BY ?o ?subject ?arena ?value ?unit ?period ?asOf ORDER BY ?o
"""


def market_hhi(store: Store) -> list[dict]:
    """HHI of each market (arena and period) from market-share observations that name
    their arena (``al:arena`` on the observation). Percent values; when two figures give
    the same firm's share, the latest (``al:asOf``, else the last id) counts.
    ``coverage`` is the sum of the shares known (100 means the whole market)."""
    groups: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for r in store.select(MARKET_SHARES):
        value = number(store, r["value"], r["o"], "value")
        if value is None:  # not a number: reported once, left out
            continue
        if str(r["unit"]).lower() not in ("percent", "%"):
            value *= 100.0  # a fraction
        key = (local_id(r["arena"]), str(r["period"]) if r["period"] is not None else "")
        rec = {"value": value, "as_of": str(r["asOf"] or ""), "id": local_id(r["o"]),
               "sources": sorted(local_id(s) for s in str(r["sources"] or "").split()) }
        old = groups[key].get(local_id(r["subject"]))
        if old is None or (rec["as_of"], rec["id"]) > (old["as_of"], old["id"]):
            groups[key][local_id(r["subject"])] = rec
    rows = []
    for (arena, period), firms in sorted(groups.items()):
        value = hhi(f["value"] / 100.0 for f in firms.values())
        rows.append({"market": arena, "period": period, "hhi": round(value, 1), "band": band(value),
                     "firms": len(firms), "coverage": round(sum(f["value"] for f in firms.values()), 2),
                     "shares": {k: f["value"] for k, f in sorted(firms.items())},
                     "sources": sorted({s for f in firms.values() for s in f["sources"]})})
    return rows


@dataclass
class Chokepoints:
    """Entities ranked by criticality, with betweenness, articulation points and dominators."""

    rows: list[dict]
    sampled: bool = False
    k: int | None = None
    notes: list[str] = field(default_factory=list)


# Sampled betweenness costs one shortest-path search per pivot over every edge
# (0.09 s per pivot at 100k edges): pivots x edges is kept near this budget.
BETWEENNESS_BUDGET = 10_000_000


def chokepoints(graph, sample_above: int = 2000, k: int | None = None, seed: int = 0) -> Chokepoints:
    """Criticality of Y = the sum of every other entity's exposure to Y (a full shock on Y);
    betweenness centrality (sampled with `k` pivots above `sample_above` nodes; by
    default k shrinks as the graph grows, from 500 to 50, and the notes say which k);
    articulation points of the undirected view; and the dominator tree of the supply
    view (edges provider -> consumer, a virtual root feeding every entity that depends
    on nobody): Y dominates Z when every supply chain reaching Z passes through Y."""
    import networkx as nx

    from alliances.graph.criticality import criticality

    notes = []
    n = graph.number_of_nodes()
    sampled = n > sample_above
    if k is None:  # 500 pivots up to 20k edges, fewer above (100 at 100k edges), never under 50
        k = max(50, min(500, BETWEENNESS_BUDGET // max(1, graph.number_of_edges())))
    between = nx.betweenness_centrality(graph, k=min(k, n) if sampled else None, seed=seed)
    if sampled:
        notes.append(f"betweenness sampled with k={min(k, n)} of {n} nodes")
    articulation = set(nx.articulation_points(graph.to_undirected(as_view=True)))
    supply = graph.reverse(copy=True)
    root = ("\0root",)
    supply.add_edges_from((root, v) for v in graph if graph.out_degree(v) == 0)
    idom = nx.immediate_dominators(supply, root) if supply.number_of_nodes() > 1 else {}
    children: dict = defaultdict(list)
    for v, d in idom.items():
        if v != root and d != root:
            children[d].append(v)

    def subtree(v) -> int:
        stack, count = list(children[v]), 0
        while stack:
            count += 1
            stack.extend(children[stack.pop()])
        return count

    rows = []
    crit = criticality(graph)  # all nodes at once: one solve per node took minutes at 30k nodes
    for v in graph:
        if graph.in_degree(v) == 0 and v not in articulation:
            continue
        rows.append({"entity": v, "label": graph.nodes[v].get("label", v),
                     "criticality": round(crit[v], 4), "dependents": graph.in_degree(v),
                     "betweenness": round(between.get(v, 0.0), 4),
                     "articulation": v in articulation, "dominates": subtree(v),
                     "dominated": sorted(children[v])})
    rows.sort(key=lambda r: (-r["criticality"], -r["betweenness"], r["entity"]))
    return Chokepoints(rows, sampled, min(k, n) if sampled else None, notes)


COMPETITORS = """
SELECT ?c ?arena ?x WHERE { ?c a al:Competition ; al:arena ?arena ; al:competitor ?x }
"""
PARTY_ROLES = "SELECT ?role WHERE { ?role rdfs:subPropertyOf+ al:party }"
PARTNERSHIP_PARTIES = """
SELECT ?p ?kind ?label ?prop ?x WHERE {
  ?p al:kind ?kind ; ?prop ?x . OPTIONAL { ?p rdfs:label ?label }
}
"""


def coopetition(store: Store) -> list[dict]:
    """Pairs that compete in an arena and are parties of the same partnership (regulatory
    reviews and export controls are not deals and do not count). Two simple queries
    joined in Python (property paths over pairs are slow on rdflib)."""
    roles = {str(r["role"]) for r in store.select(PARTY_ROLES)}
    deals: dict[str, dict] = {}
    by_party: dict[str, set[str]] = defaultdict(set)
    for r in store.select(PARTNERSHIP_PARTIES):
        if str(r["prop"]) not in roles or local_id(r["kind"]) in NOT_DEALS:
            continue
        p = local_id(r["p"])
        deals[p] = {"kind": local_id(r["kind"]), "deal": r["label"] and str(r["label"])}
        by_party[local_id(r["x"])].add(p)
    arenas: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in store.select(COMPETITORS):
        arenas[(local_id(r["c"]), local_id(r["arena"]))].add(local_id(r["x"]))
    found: dict[tuple, list[str]] = defaultdict(list)
    for (comp, arena), members in arenas.items():
        for a in members:
            for b in members:
                if a < b:
                    for p in by_party[a] & by_party[b]:
                        found[(a, b, arena, p)].append(comp)
    return [{"a": a, "b": b, "arena": arena, "competitions": sorted(comps), "partnership": p,
             **deals[p]} for (a, b, arena, p), comps in sorted(found.items())]


INTEGRATION = """
SELECT DISTINCT ?org ?label ?layer ?via WHERE {
  ?org a ?cls . ?cls rdfs:subClassOf* al:Organization . ?org rdfs:label ?label .
  { ?org al:layer ?layer . BIND(?org AS ?via) }
  UNION { ?via al:developedBy ?org ; al:layer ?layer }
  UNION { ?via al:subsidiaryOf+ ?org ; al:layer ?layer }
  UNION { ?sub al:subsidiaryOf+ ?org . ?via al:developedBy ?sub ; al:layer ?layer }
}
"""


def integration(store: Store) -> list[dict]:
    """Company x layer: for each organization and each layer (chips, cloud, models,
    orchestration, application), what puts it there: itself (``al:layer`` on the
    company), its products (``al:developedBy``) and its subsidiaries'. Sorted by the
    number of layers covered."""
    table: dict[str, dict] = {}
    for r in store.select(INTEGRATION):
        layer = local_id(r["layer"])
        if layer not in LAYERS:
            continue
        org = local_id(r["org"])
        row = table.setdefault(org, {"company": org, "label": str(r["label"]),
                                     **{name: [] for name in LAYERS}})
        via = local_id(r["via"])
        if via not in row[layer]:
            row[layer] = sorted([*row[layer], via])
    rows = list(table.values())
    for row in rows:
        row["layers"] = sum(1 for name in LAYERS if row[name])
    rows.sort(key=lambda r: (-r["layers"], r["company"]))
    return rows


def capex(store: Store, as_of: str | None = None) -> list[dict]:
    """Capex figures by company and period, with their sources; figures that sources
    give differently (see :func:`alliances.catalog.conflicts.find_conflicts`) sit side by side
    in one row, flagged ``conflict``."""
    from alliances.catalog.conflicts import find_conflicts, superseded_ids
    from alliances.catalog.listing import observations

    conflicting = {r["observation"] for r in find_conflicts(store) if r["metric"] == "capex"}
    superseded = superseded_ids(store)
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for o in observations(store, metric="capex", as_of=as_of):
        if o["id"] not in superseded and o["value"] is not None:
            groups[(o["subject"], o["period"] or "", o["unit"])].append(o)
    rows = []
    for (subject, period, unit), obs in sorted(groups.items()):
        obs.sort(key=lambda o: (o["value"], o["id"]))

        def text(o):
            value = f"{o['value']:,.0f}" + (f"-{o['value_max']:,.0f}" if o["value_max"] else "")
            return f"{value} [{', '.join(o['sources'])}]"

        rows.append({"company": subject, "period": period, "unit": unit,
                     "value": obs[0]["value"], "value_max": obs[0]["value_max"],
                     "values": " | ".join(text(o) for o in obs),
                     "conflict": any(o["id"] in conflicting for o in obs),
                     "observations": [o["id"] for o in obs],
                     "sources": sorted({s for o in obs for s in o["sources"]})})
    return rows
