"""Exposure of every entity to a shock on one or more suppliers.

Let W be the weight matrix of the dependency graph (:mod:`alliances.graph.dependency`):
W[X, Y] is the part of X's need that Y covers, and every row sums to at most 1.
For a set S of shocked entities that lose a share f (0..1) of their supply, the
exposure x[X] of every other entity is the share of X's need that is lost:

    x[s] = f                              for s in S
    x[X] = sum_Y W[X, Y] * x[Y]           for X not in S

Restricted to the set A of entities with a path to S, this is a Leontief system

    x_A = (I - W_AA)^-1  W_AS 1 f

Every X in A reaches S, where supply leaks out of A, so the spectral radius of W_AA
is below 1 and I - W_AA is invertible even when the graph has cycles; entities
without a path to S have exposure 0. The result is capped to [0, 1] (rounding only).
The *direct* part is f * sum_{s in S} W[X, s]; the *indirect* part is the rest,
carried by chains (OpenAI -> Microsoft -> Nvidia). Exposure is monotone in f and in
every edge weight, and adding an edge never lowers it as long as the weights of
the other edges stay the same.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_edge("a", "b", weight=0.5, kind="chips", estimated=False)
>>> g.add_edge("b", "s", weight=0.8, kind="chips", estimated=False)
>>> round(exposure(g, "s").value("a"), 3)
0.4
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from alliances.gcpause import gc_paused

SINK = "\0sink"


@dataclass
class ExposurePath:
    """A chain from an exposed entity to a shocked one, and the exposure it carries."""

    nodes: list[str]
    labels: list[str]
    kinds: list[str]
    weight: float

    def text(self) -> str:
        return f"{' -> '.join(self.labels)} ({'/'.join(self.kinds)}, {self.weight:.3g})"


@dataclass
class EntityExposure:
    id: str
    label: str
    total: float
    direct: float
    indirect: float
    kinds: list[str]
    estimated: bool
    layers: list[str] = field(default_factory=list)
    arenas: list[str] = field(default_factory=list)
    paths: list[ExposurePath] = field(default_factory=list)

    def row(self) -> dict:
        return {"entity": self.id, "label": self.label, "exposure": self.total,
                "direct": self.direct, "indirect": self.indirect, "kinds": self.kinds,
                "top_path": self.paths[0].text() if self.paths else None,
                "paths": [p.text() for p in self.paths], "estimated": self.estimated,
                "layers": self.layers, "arenas": self.arenas}


@dataclass
class Exposure:
    """Exposures to the shocked `targets`, ranked (highest first, zeros and targets left out)."""

    targets: list[str]
    shock: float
    entities: list[EntityExposure]
    missing: list[str] = field(default_factory=list)  # targets absent from the graph

    def get(self, entity: str) -> EntityExposure | None:
        return next((e for e in self.entities if e.id == entity), None)

    def value(self, entity: str) -> float:
        e = self.get(entity)
        return e.total if e else 0.0

    def as_dict(self) -> dict[str, float]:
        return {e.id: e.total for e in self.entities}

    def rows(self, top: int | None = None) -> list[dict]:
        return [e.row() for e in self.entities[:top]]

    def hits(self, attr: str) -> list[dict]:
        """Loss per layer (attr="layers") or arena (attr="arenas"): entities hit, sum, max."""
        out: dict[str, dict] = {}
        for e in self.entities:
            for key in getattr(e, attr):
                rec = out.setdefault(key, {"name": key, "entities": 0, "total_loss": 0.0,
                                           "max_loss": 0.0, "most_hit": None})
                rec["entities"] += 1
                rec["total_loss"] += e.total
                if e.total > rec["max_loss"]:
                    rec["max_loss"], rec["most_hit"] = e.total, e.id
        return sorted(out.values(), key=lambda r: (-r["total_loss"], r["name"]))


def restrict_kinds(graph, kinds):
    """A copy of `graph` with only the dependency `kinds`, weights renormalised over them."""
    from alliances.graph.dependency import assign_weights

    if not kinds:
        return graph
    kinds = set(kinds)
    sub = graph.copy()
    if all("stated" in d for _, _, d in sub.edges(data=True)):
        assign_weights(sub, kinds)
        sub.remove_edges_from([(x, y) for x, y, d in sub.edges(data=True) if not d["shares"]])
    else:  # a hand-made graph: filter on the `kind` attribute only
        sub.remove_edges_from([(x, y) for x, y, d in sub.edges(data=True)
                               if not set(str(d.get("kind", "")).split("+")) & kinds])
    return sub


def _ancestors(graph, targets: set) -> set:
    """Every node with a path to one of `targets` (the targets excluded)."""
    seen, queue = set(targets), deque(targets)
    while queue:
        for pred in graph.predecessors(queue.popleft()):
            if pred not in seen:
                seen.add(pred)
                queue.append(pred)
    return seen - set(targets)


DENSE_LIMIT = 1000  # up to this many exposed entities a dense solve is faster, and needs no scipy
ITERATE_ABOVE = 5000  # spsolve's fill-in grows fast: 52-61 s at 1M nodes, iteration 0.03 s


def solve(n: int, rows, cols, vals, rhs, tol: float = 1e-13, max_iter: int = 10_000):
    """x = (I - M)^-1 rhs for the n x n substochastic M given by (rows, cols, vals)
    (repeated positions add up), whose spectral radius is below 1.

    Up to DENSE_LIMIT unknowns: numpy's dense solver (exact; importing scipy would cost
    more than the solve). Above: scipy.sparse, with spsolve (exact) up to ITERATE_ABOVE and the
    fixed-point iteration x <- M x + rhs (monotone from rhs, checked for convergence)
    beyond, spsolve being the fallback if it has not converged after `max_iter` steps.

    >>> solve(2, [0], [1], [0.5], [0.0, 0.8]).round(3).tolist()
    [0.4, 0.8]
    """
    import numpy as np

    rhs = np.asarray(rhs, dtype=float)
    if n == 0:
        return np.zeros(0)
    if n <= DENSE_LIMIT:
        matrix = np.zeros((n, n))
        np.add.at(matrix, (np.asarray(rows, dtype=int), np.asarray(cols, dtype=int)), vals)
        return np.linalg.solve(np.eye(n) - matrix, rhs)
    from scipy.sparse import csr_array, identity
    from scipy.sparse.linalg import spsolve

    matrix = csr_array((vals, (rows, cols)), shape=(n, n))
    if n > ITERATE_ABOVE:
        x = rhs.copy()
        for _ in range(max_iter):
            nxt = matrix @ x + rhs
            if np.max(np.abs(nxt - x)) < tol:
                return nxt
            x = nxt
    return np.atleast_1d(spsolve((identity(n, format="csc") - matrix).tocsc(), rhs))


@gc_paused
def exposure(graph, targets, shock: float = 1.0, kinds=None, paths: int = 3,
             paths_for: int | None = 50):
    """Exposure of every entity of the dependency `graph` to a shock on `targets`.

    `targets` is an entity id or a list of ids (a combined shock); `shock` the share
    (0..1) of their supply that is lost; `kinds` restricts the graph to those
    dependency kinds. The `paths` strongest chains (product of the weights) are kept
    for the `paths_for` most exposed entities (None: all). See the module docstring
    for the formula.
    """
    import numpy as np

    from alliances.errors import AlliancesError

    if not 0.0 <= shock <= 1.0:
        raise AlliancesError(f"shock {shock} is not between 0 and 1")
    targets = list(dict.fromkeys(targets)) if isinstance(targets, (list, tuple, set)) else [targets]
    graph = restrict_kinds(graph, kinds)
    present = {t for t in targets if t in graph}
    missing = [t for t in targets if t not in graph]
    exposed = sorted(_ancestors(graph, present))
    if not exposed:
        return Exposure(targets, shock, [], missing)
    index = {n: i for i, n in enumerate(exposed)}
    rows, cols, vals = [], [], []
    rhs = np.zeros(len(exposed))
    tails: set = set()  # entities with an estimated edge that carries exposure
    kinds_of: dict = {}
    for i, node in enumerate(exposed):
        used = set()
        for succ, data in graph.succ[node].items():
            w = float(data.get("weight", 0.0))
            if w <= 0 or not (succ in present or succ in index):
                continue
            used.update(str(data.get("kind", "")).split("+"))
            if data.get("estimated"):
                tails.add(node)
            if succ in present:
                rhs[i] += w * shock
            else:
                rows.append(i)
                cols.append(index[succ])
                vals.append(w)
        kinds_of[node] = sorted(used)
    total = np.clip(solve(len(exposed), rows, cols, vals, rhs), 0.0, 1.0)

    # an entity's number is estimated when an estimated edge lies on one of its chains
    flagged, queue = set(tails), deque(tails)
    while queue:
        for pred in graph.predecessors(queue.popleft()):
            if pred in index and pred not in flagged:
                flagged.add(pred)
                queue.append(pred)

    out = []
    for node in exposed:
        i = index[node]
        t = float(total[i])
        if t <= 0:
            continue
        attrs = graph.nodes[node]
        direct = min(t, float(rhs[i]))
        out.append(EntityExposure(node, attrs.get("label", node), t, direct, max(0.0, t - direct),
                                  kinds_of[node], node in flagged, list(attrs.get("layers", [])),
                                  list(attrs.get("arenas", []))))
    out.sort(key=lambda e: (-e.total, e.id))
    if paths:
        chosen = out if paths_for is None else out[:paths_for]
        if chosen:
            _add_paths(graph, set(exposed) | present, present, chosen, paths, shock)
    return Exposure(targets, shock, out, missing)


def _add_paths(graph, region, present, chosen, count, shock) -> None:
    """The `count` strongest chains from each chosen entity to any target (Yen's algorithm
    on the cost -log(weight), through a virtual sink behind the targets)."""
    from itertools import islice

    import networkx as nx

    view = nx.DiGraph()
    # sorted, so that paths of equal weight come in the same order on every store and run
    for x in sorted(region - present, key=str):
        for y, d in sorted(graph.succ[x].items(), key=lambda kv: str(kv[0])):
            w = float(d.get("weight", 0.0))
            if w > 0 and y in region:
                view.add_edge(x, y, cost=-math.log(w), weight=w, kind=d.get("kind", ""))
    for t in sorted(present, key=str):
        view.add_edge(t, SINK, cost=0.0, weight=1.0, kind="")
    for e in chosen:
        if e.id not in view:
            continue
        for nodes in islice(nx.shortest_simple_paths(view, e.id, SINK, weight="cost"), count):
            nodes = nodes[:-1]
            edges = list(zip(nodes, nodes[1:]))
            weight = shock * math.prod(view.edges[x, y]["weight"] for x, y in edges)
            e.paths.append(ExposurePath(
                nodes, [graph.nodes[n].get("label", n) for n in nodes],
                [view.edges[x, y]["kind"] for x, y in edges], weight))


@gc_paused
def criticality(graph, dense_limit: int = 4000) -> dict:
    """Criticality of every entity: the sum of all other entities' exposures to a full
    shock on it (what :func:`exposure` would give, summed, node by node), for all nodes
    at once.

    One solve per node would cost as many Leontief systems as there are nodes (1M
    triples: 32k systems, over 5 minutes). Instead, for a shocked node s in the strongly
    connected component C (of the edges with a positive weight):

    * exposures inside C: with M = (I - W_CC)^-1, x_X = M[X, s] / M[s, s] (x solves the
      same recurrence as M's column s, scaled so that x_s = 1);
    * exposures upstream of C add up to h . x_C, where h_u = sum_V W[V, u] z_V over the
      consumers V of u outside C, and z_V = 1 + (the same sum for V) is the upstream
      total of V, computed once for every node in topological order of the components.

    So crit(s) = ((1 + h) M)_s / M[s, s] - 1: one inverse per non-trivial component. A
    component whose need stays entirely inside itself (rows summing to 1 within it: no
    supply leaks out, M does not exist) is solved node by node with s clamped.

    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", weight=0.5)
    >>> g.add_edge("b", "s", weight=0.8)
    >>> {k: round(v, 3) for k, v in sorted(criticality(g).items())}
    {'a': 0.0, 'b': 0.5, 's': 1.2}
    """
    import networkx as nx
    import numpy as np

    positive = nx.DiGraph()
    positive.add_nodes_from(graph)
    weights = ((x, y, float(d.get("weight", 0.0) or 0.0)) for x, y, d in graph.edges(data=True))
    positive.add_edges_from((x, y, {"w": w}) for x, y, w in weights if w > 0)
    condensed = nx.condensation(positive)
    upstream: dict = {}  # z: 1 + the exposure mass of everything upstream of a node
    crit: dict = {}
    for component in nx.topological_sort(condensed):  # consumers before their providers
        members = sorted(condensed.nodes[component]["members"], key=str)
        if len(members) == 1:  # most components: no matrix needed
            (u,) = members
            crit[u] = sum(data["w"] * upstream[v] for v, data in positive.pred[u].items())
            upstream[u] = 1.0 + crit[u]
            continue
        index = {m: i for i, m in enumerate(members)}
        k = len(members)
        inner = np.zeros((k, k))  # W_CC
        inflow = np.zeros(k)      # h
        for u in members:
            for v, data in positive.pred[u].items():
                if v in index:
                    inner[index[v], index[u]] += data["w"]
                else:
                    inflow[index[u]] += data["w"] * upstream[v]
        if np.all(inner.sum(axis=1) >= 1.0 - 1e-12):  # closed: no supply leaks out of C
            for i, s in enumerate(members):
                rest = [j for j in range(k) if j != i]
                x = np.linalg.solve(np.eye(k - 1) - inner[np.ix_(rest, rest)], inner[rest, i])
                crit[s] = float(x.sum() + inflow[i] + inflow[rest] @ x)
            continue  # C has no provider outside it: no later component needs its upstream totals
        weights, diagonal = _inverse_parts(np.eye(k) - inner, 1.0 + inflow, dense_limit)
        for i, s in enumerate(members):
            crit[s] = float(weights[i] / diagonal[i] - 1.0)
            upstream[s] = float(weights[i])
    return {n: max(0.0, crit.get(n, 0.0)) for n in graph}


def _inverse_parts(matrix, row, dense_limit: int):
    """(row @ inv(matrix), diagonal of inv(matrix)) without forming the inverse when large."""
    import numpy as np

    k = matrix.shape[0]
    if k <= dense_limit:
        inverse = np.linalg.inv(matrix)
        return row @ inverse, np.diag(inverse).copy()
    from scipy.sparse import csc_matrix
    from scipy.sparse.linalg import splu

    lu = splu(csc_matrix(matrix))
    weights = lu.solve(row, trans="T")
    diagonal = np.empty(k)
    for start in range(0, k, 256):  # unit vectors in blocks: one LU, k solves
        block = np.zeros((k, min(256, k - start)))
        block[np.arange(start, start + block.shape[1]), np.arange(block.shape[1])] = 1.0
        diagonal[start:start + block.shape[1]] = lu.solve(block)[np.arange(start, start + block.shape[1]),
                                                                  np.arange(block.shape[1])]
    return weights, diagonal
