"""Project the RDF graph into a networkx DiGraph "X depends on Y" (consumer -> provider).

Edges come from four kinds of facts, read with SPARQL only:

* partnerships: every party in a role under ``al:dependent`` depends on every party
  in a role under ``al:supplier``, with the dependency kind of the partnership kind
  (``kind:chip-supply`` -> ``chips``, ``kind:investment`` -> ``capital``, ...);
  cancelled or ended partnerships and those not active on ``as_of`` (default: those
  whose ``al:end`` has passed) are left out;
* direct product dependencies: sub-properties of ``al:dependsOn`` carry their kind
  (``al:usesChip`` -> ``chips``, ``al:fabricatedBy`` -> ``foundry``, ...); the
  generic ``al:dependsOn`` gives kind ``other``;
* ownership (kind ``ownership``): ``X al:subsidiaryOf Y`` gives an edge Y -> X (a
  parent's business rests on its subsidiaries: Amazon -> AWS -> Nvidia, while SK hynix
  is not exposed to Nvidia because SK Group buys GPUs); ``P al:developedBy O`` gives
  P -> O when the data names no input of P itself and someone depends on P (the
  product's supply is its maker's: xAI Colossus -> Nvidia GPUs -> Nvidia);
* ``metric:supply-share`` observations (``al:subject`` buyer, ``al:counterparty``
  supplier, ``al:dependencyKind``) state shares, and ``metric:customer-share``
  observations the share of a seller's sales that goes to a customer.

The weights and their basis (stated, amounts, market share, even split) are
:mod:`alliances.graph.weights`'. The graph also carries, in ``graph.graph``, what the
exposure model (:mod:`alliances.graph.model`) reads: the needs table (``needs``:
{kind: kinds it needs}, from ``al:needs`` in the ontology; None when the store has none,
and the model is then kind-blind), the group kinds (``group_kinds``), each
organization's parts (``parts``: its subsidiaries and products, shocked with it) and
the products' makers (``makers``), and the market shares used as a basis (``market``).

>>> from alliances.store.memory import load
>>> g = dependency_graph(load())
>>> g.number_of_edges() > 0 and sorted(g.graph["needs"]["foundry"])
['equipment', 'foundry', 'power']
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict

from alliances.datavalues import date_text, number
from alliances.gcpause import gc_paused
from alliances.store.base import Store
from alliances.timeline import active_as_of
from alliances.vocab import AL, iri_list, local_id, safe_iri

# The vocabulary (roles, kinds, dependsOn sub-properties) is read first, so the edge
# queries bind their predicates with VALUES: far faster than property paths on rdflib.
VOCABULARY = """
SELECT ?term ?what ?dk WHERE {
  { ?term rdfs:subPropertyOf* al:dependent . BIND("dependent" AS ?what) }
  UNION { ?term rdfs:subPropertyOf* al:supplier . BIND("supplier" AS ?what) }
  UNION { ?term al:dependencyKind ?dk ; skos:inScheme al:PartnershipKinds . BIND("kind" AS ?what) }
  UNION { ?term rdfs:subPropertyOf* al:dependsOn . BIND("dependsOn" AS ?what)
          OPTIONAL { ?term al:dependencyKind ?dk } }
  UNION { ?term al:needs ?dk . BIND("needs" AS ?what) }
  UNION { ?term a al:GroupKind . BIND("group" AS ?what) }
  UNION { ?term al:marketArena ?dk . BIND("arena" AS ?what) }
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
SHARE_METRICS = ("supply-share", "customer-share", "market-share")
# A figure of one segment (TSMC's CoWoS capacity: Nvidia 60%) is not a share of the whole
# supply or sales of a kind (Nvidia: 22% of TSMC's revenue): it shows the dependency and is
# cited on its edge, but only whole-company figures give the share.
OBSERVATIONS = """
SELECT ?o ?metric ?subject ?other ?dk ?arena ?value ?unit ?period ?asOf ?segment WHERE {
  ?o al:metric ?metric ; al:subject ?subject ; al:value ?value .
  FILTER(?metric IN (metric:supply-share, metric:customer-share, metric:market-share))
  OPTIONAL { ?o al:counterparty ?other } OPTIONAL { ?o al:dependencyKind ?dk }
  OPTIONAL { ?o al:arena ?arena } OPTIONAL { ?o al:unit ?unit }
  OPTIONAL { ?o al:period ?period } OPTIONAL { ?o al:asOf ?asOf }
  OPTIONAL { ?o al:segment ?segment }
  FILTER NOT EXISTS { ?newer al:supersedes ?o }
}
"""

NODE_LAYERS = "SELECT DISTINCT ?x ?layer WHERE { ?x al:layer ?layer }"
NODE_ARENAS = """
SELECT DISTINCT ?x ?arena WHERE { ?c a al:Competition ; al:arena ?arena ; al:competitor ?x }
"""
ENDED = {"cancelled", "ended"}
# Kinds through which every kind passes besides the ontology's al:GroupKind ones: the
# generic al:dependsOn says nothing of what is needed.
BUILTIN_GROUP_KINDS = {"other"}


@gc_paused
def dependency_graph(store: Store, as_of: str | None = None, kinds=None, provenance: bool = True):
    """The dependency DiGraph of `store` (edges consumer -> provider).

    `as_of` (YYYY-MM-DD) keeps only partnerships active on that date (and figures
    reported by then); `kinds` (an iterable of dependency kind ids) keeps only those
    kinds, and the weights are then normalised over the kinds kept. With
    ``provenance=False`` the edges' ``sources`` stay empty: exposure does not need
    them, and on a large store reading every al:source is a good part of the time
    (:mod:`alliances.graph.explain` reads the few a report shows).

    Node attributes: ``label``, ``cls`` (most specific class), ``layers`` and
    ``arenas`` (lists of ids), ``rest`` ({kind: share left to unstated suppliers}).
    Edge attributes: ``kind`` (kinds joined with ``+`` when a pair depends in several
    ways), ``stated`` ({kind: stated share or None}), ``shares`` and ``basis`` ({kind:
    share / basis}), ``weight``, ``estimated`` (bool: some kind without a stated
    share), ``amounts``, ``customer_stated``, ``partnerships`` (and ``kind_partnerships``:
    {kind: ids}), ``observations``,
    ``sources`` (lists of ids), ``announced`` (earliest date or None).
    """
    import networkx as nx

    from alliances.graph.weights import weigh_edges

    wanted = set(kinds) if kinds else None
    vocab = _vocabulary(store)
    edges: dict[tuple[str, str], dict] = {}
    with store.prefetched(_queries(vocab, as_of, wanted, provenance)):
        _partnership_edges(store, vocab, edges, as_of, wanted, provenance)
        parts, makers = _direct_edges(store, vocab, edges, wanted, provenance)
        market, market_obs = _observation_shares(store, vocab, edges, as_of, wanted)
        node_attributes = _node_attributes(store, edges)
    # sorted, so that the graph is the same on every store
    edges = {pair: edges[pair] for pair in sorted(edges)}
    for data in edges.values():
        _settle(data)
    graph = nx.DiGraph(needs=vocab["needs"], group_kinds=vocab["group"] | BUILTIN_GROUP_KINDS,
                       parts=parts, makers=makers, market=market,
                       market_obs=market_obs, kinds=sorted(wanted) if wanted else None)
    graph.add_nodes_from(node_attributes.items())
    weigh_edges(edges, None, graph.graph, graph.nodes)
    graph.add_edges_from((x, y, data) for (x, y), data in edges.items())
    return graph


def _vocabulary(store) -> dict:
    """Roles, partnership kind -> dependency kind, dependsOn sub-properties, the needs
    table, the group kinds and the kinds' market arenas."""
    roles: dict[str, set[str]] = defaultdict(set)
    kind_of: dict[str, str] = {}  # partnership kind IRI -> dependency kind id
    direct: dict[str, str] = {}   # dependsOn sub-property IRI -> dependency kind id
    needs: dict[str, set[str]] = defaultdict(set)
    group: set[str] = set()
    arena: dict[str, str] = {}
    for term, what, dk in store.values(VOCABULARY):
        if what == "kind":
            kind_of[term] = local_id(dk)
        elif what == "dependsOn":
            direct[term] = local_id(dk) if dk is not None else "other"
        elif what == "needs":
            needs[local_id(term)].add(local_id(dk))
        elif what == "group":
            group.add(local_id(term))
        elif what == "arena":
            arena[local_id(term)] = dk
        else:
            roles[what].add(term)
    kind_of = {k: v for k, v in kind_of.items() if k not in direct}
    return {"roles": roles, "kind_of": kind_of, "direct": direct, "group": group,
            "needs": {k: sorted(v) for k, v in sorted(needs.items())} or None, "arena": arena}


def _settle(data: dict) -> None:
    """An edge's lists were gathered with repeats: each once, in one order on every run."""
    for key in ("partnerships", "sources", "observations"):
        if len(data[key]) > 1:
            data[key] = sorted(set(data[key]))
    by_kind = data["kind_partnerships"]
    if len(by_kind) > 1 or any(len(v) > 1 for v in by_kind.values()):
        data["kind_partnerships"] = {k: sorted(set(v)) for k, v in sorted(by_kind.items())}
    if len(data["stated"]) > 1:
        data["stated"] = dict(sorted(data["stated"].items()))


def _new_edge() -> dict:
    return {"stated": {}, "amounts": {}, "customer_stated": {}, "partnerships": [],
            "kind_partnerships": {}, "observations": [], "sources": [], "announced": None}


def _add(edges, x, y, kind, share=None, partnership=None, sources=(), announced=None) -> dict:
    """Record that x depends on y for `kind` (a stated share keeps the largest)."""
    data = edges.get((x, y))
    if data is None:
        data = edges[(x, y)] = _new_edge()
    stated = data["stated"]
    if share is not None and stated.get(kind) is not None:
        stated[kind] = max(stated[kind], share)
    elif kind not in stated or share is not None:
        stated[kind] = share
    if partnership:
        data["partnerships"].append(partnership)
        data["kind_partnerships"].setdefault(kind, []).append(partnership)
    if sources:
        data["sources"].extend(sources)
    if announced and (data["announced"] is None or announced < data["announced"]):
        data["announced"] = announced
    return data


def _kind_queries(vocab, wanted) -> list[tuple[str, str]]:
    """(dependency kind, the query of the partnerships of its partnership kinds)."""
    by_dependency_kind: dict[str, list[str]] = defaultdict(list)
    for term, dk in vocab["kind_of"].items():
        if wanted is None or dk in wanted:
            by_dependency_kind[dk].append(term)
    return [(dk, PARTNERSHIPS_OF_KINDS % iri_list(terms)) for dk, terms in sorted(by_dependency_kind.items())]


def _direct_properties(vocab) -> dict[str, str]:
    """dependsOn sub-property IRI -> kind, with the ownership and maker links."""
    return {**vocab["direct"], str(AL) + "subsidiaryOf": "subsidiary", str(AL) + "developedBy": "maker"}


def _queries(vocab, as_of, wanted, provenance) -> list[str]:
    """Every bulk query :func:`dependency_graph` runs after the vocabulary, for
    :meth:`~alliances.store.base.Store.prefetched` (an engine may answer them in parallel)."""
    roles = vocab["roles"]
    facts = ["status", "end", "share", "amount", "currency"]
    facts += ["announced", "start"] if as_of is not None or provenance else []
    facts += ["source"] if provenance else []
    return [*(q for _dk, q in _kind_queries(vocab, wanted)),
            *(PARTIES % iri_list(roles[r]) for r in ("dependent", "supplier") if roles[r]),
            *(PARTNERSHIP_FACT % prop for prop in facts),
            DIRECT_EDGES % iri_list(_direct_properties(vocab)), OBSERVATIONS, NODE_LAYERS, NODE_ARENAS,
            *([ENTITY_SOURCES] if provenance else [])]


def _partnership_edges(store, vocab, edges, as_of, wanted, provenance) -> None:
    """Edges of the active partnerships, with stated shares and deal amounts."""
    today = dt.date.today().isoformat()
    short = functools.cache(local_id)  # the same IRIs come back on many rows
    roles = vocab["roles"]
    kinds_of: dict[str, set[str]] = defaultdict(set)  # partnership IRI -> its dependency kinds
    for dk, query in _kind_queries(vocab, wanted):
        for (p,) in store.values(query):
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
    amounts, currency = first(PARTNERSHIP_FACT % "amount"), first(PARTNERSHIP_FACT % "currency")
    # dates only when filtering by date or keeping provenance; sources only for provenance
    dated = as_of is not None or provenance
    announced_of = first_date("announced") if dated else {}
    start_of = first_date("start") if dated else {}
    sources_of = grouped(PARTNERSHIP_FACT % "source") if provenance else {}
    for p, dks in kinds_of.items():  # 100k+ partnerships at 1M triples: few lookups each
        xs, ys = dependents.get(p), suppliers.get(p)
        if not xs or not ys or (p in status and local_id(status[p]) in ENDED):
            continue
        announced, stop = announced_of.get(p), end.get(p)
        if as_of is not None:
            if not active_as_of(announced, start_of.get(p), stop, as_of):
                continue
        elif stop is not None and stop <= today:
            continue
        share = None
        if p in shares:
            stated = [v for v in (number(store, v, p, "share") for v in shares[p]) if v is not None]
            share = min(1.0, max(0.0, max(stated))) if stated else None
        if len(xs) > 1:
            xs = sorted(set(xs))
        if len(ys) > 1:
            ys = sorted(set(ys))
        amount = _number(amounts[p]) if p in amounts and len(xs) == 1 and len(ys) == 1 else None
        sources = [local_id(v) for v in sources_of[p]] if p in sources_of else ()
        pid = local_id(p)
        for x in xs:
            for y in ys:
                if x == y:
                    continue
                for dk in dks:
                    data = _add(edges, short(x), short(y), dk, share, pid, sources, announced)
                    if amount:  # deal amounts of one pair and kind add up, per currency
                        per = data["amounts"].setdefault(dk, {})
                        cur = str(currency.get(p) or "USD")
                        per[cur] = per.get(cur, 0.0) + amount
    for data in edges.values():  # one currency per pair and kind, or no amount
        data["amounts"] = {k: next(iter(v.items())) for k, v in data["amounts"].items() if len(v) == 1}


def _number(text) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _direct_edges(store, vocab, edges, wanted, provenance):
    """Product dependencies (al:dependsOn and its sub-properties), ownership edges, and
    the organizations' parts and the products' makers."""
    short = functools.cache(local_id)
    direct = _direct_properties(vocab)
    entity_sources: dict[str, list[str]] = defaultdict(list)
    if provenance:
        for x, src in store.values(ENTITY_SOURCES):
            entity_sources[x].append(local_id(src))
    parts: dict[str, list[str]] = defaultdict(list)
    makers: dict[str, list[str]] = defaultdict(list)
    for x_iri, p_iri, y_iri in store.values(DIRECT_EDGES % iri_list(direct)):
        x, y, kind = short(x_iri), short(y_iri), direct[p_iri]
        if kind == "subsidiary":
            parts[y].append(x)
            if wanted is None or "ownership" in wanted:
                _add(edges, y, x, "ownership", sources=entity_sources.get(x_iri, []))
        elif kind == "maker":
            parts[y].append(x)
            makers[x].append(y)
        elif wanted is None or kind in wanted:
            _add(edges, x, y, kind, sources=entity_sources.get(x_iri, []))
    if wanted is None or "ownership" in wanted:
        has_inputs = {x for x, _ in edges}
        used = {y for _, y in edges}
        for product, owners in sorted(makers.items()):
            if product in used and product not in has_inputs:
                for maker in owners:
                    _add(edges, product, maker, "ownership",
                         sources=entity_sources.get(store_iri(product), []) if provenance else [])
    return ({k: sorted(set(v)) for k, v in sorted(parts.items())},
            {k: sorted(set(v)) for k, v in sorted(makers.items())})


def store_iri(entity: str) -> str:
    from alliances.vocab import E

    return str(E[entity])


def _observation_shares(store, vocab, edges, as_of, wanted) -> dict:
    """Stated supply and customer shares from observations (onto `edges`), and the
    market shares of each kind's arena: {kind: ({firm: percent}, unattributed percent)}.

    The latest period's figure counts (then the latest report date); when several
    sources give different figures for that same period and date, none is silently
    picked: their mean counts and every one of them is cited."""
    latest: dict[tuple, tuple] = {}
    segments: list[tuple] = []
    for o, metric, subject, other, dk, arena, value, unit, period, reported, segment in store.values(
            OBSERVATIONS):
        if segment is not None:  # a part of the business: the edge, not its share
            if as_of is None or (reported or period_end(period) or "9999") <= as_of:
                segments.append((local_id(metric), local_id(subject), other and local_id(other),
                                 dk and local_id(dk), local_id(o)))
            continue
        number = _number(value)
        if number is None:
            continue
        if unit is not None and str(unit).lower() not in ("percent", "%"):
            number *= 100.0  # a fraction
        when = period_end(period)
        if as_of is not None and (reported or when or "9999") > as_of:
            continue
        metric = local_id(metric)
        key = (metric, local_id(subject), other and local_id(other), dk and local_id(dk), arena)
        rank = (when or "", str(reported or ""))
        found = latest.get(key)
        if found is None or rank > found[0]:
            latest[key] = (rank, {local_id(o): min(100.0, number)})
        elif rank == found[0]:  # figures of one period that disagree: kept side by side
            found[1][local_id(o)] = min(100.0, number)
    by_arena: dict[str, dict[str, float]] = defaultdict(dict)
    def by_key(item):  # keys hold None where an observation names no counterparty or arena
        return tuple("" if part is None else part for part in item[0])

    for (metric, subject, other, dk, arena), (_rank, figures) in sorted(latest.items(), key=by_key):
        pct = sum(figures.values()) / len(figures)  # sources that disagree: their mean, both cited
        obs = sorted(figures)
        if metric == "market-share" and arena:
            by_arena[arena][subject] = pct
        elif metric == "supply-share" and other and dk and (wanted is None or dk in wanted):
            data = _add(edges, subject, other, dk, pct / 100.0)
            data["observations"].extend(obs)
        elif metric == "customer-share" and other:
            data = edges.get((other, subject))
            if data is None and dk and (wanted is None or dk in wanted):
                data = _add(edges, other, subject, dk)
            if data is not None:
                data["customer_stated"][dk or "*"] = pct / 100.0
                data["observations"].extend(obs)
    for metric, subject, other, dk, obs in sorted(segments):
        pair = (subject, other) if metric == "supply-share" else (other, subject)
        if not other or metric == "market-share":
            continue
        data = edges.get(pair)
        if data is None and dk and (wanted is None or dk in wanted):
            data = _add(edges, *pair, dk)
        if data is not None:
            data["observations"].append(obs)
    market, used = {}, {}
    for kind, arena in vocab["arena"].items():
        firms = by_arena.get(arena)
        if firms:
            market[kind] = (dict(sorted(firms.items())), max(0.0, 100.0 - sum(firms.values())))
            used[kind] = sorted(o for (m, _s, _o, _d, a), (_r, figures) in latest.items()
                                if m == "market-share" and a == arena for o in figures)
    return market, used


def period_end(period) -> str | None:
    """The last day a period label covers, as YYYY-MM-DD (None when unreadable).

    >>> period_end("Q4 2024"), period_end("2025"), period_end("H1 2025"), period_end("FY2026")
    ('2024-12-31', '2025-12-31', '2025-06-30', '2026-12-31')
    """
    import re

    if period is None:
        return None
    text = str(period)
    years = re.findall(r"(?<!\d)(\d{4})(?!\d)", text)
    if not years:
        return None
    year = max(years)
    quarter = re.search(r"\bQ([1-4])\b", text)
    half = re.search(r"\bH([12])\b", text)
    if quarter:
        return f"{year}-{('03-31', '06-30', '09-30', '12-31')[int(quarter.group(1)) - 1]}"
    if half:
        return f"{year}-{('06-30', '12-31')[int(half.group(1)) - 1]}"
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        return text if len(text) == 10 else f"{text}-28"
    return f"{year}-12-31"


def _node_attributes(store, edges) -> dict:
    """{node: {label, cls, layers, arenas}} for every node of `edges`."""
    from alliances.catalog.resolve import resolver_for

    short = functools.cache(local_id)
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
    return node_attrs


def assign_weights(graph, kinds=None) -> None:
    """Kept here for callers of the earlier layout: see :func:`alliances.graph.weights.assign_weights`."""
    from alliances.graph.weights import assign_weights as assign

    assign(graph, kinds)


def entity_dependencies(store: Store, entity_id: str, as_of: str | None = None) -> list[dict]:
    """What the entity depends on in the dependency graph: supplier, kind, share of the
    entity's need of that kind, and the basis of that share (stated, remainder, amounts,
    market share, even split), with the partnerships behind it.

    The same rows as :func:`dependencies_in` of the whole :func:`dependency_graph`, from
    the facts around the entity only (:func:`own_edges`): ``show`` needs no whole graph.

    >>> from alliances.store.memory import load
    >>> rows = entity_dependencies(load(), "openai")
    >>> [(r["supplier"], r["basis"]) for r in rows if r["kind"] == "chips"][:1]
    [('amd', 'market share')]
    """
    return dependencies_in(own_edges(store, entity_id, as_of), entity_id)


def dependencies_in(edges, entity_id: str) -> list[dict]:
    """The dependency rows of `entity_id` from weighted edges: a :func:`dependency_graph`
    (a networkx DiGraph) or a {(x, y): data} mapping such as :func:`own_edges`'."""
    if hasattr(edges, "succ"):
        succ = edges.succ[entity_id].items() if entity_id in edges else ()
    else:
        succ = [(y, data) for (x, y), data in edges.items() if x == entity_id]
    return [{"supplier": y, "kind": kind, "share": share, "basis": data["basis"][kind],
             "partnerships": data["kind_partnerships"].get(kind, [])}
            for y, data in sorted(succ, key=lambda item: item[0])
            for kind, share in sorted(data["shares"].items())]


def own_edges(store: Store, entity_id: str, as_of: str | None = None) -> dict:
    """The weighted edges entity -> supplier of :func:`dependency_graph` (with
    ``provenance=False``), {(entity, supplier): data}, read from the facts around the
    entity only: the partnerships it is a party of, the product edges that start or end
    at it, the share figures that name it, the market shares and its suppliers' makers.

    A share depends only on the entity's own group of suppliers of that kind and on the
    market shares of the kind's arena (:mod:`alliances.graph.weights`), so the shares are
    those of the whole graph (a test checks it for every entity of the shipped data).
    The same readers as :func:`dependency_graph` run on a view of `store` that answers
    their bulk queries from a few targeted ones (:class:`_Around`); a query the view does
    not know runs whole, which is slower but gives the same answer.

    >>> from alliances.store.memory import load
    >>> [(y, data["shares"]) for (_x, y), data in own_edges(load(), "nvidia-h100").items()]
    [('tsmc', {'foundry': 1.0})]
    """
    from alliances.graph.weights import weigh_edges

    iri = store_iri(entity_id)
    if not safe_iri(iri):
        return {}
    vocab = _vocabulary(store)
    around = _Around(store, iri, vocab["roles"]["dependent"] | vocab["roles"]["supplier"])
    edges: dict[tuple[str, str], dict] = {}
    _partnership_edges(around, vocab, edges, as_of, None, False)
    _direct_edges(around, vocab, edges, None, False)
    market, _used = _observation_shares(around, vocab, edges, as_of, None)
    own = {pair: edges[pair] for pair in sorted(edges) if pair[0] == entity_id}
    for data in own.values():
        _settle(data)
    makers: dict[str, list[str]] = defaultdict(list)
    suppliers = [store_iri(y) for _x, y in own]
    if suppliers:
        for y, maker in store.values(MAKERS_OF % iri_list(suppliers), cached=False):
            makers[local_id(y)].append(local_id(maker))
    weigh_edges(own, None, {"market": market, "makers": {k: sorted(set(v)) for k, v in makers.items()}})
    return own


# The facts around one entity (own_edges), read with few plain queries: its IRI is
# written as a checked <iri> (vocab.iri_list), as listing.show does, and many IRIs go in
# one VALUES clause at the front; rdflib is slow on two VALUES clauses, or a VALUES
# after a pattern, and returns nothing for VALUES before OPTIONALs.
FACTS_FROM = "SELECT ?prop ?y WHERE { %s ?prop ?y }"
FACTS_TO = "SELECT ?x ?prop WHERE { ?x ?prop %s }"
FACTS_OF = "SELECT ?p ?prop ?v WHERE { VALUES ?p { %s } ?p ?prop ?v }"
MAKERS_OF = "SELECT ?y ?m WHERE { VALUES ?y { %s } ?y al:developedBy ?m . FILTER(?y != ?m) }"
# The figures own_edges reads: market shares (every one: they set each arena's shares),
# and the supply and customer shares naming the entity.
OBSERVATION_HEAD = "?o al:metric ?metric ;"
NARROWED_OBSERVATIONS = ("?o al:metric metric:market-share . ", "?o al:subject %s . ",
                         "?o al:counterparty %s . ")


class _Around:
    """A view of `store` for :func:`own_edges`: the dependency graph's readers run their
    usual queries, and the view answers the bulk ones with the facts around one entity:
    partnership facts of the partnerships it is a dependent or supplier of, product
    edges that start or end at it, share figures naming it or of a market. The answers
    are the rows of the whole query that concern those; any other query runs as is."""

    def __init__(self, store, iri: str, roles):
        self._store, self._iri, self._one = store, iri, iri_list([iri])
        self._from = store.values(FACTS_FROM % self._one, cached=False)
        self._to = store.values(FACTS_TO % self._one, cached=False)
        ps = {x for x, prop in self._to if prop in roles}
        self._facts = store.values(FACTS_OF % iri_list(ps), cached=False) if ps else []

    def __getattr__(self, name):
        return getattr(self._store, name)

    def values(self, query: str, cached: bool = True) -> list:
        if _made_from(query, PARTNERSHIPS_OF_KINDS):
            kinds = _filled(query, PARTNERSHIPS_OF_KINDS)
            return [(p,) for p, prop, v in self._facts if prop == AL_KIND and v in kinds]
        if _made_from(query, PARTIES):
            roles = _filled(query, PARTIES)
            return [(p, v) for p, prop, v in self._facts if prop in roles]
        if _made_from(query, PARTNERSHIP_FACT):
            prop = str(AL) + _filled(query, PARTNERSHIP_FACT, text=True)
            return [(p, v) for p, q, v in self._facts if q == prop]
        if _made_from(query, DIRECT_EDGES):
            props = _filled(query, DIRECT_EDGES)
            return ([(self._iri, prop, y) for prop, y in self._from if prop in props and y != self._iri]
                    + [(x, prop, self._iri) for x, prop in self._to if prop in props and x != self._iri])
        if query == OBSERVATIONS and OBSERVATION_HEAD in query:
            rows, seen = [], set()
            for narrow in NARROWED_OBSERVATIONS:
                pattern = narrow % self._one if "%s" in narrow else narrow
                text = query.replace(OBSERVATION_HEAD, pattern + OBSERVATION_HEAD, 1)
                for row in self._store.values(text, cached and "%s" not in narrow):
                    if row not in seen:
                        seen.add(row)
                        rows.append(row)
            return rows
        return self._store.values(query, cached)


AL_KIND = str(AL) + "kind"


def _made_from(query: str, template: str) -> bool:
    """Whether `query` is `template` with its one ``%s`` filled in.

    >>> _made_from(PARTNERSHIP_FACT % "status", PARTNERSHIP_FACT), _made_from(PARTIES, PARTNERSHIP_FACT)
    (True, False)
    """
    before, _s, after = template.partition("%s")
    return query.startswith(before) and query.endswith(after) and len(query) >= len(template) - 2


def _filled(query: str, template: str, text: bool = False):
    """The IRIs of the VALUES list `template`'s ``%s`` was filled with in `query` (with
    `text`, what it was filled with).

    >>> sorted(_filled(PARTIES % "<http://a> <http://b>", PARTIES))
    ['http://a', 'http://b']
    >>> _filled(PARTNERSHIP_FACT % "end", PARTNERSHIP_FACT, text=True)
    'end'
    """
    before, _s, after = template.partition("%s")
    filled = query[len(before):len(query) - len(after)]
    return filled if text else {i.strip("<>") for i in filled.split()}
