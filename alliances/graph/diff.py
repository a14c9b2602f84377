"""How the alliance map changed between two dates, and one entity's dated history.

:func:`diff` compares the graph as of two dates (the period ``(date_from, date_to]``):

* partnerships that **started** (announced or started in the period, not known before),
  **changed** (announced before, in effect within the period: its ``al:start`` falls in
  it) or **ended** (``al:end`` in the period; the recorded status says whether it
  was cancelled);
* figures: **new** ones (``al:asOf`` in the period) and **revised** ones (the new
  figure ``al:supersedes`` an earlier one);
* exposure to the top chokepoints (the entities with the highest criticality on
  ``date_to``): each chokepoint's criticality and the exposures to it on both dates;
  every exposure that moved comes with ``via``, the partnerships that began or ended on
  the entity's strongest chain to the chokepoint that changed, and their sources.

Dates compare as ISO text, the convention of :mod:`alliances.timeline`: a fact dated
``2025-09`` or ``2025`` counts from the first day of that month or year. Facts without
a date cannot be placed in time: they appear on both dates and never in a change list
(:attr:`Diff.undated` counts them).

:func:`timeline` lists an entity's dated facts in date order (partnership announced,
started, ended; figures as of their date; claims at their source's publication date)
and its undated facts apart.

>>> from alliances.store.memory import load
>>> d = diff(load(), "2024-12-31", "2025-12-31")
>>> any(r["change"] == "started" for r in d.partnerships)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alliances.catalog.resolve import EntityRef
from alliances.errors import AlliancesError
from alliances.store.base import Store
from alliances.vocab import iri_list, local_id

PARTNERSHIP_COLUMNS = ["change", "date", "id", "kind", "parties", "was", "now", "status", "amount",
                       "sources"]
FIGURE_COLUMNS = ["change", "date", "id", "subject", "metric", "value", "value_max", "unit", "period",
                  "supersedes", "previous_value", "sources"]
CHOKEPOINT_COLUMNS = ["chokepoint", "label", "criticality_from", "criticality_to", "exposed_from",
                      "exposed_to", "basis", "sources"]
EXPOSURE_COLUMNS = ["chokepoint", "entity", "exposure_from", "exposure_to", "change", "basis", "via",
                    "sources"]
EPSILON = 1e-9


def _in(date, lo: str, hi: str) -> bool:
    """Whether an ISO date (of any precision) falls in the period (lo, hi]."""
    return date is not None and lo < str(date) <= hi


def _on_or_before(date, day: str) -> bool:
    return date is not None and str(date) <= day


@dataclass
class Diff:
    """What changed between `date_from` and `date_to` (YYYY-MM-DD), section by section."""

    date_from: str
    date_to: str
    partnerships: list[dict]
    figures: list[dict]
    chokepoints: list[dict]
    exposure: list[dict]
    undated: dict[str, int] = field(default_factory=dict)

    def sections(self) -> list[tuple[str, list[dict], list[str]]]:
        """(title, rows, columns) of each table, in the order `alliances diff` prints them."""
        return [("partnerships", self.partnerships, PARTNERSHIP_COLUMNS),
                ("figures", self.figures, FIGURE_COLUMNS),
                ("chokepoints", self.chokepoints, CHOKEPOINT_COLUMNS),
                ("exposure", self.exposure, EXPOSURE_COLUMNS)]


# Facts read with one plain pattern each (no OPTIONAL, no GROUP BY): a few times faster
# on the embedded store than the catalog's listing queries, and cached like the graph's.
# rdflib evaluates in the order written: the VALUES that binds ?x (when there is one)
# goes first, the one of ?prop after the triple (the other orders take seconds).
FACTS = "SELECT ?x ?prop ?value WHERE { VALUES ?prop { %s } ?x ?prop ?value . ?x a al:%s }"
FACTS_OF = "SELECT ?x ?prop ?value WHERE { %%s ?x ?prop ?value . VALUES ?prop { %s } ?x a al:%s }"
PARTNERSHIP_PROPS = ("rdfs:label", "al:kind", "al:announced", "al:start", "al:end", "al:status",
                     "al:amount", "al:currency", "al:source")
OBSERVATION_PROPS = ("rdfs:label", "al:subject", "al:metric", "al:value", "al:valueMax", "al:unit",
                     "al:period", "al:qualifier", "al:asOf", "al:source", "al:supersedes")
CLAIM_PROPS = ("rdf:type", "rdfs:label", "al:statement", "al:source")
ROLES = """SELECT ?x ?role ?party WHERE {
  ?role rdfs:subPropertyOf+ al:party . ?x ?role ?party . ?x a al:Partnership }"""
ROLES_OF = """SELECT ?x ?role ?party WHERE {
  %s ?x ?role ?party . ?role rdfs:subPropertyOf+ al:party . ?x a al:Partnership }"""


def read_facts(store: Store, cls: str, props, iris=None) -> dict[str, dict[str, list[str]]]:
    """{fact IRI: {property local name: [values]}} of the facts of class al:`cls` (all of
    them, or those of `iris`, bound with VALUES); values sorted."""
    from collections import defaultdict

    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    props = " ".join(props)
    if iris is None:
        rows = store.values(FACTS % (props, cls))
    else:
        rows = _bound(store, FACTS_OF % (props, cls), iris)
    for x, prop, value in rows:
        out[x][local_id(prop)].append(value)
    for facts in out.values():
        for values in facts.values():
            values.sort()
    return out


def read_roles(store: Store, iris=None) -> dict[str, dict[str, list[str]]]:
    """{partnership IRI: {role: [party ids]}}."""
    from collections import defaultdict

    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for x, role, party in store.values(ROLES) if iris is None else _bound(store, ROLES_OF, iris):
        out[x][local_id(role)].append(local_id(party))
    return out


def _bound(store: Store, query: str, iris) -> list[tuple]:
    """`query` with its %s replaced by a VALUES ?x over `iris`, 500 at a time (IRIs that
    cannot be written safely are left out)."""
    iris = sorted(set(map(str, iris)))
    out: list[tuple] = []
    for i in range(0, len(iris), 500):
        chunk = iri_list(iris[i:i + 500])
        if chunk:
            out += store.values(query % f"VALUES ?x {{ {chunk} }}", cached=False)
    return out


def _first(facts: dict, prop: str):
    values = facts.get(prop)
    return values[0] if values else None


def _float(value, store=None, subject=None, prop: str = "value"):
    """A finite number or None: an ill-typed value ("x", NaN, 1e309) is skipped and reported
    once (:func:`alliances.datavalues.number`), not an internal error."""
    from alliances.datavalues import number

    return number(store, value, subject, prop)


def _parties(roles: dict[str, list[str]]) -> str:
    return "; ".join(f"{role}: {', '.join(sorted(ids))}" for role, ids in sorted(roles.items()))


def partnership_changes(store: Store, date_from: str, date_to: str) -> list[dict]:
    """Partnerships that started, changed (announced -> in effect) or ended in (from, to]."""
    facts_of = read_facts(store, "Partnership", PARTNERSHIP_PROPS)
    roles_of = read_roles(store)
    rows = []
    for iri, facts in sorted(facts_of.items()):
        announced, start, end = (_first(facts, p) for p in ("announced", "start", "end"))
        if announced is None and start is None and end is None:
            continue

        def phase(day, announced=announced, start=start, end=end):
            if _on_or_before(end, day):
                return "ended"
            if _on_or_before(start, day):
                return "in effect"
            if _on_or_before(announced, day):
                return "announced" if start is not None else "in effect"
            return None

        was, now = phase(date_from), phase(date_to)
        status = _first(facts, "status")
        base = {"id": local_id(iri), "kind": local_id(_first(facts, "kind") or ""),
                "parties": _parties(roles_of.get(iri, {})), "status": status and local_id(status),
                "amount": _float(_first(facts, "amount"), store, iri, "amount"),
                "sources": sorted(local_id(s) for s in facts.get("source", ()))}
        begins = [d for d in (announced, start) if _on_or_before(d, date_to)]
        if was is None and now is not None and begins:
            date = min(begins)
            rows.append({"change": "started", "date": date, "was": None, "now": phase(date), **base})
        elif was == "announced" and _in(start, date_from, date_to):
            rows.append({"change": "changed", "date": start, "was": was, "now": "in effect", **base})
        if _in(end, date_from, date_to):
            rows.append({"change": "ended", "date": end, "was": was or "announced", "now": "ended", **base})
    return sorted(rows, key=lambda r: (str(r["date"]), r["change"] != "started", r["id"]))


def figure_changes(store: Store, date_from: str, date_to: str) -> list[dict]:
    """Figures stated in (from, to] (al:asOf): 'new', or 'revised' when they supersede one."""
    facts_of = read_facts(store, "Observation", OBSERVATION_PROPS)
    rows = []
    for iri, facts in facts_of.items():
        as_of = _first(facts, "asOf")
        if not _in(as_of, date_from, date_to):
            continue
        old = facts.get("supersedes", [])
        previous = [_float(_first(facts_of[x], "value"), store, x) for x in old if x in facts_of]
        rows.append({"change": "revised" if old else "new", "date": as_of, "id": local_id(iri),
                     "subject": local_id(_first(facts, "subject") or ""),
                     "metric": local_id(_first(facts, "metric") or ""),
                     "value": _float(_first(facts, "value"), store, iri),
                     "value_max": _float(_first(facts, "valueMax"), store, iri, "valueMax"),
                     "unit": _first(facts, "unit"), "period": _first(facts, "period"),
                     "supersedes": [local_id(x) for x in old],
                     "previous_value": previous[0] if len(previous) == 1 else (previous or None),
                     "sources": sorted(local_id(s) for s in facts.get("source", ()))})
    return sorted(rows, key=lambda r: (str(r["date"]), r["subject"], r["metric"], r["id"]))


def _changed_edges(before, after) -> tuple[dict, set]:
    """({(x, y): data} of the edges added or removed, {(x, y)} of every edge added,
    removed or reweighted) between two dependency graphs."""
    moved = {}
    changed = set()
    for graph, other in ((before, after), (after, before)):
        for x, y, data in graph.edges(data=True):
            if not other.has_edge(x, y):
                moved[(x, y)] = data
                changed.add((x, y))
            elif abs(float(data.get("weight", 0)) - float(other.edges[x, y].get("weight", 0))) > EPSILON:
                changed.add((x, y))
    return moved, changed


def _cost_graph(graph):
    """`graph`'s edges of positive weight with cost -log(weight): the strongest chain is
    the cheapest path."""
    import math

    import networkx as nx

    out = nx.DiGraph()
    out.add_edges_from((x, y, {"cost": -math.log(float(d["weight"]))})
                       for x, y, d in graph.edges(data=True) if float(d.get("weight", 0) or 0) > 0)
    return out


PATHS = 3  # chains per entity searched for the partnerships that moved its exposure


def _via(costs: list, moved: dict, changed: set, start: str, target: str) -> tuple[list[str], list[str]]:
    """The partnerships (and their sources) that began or ended on `start`'s strongest
    chain to `target` that changed (the first of the PATHS strongest, in the first graph
    of `costs` that has one, with a node whose dependencies changed): every such node on
    it contributes the dependencies it gained or lost (a gained supplier also thins the
    weight of the others)."""
    from itertools import islice

    import networkx as nx

    tails: set = set()
    for cost in costs:
        if start in cost and target in cost and nx.has_path(cost, start, target):
            changed_tails = {x for x, _y in changed}
            for path in islice(nx.shortest_simple_paths(cost, start, target, weight="cost"), PATHS):
                tails = changed_tails.intersection(path[:-1])
                if tails:
                    break
            break
    partnerships, sources = set(), set()
    for (x, _y), data in moved.items():
        if x in tails:
            partnerships.update(data.get("partnerships", ()))
            sources.update(data.get("sources", ()))
    return sorted(partnerships), sorted(sources)


def _criticality(graph) -> dict:
    """Every entity's criticality (the sum of the others' exposures to a full shock on it):
    :func:`alliances.graph.exposure.criticality` when it is there, else the sum itself."""
    from alliances.graph import exposure as model

    if hasattr(model, "criticality"):
        return model.criticality(graph)
    return {n: sum(r["exposure"] for r in model.exposure(graph, [n]).rows()) for n in graph}


def exposure_changes(store: Store, date_from: str, date_to: str, chokepoints: int = 3,
                     top: int | None = None) -> tuple[list[dict], list[dict]]:
    """(chokepoint rows, exposure rows): the `chokepoints` entities with the highest
    criticality on `date_to`, their criticality on both dates, and every entity whose
    exposure to one of them moved (largest move first; `top` rows per chokepoint)."""
    from alliances.graph.dependency import dependency_graph
    from alliances.graph.exposure import exposure

    before = dependency_graph(store, as_of=date_from)
    after = dependency_graph(store, as_of=date_to)
    crit_before, crit_after = _criticality(before), _criticality(after)
    chosen = sorted(crit_after, key=lambda n: (-crit_after[n], str(n)))[:chokepoints]
    moved, changed = _changed_edges(before, after)
    cost_before, cost_after = _cost_graph(before), _cost_graph(after)

    summary, rows = [], []
    for c in chosen:
        was = {r["entity"]: r for r in exposure(before, [c]).rows()}
        now = {r["entity"]: r for r in exposure(after, [c]).rows()}
        moved_rows = []
        for entity in sorted(set(was) | set(now)):
            a = was.get(entity, {}).get("exposure", 0.0)
            b = now.get(entity, {}).get("exposure", 0.0)
            if abs(b - a) <= EPSILON:
                continue
            basis = (now.get(entity) or was.get(entity))["basis"]  # of the strongest chain now (or before)
            costs = [cost_after, cost_before] if b > a else [cost_before, cost_after]
            via, sources = _via(costs, moved, changed, entity, c)
            moved_rows.append({"chokepoint": c, "entity": entity, "exposure_from": a, "exposure_to": b,
                               "change": b - a, "basis": basis,
                               "via": via, "sources": sources})
        moved_rows.sort(key=lambda r: (-abs(r["change"]), r["entity"]))
        rows += moved_rows[:top]
        label = after.nodes[c].get("label", c) if c in after else c
        summary.append({"chokepoint": c, "label": label, "criticality_from": crit_before.get(c, 0.0),
                        "criticality_to": crit_after[c], "exposed_from": len(was), "exposed_to": len(now),
                        "basis": sorted({b for r in now.values() for b in r["basis"]}),
                        # every moved chain's sources, shown or not
                        "sources": sorted({s for r in moved_rows for s in r["sources"]})})
    return summary, rows


def diff(store: Store, date_from: str, date_to: str, chokepoints: int = 3, top: int | None = None) -> Diff:
    """What changed in (date_from, date_to] (both YYYY-MM-DD, see :func:`parse_as_of`).

    `top` keeps the first rows of each section (the largest exposure moves per chokepoint).
    """
    from alliances.timeline import undated_facts

    if date_from >= date_to:
        raise AlliancesError(f"--from {date_from} is not before --to {date_to}")
    parts = partnership_changes(store, date_from, date_to)
    figures = figure_changes(store, date_from, date_to)
    summary, moves = exposure_changes(store, date_from, date_to, chokepoints, top)
    return Diff(date_from, date_to, parts[:top], figures[:top], summary, moves,
                undated_facts(store, what=("partnerships", "observations")))


# --- one entity's history ---------------------------------------------------------------

PARTNERSHIPS_OF = """SELECT DISTINCT ?x WHERE {
  VALUES ?e { %s } ?x ?role ?e . ?role rdfs:subPropertyOf+ al:party . ?x a al:Partnership }"""
OBSERVATIONS_OF = "SELECT DISTINCT ?x WHERE { VALUES ?e { %s } ?x al:subject ?e . ?x a al:Observation }"
CLAIMS_OF = """SELECT DISTINCT ?x ?how WHERE {
  VALUES ?e { %s } VALUES ?how { al:about al:affects } ?x ?how ?e .
  ?x a ?c . ?c rdfs:subClassOf* al:Claim }"""
SOURCE_DATES = "SELECT ?x ?date WHERE { %s ?x dcterms:date ?date }"

TIMELINE_COLUMNS = ["date", "event", "id", "kind", "role", "detail", "sources"]
UNDATED_COLUMNS = ["event", "id", "kind", "role", "detail", "sources"]
EVENT_ORDER = {"announced": 0, "started": 1, "figure": 2, "claim published": 3, "ended": 4}


@dataclass
class Timeline:
    """An entity's dated facts in date order, and its undated facts apart."""

    entity: EntityRef
    dated: list[dict]
    undated: list[dict]

    def sections(self) -> list[tuple[str, list[dict], list[str]]]:
        return [("dated", self.dated, TIMELINE_COLUMNS), ("undated", self.undated, UNDATED_COLUMNS)]


def _number(value, store=None, subject=None, prop: str = "value") -> str:
    """A figure as text: 875,000,000 or 0.25 ("?" for an ill-typed value, reported once)."""
    if value is None:
        return ""
    value = _float(value, store, subject, prop)
    if value is None:
        return "?"
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.4g}"


def timeline(store: Store, entity: EntityRef) -> Timeline:
    """`entity`'s partnerships (one row per announcement, start and end), figures (as of
    their date) and the claims about it (at the earliest date of their sources), in date
    order with their sources; facts without a date in `undated`, in id order."""
    from collections import defaultdict

    bound = iri_list([entity.iri])
    found = {kind: [x for (x,) in store.values(query % bound, cached=False)]
             for kind, query in (("partnership", PARTNERSHIPS_OF), ("figure", OBSERVATIONS_OF))}
    how: dict[str, set[str]] = defaultdict(set)
    for x, prop in store.values(CLAIMS_OF % bound, cached=False):
        how[x].add(local_id(prop))
    found["claim"] = sorted(how)
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    facts.update(read_facts(store, "Partnership", PARTNERSHIP_PROPS, found["partnership"]))
    facts.update(read_facts(store, "Observation", OBSERVATION_PROPS, found["figure"]))
    claim_facts = "SELECT ?x ?prop ?value WHERE { %%s ?x ?prop ?value . VALUES ?prop { %s } }"
    for x, prop, value in _bound(store, claim_facts % " ".join(CLAIM_PROPS), found["claim"]):
        facts[x][local_id(prop)].append(value)
    roles = read_roles(store, found["partnership"])
    source_dates: dict[str, str] = {}
    for s, date in _bound(store, SOURCE_DATES, {v for x in found["claim"] for v in facts[x]["source"]}):
        source_dates[s] = min(date, source_dates.get(s, date))

    def first(x, prop):
        values = facts.get(x, {}).get(prop)
        return min(values) if values else None

    dated, undated = [], []
    for x in found["partnership"]:
        mine = ", ".join(sorted(r for r, ids in roles[x].items() if entity.id in ids))
        parties = _parties(roles[x])
        status = first(x, "status")
        base = {"id": local_id(x), "kind": local_id(first(x, "kind") or ""), "role": mine,
                "detail": f"{first(x, 'label') or local_id(x)} ({parties})"
                          + (f"; status {local_id(status)}" if status else ""),
                "sources": sorted(local_id(s) for s in facts[x]["source"])}
        events = [(first(x, prop), name) for prop, name in
                  (("announced", "announced"), ("start", "started"), ("end", "ended"))]
        events = [(d, name) for d, name in events if d is not None]
        if not events:
            undated.append({"event": "partnership", **base})
        dated += [{"date": d, "event": name, **base} for d, name in events]
    for x in found["figure"]:
        value = _number(first(x, "value"), store, x)
        if first(x, "valueMax"):
            value += f"-{_number(first(x, 'valueMax'), store, x, 'valueMax')}"
        detail = f"{value} {first(x, 'unit') or ''}".strip()
        if first(x, "period"):
            detail += f" ({first(x, 'period')})"
        if first(x, "qualifier"):
            detail += f", {first(x, 'qualifier')}"
        row = {"id": local_id(x), "kind": local_id(first(x, "metric") or ""), "role": "subject",
               "detail": detail, "sources": sorted(local_id(s) for s in facts[x]["source"])}
        if first(x, "asOf"):
            dated.append({"date": first(x, "asOf"), "event": "figure", **row})
        else:
            undated.append({"event": "figure", **row})
    for x in found["claim"]:
        classes = sorted(local_id(c) for c in facts[x]["type"] if "alliances/ontology#" in c)
        dates = [source_dates[s] for s in facts[x]["source"] if s in source_dates]
        row = {"id": local_id(x), "kind": next((c for c in classes if c != "Claim"), "Claim"),
               "role": ", ".join(sorted(how[x])), "detail": first(x, "label") or first(x, "statement") or "",
               "sources": sorted(local_id(s) for s in facts[x]["source"])}
        if dates:
            dated.append({"date": min(dates), "event": "claim published", **row})
        else:
            undated.append({"event": "claim", **row})
    dated.sort(key=lambda r: (str(r["date"]), EVENT_ORDER.get(r["event"], 9), r["id"]))
    undated.sort(key=lambda r: (r["event"], r["id"]))
    return Timeline(entity, dated, undated)
