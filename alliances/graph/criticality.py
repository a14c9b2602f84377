"""Criticality: how much the rest of the graph leans on each entity.

The criticality of Y is the sum of every other entity's exposure to a full shock on Y
(what :func:`alliances.graph.exposure.exposure` gives, summed), for all entities at
once, in the supply-use model of :mod:`alliances.graph.model`.

Small systems (up to `exact_limit` states, the shipped data among them) are solved
entity by entity: Y and its parts held at 1, one Leontief solve on the states that
reach them. Large ones would need one solve per entity (1M triples: 33k of them), so
instead, with N = (I - M)^-1 and a the indicator of the entities' own-need states, one
transposed solve gives w = a N, the exposure mass a unit loss in each state creates;
when no supply chain leaves one of Y's states and comes back to one of its states, N is
the identity on Y's states and ``crit(Y) = sum_{k} w[Y, k] - 1``. Entities for which
that may fail (a chain that may come back to them, found on a projection of the states
that over-approximates; parts of their own in the graph; states whose need never leaks
out of a closed cycle) are solved one by one. ``tests/test_exposure_model.py`` compares
both ways.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_edge("a", "b", weight=0.5)
>>> g.add_edge("b", "s", weight=0.8)
>>> {k: round(v, 3) for k, v in sorted(criticality(g).items())}
{'a': 0.0, 'b': 0.5, 's': 1.2}
"""

from __future__ import annotations

from alliances.gcpause import gc_paused

EXACT_LIMIT = 2000


@gc_paused
def criticality(graph, dense_limit: int = 4000, exact_limit: int = EXACT_LIMIT, system=None) -> dict:
    """{entity: criticality} for every node of the dependency `graph` (see the module
    docstring). `dense_limit` is kept for callers of the earlier signature."""
    import numpy as np

    from alliances.graph.exposure import shocked_closure
    from alliances.graph.model import TOTAL, build_system

    system = system or build_system(graph, "down")
    point = system.matrix("point")
    totals = np.zeros(len(system.states))
    for (_node, tag), i in system.index.items():
        if tag == TOTAL:
            totals[i] = 1.0
    crit: dict = {}
    if len(system.states) <= exact_limit:
        exact = list(graph)
        fast: list = []
    else:
        fast, exact, leaks = _split_fast(graph, system, point)
        crit.update(_fast(system, point, totals, fast, leaks))
    for node in exact:
        crit[node] = _one(system, point, totals, shocked_closure(graph, [node]))
    return {n: max(0.0, crit.get(n, 0.0)) for n in graph}


def _one(system, point, totals, shocked) -> float:
    """Exposure mass of everyone else when the `shocked` entities lose all supply."""
    import numpy as np

    from alliances.graph.bounds import least_fixed_point

    clamp = np.array([i for n in shocked for i in system.by_node.get(n, [])], dtype=int)
    x = least_fixed_point(point, clamp, 1.0)
    x[clamp] = 0.0
    return float(totals @ x)


def _split_fast(graph, system, point):
    """Entities the shortcut handles, and those solved one by one."""
    import numpy as np
    from scipy.sparse.csgraph import connected_components

    from alliances.graph.bounds import reaching

    _count, labels = connected_components(point.to_scipy(), directed=True, connection="strong")
    sizes = np.bincount(labels)
    cyclic = sizes[labels] > 1
    cyclic |= point.diagonal() > 0
    sums = point.row_sums()
    leaks = reaching(point, np.flatnonzero(sums < 1.0 - 1e-12))
    parts = graph.graph.get("parts", {})
    returning = _returning(system, point)
    fast, exact = [], []
    for node in graph:
        states = system.by_node.get(node, [])
        own_parts = any(p in graph for p in parts.get(node, ()))
        if own_parts or node in returning or any(cyclic[i] or not leaks[i] for i in states):
            exact.append(node)
        else:
            fast.append(node)
    return fast, exact, leaks


def _returning(system, point) -> set:
    """Entities whose supply chains may come back to one of their states (Samsung buys
    Nvidia's chips, which need Samsung's memory). On a projection with two parts per
    entity, its own need and its supply of every kind (which over-approximates, so no
    such entity is missed): those whose supply part is on a cycle, and those whose need
    part reaches their supply part (a search cut by the topological rank of the target)."""
    import networkx as nx
    import numpy as np
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import connected_components

    from alliances.graph.model import TOTAL

    nodes = {}
    part = np.array([2 * nodes.setdefault(n, len(nodes)) + (tag != TOTAL) for n, tag in system.states])
    coo = point
    keep = part[coo.row] != part[coo.col]
    size = 2 * len(nodes)
    ones = np.ones(int(keep.sum()))
    proj = csr_array((ones, (part[coo.row[keep]], part[coo.col[keep]])), shape=(size, size))
    _count, labels = connected_components(proj, directed=True, connection="strong")
    sizes = np.bincount(labels)
    has_supply = np.zeros(size, dtype=bool)
    has_supply[part] = True
    out = {n for n, i in nodes.items() if has_supply[2 * i + 1] and sizes[labels[2 * i + 1]] > 1}
    dag = nx.DiGraph()
    dag.add_nodes_from(range(int(labels.max()) + 1))
    proj = proj.tocoo()
    dag.add_edges_from((int(a), int(b)) for a, b in zip(labels[proj.row], labels[proj.col]) if a != b)
    rank = {c: r for r, c in enumerate(nx.topological_sort(dag))}
    succ = proj.tocsr()
    for n, i in nodes.items():
        target = labels[2 * i + 1]
        if n in out or not has_supply[2 * i + 1]:
            continue
        limit = rank[target]
        stack = [int(c) for c in succ.indices[succ.indptr[2 * i]:succ.indptr[2 * i + 1]]
                 if rank[labels[c]] <= limit]
        seen = set(stack)
        while stack:
            c = stack.pop()
            if labels[c] == target:
                out.add(n)
                break
            for d in succ.indices[succ.indptr[c]:succ.indptr[c + 1]].tolist():
                if d not in seen and rank[labels[d]] <= limit:
                    seen.add(d)
                    stack.append(d)
    return out


def _fast(system, point, totals, nodes, leaks) -> dict:
    """crit(Y) = sum of w over Y's states - 1, with w = a (I - M)^-1 on the leaking states."""
    import numpy as np

    from alliances.graph.bounds import solve

    region = np.flatnonzero(leaks)
    index = np.full(point.shape[0], -1)
    index[region] = np.arange(len(region))
    sub = point.submatrix(region)
    # the transposed system: w_j = a_j + sum_i M_ij w_i
    w = np.zeros(point.shape[0])
    w[region] = solve(len(region), sub.col, sub.row, sub.data, totals[region])
    out = {}
    for node in nodes:
        states = system.by_node.get(node, [])
        has_total = any(totals[i] for i in states)
        out[node] = float(sum(w[i] for i in states) - (1.0 if has_total else 0.0))
    return out
