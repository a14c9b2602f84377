r"""The supply-use model behind ``alliances risk``: which losses pass through which inputs.

**State.** ``L(X, k)`` is the loss of entity X in its supply of kind k: the share of
what X supplies as kind k (chips, compute, foundry, ...) that is lost. ``L(X, *)`` is
the share of X's own need that is lost: the *exposure* of X that ``risk`` reports.

**Inputs.** ``s_j(X, Y)`` is the share of X's need of kind j that Y covers (sum over Y
at most 1; :mod:`alliances.graph.weights` says how each share is obtained). ``J(X)`` is
the set of kinds X depends on. The *needs table* ``N(k)`` (``dep:compute al:needs
dep:chips, dep:memory, dep:power`` ... in ``ontology/alliances.ttl``, extendable with
``--data``) says which input kinds an output of kind k needs. *Group kinds* G
(ownership) pass every kind: a parent's supply rests on its subsidiaries', a product's
on its maker's.

**Equations.** For a shocked entity (the targets, their products and subsidiaries,
transitively) ``L(X, k) = f`` for every k, f the shock. For every other X::

    I(X, j, k) = sum_Y s_j(X, Y) L(Y, j)        j not in G  (what X gets of kind j)
               = sum_Y s_j(X, Y) L(Y, k)        j in G      (the same kind passes)
    L(X, k)    = 1/|K| sum_{j in K} I(X, j, k)   K = (N(k) | G) & J(X), 0 when K is empty
    L(X, *)    = 1/|J(X)| sum_{j in J(X)} I(X, j, *)

Each kind X depends on is an equal part of its need, as before; what is new is that
an input loss reaches an output only when the output needs that input: Samsung's
foundry supply needs equipment and power, not the Nvidia GPUs Samsung buys, so Tesla
AI6 (made by Samsung's foundry) is not exposed to Nvidia; ``dep:capital`` needs
nothing, so a chip shortage does not reach Scale AI through Meta's capital.

**Leontief form.** The equations are linear, ``L = M L + b``, with M >= 0 and every
row of M summing to at most 1 (a row averages convex combinations). On the set A of
states with a path to a shocked state, ``L_A = (I - M_AA)^-1 M_AS f``: every state of A
reaches S, where supply leaks out of A, so the spectral radius of M_AA is below 1 and
the inverse exists even on cycles; the other states are 0 (the least fixed point).
When every kind needs every kind (``N(k)`` = all kinds, or no table at all: the
*kind-blind* case), ``L(X, k) = L(X, *)`` and the model is the earlier one,
``x = W x`` with ``W[X, Y] = sum_j s_j(X, Y) / |J(X)|``.

**Guarantees.** Exposure is in [0, 1] (by induction on ``L <- M L + b`` from 0: convex
combinations of values in [0, 1]); monotone in f and in every share (M and b have
non-negative entries and grow with them; the least fixed point of a larger monotone
map is larger); correct on cycles (least fixed point; unique on A as above).

**Supplier side** (``--direction up``). ``c_k(Y, X)`` is the share of Y's sales of kind
k that go to X. ``R(Y, k)`` is the share of Y's sales of kind k that is lost and
``D(X, j)`` the fall of X's demand for its inputs of kind j. A shocked entity stops
buying (``D = f``); otherwise an entity buys inputs for what it sells::

    D(X, j) = 1/|O| sum_{k in O} R(X, k)         O = {k sold by X : j in N(k)}
    R(Y, k) = sum_X c_k(Y, X) D(X, k) + sum_{X -G-> Y} c_k(Y, X) R(X, k)
    R(Y, *) = 1/|sold(Y)| sum_k R(Y, k)          (the exposure reported)

so TSMC loses through Nvidia (foundry for the chips Nvidia sells to the shocked
buyer) and through every chip designer it makes chips for. The same guarantees hold.

**Ranges.** Only stated shares are facts. ``low`` and ``high`` are the least and
greatest exposure over every assignment of the other shares that the data allows
(stated shares fixed, the others free and summing to what is left); see
:mod:`alliances.graph.bounds`.

>>> import networkx as nx
>>> g = nx.DiGraph(needs={"foundry": ["equipment"], "chips": ["foundry"]}, group_kinds=set())
>>> g.add_edge("tesla", "samsung", shares={"foundry": 1.0}, basis={"foundry": "stated"})
>>> g.add_edge("samsung", "nvidia", shares={"chips": 1.0}, basis={"chips": "stated"})
>>> system = build_system(g, "down")
>>> [system.states[i] for i in system.rows_of(system.index["tesla", "*"])]
[('samsung', 'foundry')]
>>> system.rows_of(system.index["samsung", "foundry"])
[]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from alliances.graph.weights import STATED

TOTAL = "*"       # the state of an entity's own need (down) or total sales (up)
DEMAND = "<"      # prefix of a demand state (up): ("x", "<chips")
PLAIN = "_"       # the one kind of a hand-made graph without per-kind shares


@dataclass
class System:
    """The linear system of one direction over every state of a graph.

    ``fixed`` holds the coefficients that do not move (stated shares, the 1/|K|
    averages), ``estimated`` the point estimates of the other shares, and ``free``
    the same shares as free groups: (row, weight, candidate columns), worth
    ``weight * x[candidate]`` for the candidate the bounds pick."""

    direction: str
    states: list[tuple[str, str]] = field(default_factory=list)
    index: dict[tuple[str, str], int] = field(default_factory=dict)
    fixed: tuple[list, list, list] = field(default_factory=lambda: ([], [], []))
    estimated: tuple[list, list, list] = field(default_factory=lambda: ([], [], []))
    free: list[tuple[int, float, list[int]]] = field(default_factory=list)
    by_node: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    customers: dict = field(default_factory=dict)  # up: (Y, k) -> {(X, channel): (share, basis)}
    group_kinds: set = field(default_factory=set)
    _matrices: dict = field(default_factory=dict, repr=False)

    def state(self, node, tag, queue) -> int:
        key = (node, tag)
        i = self.index.get(key)
        if i is None:
            i = self.index[key] = len(self.states)
            self.states.append(key)
            self.by_node[node].append(i)
            queue.append(i)
        return i

    def add(self, row, col, value, stated) -> None:
        if value > 0:
            rows, cols, vals = self.fixed if stated else self.estimated
            rows.append(row)
            cols.append(col)
            vals.append(value)

    def matrix(self, which: str):
        """The :class:`~alliances.graph.sparse.CSR` matrix of "fixed", "estimated" or
        "point" (both), built once."""
        if which not in self._matrices:
            from alliances.graph.sparse import CSR

            parts = {"fixed": [self.fixed], "estimated": [self.estimated],
                     "point": [self.fixed, self.estimated]}[which]
            rows = [r for p in parts for r in p[0]]
            cols = [c for p in parts for c in p[1]]
            vals = [v for p in parts for v in p[2]]
            self._matrices[which] = CSR.from_triplets(len(self.states), rows, cols, vals)
        return self._matrices[which]

    def rows_of(self, i: int) -> list[int]:
        """The states state `i` depends on (point estimate), in order."""
        m = self.matrix("point")
        return sorted(int(c) for c in m.indices[m.indptr[i]:m.indptr[i + 1]])


def build_system(graph, direction: str = "down") -> System:
    """The system of `graph` (see the module docstring) for ``direction`` "down" (who
    depends on the shocked entities) or "up" (who sells to them)."""
    if direction not in ("down", "up"):
        from alliances.errors import AlliancesError

        raise AlliancesError(f"direction must be 'down' or 'up', not {direction!r}")
    groups, rest = supply_groups(graph)
    needs = graph.graph.get("needs")
    if needs is None or _is_plain(graph):  # kind-blind: every kind passes every kind
        group_kinds = {k for node in groups.values() for k in node}
        needs = {}
    else:
        group_kinds = set(graph.graph.get("group_kinds", ()))
    needs = {k: set(v) for k, v in needs.items()}
    if direction == "down":
        system = _down(graph, groups, rest, needs, group_kinds)
    else:
        system = _up(graph, needs, group_kinds)
    system.group_kinds = group_kinds
    return system


def _is_plain(graph) -> bool:
    """A hand-made graph whose edges carry only ``weight`` (those of
    :func:`alliances.graph.weights.assign_weights` all carry ``shares``)."""
    for _x, nbrs in graph.adj.items():
        for data in nbrs.values():
            return "shares" not in data
    return False


def supply_groups(graph):
    """{X: {kind: [(Y, share, stated?)]}} and {X: {kind: rest}} from the edges' shares
    (a hand-made graph with only ``weight``: one kind, every weight stated)."""
    groups: dict[str, dict[str, list]] = {}
    plain = _is_plain(graph)
    for x, nbrs in graph.adj.items():
        if not nbrs:
            continue
        mine: dict[str, list] = {}
        groups[x] = mine
        for y, data in nbrs.items():
            if plain:
                mine.setdefault(PLAIN, []).append((y, float(data.get("weight", 0.0) or 0.0), True))
                continue
            basis = data.get("basis", {})
            for kind, share in data["shares"].items():
                mine.setdefault(kind, []).append((y, share, basis.get(kind, STATED) == STATED))
    nodes = graph.nodes
    rest = {} if plain else {x: nodes[x].get("rest", {}) for x in groups}
    return groups, rest


def _down(graph, groups, rest, needs, group_kinds) -> System:
    """The rows of L(X, k) and L(X, *) (module docstring), built from every entity's
    own-need state outwards. Plain loops with local names: at 1M triples this runs over
    100k coefficients."""
    system = System("down")
    states, index, by_node = system.states, system.index, system.by_node
    f_rows, f_cols, f_vals = system.fixed
    e_rows, e_cols, e_vals = system.estimated
    free = system.free
    queue: list[int] = []
    for node in graph:
        system.state(node, TOTAL, queue)
    while queue:
        i = queue.pop()
        node, tag = states[i]
        mine = groups.get(node)
        if not mine:
            continue
        if tag == TOTAL:
            kinds = sorted(mine)
        else:
            needed = needs.get(tag, ())
            kinds = sorted(j for j in mine if j in group_kinds or j in needed)
        if not kinds:
            continue
        part = 1.0 / len(kinds)
        left_of = rest.get(node, {})
        for j in kinds:
            target = tag if j in group_kinds else j
            candidates = []
            for y, share, stated in mine[j]:
                key = (y, target)
                col = index.get(key)
                if col is None:
                    col = index[key] = len(states)
                    states.append(key)
                    by_node[y].append(col)
                    queue.append(col)
                if share > 0:
                    if stated:
                        f_rows.append(i), f_cols.append(col), f_vals.append(part * share)
                    else:
                        e_rows.append(i), e_cols.append(col), e_vals.append(part * share)
                if not stated:
                    candidates.append(col)
            left = left_of.get(j, 0.0)
            if candidates and left > 0:
                free.append((i, part * left, candidates))
    return system


def _up(graph, needs, group_kinds) -> System:
    from alliances.graph.weights import customer_groups, sold_kinds

    system = System("up")
    if not needs:  # kind-blind: one state per entity
        group_kinds = set(group_kinds) | {k for _, _, d in graph.edges(data=True)
                                          for k in (d.get("shares") or {PLAIN: 0})}
    sold = sold_kinds(graph, group_kinds) if needs else _sold_blind(graph)
    customers = customer_groups(graph, group_kinds, sold) if needs else _customers_blind(graph)
    system.customers = {key: {(x, ch): (s, b) for x, ch, s, b in members}
                        for key, (_rest, members) in customers.items()}
    queue: list[int] = []
    for node in graph:
        system.state(node, TOTAL, queue)
    while queue:
        i = queue.pop()
        node, tag = system.states[i]
        if tag == TOTAL and needs:
            kinds = sold.get(node, [])
            for k in kinds:
                system.add(i, system.state(node, k, queue), 1.0 / len(kinds), True)
        elif tag.startswith(DEMAND):
            j = tag[len(DEMAND):]
            outputs = [k for k in sold.get(node, []) if j in needs.get(k, ())]
            for k in outputs:
                system.add(i, system.state(node, k, queue), 1.0 / len(outputs), True)
        else:
            _sales_row(system, i, node, tag, customers, needs, queue)
    return system


def _sales_row(system, i, node, tag, customers, needs, queue) -> None:
    """Row of R(node, tag): the customers' demand (or, through a group edge, sales)."""
    key = (node, tag) if needs else (node, TOTAL)
    if key not in customers:
        return
    left, members = customers[key]
    candidates = []
    for x, channel, share, basis in members:
        target = tag if (channel or not needs) else DEMAND + tag
        col = system.state(x, target, queue)
        system.add(i, col, share, basis == STATED)
        if basis != STATED:
            candidates.append(col)
    if candidates and left > 0:
        system.free.append((i, left, candidates))


def _sold_blind(graph) -> dict:
    return {n: [TOTAL] for n in graph if graph.in_degree(n)}


def _customers_blind(graph) -> dict:
    """Kind-blind customer shares: stated ones (any kind) kept, the rest split evenly."""
    from alliances.graph.weights import split

    out = {}
    for y in graph:
        members = []
        for x in sorted(graph.predecessors(y), key=str):
            data = graph.edges[x, y]
            if float(data.get("weight", 0.0) or 0.0) <= 0:
                continue
            stated = data.get("customer_stated", {})
            members.append((x, stated.get("*", next(iter(stated.values()), None))))
        if members:
            result = split(members)
            left = max(0.0, 1.0 - sum(s for s, b in result.values() if b == STATED))
            out[(y, TOTAL)] = (left, [(x, True, s, b) for x, (s, b) in result.items()])
    return out


def hop(system: System, graph, a: int, c: int):
    """The dependency edge behind the coefficient of state `c` in the row of state `a`:
    (consumer, supplier, kind, share, basis), or None within one entity."""
    (x, ta), (y, tc) = system.states[a], system.states[c]
    if x == y:
        return None
    if system.direction == "down":
        consumer, supplier, kind = x, y, tc
    else:  # a: the sales of seller x, c: the demand (or channel sales) of customer y
        consumer, supplier, kind = y, x, ta
    data = graph.edges[consumer, supplier]
    shares = data.get("shares")
    if shares is None or kind == TOTAL:  # a hand-made or kind-blind graph
        bases = sorted(set(data.get("basis", {}).values())) or [STATED]
        share = float(data.get("weight", 0.0) or 0.0)
        kind = data.get("kind", "")
    else:
        channel = system.direction == "up" and not tc.startswith(DEMAND)
        if channel or kind not in shares or kind in system.group_kinds:
            kind = next((k for k in shares if k in system.group_kinds), kind)
        bases = [data.get("basis", {}).get(kind, STATED)]
        share = shares.get(kind, 0.0)
    if system.direction == "up":
        members = system.customers.get((x, ta), {})
        share, basis = members.get((y, not tc.startswith(DEMAND)), (share, bases[0]))
        bases = [basis]
    return consumer, supplier, kind, share, ", ".join(bases)
