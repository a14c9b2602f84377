"""An interactive, self-contained HTML map of who depends on whom.

:func:`render_html` is a pure function from a dependency graph (the
``networkx.DiGraph`` of :func:`alliances.graph.dependency.dependency_graph`: edges run
from the dependent to its dependency) to one HTML page. The page

* inlines vis-network, the drawing library shipped inside the pyvis package, and
  loads nothing else: no CDN, no font, no stylesheet (a Content-Security-Policy
  with ``default-src 'none'`` and hashed scripts makes sure of it);
* carries its data as JSON in a ``<script type="application/json">`` block in
  which ``<``, ``>`` and ``&`` are escaped, and builds every label, tooltip and
  link in the browser with ``textContent``, so a label such as
  ``<img src=x onerror=alert(1)>`` is shown as text and runs nothing;
* is the same, byte for byte, for the same data (sorted output, fixed seeds).

:func:`write_html` writes it atomically (a temp file next to the target, renamed).

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("a", label="A", cls="ModelLab", layers=["models"])
>>> g.add_node("b", label="B", cls="Hyperscaler", layers=["cloud"])
>>> g.add_edge("a", "b", kind="compute", weight=0.5, estimated=False, sources=[])
>>> page = render_html(g, title="demo")
>>> page.startswith("<!DOCTYPE html>") and '"from":"a"' in page
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from collections import deque
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import networkx as nx

VIS_VERSION = "9.1.2"
SEED = 7
SEED_LAYOUT_ABOVE = 150  # nodes; above this the page starts from seed_positions()
# nodes; above this the layout is computed in Python (render.layout) and the page opens with
# physics off (a toggle turns it on): in-page physics took about 60 s to settle 5,000 nodes
LAYOUT_IN_PYTHON_ABOVE = 300


@dataclass(frozen=True)
class Category:
    """How a family of classes is drawn: a legend name, a colour and a vis shape."""

    name: str
    color: str
    shape: str
    classes: frozenset


CATEGORIES = [
    Category("company", "#4e79a7", "dot", frozenset({
        "Organization", "Company", "Hyperscaler", "ChipDesigner", "Foundry", "MemoryMaker",
        "EquipmentMaker", "NetworkingVendor", "ModelLab", "Neocloud", "EnergyCompany", "ServerMaker",
        "SoftwareCompany", "Retailer", "Consortium", "Analyst"})),
    Category("investor", "#b07aa1", "dot", frozenset({"Investor"})),
    Category("regulator", "#e15759", "star", frozenset({"Regulator", "Government"})),
    Category("chip / hardware", "#f28e2b", "square", frozenset({
        "Product", "Hardware", "Chip", "GPU", "TPU", "Accelerator", "CPU", "Memory", "NetworkChip",
        "System", "Equipment"})),
    Category("model", "#59a14f", "triangle", frozenset({"Model", "ModelFamily"})),
    Category("platform", "#76b7b2", "hexagon", frozenset({"Platform", "CloudPlatform", "AgentFramework",
                                                           "Protocol"})),
    Category("application", "#edc948", "diamond", frozenset({"Application"})),
    Category("project", "#9c755f", "triangleDown", frozenset({"DataCenterProject"})),
]
OTHER = Category("other", "#bab0ac", "dot", frozenset())

KIND_COLORS = {
    "chips": "#e6550d",
    "foundry": "#8c6d31",
    "memory": "#bd9e39",
    "equipment": "#843c39",
    "compute": "#3182bd",
    "models": "#31a354",
    "capital": "#756bb1",
    "distribution": "#17becf",
    "licensing": "#de9ed6",
    "power": "#e7ba52",
    "ownership": "#636363",
    "other": "#969696",
}
OTHER_KIND_COLOR = "#969696"

# Heat scale for --focus: exposure 0 -> pale, 1 -> dark red.
HEAT = [(0.0, (255, 245, 235)), (0.25, (253, 190, 133)), (0.5, (253, 141, 60)),
        (0.75, (217, 72, 1)), (1.0, (127, 39, 4))]
NO_HEAT = "#d9d9d9"


def category_of(cls: str | None) -> Category:
    """The drawing category of a class local name.

    >>> category_of("Hyperscaler").name, category_of("GPU").shape, category_of("Nope").name
    ('company', 'square', 'other')
    """
    for cat in CATEGORIES:
        if cls in cat.classes:
            return cat
    return OTHER


def heat_color(value: float) -> str:
    """A colour on the heat scale for an exposure in 0..1.

    >>> heat_color(0.0), heat_color(1.0)
    ('#fff5eb', '#7f2704')
    """
    value = min(1.0, max(0.0, float(value)))
    for (x0, c0), (x1, c1) in zip(HEAT, HEAT[1:]):
        if value <= x1:
            t = 0.0 if x1 == x0 else (value - x0) / (x1 - x0)
            rgb = [round(a + (b - a) * t) for a, b in zip(c0, c1)]
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*HEAT[-1][1])


# ---------------------------------------------------------------- metrics --

def criticality(graph: nx.DiGraph, exact_max: int = 5000) -> dict[str, float]:
    """Downstream exposure of each node: how much the others lean on it.

    Up to `exact_max` nodes, as in :func:`alliances.graph.metrics.chokepoints`: the sum of
    every entity's exposure to a full shock on the node (:func:`alliances.graph.exposure.criticality`,
    a few seconds at 30k nodes). Above that (a page a browser can hardly lay out anyway),
    the sum of the weights of the edges pointing at the node, the first term of the sum.
    """
    if graph.number_of_nodes() <= exact_max:
        from alliances.graph.exposure import criticality as downstream

        return downstream(graph)
    return {n: sum(float(d.get("weight", 0.0) or 0.0) for _, _, d in graph.in_edges(n, data=True))
            for n in graph.nodes}


def exposure_scores(graph: nx.DiGraph, target: str) -> dict[str, float]:
    """Each entity's total exposure (0..1) to a shock on `target` (see
    :func:`alliances.graph.exposure.exposure`)."""
    from alliances.graph.exposure import exposure

    scores = {str(k): float(v) for k, v in exposure(graph, [target], shock=1.0, paths=0).as_dict().items()}
    scores[target] = 1.0
    return scores


# --------------------------------------------------------------- subgraphs --

def edge_kinds(data: dict) -> list[str]:
    """The kinds of one edge: its ``kind`` may join several with '+' ("capital+compute").

    >>> edge_kinds({"kind": "compute+capital"})
    ['capital', 'compute']
    """
    return list(_kinds_of(str(data.get("kind") or "other")))


@lru_cache(maxsize=4096)
def _kinds_of(kind: str) -> tuple:
    """edge_kinds of one ``kind`` text, parsed once per distinct text (13,000 edges at 5,000 nodes)."""
    return tuple(sorted({k for k in kind.split("+") if k}) or ["other"])


def main_kind(data: dict, kinds: list[str] | None = None) -> str:
    """The kind that carries most of an edge's weight (its colour); `kinds`: its edge_kinds, if known."""
    kinds = edge_kinds(data) if kinds is None else kinds
    shares = data.get("shares") or {}
    return max(kinds, key=lambda k: (float(shares.get(k, 0.0) or 0.0), -kinds.index(k)))


def filter_graph(graph: nx.DiGraph, *, layers=None, kinds=None) -> nx.DiGraph:
    """The part of `graph` in the given layers and of the given edge kinds.

    With `kinds`, only edges of those kinds are kept, and nodes left without any
    edge are dropped; with `layers`, only nodes in one of those layers.
    """
    keep = set(graph.nodes)
    if layers:
        wanted = set(layers)
        keep = {n for n in keep if wanted & set(graph.nodes[n].get("layers") or [])}
    sub = nx.DiGraph(graph.subgraph(keep))
    if kinds:
        wanted = set(kinds)
        sub.remove_edges_from([(u, v) for u, v, d in sub.edges(data=True)
                               if not wanted & set(edge_kinds(d))])
        sub.remove_nodes_from([n for n in list(sub.nodes) if sub.degree(n) == 0])
    return sub


def neighbourhood(graph: nx.DiGraph, focus: str, depth: int = 2) -> nx.DiGraph:
    """Nodes within `depth` hops of `focus`, following edges either way."""
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), focus, cutoff=depth)
    return nx.DiGraph(graph.subgraph(near))


# --------------------------------------------------------------- rendering --

def _source_info(sid: str, sources) -> dict:
    """What the page shows of one source; URLs other than http(s) are dropped."""
    info = dict(sources.get(sid, {})) if sources else {}
    url = str(info.get("url") or "")
    return {
        "title": str(info.get("title") or sid),
        "publisher": str(info.get("publisher") or ""),
        "date": str(info.get("date") or ""),
        "url": url if url.lower().startswith(("http://", "https://")) else "",
    }


def seed_positions(graph: nx.DiGraph, crit: dict[str, float], spacing: float = 28.0) -> dict:
    """Start positions for large graphs: nodes on a sunflower spiral in breadth-first
    order from the most critical node of each component (biggest first), so that
    neighbours start near each other and physics needs few iterations to settle."""
    undirected = graph.to_undirected(as_view=True)

    keys = {n: (-crit.get(n, 0.0), str(n)) for n in graph}  # computed once, not per neighbour visit
    rank = keys.__getitem__

    components = sorted(nx.connected_components(undirected), key=lambda c: (-len(c), min(map(str, c))))
    order: list = []
    for comp in components:
        start = min(comp, key=rank)
        seen, queue = {start}, deque([start])
        while queue:
            node = queue.popleft()
            order.append(node)
            for nb in sorted(undirected[node], key=rank):
                if nb not in seen:
                    seen.add(nb)
                    queue.append(nb)
    golden = math.pi * (3 - math.sqrt(5))
    return {n: (round(spacing * math.sqrt(k) * math.cos(k * golden), 1),
                round(spacing * math.sqrt(k) * math.sin(k * golden), 1)) for k, n in enumerate(order)}


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value else "0"


def _positions(graph, crit: dict) -> dict:
    """Start positions for a big graph (a spiral, then a Python layout above
    LAYOUT_IN_PYTHON_ABOVE nodes); none for a small one (the page lays it out)."""
    size = graph.number_of_nodes()
    seeded = seed_positions(graph, crit) if size > SEED_LAYOUT_ABOVE else {}
    if size > LAYOUT_IN_PYTHON_ABOVE:
        from alliances.render.layout import force_layout

        seeded = force_layout(graph, seed=SEED, start=seeded)
    return seeded


def _node_item(graph, nid, crit: dict, top: float, position, focus, exposure) -> dict:
    """What the page draws and says of one entity."""
    data = graph.nodes[nid]
    cls = str(data.get("cls") or "")
    cat = category_of(cls)
    layers = sorted(str(x) for x in (data.get("layers") or []))
    node_sources = set(data.get("sources") or [])
    for _, _, d in graph.in_edges(nid, data=True):
        node_sources.update(d.get("sources") or [])
    for _, _, d in graph.out_edges(nid, data=True):
        node_sources.update(d.get("sources") or [])
    facts = [
        f"class: {cls or 'unknown'} ({cat.name})",
        f"id: {nid}",
        f"layers: {', '.join(layers) or '-'}",
        f"depends on: {graph.out_degree(nid)}  ·  dependents: {graph.in_degree(nid)}",
        f"criticality (downstream exposure): {_fmt(crit[nid])}",
    ]
    color = cat.color
    if focus is not None:
        value = float(exposure.get(nid, 0.0)) if exposure else 0.0
        facts.append(f"exposure to {graph.nodes[focus].get('label') or focus}: {_fmt(value)}")
        color = heat_color(value) if value > 0 else NO_HEAT
    return {
        "id": str(nid),
        "label": str(data.get("label") or nid),
        "category": cat.name,
        "shape": cat.shape,
        "color": color,
        "size": round(10 + 30 * math.sqrt(crit[nid] / top), 2),
        **({"x": position[0], "y": position[1]} if position else {}),
        "focus": nid == focus,
        "facts": facts,
        "sources": sorted(str(x) for x in node_sources),
    }


def _edge_item(graph, u, v) -> dict:
    """What the page draws and says of one dependency: its kinds, each share with the
    basis it rests on (stated, remainder, amounts, market share, even split)."""
    d = graph.edges[u, v]
    kinds = edge_kinds(d)
    weight = float(d.get("weight", 0.0) or 0.0)
    estimated = bool(d.get("estimated"))
    bases = d.get("basis") if isinstance(d.get("basis"), dict) else {}
    shares = d.get("shares") or {}
    fallback = "estimated" if estimated else "stated"  # a hand-made graph without bases
    share_facts = [f"{k}: {_fmt(float(shares[k]))} of the need ({bases.get(k, fallback)})"
                   for k in sorted(shares)]
    facts = [
        f"{graph.nodes[u].get('label') or u} depends on {graph.nodes[v].get('label') or v}",
        f"kind: {' + '.join(kinds)}",
        *(share_facts or [f"weight: {_fmt(weight)}{' (estimated)' if estimated else ''}"]),
        f"announced: {d.get('announced') or '-'}",
        f"partnerships: {', '.join(sorted(str(p) for p in d.get('partnerships') or [])) or '-'}",
    ]
    return {
        "id": f"{u}->{v}",
        "from": str(u),
        "to": str(v),
        "kinds": kinds,
        "color": KIND_COLORS.get(main_kind(d, kinds), OTHER_KIND_COLOR),
        "width": round(1 + 5 * min(1.0, max(0.0, weight)), 2),
        "dashes": estimated,
        "facts": facts,
        "sources": sorted({str(x) for x in d.get("sources") or []}),
    }


def _payload(graph, *, title, subtitle, focus, exposure, sources) -> dict:
    crit = criticality(graph)
    top = max(crit.values(), default=0.0) or 1.0
    positions = _positions(graph, crit)
    nodes = [_node_item(graph, nid, crit, top, positions.get(nid), focus, exposure)
             for nid in sorted(graph.nodes, key=str)]
    edges = [_edge_item(graph, u, v) for u, v in sorted(graph.edges, key=lambda e: (str(e[0]), str(e[1])))]
    used_cats = {n["category"] for n in nodes}
    used_sources = sorted({sid for item in (*nodes, *edges) for sid in item["sources"]})
    used_kinds = sorted({k for e in edges for k in e["kinds"]})
    return {
        "title": title,
        "subtitle": subtitle,
        "focus": None if focus is None else str(focus),
        "seed": SEED,
        "physics": graph.number_of_nodes() <= LAYOUT_IN_PYTHON_ABOVE,
        "nodes": nodes,
        "edges": edges,
        "sources": {sid: _source_info(sid, sources) for sid in used_sources},
        "categories": [{"name": c.name, "color": c.color, "shape": c.shape}
                       for c in [*CATEGORIES, OTHER] if c.name in used_cats],
        "kinds": [{"name": k, "color": KIND_COLORS.get(k, OTHER_KIND_COLOR)} for k in used_kinds],
        "heat": [heat_color(x / 4) for x in range(5)] if focus is not None else [],
    }


def _json_for_script(data) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' survives, so nothing can close the block."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vis-network standalone build shipped inside the installed pyvis package."""
    import pyvis

    base = Path(pyvis.__file__).resolve().parent
    for rel in (f"templates/lib/vis-{VIS_VERSION}", f"lib/vis-{VIS_VERSION}"):
        path = base / rel / "vis-network.min.js"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if "</script" in text.lower():  # pragma: no cover - would break the page
                raise RuntimeError(f"{path}: contains '</script'")
            return text
    raise FileNotFoundError(f"vis-network {VIS_VERSION} not found in the pyvis package at {base}")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


# The page's own files (package data): the styles, the boot script that records errors
# before anything else runs, the app, and the HTML template around them.
MAP_DIR = Path(__file__).resolve().parent / "map"


@cache
def page_asset(name: str) -> str:
    """One of the page's files: map.css, boot.js, app.js or page.html."""
    return (MAP_DIR / name).read_text(encoding="utf-8")


def render_html(graph: nx.DiGraph, *, title: str = "AI alliances: who depends on whom",
                focus: str | None = None, exposure: dict[str, float] | None = None,
                sources: dict[str, dict] | None = None, data_date: str | None = None,
                payload: dict | None = None) -> str:
    """The page for `graph`, as a string (pure: writes nothing).

    `focus` marks one node and switches node colours to the heat scale of
    `exposure` (entity id -> 0..1; computed with :func:`exposure_scores` when not
    given). `sources` maps source ids to {title, url, publisher, date}. A ready
    `payload` (another view of the data, such as :func:`money_payload`) is drawn
    instead of the dependency graph's.
    """
    if payload is not None:
        return _page(title, payload["subtitle"], payload)
    if focus is not None and focus not in graph:
        raise KeyError(f"focus '{focus}' is not in the graph")
    if focus is not None and exposure is None:
        exposure = exposure_scores(graph, focus)
    parts = []
    if data_date:
        parts.append(f"data as of {data_date}")
    parts.append(f"{graph.number_of_nodes()} entities")
    parts.append(f"{graph.number_of_edges()} dependencies")
    if focus is not None:
        parts.append(f"focus: {graph.nodes[focus].get('label') or focus}")
    subtitle = " · ".join(parts)
    data = _payload(graph, title=title, subtitle=subtitle, focus=focus, exposure=exposure, sources=sources)
    return _page(title, subtitle, data)


def _page(title: str, subtitle: str, data: dict) -> str:
    """The HTML page around a payload: the data block, vis-network and the app script."""
    vis, boot, app = vis_network_js(), page_asset("boot.js"), page_asset("app.js")
    hashes = " ".join(_sha256(s) for s in (boot, vis, app))
    return page_asset("page.html").format(
        script_hashes=hashes, vis_version=VIS_VERSION, title=html.escape(title),
        subtitle=html.escape(subtitle),
        css=page_asset("map.css"), boot=boot, data=_json_for_script(data), vis=vis, app=app)


# --------------------------------------------------------------- money map --

FLOW_COLORS = {"investment": "#8e44ad", "purchase": "#2a9d8f"}
OTHER_FLOW_COLOR = "#969696"
FLOW_CURVES = {"investment": 0.28, "purchase": 0.12}  # two flows of one pair drawn apart


def money_width(usd: float | None) -> float:
    """Edge width for an amount in USD, on a fixed log scale: 1 px at $100M and below,
    2 px more for every factor of ten, at most 10 (unknown: 1).

    >>> money_width(None), money_width(1e8), money_width(1e10), money_width(3e11)
    (1.0, 1.0, 5.0, 7.95)
    """
    if not usd or usd <= 0:
        return 1.0
    return round(min(10.0, 1.0 + 2.0 * max(0.0, math.log10(usd / 1e8))), 2)


def _money_text(value, currency=None) -> str:
    if value is None:
        return "amount unknown"
    text = f"{value:,.0f}"
    return f"{text} {currency}" if currency else text


def money_payload(graph, cycles=(), *, title: str = "AI alliances: follow the money", focus=None,
                  sources=None, data_date=None, top_cycles: int = 10) -> dict:
    """The map's data for a money graph (:func:`alliances.graph.money.money_graph`, a
    MultiDiGraph payer -> payee): one drawn edge per pair and flow type (investment,
    purchase), its width the log of the known USD amounts summed, dashed when no amount
    is known; the edges of the first `top_cycles` of `cycles`
    (:func:`alliances.graph.money.circular_deals`) marked. Labels travel as data and are
    set as text in the browser, never as HTML.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="<b>A</b>", cls="Company", members=[])
    >>> g.add_node("b", label="B", cls="ModelLab", members=[])
    >>> _ = g.add_edge("a", "b", "p1", kind="investment", flow="investment", value=1e9, usd=1e9,
    ...                currency="USD", date="2025", partnership="p1", sources=["s"])
    >>> d = money_payload(g)
    >>> [(e["id"], e["width"], e["kinds"]) for e in d["edges"]]
    [('a->b:investment', 3.0, ['investment'])]
    """
    from alliances.graph.money import basis

    shown = list(cycles)[:top_cycles]
    labels = {n: str(graph.nodes[n].get("label") or n) for n in graph}
    drawn: dict[tuple, list] = {}
    for u, v, d in graph.edges(data=True):
        drawn.setdefault((str(u), str(v), str(d.get("flow") or "other")), []).append(d)
    marked: dict[str, list[int]] = {}
    cycle_items = []
    for rank, c in enumerate(shown, 1):
        ids = []
        for u, v, flows in c.hops:
            types = {f["type"] for f in flows if f["partnership"] in c.picked}
            types |= {m["type"] for m in c.missing if (m["from"], m["to"]) == (u, v)}
            for t in sorted(types or {f["type"] for f in flows}):
                if (str(u), str(v), str(t)) in drawn:
                    ids.append(f"{u}->{v}:{t}")
        for i in ids:
            marked.setdefault(i, []).append(rank)
        if c.circulating is None:
            amount = ("circulating: unknown (" + ", ".join(sorted({m["partnership"] for m in c.missing}))
                      + " without a usable amount)")
        else:
            amount = (f"circulating: {_money_text(c.circulating, 'USD')}"
                      + (" (an up-to figure counted)" if c.up_to else ""))
        facts = [amount] + [
            f"{labels.get(f['from'], f['from'])} -> {labels.get(f['to'], f['to'])}: {f['kind']} "
            f"{_money_text(f['amount'], f['currency'])} ({f['basis']}) {f['date'] or ''} {f['partnership']}"
            .rstrip() for _, _, fs in c.hops for f in fs]
        cycle_items.append({
            "rank": rank, "label": f"{rank}. {c.path()}", "nodes": [str(n) for n in c.entities if n in graph],
            "edges": ids, "facts": facts,
            "sources": sorted({s for _, _, fs in c.hops for f in fs for s in f["sources"]})})
    totals = {n: {"in": 0.0, "out": 0.0, "flows": 0} for n in graph}
    edges = []
    for (u, v, flow), ds in sorted(drawn.items()):
        ds = sorted(ds, key=lambda d: (d.get("usd") is None, -(d.get("usd") or 0), str(d.get("partnership"))))
        known = [d["usd"] for d in ds if d.get("usd") is not None]
        usd = sum(known) if known else None
        totals[u]["out"] += usd or 0.0
        totals[v]["in"] += usd or 0.0
        totals[u]["flows"] += len(ds)
        totals[v]["flows"] += len(ds)
        eid = f"{u}->{v}:{flow}"
        facts = [f"{labels[u]} pays {labels[v]} ({flow})",
                 f"known amounts: {_money_text(usd, 'USD')} in {len(known)} of {len(ds)} flows"]
        facts += [f"{d.get('kind')}: {_money_text(d.get('value'), d.get('currency'))} ({basis(d)}), "
                  f"{d.get('date') or 'undated'}, {d.get('partnership')}" for d in ds]
        if eid in marked:
            facts.append("in top circular deals: " + ", ".join(f"#{r}" for r in marked[eid]))
        edges.append({
            "id": eid, "from": u, "to": v, "kinds": [flow],
            "color": FLOW_COLORS.get(flow, OTHER_FLOW_COLOR), "width": money_width(usd),
            "dashes": usd is None, "mark": eid in marked,
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": FLOW_CURVES.get(flow, 0.2)},
            "facts": facts, "sources": sorted({str(s) for d in ds for s in d.get("sources") or []}),
        })
    nodes = []
    for nid in sorted(graph.nodes, key=str):
        data = graph.nodes[nid]
        cls = str(data.get("cls") or "")
        cat = category_of(cls)
        t = totals[nid]
        facts = [f"class: {cls or 'unknown'} ({cat.name})", f"id: {nid}",
                 f"money out (known, USD): {_money_text(t['out'])}",
                 f"money in (known, USD): {_money_text(t['in'])}", f"flows: {t['flows']}"]
        if data.get("members"):
            facts.append("includes: " + ", ".join(str(m) for m in data["members"]))
        node_sources = {s for e in edges if nid in (e["from"], e["to"]) for s in e["sources"]}
        size = round(10 + 3 * math.log10(1 + (t["in"] + t["out"]) / 1e8), 2)
        nodes.append({"id": str(nid), "label": labels[nid], "category": cat.name, "shape": cat.shape,
                      "color": cat.color, "size": size,
                      "focus": nid == focus, "facts": facts, "sources": sorted(node_sources)})
    parts = [f"data as of {data_date}"] if data_date else []
    parts += [f"{len(nodes)} entities", f"{graph.number_of_edges()} money flows"]
    if focus is not None:
        parts.append(f"focus: {labels.get(focus, focus)}")
    if shown:
        parts.append(f"top {len(shown)} circular deals marked")
    used_sources = sorted({s for item in (*nodes, *edges, *cycle_items) for s in item["sources"]})
    used_flows = sorted({e["kinds"][0] for e in edges})
    used_cats = {n["category"] for n in nodes}
    return {
        "title": title, "subtitle": " · ".join(parts), "focus": None if focus is None else str(focus),
        "seed": SEED, "nodes": nodes, "edges": edges,
        "sources": {sid: _source_info(sid, sources) for sid in used_sources},
        "categories": [{"name": c.name, "color": c.color, "shape": c.shape}
                       for c in [*CATEGORIES, OTHER] if c.name in used_cats],
        "kinds": [{"name": k, "color": FLOW_COLORS.get(k, OTHER_FLOW_COLOR)} for k in used_flows],
        "kindsTitle": "Money flows (filter)",
        "note": ("Arrows point from the payer to the payee; width = known amount in USD on a log scale "
                 "(1 px at $100M, +2 px per x10); dashed = amount unknown; red glow = in a top circular "
                 "deal; node size = money in and out."),
        "cycles": cycle_items, "cyclesTitle": "Top circular deals (click)", "heat": [],
    }


def write_html(text: str, path) -> Path:
    """Write `text` to `path` atomically (:func:`alliances.atomic.write_atomic`: a temp file
    in the same directory, then a rename; only a regular file or a new path is replaced)."""
    from alliances.atomic import write_atomic

    return write_atomic(path, text)
