"""Exposure of every entity to a shock on one or more entities, with its range and basis.

:func:`exposure` solves the supply-use model of :mod:`alliances.graph.model` (the
state, the needs table, the equations and why they have a solution are derived
there) for a shock f on the targets, on the dependent side (``direction="down"``: who
would lose supply) or the supplier side (``"up"``: who would lose sales). A shock on an
organization is a shock on its parts: the products it develops and its subsidiaries,
transitively (Nvidia's shock is one on Nvidia H100, Nvidia GPUs, ...).

For each exposed entity the report gives the point estimate (``total``), its exact
range ``low``..``high`` over the shares the data does not state
(:mod:`alliances.graph.bounds`), the *direct* part (through the entity's own
dependencies on a shocked one) and the *indirect* rest, the *coverage* (the part of
the point estimate that rests on stated shares alone), the kinds that carry it and its
strongest chains, each hop with its share, basis and partnerships.

Exposure is in [0, 1], monotone in the shock and in every share, and exact on cycles.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_edge("a", "b", weight=0.5, kind="chips")
>>> g.add_edge("b", "s", weight=0.8, kind="chips")
>>> round(exposure(g, "s").value("a"), 3)
0.4
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from alliances.gcpause import gc_paused
from alliances.graph.bounds import DENSE_LIMIT, ITERATE_ABOVE, solve  # noqa: F401 (re-exported)
from alliances.graph.criticality import criticality  # noqa: F401 (re-exported)

SINK = "\0sink"


@dataclass
class Hop:
    """One dependency on a path: `consumer` depends on `supplier` for `kind`; `share`
    is the share of the consumer's need of that kind (down) or of the supplier's sales
    of it (up), obtained as `basis` says."""

    consumer: str
    supplier: str
    kind: str
    share: float
    basis: str
    partnerships: list[str] = field(default_factory=list)
    observations: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    entity: str | None = None  # without a partnership: the entity whose own fact the hop is

    @property
    def facts(self) -> list[str]:
        """The ids of the facts the hop rests on (partnerships, observations, or an entity)."""
        return [*self.partnerships, *self.observations] or ([self.entity] if self.entity else [])

    def row(self) -> dict:
        return {"from": self.consumer, "to": self.supplier, "kind": self.kind, "share": self.share,
                "basis": self.basis, "partnerships": self.partnerships,
                "observations": self.observations, "entity": self.entity, "sources": self.sources}


@dataclass
class ExposurePath:
    """A chain from an exposed entity to a shocked one, and the exposure it carries."""

    nodes: list[str]
    labels: list[str]
    kinds: list[str]
    weight: float
    hops: list[Hop] = field(default_factory=list)
    arrow: str = " -> "

    def text(self) -> str:
        return f"{self.arrow.join(self.labels)} ({'/'.join(self.kinds)}, {self.weight:.3g})"

    def row(self) -> dict:
        return {"text": self.text(), "nodes": self.nodes, "weight": self.weight,
                "edges": [h.row() for h in self.hops]}


@dataclass
class EntityExposure:
    id: str
    label: str
    total: float
    direct: float
    indirect: float
    kinds: list[str]
    low: float = 0.0
    high: float = 0.0
    coverage: float = 0.0
    layers: list[str] = field(default_factory=list)
    arenas: list[str] = field(default_factory=list)
    paths: list[ExposurePath] = field(default_factory=list)

    @property
    def basis(self) -> list[str]:
        """The bases of the shares on the strongest chain."""
        return sorted({h.basis for h in self.paths[0].hops}) if self.paths else []

    def row(self) -> dict:
        return {"entity": self.id, "label": self.label, "exposure": self.total,
                "low": self.low, "high": self.high, "range": f"{self.low:.3g}..{self.high:.3g}",
                "direct": self.direct, "indirect": self.indirect, "coverage": self.coverage,
                "basis": self.basis, "kinds": self.kinds,
                "top_path": self.paths[0].text() if self.paths else None,
                "paths": [p.row() for p in self.paths], "layers": self.layers, "arenas": self.arenas}


@dataclass
class Exposure:
    """Exposures to the shocked `targets`, ranked (highest first, zeros and shocked left out)."""

    targets: list[str]
    shock: float
    entities: list[EntityExposure]
    missing: list[str] = field(default_factory=list)  # targets absent from the graph
    direction: str = "down"
    shocked: list[str] = field(default_factory=list)  # the targets' parts, shocked with them

    def get(self, entity: str) -> EntityExposure | None:
        return next((e for e in self.entities if e.id == entity), None)

    def value(self, entity: str) -> float:
        e = self.get(entity)
        return e.total if e else 0.0

    def as_dict(self) -> dict[str, float]:
        return {e.id: e.total for e in self.entities}

    def rows(self, top: int | None = None) -> list[dict]:
        """One dict per exposed entity (the `top` first): exposure, range, coverage, basis, paths."""
        return [e.row() for e in self.entities[:top]]

    def hops(self, top: int | None = None) -> list[Hop]:
        """Every hop of the paths of the `top` first entities (each hop once)."""
        seen, out = set(), []
        for e in self.entities[:top]:
            for p in e.paths:
                for h in p.hops:
                    key = (h.consumer, h.supplier, h.kind)
                    if key not in seen:
                        seen.add(key)
                        out.append(h)
        return out

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

    COLUMNS = ("entity", "label", "exposure", "low", "high", "direct", "indirect", "coverage",
               "basis", "kinds", "top_path")

    def to_dataframe(self, top: int | None = None):
        """The rows as a pandas DataFrame (pandas is optional: installed separately)."""
        try:
            import pandas as pd
        except ImportError:
            from alliances.errors import AlliancesError

            raise AlliancesError("to_dataframe needs pandas: pip install pandas") from None
        rows = [{c: (", ".join(r[c]) if isinstance(r[c], list) else r[c]) for c in self.COLUMNS}
                for r in self.rows(top)]
        return pd.DataFrame(rows, columns=list(self.COLUMNS))

    def _repr_html_(self, top: int = 20) -> str:
        import html

        side = "who depends on" if self.direction == "down" else "who sells to"
        head = "".join(f"<th>{c}</th>" for c in self.COLUMNS if c != "label")
        body = []
        for r in self.rows(top):
            cells = []
            for c in self.COLUMNS:
                if c == "label":
                    continue
                v = r[c]
                v = ", ".join(v) if isinstance(v, list) else (f"{v:.4g}" if isinstance(v, float) else v)
                cells.append(f"<td>{html.escape(str(v if v is not None else ''))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        title = html.escape(f"{side} {', '.join(self.targets)} (shock {self.shock:g}): "
                            f"{len(self.entities)} exposed")
        return f"<table><caption>{title}</caption><tr>{head}</tr>{''.join(body)}</table>"


def restrict_kinds(graph, kinds):
    """A copy of `graph` with only the dependency `kinds`, weights renormalised over them."""
    from alliances.graph.weights import assign_weights

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


def shocked_closure(graph, targets) -> list[str]:
    """The `targets` and their parts (products they develop, subsidiaries), transitively,
    that are in `graph`: a shock on an organization is one on all of them."""
    parts = graph.graph.get("parts", {})
    seen = list(dict.fromkeys(targets))
    queue = list(seen)
    known = set(seen)
    while queue:
        for member in parts.get(queue.pop(), ()):
            if member not in known:
                known.add(member)
                seen.append(member)
                queue.append(member)
    return [n for n in seen if n in graph]


@gc_paused
def exposure(graph, targets, shock: float = 1.0, kinds=None, paths: int = 3,
             paths_for: int | None = 50, direction: str = "down", system=None, bounds: bool = True):
    """Exposure of every entity of the dependency `graph` to a shock on `targets`.

    `targets` is an entity id or a list of ids (a combined shock); `shock` the share
    (0..1) of their supply (down) or demand (up) that is lost; `kinds` restricts the
    graph to those dependency kinds; `direction` is "down" (who depends on the
    targets) or "up" (who sells to them). The `paths` strongest chains are kept for the
    `paths_for` most exposed entities (None: all). `system` is a prebuilt
    :func:`alliances.graph.model.build_system` of `graph` (for many calls on one graph);
    ``bounds=False`` skips the ranges (low = high = the point estimate).
    """
    import numpy as np

    from alliances.errors import AlliancesError
    from alliances.graph.bounds import bound, least_fixed_point
    from alliances.graph.model import build_system

    if not 0.0 <= shock <= 1.0:
        raise AlliancesError(f"shock {shock} is not between 0 and 1")
    targets = list(dict.fromkeys(targets)) if isinstance(targets, (list, tuple, set)) else [targets]
    if kinds:
        graph, system = restrict_kinds(graph, kinds), None
    missing = [t for t in targets if t not in graph]
    shocked = shocked_closure(graph, [t for t in targets if t in graph])
    system = system or build_system(graph, direction)
    clamp = np.array([i for n in shocked for i in system.by_node.get(n, [])], dtype=int)
    point = least_fixed_point(system.matrix("point"), clamp, shock)
    low, high = (bound(system, clamp, shock, False), bound(system, clamp, shock, True)) if bounds \
        else (point, point)
    stated = least_fixed_point(system.matrix("fixed"), clamp, shock)
    direct = _direct(system, clamp, shock)
    out = _entities(graph, system, shocked, point, low, high, stated, direct)
    if paths and out:
        chosen = out if paths_for is None else out[:paths_for]
        _add_paths(graph, system, point, set(clamp.tolist()), chosen, paths, shock)
    present = set(targets)
    return Exposure(targets, shock, out, missing, system.direction,
                    [n for n in shocked if n not in present])


def _entities(graph, system, shocked, point, low, high, stated, direct) -> list[EntityExposure]:
    from alliances.graph.model import TOTAL

    hit = set(shocked)
    out = []
    for node in graph:
        i = system.index.get((node, TOTAL))
        if i is None or node in hit:
            continue
        t, hi = float(point[i]), float(high[i])
        if t <= 0 and hi <= 0:
            continue
        attrs = graph.nodes[node]
        d = min(t, float(direct[i]))
        out.append(EntityExposure(
            node, attrs.get("label", node), t, d, max(0.0, t - d), _kinds(graph, system, i, point),
            min(float(low[i]), t), max(hi, t), float(stated[i]) / t if t > 0 else 0.0,
            list(attrs.get("layers", [])), list(attrs.get("arenas", []))))
    out.sort(key=lambda e: (-e.total, -e.high, e.id))
    return out


def _direct(system, clamp, shock):
    """Each state's loss through its entity's own dependencies on a shocked one: the
    coefficients within one entity and those pointing at a shocked state only."""
    import numpy as np

    m = system.matrix("point")
    ids: dict = {}
    node_of = np.array([ids.setdefault(s[0], len(ids)) for s in system.states], dtype=int)
    local = m.keep((node_of[m.row] == node_of[m.col]) | np.isin(m.col, clamp))
    x = np.zeros(m.shape[0])
    x[clamp] = shock
    for _ in range(4):  # chains within one entity are at most two steps long
        nxt = local @ x
        nxt[clamp] = shock
        x = nxt
    x[clamp] = 0.0
    return np.clip(x, 0.0, 1.0)


def _kinds(graph, system, i, point) -> list[str]:
    """The dependency kinds through which the state `i` (an entity's own) loses: the
    kind a supplier's state stands for (down), the entity's own sales of a kind (up),
    or, through a group edge or on a kind-blind graph, the edge's kind."""
    from alliances.graph.model import DEMAND, PLAIN, TOTAL, hop

    m = system.matrix("point")
    lo, hi = m.indptr[i], m.indptr[i + 1]
    kinds = set()
    node = system.states[i][0]
    for c in m.indices[lo:hi][point[m.indices[lo:hi]] > 0].tolist():
        other, tag = system.states[c]
        if tag != TOTAL and not tag.startswith(DEMAND) and tag not in system.group_kinds:
            kinds.add(tag)
        elif tag == TOTAL and other != node:  # a group edge, or a kind-blind graph
            edge = graph.adj[node][other] if system.direction == "down" else graph.adj[other][node]
            groups = system.group_kinds
            kinds.update(k for k in str(edge.get("kind", "")).split("+")
                         if k and (k in groups or PLAIN in groups))
        else:
            found = hop(system, graph, i, c)
            kinds.update(k for k in (found[2] if found else tag).split("+") if k)
    return sorted(kinds)


def _add_paths(graph, system, point, clamp, chosen, count, shock) -> None:
    """The `count` strongest chains from each chosen entity to a shocked one (Yen's
    algorithm on the cost -log(coefficient) over the states, through a virtual sink
    behind the shocked states), projected onto entities."""
    from itertools import islice

    import networkx as nx

    from alliances.graph.model import TOTAL

    m = system.matrix("point")
    view = nx.DiGraph()
    stack = [system.index[(e.id, TOTAL)] for e in chosen]
    seen = set(stack)
    while stack:
        i = stack.pop()
        if i in clamp:
            view.add_edge(i, SINK, cost=0.0, weight=1.0)
            continue
        lo, hi = m.indptr[i], m.indptr[i + 1]
        for c, v in sorted(zip(m.indices[lo:hi].tolist(), m.data[lo:hi].tolist())):
            if v > 0 and point[c] > 0:
                view.add_edge(i, c, cost=-math.log(v), weight=v)
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
    arrow = " -> " if system.direction == "down" else " <- "
    for e in chosen:
        source = system.index[(e.id, TOTAL)]
        if source not in view:
            continue
        found: dict = {}
        for states in islice(nx.shortest_simple_paths(view, source, SINK, weight="cost"), 4 * count):
            path = _project(graph, system, view, states[:-1], shock, arrow)
            found.setdefault((tuple(path.nodes), tuple(path.kinds)), path)
        # strongest first; equal weights in a fixed order (not the search's, which
        # depends on which other rows share the view)
        ranked = sorted(found.values(), key=lambda p: (-round(p.weight, 12), p.nodes, p.kinds))
        e.paths.extend(ranked[:count])


def _project(graph, system, view, states, shock, arrow) -> ExposurePath:
    """A path over states as a path over entities, with its hops."""
    from alliances.graph.model import hop

    info = graph.graph.get("market_obs", {})
    weight = shock * math.prod(view.edges[a, c]["weight"] for a, c in zip(states, states[1:]))
    nodes = [system.states[states[0]][0]]
    hops = []
    for a, c in zip(states, states[1:]):
        found = hop(system, graph, a, c)
        if found is None:
            continue
        consumer, supplier, kind, share, basis = found
        data = graph.edges[consumer, supplier]
        observations = list(data.get("observations", []))
        if basis == "market share":
            observations += [o for o in info.get(kind, []) if o not in observations]
        # a subsidiary is stated on the subsidiary, a product's dependency on the product
        owned = supplier in graph.graph.get("parts", {}).get(consumer, ())
        partnerships = data.get("kind_partnerships", {}).get(kind, data.get("partnerships", []))
        entity = None if partnerships or observations else (supplier if owned else consumer)
        hops.append(Hop(consumer, supplier, kind, share, basis, list(partnerships),
                        observations, list(data.get("sources", [])), entity))
        nodes.append(system.states[c][0])
    labels = [graph.nodes[n].get("label", n) for n in nodes]
    return ExposurePath(nodes, labels, [h.kind for h in hops], weight, hops, arrow)


def exposure_scores(graph, target: str) -> dict[str, float]:
    """Each entity's exposure (0..1) to a full shock on `target`, the shocked ones at 1:
    what the HTML map colours nodes by (computed by the caller, drawn by the map)."""
    result = exposure(graph, [target], shock=1.0, paths=0, bounds=False)
    scores = {str(k): float(v) for k, v in result.as_dict().items()}
    for node in [target, *result.shocked]:
        scores[node] = 1.0
    return scores
