"""The money graph: who pays, invests in or guarantees whom, one edge per flow of money.

A projection of its own, next to the dependency graph: a ``networkx.MultiDiGraph`` with
one edge per partnership and pair of parties, so that an investment and a purchase
between the same two companies stay two edges (keyed by the partnership id).

**Direction is data.** The ontology says, for each partnership kind, which roles pay
and which receive (``kind:investment al:moneyFrom al:investor ; al:moneyTo
al:investee``) and whether the flow is investment-like or purchase-like
(``al:flowType flow:investment`` / ``flow:purchase``). The rule table is read from the
store, so a kind of your own (``--data``) gets a direction the same way. Kinds without
a rule (joint ventures, reviews, research) move no money here.

**Parties.** A product in a role (a model, a cloud platform) counts as its developer
(``al:developedBy``): organisations pay, products do not. With ``group=True`` a
subsidiary counts as its top-most parent (``al:subsidiaryOf``, transitively: AWS as
Amazon, Google Cloud as Alphabet), and flows inside a group disappear.

**Amounts.** Each edge keeps ``amount`` (``al:amount``), ``amount_max``
(``al:amountMax``, an "up to" figure), ``amount_text``, ``currency`` and ``scope``;
``value`` is the amount, else the upper bound (then ``up_to`` is true). A deal shared
by several payers or receivers, or whose ``al:amountScope`` is ``"round-total"``,
gives no party that amount: the edge's amount is unknown and ``deal_total`` keeps
the total. Amounts in another currency stay in it; ``usd`` converts them only with a
sourced exchange-rate observation (``metric:exchange-rate``) of the flow's date (the
same day, or a month or year that contains it); otherwise it is None. Cancelled deals
are left out; ``as_of`` keeps the flows active on that date
(:func:`alliances.timeline.active_as_of`).

**Circular deals** (:func:`circular_deals`): the simple cycles of up to four hops of the
digraph of flows (one arc per pair with at least one flow) that mix an investment-like
and a purchase-like flow. A hop may carry several flows; a cycle qualifies when one
flow can be picked per hop with at least one of each type. The amount that can go
round, ``circulating``, is the best such pick: per hop the largest single known amount
(in USD) of the picked type (largest, never a sum: the data may hold a deal and its
later restatement), then the smallest over the hops, maximised over the picks. A
cycle where every pick meets a flow without a (convertible) amount has
``circulating`` None and names those flows in ``missing``.

>>> from alliances.store.memory import load
>>> from alliances.store.paths import ontology_path
>>> store = load([ontology_path().parents[1] / "tests" / "fixtures" / "money.ttl"], shipped=False)
>>> g = money_graph(store)
>>> sorted(k for _, _, k in g.edges("t-m-lab", keys=True) if k.endswith("gpus-1"))
['p-t-m-lab-chipco-gpus-1']
>>> [(c.entities, c.circulating) for c in circular_deals(g)][:2]
[(['t-m-chipco', 't-m-lab'], 30000000000.0), (['t-m-chipco', 't-m-lab', 't-m-neo'], 5000000000.0)]
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from alliances.errors import AlliancesError
from alliances.gcpause import gc_paused
from alliances.store.base import Store
from alliances.timeline import active_as_of
from alliances.vocab import iri_list, local_id

INVESTMENT, PURCHASE = "investment", "purchase"
BASE_CURRENCY = "USD"
MAX_LENGTH = 4
ENDED = {"cancelled"}  # an ended deal did move money; a cancelled one never did

# The rule table and the vocabulary: small reads, one pattern each.
RULES = """
SELECT ?kind ?dir ?role WHERE {
  { ?kind al:moneyFrom ?role . BIND("from" AS ?dir) } UNION { ?kind al:moneyTo ?role . BIND("to" AS ?dir) }
}
"""
FLOW_TYPES = "SELECT ?kind ?flow WHERE { ?kind al:flowType ?flow }"
# direct sub-property pairs, closed in Python: a path with both ends variables
# (?sub rdfs:subPropertyOf* ?role) is refused by some endpoints (Virtuoso)
SUB_PROPERTIES = "SELECT ?sub ?super WHERE { ?sub rdfs:subPropertyOf ?super }"

# Partnerships, parties and facts: one scan per property and no join, as in
# alliances.graph.dependency (on an on-disk store a join costs an index seek per row).
PARTNERSHIPS_OF_KINDS = "SELECT ?p ?k WHERE { VALUES ?k { %s } ?p al:kind ?k }"
PARTIES = "SELECT ?p ?role ?x WHERE { VALUES ?role { %s } ?p ?role ?x }"
FACT = "SELECT ?p ?value WHERE { ?p al:%s ?value }"
DEVELOPERS = "SELECT ?x ?d WHERE { ?x al:developedBy ?d . FILTER(?x != ?d) }"
PARENTS = "SELECT ?x ?y WHERE { ?x al:subsidiaryOf ?y . FILTER(?x != ?y) }"
RATES = "SELECT ?o WHERE { ?o al:metric metric:exchange-rate }"
FACTS = ("amount", "amountMax", "amountText", "currency", "amountScope", "announced", "start", "end",
         "status", "source")
RATE_FACTS = ("currency", "unit", "value", "asOf", "period", "source")


@dataclass(frozen=True)
class Rule:
    """How money flows in a partnership kind: from the parties in `payers` roles to the
    parties in `payees` roles (role IRIs, sub-properties included); `flow` is the
    flow type id (``investment`` or ``purchase``) or None when the ontology gives none."""

    kind: str
    payers: frozenset
    payees: frozenset
    flow: str | None


def money_rules(store: Store) -> dict[str, Rule]:
    """Partnership kind id -> :class:`Rule`, read from the ontology (and --data).

    >>> from alliances.store.memory import load
    >>> rules = money_rules(load())
    >>> rules["investment"].flow, rules["cloud-compute"].flow, "joint-venture" in rules
    ('investment', 'purchase', False)
    """
    sides: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"from": set(), "to": set()})
    for kind, direction, role in store.values(RULES):
        sides[kind][direction].add(role)
    flows = {kind: local_id(flow) for kind, flow in store.values(FLOW_TYPES)}
    roles = {r for s in sides.values() for rs in s.values() for r in rs}
    subs: dict[str, set[str]] = defaultdict(set)
    if roles:
        import networkx as nx

        hierarchy = nx.DiGraph(store.values(SUB_PROPERTIES))  # edges sub -> super
        for role in roles:
            if role in hierarchy:
                subs[role] = set(nx.ancestors(hierarchy, role))
    rules = {}
    for kind, side in sorted(sides.items()):
        if side["from"] and side["to"]:
            payers = frozenset(s for r in side["from"] for s in subs.get(r, {r}) | {r})
            payees = frozenset(s for r in side["to"] for s in subs.get(r, {r}) | {r})
            rules[local_id(kind)] = Rule(kind, payers, payees, flows.get(kind))
    return rules


def parse_money_kinds(store: Store, values) -> list[str] | None:
    """`--kind investment,cloud-compute --kind chip-supply` -> the partnership kind ids,
    checked against the scheme of partnership kinds and the money rules; None when empty.
    A dependency kind (``chips``) stands for its partnership kinds that move money.

    >>> from alliances.store.memory import load
    >>> parse_money_kinds(load(), ["investmnet"])
    Traceback (most recent call last):
    ...
    alliances.errors.AlliancesError: --kind: unknown partnership kind 'investmnet'; did you mean ...
    >>> parse_money_kinds(load(), ["chips"])  # a dependency kind: its partnership kinds
    ['chip-supply', 'custom-silicon']
    """
    from alliances.catalog.kind_map import expand_kind, kind_pairs

    wanted = [k.strip().lower() for v in values for k in v.split(",") if k.strip()]
    if not wanted:
        return None
    rules, pairs = money_rules(store), kind_pairs(store)
    out = []
    for name in wanted:
        kinds = expand_kind(pairs, name)
        moving = [k for k in kinds if k in rules]
        if not moving:
            raise AlliancesError(f"--kind: '{name}' moves no money (no al:moneyFrom/al:moneyTo in the "
                                 f"ontology); kinds that do: {', '.join(sorted(rules))}")
        out.extend(moving)  # a dependency kind: its partnership kinds that move money
    return list(dict.fromkeys(out))


def group_roots(store: Store) -> dict[str, str]:
    """Entity id -> its top-most parent id through al:subsidiaryOf (only for subsidiaries).

    >>> from alliances.store.memory import load
    >>> roots = group_roots(load())
    >>> roots["aws"], roots["google-cloud"]
    ('amazon', 'alphabet')
    """
    parent: dict[str, str] = {}
    for x, y in sorted(store.values(PARENTS)):
        parent.setdefault(local_id(x), local_id(y))
    roots = {}
    for node in parent:
        seen, top = {node}, node
        while top in parent and parent[top] not in seen:  # a loop in the data stops the walk
            top = parent[top]
            seen.add(top)
        roots[node] = top
    return roots


def _rates(store: Store) -> dict[tuple[str, str], list[dict]]:
    """(currency, unit) -> exchange-rate observations [{date, value, id, sources}]."""
    obs = {o for (o,) in store.values(RATES)}
    if not obs:
        return {}
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name in RATE_FACTS:
        for o, value in store.values(FACT % name):
            if o in obs and value is not None:
                facts[o][name].append(value)
    out: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for o in sorted(obs):
        f = facts[o]
        date = min(f["asOf"] or f["period"] or [""])
        if not (f["currency"] and f["unit"] and f["value"] and date and f["source"]):
            continue  # no rate without a currency pair, a date and a source
        value = _number(f["value"][0], None, o, "value")  # NaN and inf are no rates either
        if value is not None and value > 0:
            out[(f["currency"][0].upper(), f["unit"][0].upper())].append(
                {"date": date, "value": value, "id": local_id(o),
                 "sources": sorted(local_id(s) for s in f["source"])})
    return out


def rate_for(rates, currency: str, date: str | None, target: str = BASE_CURRENCY):
    """The exchange rate (target units per one `currency` unit) of `date`, with the
    observation it comes from, or None. A rate matches a date when it is stated for that
    day, or for a month or year that contains it; the most precise match wins. An inverse
    observation (target -> currency) is used inverted.

    >>> r = {("EUR", "USD"): [{"date": "2025-09", "value": 1.2, "id": "o", "sources": ["s"]}]}
    >>> rate_for(r, "EUR", "2025-09-09")["value"], rate_for(r, "EUR", "2025-10-01")
    (1.2, None)
    """
    if not date:
        return None
    found = []
    for (pair, invert) in (((currency, target), False), ((target, currency), True)):
        for obs in rates.get(pair, ()):
            d = obs["date"]
            if d == date or (len(d) < len(date) and date.startswith(d + "-")):
                found.append((-len(d), invert, obs["id"], obs))
    if not found:
        return None
    _, invert, _, obs = min(found)
    return {**obs, "value": 1.0 / obs["value"] if invert else obs["value"], "inverted": invert}


def _number(text, store=None, subject=None, prop: str = "amount"):
    """A finite non-negative number, or None (an ill-typed, NaN, infinite or negative
    amount is skipped and reported once: :func:`alliances.datavalues.number`; float()
    took "NaN" and "1e309" as flows, and a negative amount would have run backwards)."""
    from alliances.datavalues import number

    return number(store, text, subject, prop, minimum=0.0)


@gc_paused
def money_graph(store: Store, as_of: str | None = None, kinds=None, group: bool = False):
    """The money MultiDiGraph of `store`: edges payer -> payee, keyed by partnership id.

    `as_of` (YYYY-MM-DD) keeps the flows active on that date; `kinds` (partnership kind
    ids) keeps those kinds; `group` merges subsidiaries into their top-most parent.

    Node attributes: ``label``, ``cls``, ``members`` (ids merged into the node).
    Edge attributes: ``partnership``, ``label``, ``kind``, ``flow`` (``investment`` /
    ``purchase``), ``amount``, ``amount_max``, ``amount_text``, ``currency``, ``scope``,
    ``deal_total`` (a shared deal's amount), ``shared`` (how many payer-payee pairs share
    it), ``value`` (amount, else amount_max), ``up_to``, ``usd``, ``rate`` (the
    exchange-rate observation used), ``unknown`` (why ``usd`` is None), ``announced``,
    ``start``, ``end``, ``date`` (announced, else start), ``status``, ``sources``,
    ``via`` ({party id: the id it counts as}).
    """
    import networkx as nx

    from alliances.catalog.resolve import resolver_for

    short = functools.cache(local_id)
    rules = money_rules(store)
    if kinds is not None:
        rules = {k: r for k, r in rules.items() if k in set(kinds)}
    by_iri = {r.kind: r for r in rules.values()}
    graph = nx.MultiDiGraph()
    if not by_iri:
        return graph
    kind_of: dict[str, str] = {}
    for p, k in store.values(PARTNERSHIPS_OF_KINDS % iri_list(by_iri)):
        kind_of.setdefault(p, k)
    roles = {r for rule in rules.values() for r in rule.payers | rule.payees}
    parties: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for p, role, x in store.values(PARTIES % iri_list(roles)):
        if p in kind_of:
            parties[p].append((role, x))
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name in FACTS:
        for p, value in store.values(FACT % name):
            if p in kind_of and value is not None:
                facts[p][name].append(value)
    labels = {}
    for p, value in store.values("SELECT ?p ?value WHERE { ?p rdfs:label ?value }"):
        if p in kind_of and value:
            labels[p] = min(value, labels.get(p, value))
    developer = {}
    for x, d in sorted(store.values(DEVELOPERS)):
        developer.setdefault(short(x), short(d))
    roots = group_roots(store) if group else {}
    rates = _rates(store)

    def node_of(x: str) -> str:
        node = short(x)
        node = developer.get(node, node)  # a product pays and earns through its developer
        return roots.get(node, node)

    edges = []
    for p in sorted(kind_of):
        rule = by_iri[kind_of[p]]
        f = facts[p]

        def one(name, f=f):  # the least value, when a partnership states several
            return min(f[name]) if f[name] else None

        status = short(one("status")) if one("status") else None
        if status in ENDED:
            continue
        announced, start, end = one("announced"), one("start"), one("end")
        if not active_as_of(announced, start, end, as_of):
            continue
        via, payers, payees = {}, set(), set()
        for role, x in parties.get(p, ()):
            node = node_of(x)
            if node != short(x):
                via[short(x)] = node
            if role in rule.payers:
                payers.add(node)
            if role in rule.payees:
                payees.add(node)
        pairs = sorted((a, b) for a in payers for b in payees if a != b)
        if not pairs:
            continue
        amount = _number(one("amount"), store, p, "amount")
        amount_max = _number(one("amountMax"), store, p, "amountMax")
        scope = one("amountScope")
        shared = len(payers) > 1 or len(payees) > 1 or scope == "round-total"
        deal_total = None
        if shared:
            deal_total = amount if amount is not None else amount_max
            amount = amount_max = None
        value = amount if amount is not None else amount_max
        currency = (one("currency") or "").upper() or None
        date = announced or start
        usd, rate, unknown = None, None, None
        if value is None:
            unknown = "deal total shared, no party's share stated" if shared and deal_total is not None \
                else "no amount stated"
        elif currency == BASE_CURRENCY:
            usd = value
        elif currency is None:
            unknown = "no currency stated"
        else:
            rate = rate_for(rates, currency, date)
            if rate is None:
                unknown = f"{currency} amount, no sourced exchange rate for {date or 'its (unknown) date'}"
            else:
                usd = value * rate["value"]
        pid = short(p)
        attrs = {
            "partnership": pid, "label": labels.get(p, pid), "kind": short(rule.kind), "flow": rule.flow,
            "amount": amount, "amount_max": amount_max, "amount_text": one("amountText"),
            "currency": currency, "scope": scope, "deal_total": deal_total,
            "shared": len(pairs) if shared else 1, "value": value,
            "up_to": amount is None and amount_max is not None,
            "usd": usd, "rate": rate, "unknown": unknown,
            "announced": announced, "start": start, "end": end, "date": date, "status": status,
            "sources": sorted({short(s) for s in f["source"]}), "via": dict(sorted(via.items())),
        }
        edges.extend((a, b, pid, dict(attrs)) for a, b in pairs)

    entities = {ref.id: ref for ref in resolver_for(store).entities.values()}
    members: dict[str, set[str]] = defaultdict(set)
    for node, root in roots.items():
        members[root].add(node)
    for node in sorted({n for a, b, _, _ in edges for n in (a, b)}):
        ref = entities.get(node)
        graph.add_node(node, label=ref.label if ref else node, cls=ref.cls if ref else None,
                       members=sorted(members.get(node, ())))
    graph.add_edges_from(edges)
    return graph


# ------------------------------------------------------------------- flows --

def flow_row(u: str, v: str, d: dict, labels=None) -> dict:
    """One flow as a flat row (the JSON edge of a cycle, a line of the tables)."""
    labels = labels or {}
    return {
        "from": u, "to": v, "from_label": labels.get(u, u), "to_label": labels.get(v, v),
        "kind": d["kind"], "type": d["flow"], "amount": d["value"], "currency": d["currency"],
        "up_to": d["up_to"], "amount_usd": d["usd"], "amount_text": d["amount_text"],
        "deal_total": d["deal_total"], "unknown": d["unknown"],
        "rate": None if not d["rate"] else {"value": d["rate"]["value"], "observation": d["rate"]["id"],
                                            "sources": d["rate"]["sources"]},
        "date": d["date"], "status": d["status"], "partnership": d["partnership"],
        "sources": list(d["sources"]), "basis": basis(d),
    }


def basis(d: dict) -> str:
    """How an edge's amount is known: stated, stated upper bound, converted, or why not."""
    if d.get("value") is None:
        text = d.get("unknown") or "no amount stated"
        return f'{text} ("{d["amount_text"]}")' if d.get("amount_text") else text
    text = "stated upper bound (up to)" if d.get("up_to") else "stated"
    if d.get("rate"):
        text += f", converted to {BASE_CURRENCY} at {d['rate']['value']:g} ({d['rate']['id']})"
    elif d.get("usd") is None:
        text += f", in {d['currency'] or 'an unstated currency'} (not converted)"
    return text


def largest_flows(graph) -> list[dict]:
    """Every flow with an amount, largest first: in USD (stated or converted) first, then
    the other currencies, each by amount."""
    labels = {n: graph.nodes[n]["label"] for n in graph}
    rows = [flow_row(u, v, d, labels) for u, v, d in graph.edges(data=True) if d["value"] is not None]
    rows.sort(key=lambda r: (r["amount_usd"] is None, -(r["amount_usd"] or r["amount"]), r["partnership"],
                             r["from"], r["to"]))
    return rows


def entity_money(graph, entity: str) -> dict:
    """Money in and out of `entity`: rows by direction, counterparty, kind and currency,
    and totals per direction and currency (sums of the stated amounts and upper bounds;
    flows without an amount are counted, never guessed).

    Returns {"entity", "label", "out": [...], "in": [...], "totals": [...], "flows": [...]}.
    """
    labels = {n: graph.nodes[n]["label"] for n in graph}
    if entity not in graph:
        return {"entity": entity, "label": entity, "out": [], "in": [], "totals": [], "flows": []}
    sections = {}
    flows = []
    for direction, edges in (("out", graph.out_edges(entity, data=True)),
                             ("in", graph.in_edges(entity, data=True))):
        groups: dict[tuple, list] = defaultdict(list)
        for u, v, d in edges:
            other = v if direction == "out" else u
            groups[(other, d["kind"], d["currency"] or "")].append(d)
            flows.append({"direction": direction, **flow_row(u, v, d, labels)})
        rows = []
        for (other, kind, currency), ds in groups.items():
            known = [d for d in ds if d["value"] is not None]
            rows.append({
                "direction": direction, "counterparty": other, "label": labels.get(other, other),
                "kind": kind, "type": ds[0]["flow"], "flows": len(ds),
                "amount": sum(d["value"] for d in known) if known else None,
                "currency": currency or None,
                "amount_usd": (sum(d["usd"] for d in known) if known and all(d["usd"] is not None
                                                                             for d in known) else None),
                "basis": _sum_basis(known),
                "without_amount": len(ds) - len(known),
                "partnerships": sorted(d["partnership"] for d in ds),
                "sources": sorted({s for d in ds for s in d["sources"]}),
            })
        rows.sort(key=lambda r: (r["amount_usd"] is None, -(r["amount_usd"] or 0), r["amount"] is None,
                                 -(r["amount"] or 0), r["counterparty"], r["kind"]))
        sections[direction] = rows
    totals = []
    for direction in ("out", "in"):
        per: dict[str, list] = defaultdict(list)
        for r in flows:
            if r["direction"] == direction:
                per[r["currency"] or ""].append(r)
        for currency, rs in sorted(per.items()):
            known = [r for r in rs if r["amount"] is not None]
            totals.append({"direction": direction, "currency": currency or None,
                           "amount": sum(r["amount"] for r in known) if known else None,
                           "flows": len(rs), "without_amount": len(rs) - len(known),
                           "up_to": sum(1 for r in known if r["up_to"]),
                           "basis": "sum of stated amounts" + (", incl. upper bounds"
                                                               if any(r["up_to"] for r in known) else "")
                           if known else "no amount stated"})
        converted = [r for r in flows if r["direction"] == direction and r["currency"] != BASE_CURRENCY
                     and r["amount_usd"] is not None]
        if converted:
            usd = [r for r in flows if r["direction"] == direction and r["amount_usd"] is not None]
            totals.append({"direction": direction, "currency": f"{BASE_CURRENCY} incl. converted",
                           "amount": sum(r["amount_usd"] for r in usd), "flows": len(usd),
                           "without_amount": None, "up_to": sum(1 for r in usd if r["up_to"]),
                           "basis": "derived: sum, other currencies at sourced rates of their dates"})
    flows.sort(key=lambda r: (r["direction"], r["amount_usd"] is None, -(r["amount_usd"] or 0),
                              r["partnership"], r["from"], r["to"]))
    return {"entity": entity, "label": labels.get(entity, entity), "out": sections["out"],
            "in": sections["in"], "totals": totals, "flows": flows}


def _sum_basis(known: list[dict]) -> str:
    if not known:
        return "no amount stated"
    text = "stated" if len(known) == 1 else "sum of stated"
    if any(d["up_to"] for d in known):
        text += " (incl. upper bounds)"
    return text


# ------------------------------------------------------------------ cycles --

@dataclass
class Cycle:
    """A circular deal: entities in order (the last pays the first), each hop's flows,
    the amount that can go round (USD, None when unknown), the flows of the best pick
    with a known amount (partnership ids), and the flows that lack an amount when it
    is unknown."""

    entities: list[str]
    hops: list[tuple[str, str, list[dict]]]
    circulating: float | None
    picked: list[str] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def counted(self) -> list[str]:
        """The partnership ids whose amounts make `circulating` (none when it is unknown)."""
        return list(self.picked) if self.circulating is not None else []

    @property
    def missing_hops(self) -> int:
        """How many hops lack a known amount for the best pick."""
        return len({(m["from"], m["to"]) for m in self.missing})

    @property
    def up_to(self) -> bool:
        """Whether an upper bound ("up to") was counted for the circulating amount."""
        return any(f["up_to"] for _, _, fs in self.hops for f in fs if f["partnership"] in self.counted)

    def path(self) -> str:
        """'Nvidia -> OpenAI -> Nvidia'."""
        names = [self.labels.get(n, n) for n in self.entities]
        return " -> ".join([*names, names[0]])

    def as_dict(self) -> dict:
        """The JSON form: {entities, edges: [{from, to, kind, amount, currency, date,
        partnership, sources, ...}], circulating, ...}."""
        edges = []
        for _, _, flows in self.hops:
            for f in flows:
                edges.append({**{k: f[k] for k in ("from", "to", "kind", "amount", "currency", "date",
                                                   "partnership", "sources")},
                              "type": f["type"], "up_to": f["up_to"], "amount_usd": f["amount_usd"],
                              "status": f["status"], "basis": f["basis"],
                              "counted": f["partnership"] in self.counted})
        return {"entities": list(self.entities), "labels": [self.labels.get(n, n) for n in self.entities],
                "edges": edges, "circulating": self.circulating,
                "currency": BASE_CURRENCY if self.circulating is not None else None,
                "up_to": self.up_to, "missing": self.missing}


def _pick(hops) -> tuple[float | None, list[str], list[dict]]:
    """The best pick of one flow type per hop (module docstring): (circulating, the
    picked flows with a known amount (partnership ids), the flows without one on the
    other hops); (None, [], []) when no pick mixes the two types."""
    options = []
    for _, _, flows in hops:
        by_type: dict[str, list[dict]] = defaultdict(list)
        for f in flows:
            if f["type"] in (INVESTMENT, PURCHASE):
                by_type[f["type"]].append(f)
        if not by_type:
            return None, [], []
        options.append(by_type)
    best = None  # (all known, smallest known, -unknown hops) -> pick
    for types in itertools.product(*[sorted(o) for o in options]):
        if INVESTMENT not in types or PURCHASE not in types:
            continue
        chosen, unknown = [], []
        for i, (t, o) in enumerate(zip(types, options)):
            known = [f for f in o[t] if f["amount_usd"] is not None]
            if known:
                chosen.append(max(known, key=lambda f: (f["amount_usd"], f["partnership"])))
            else:
                unknown.append((i, t))
        low = min((f["amount_usd"] for f in chosen), default=0.0)
        score = (not unknown, -len(unknown), low)
        if best is None or score > best[0]:
            best = (score, chosen, unknown)
    if best is None:
        return None, [], []
    (complete, _, low), chosen, unknown = best
    missing = []
    for i, t in unknown:
        u, v, _ = hops[i]
        for f in options[i][t]:
            missing.append({"from": u, "to": v, "kind": f["kind"], "type": t, "partnership": f["partnership"],
                            "why": f["unknown"]})
    return (low if complete else None), [f["partnership"] for f in chosen], missing


def circular_deals(graph, max_length: int = MAX_LENGTH, through: str | None = None) -> list[Cycle]:
    """The circular deals of the money graph, ranked: known circulating amounts largest
    first, then the cycles with unknown amounts (fewest hops without an amount first,
    then the shortest).

    Cycles come from ``networkx.simple_cycles`` (``length_bound=max_length``) on the
    digraph of flows; each starts at its smallest entity id. With `through`, only the
    cycles through that entity.
    """
    import networkx as nx

    simple = nx.DiGraph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted({(u, v) for u, v in graph.edges() if u != v}))
    if through is not None:
        if through not in simple:
            return []
        # only the strongly connected part around `through` can hold its cycles
        simple = simple.subgraph(nx.node_connected_component(simple.to_undirected(as_view=True), through))
    labels = {n: graph.nodes[n].get("label") or n for n in graph}
    cycles = []
    for found in nx.simple_cycles(simple, length_bound=max_length):
        if through is not None and through not in found:
            continue
        start = found.index(min(found))
        nodes = found[start:] + found[:start]
        hops = []
        for i, u in enumerate(nodes):
            v = nodes[(i + 1) % len(nodes)]
            flows = [flow_row(u, v, d, labels) for d in graph.get_edge_data(u, v).values()]
            flows.sort(key=lambda f: (f["type"] or "", f["amount_usd"] is None, -(f["amount_usd"] or 0),
                                      f["partnership"]))
            hops.append((u, v, flows))
        types = {f["type"] for _, _, fs in hops for f in fs}
        if INVESTMENT not in types or PURCHASE not in types:
            continue
        circulating, picked, missing = _pick(hops)
        if not picked and not missing:
            continue  # the two types never sit on two different hops
        cycles.append(Cycle(nodes, hops, circulating, picked, missing,
                            {n: labels.get(n, n) for n in nodes}))
    cycles.sort(key=lambda c: (c.circulating is None, -(c.circulating or 0.0), c.missing_hops,
                               len(c.entities), c.entities))
    return cycles


def amount_stats(graph) -> dict:
    """How many flows the graph holds and how many have an amount (stated, an upper
    bound, a shared deal's total) and one in USD.

    >>> import networkx as nx
    >>> amount_stats(nx.MultiDiGraph())["flows"]
    0
    """
    edges = [d for _, _, d in graph.edges(data=True)]
    return {"flows": len(edges), "with_amount": sum(d["value"] is not None for d in edges),
            "up_to": sum(bool(d["up_to"]) for d in edges),
            "in_usd": sum(d["usd"] is not None for d in edges),
            "deal_total_only": sum(d["value"] is None and d["deal_total"] is not None for d in edges)}
