"""Edge weights of the dependency graph, each with the basis it rests on.

For an entity X and a dependency kind k, ``share_k(X, Y)`` is the share of X's need of
kind k that supplier Y covers (a *group*: X's suppliers of kind k). Within a group:

* **stated**: a source gives the share (``al:share`` on the partnership, or a
  ``metric:supply-share`` observation). Stated shares are kept (scaled down when they
  sum above 1); the rest ``r = 1 - sum of stated shares`` goes to the other suppliers.
* **remainder**: when one supplier is left without a stated share, r is its share.
* **amounts**: when every other supplier has deal amounts of that kind with X in one
  currency (one lab's compute contracts with several clouds), r is split in proportion
  to the amounts.
* **market share**: else, when the kind has a market arena (``dep:chips al:marketArena
  arena:ai-accelerators``) and the data holds market shares there, r is split in
  proportion to the suppliers' latest shares (a product counts with its maker's share;
  suppliers without a figure share the part of the market no figure names).
* **even split**: else r is split evenly (the last resort).

Only stated shares are facts: the others rest on the assumption that the known suppliers
cover the need (remainder), or are estimates; the ranges of
:mod:`alliances.graph.bounds` let move. The edge weight used by the map and the kind-blind
view is ``W[X, Y] = sum_k share_k(X, Y) / K(X)`` (each of the K(X) kinds X depends on
an equal part of its need), so every row of W sums to at most 1.

The same steps (without market shares) give the *customer shares* of the supplier
side (``risk --direction up``): ``customer_k(Y, X)``, the share of Y's sales of kind k
that go to X, stated by ``metric:customer-share`` observations.

>>> split([("a", 0.5), ("b", None), ("c", None)])
{'a': (0.5, 'stated'), 'b': (0.25, 'even split'), 'c': (0.25, 'even split')}
>>> split([("a", 0.7), ("b", None)])
{'a': (0.7, 'stated'), 'b': (0.30000000000000004, 'remainder')}
>>> split([("b", None), ("c", None)], amounts={"b": ("USD", 3.0), "c": ("USD", 1.0)})
{'b': (0.75, 'amounts'), 'c': (0.25, 'amounts')}
"""

from __future__ import annotations

from collections import defaultdict

STATED, REMAINDER, AMOUNTS, MARKET, EVEN = "stated", "remainder", "amounts", "market share", "even split"
BASES = (STATED, REMAINDER, AMOUNTS, MARKET, EVEN)


def split(suppliers, amounts=None, market=None, residual: float = 0.0) -> dict:
    """Shares of one group: `suppliers` is [(id, stated share or None)]; `amounts`
    {id: (currency, amount)}; `market` {id: market share in percent} and `residual` the
    percent of the market no figure names. Returns {id: (share, basis)}."""
    stated = {y: s for y, s in suppliers if s is not None}
    total = sum(stated.values())
    scale = 1.0 / total if total > 1.0 else 1.0  # stated shares that overshoot 1
    out = {y: (s * scale, STATED) for y, s in stated.items()}
    free = [y for y, s in suppliers if s is None and y not in stated]
    if not free:
        return out
    rest = max(0.0, 1.0 - total * scale)
    if len(free) == 1 and stated:
        return {**out, free[0]: (rest, REMAINDER)}
    parts, basis = _estimate(free, amounts or {}, market or {}, residual)
    norm = sum(parts.values())
    for y in free:
        out[y] = (rest * parts[y] / norm, basis)
    return out


def _estimate(free, amounts, market, residual):
    """Relative parts of the suppliers without a stated share, and their basis."""
    if len(free) > 1:
        currencies = {amounts[y][0] for y in free if y in amounts}
        if len(currencies) == 1 and all(y in amounts and amounts[y][1] > 0 for y in free):
            return {y: amounts[y][1] for y in free}, AMOUNTS
        known = {y: market[y] for y in free if market.get(y, 0) > 0}
        missing = [y for y in free if y not in known]
        if known and (not missing or residual > 0):
            parts = dict(known)
            parts.update({y: residual / len(missing) for y in missing})
            return parts, MARKET
    return {y: 1.0 for y in free}, EVEN


def assign_weights(graph, kinds=None) -> None:
    """(Re)compute the supply shares of every edge of `graph` from ``stated`` ({kind:
    share or None}), ``amounts`` ({kind: (currency, amount)}) and the graph's market
    figures (``graph.graph["market"]``), as the module docstring says. With `kinds`,
    only those kinds count. Sets on each edge ``shares``, ``basis`` ({kind: basis}),
    ``weight``, ``kind``, ``estimated`` (a kind rests on no stated share) and
    ``estimated_kinds``; on each node ``rest`` ({kind: share left to unstated suppliers}).

    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("x", "a", stated={"chips": 0.6, "capital": None})
    >>> g.add_edge("x", "b", stated={"chips": None})
    >>> assign_weights(g)
    >>> g.edges["x", "a"]["shares"], g.edges["x", "a"]["weight"], g.edges["x", "b"]["basis"]
    ({'chips': 0.6, 'capital': 1.0}, 0.8, {'chips': 'remainder'})
    """
    weigh_edges({(x, y): d for x, y, d in graph.edges(data=True)}, kinds, graph.graph, graph.nodes)


def weigh_edges(edges: dict, kinds=None, info=None, nodes=None) -> None:
    """:func:`assign_weights` on a plain {(x, y): data} mapping; `info` holds the graph's
    ``market`` ({kind: ({firm: percent}, residual percent)}) and ``makers`` ({product:
    [maker]}); `nodes` (a mapping of node attributes) gets each node's ``rest``."""
    info = info or {}
    market, makers = info.get("market", {}), info.get("makers", {})
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for (x, y), data in edges.items():
        data["shares"], data["basis"] = {}, {}
        for kind, share in data["stated"].items():
            if kinds is None or kind in kinds:
                groups[(x, kind)].append((y, share, data))
    n_kinds: dict[str, int] = defaultdict(int)
    rests: dict[str, dict] = defaultdict(dict)
    for (x, kind), members in groups.items():
        n_kinds[x] += 1
        firms, residual = market.get(kind, ({}, 0.0))
        if _nothing_known(members, kind, firms, makers):  # most groups: only the suppliers
            rests[x][kind] = 1.0
            even = 1.0 / len(members)
            for _y, _s, data in members:
                data["shares"][kind], data["basis"][kind] = even, EVEN
            continue
        data_of = {y: d for y, _s, d in members}
        amounts = {y: d["amounts"][kind] for y, _s, d in members if kind in d.get("amounts", ())}
        shares = _market_of(list(data_of), firms, makers)
        result = split([(y, s) for y, s, _d in members], amounts, shares, residual)
        rests[x][kind] = max(0.0, 1.0 - sum(s for s, b in result.values() if b == STATED))
        for y, (share, basis) in result.items():
            data_of[y]["shares"][kind] = share
            data_of[y]["basis"][kind] = basis
    for (x, _y), data in edges.items():
        shares, basis = data["shares"], data["basis"]
        data["weight"] = sum(shares.values()) / n_kinds[x] if n_kinds[x] else 0.0
        if len(shares) == 1:
            ((kind, _share),) = shares.items()
            data["estimated_kinds"] = [] if basis[kind] == STATED else [kind]
            data["kind"] = kind
        else:
            data["estimated_kinds"] = sorted(k for k, b in basis.items() if b != STATED)
            data["kind"] = "+".join(sorted(shares)) or "+".join(sorted(data["stated"]))
        data["estimated"] = bool(data["estimated_kinds"])
    if nodes is not None:
        for x, rest in rests.items():
            nodes[x]["rest"] = rest


def _nothing_known(members, kind, firms, makers) -> bool:
    """No stated share, deal amount or market figure in this group: an even split."""
    for y, share, data in members:
        if share is not None or y in firms or y in makers:
            return False
        amounts = data.get("amounts")
        if amounts and kind in amounts:
            return False
    return True


def _market_of(suppliers, firms: dict, makers: dict) -> dict:
    """Each supplier's market share in percent: its own, else its maker's."""
    out = {}
    for y in suppliers:
        if y in firms:
            out[y] = firms[y]
        else:
            shares = [firms[m] for m in makers.get(y, ()) if m in firms]
            if shares:
                out[y] = max(shares)
    return out


def customer_groups(graph, group_kinds, sold) -> dict:
    """The customer shares of the supplier side: {(Y, k): (rest, [(X, channel, share,
    basis)])} where X buys kind k from Y (``channel`` False) or sells Y's kind-k supply
    through a group edge (``channel`` True: a product of its maker, a parent of its
    subsidiary) and ``rest`` the share left to customers without a stated share.

    Stated customer shares come from the edges' ``customer_stated`` ({kind or "*":
    share}); the others are split by deal amounts of that kind, else evenly."""
    members: dict[tuple, list] = defaultdict(list)
    for x, y, data in graph.edges(data=True):
        stated = data.get("customer_stated", {})
        kinds = data.get("shares") or {data.get("kind", "other"): data.get("weight", 0.0)}
        for kind, share in kinds.items():
            if share <= 0:
                continue
            if kind in group_kinds:
                for k in sold.get(x, ()):
                    members[(y, k)].append((x, True, stated.get(k, stated.get("*")), None))
            else:
                amount = data.get("amounts", {}).get(kind)
                members[(y, kind)].append((x, False, stated.get(kind, stated.get("*")), amount))
    out = {}
    for (y, k), rows in members.items():
        merged: dict[tuple, tuple] = {}
        for x, channel, stated, amount in sorted(rows, key=lambda r: (str(r[0]), r[1])):
            merged.setdefault((x, channel), (stated, amount))
        amounts = {key: a for key, (_s, a) in merged.items() if a is not None}
        result = split([(key, s) for key, (s, _a) in merged.items()], amounts)
        rest = max(0.0, 1.0 - sum(s for s, b in result.values() if b == STATED))
        out[(y, k)] = (rest, [(x, channel, share, basis)
                              for (x, channel), (share, basis) in result.items()])
    return out


def sold_kinds(graph, group_kinds) -> dict:
    """The kinds each entity sells: those its customers buy from it, and, through group
    edges (X's supply rests on Y's), those X sells (Nvidia sells what its products do)."""
    sold: dict = defaultdict(set)
    channels = []
    for x, y, data in graph.edges(data=True):
        kinds = data.get("shares") or {data.get("kind", "other"): data.get("weight", 0.0)}
        for kind, share in kinds.items():
            if share <= 0:
                continue
            if kind in group_kinds:
                channels.append((x, y))
            else:
                sold[y].add(kind)
    changed = True
    while changed:
        changed = False
        for x, y in channels:
            new = sold.get(x, set()) - sold[y]
            if new:
                sold[y] |= new
                changed = True
    return {n: sorted(k) for n, k in sold.items() if k}


def coverage_rows(graph) -> list[dict]:
    """How many dependency edges (entity, supplier, kind) rest on each basis, per kind and
    overall, and the share of them that is stated."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BASES, 0))
    for _x, _y, data in graph.edges(data=True):
        for kind, basis in data.get("basis", {}).items():
            counts[kind][basis] += 1
            counts["all"][basis] += 1
    rows = []
    for kind in sorted(counts, key=lambda k: (k == "all", k)):
        row = {"kind": kind, **counts[kind]}
        row["edges"] = sum(counts[kind].values())
        row["stated_share"] = round(row[STATED] / row["edges"], 4) if row["edges"] else 0.0
        rows.append(row)
    return rows
