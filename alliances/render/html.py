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
from functools import lru_cache
from pathlib import Path

import networkx as nx

VIS_VERSION = "9.1.2"
SEED = 7
SEED_LAYOUT_ABOVE = 150  # nodes; above this the page starts from seed_positions()


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
    return sorted({k for k in str(data.get("kind") or "other").split("+") if k}) or ["other"]


def main_kind(data: dict) -> str:
    """The kind that carries most of an edge's weight (its colour)."""
    kinds = edge_kinds(data)
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

    def rank(n):
        return (-crit.get(n, 0.0), str(n))

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


def _payload(graph, *, title, subtitle, focus, exposure, sources) -> dict:
    crit = criticality(graph)
    top = max(crit.values(), default=0.0) or 1.0
    seeded = seed_positions(graph, crit) if graph.number_of_nodes() > SEED_LAYOUT_ABOVE else {}
    nodes = []
    for nid in sorted(graph.nodes, key=str):
        data = graph.nodes[nid]
        label = str(data.get("label") or nid)
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
        nodes.append({
            "id": str(nid),
            "label": label,
            "category": cat.name,
            "shape": cat.shape,
            "color": color,
            "size": round(10 + 30 * math.sqrt(crit[nid] / top), 2),
            **({"x": seeded[nid][0], "y": seeded[nid][1]} if nid in seeded else {}),
            "focus": nid == focus,
            "facts": facts,
            "sources": sorted(str(x) for x in node_sources),
        })
    edges = []
    for u, v in sorted(graph.edges, key=lambda e: (str(e[0]), str(e[1]))):
        d = graph.edges[u, v]
        kinds = edge_kinds(d)
        kind = main_kind(d)
        weight = float(d.get("weight", 0.0) or 0.0)
        estimated = bool(d.get("estimated"))
        facts = [
            f"{graph.nodes[u].get('label') or u} depends on {graph.nodes[v].get('label') or v}",
            f"kind: {' + '.join(kinds)}",
            f"weight: {_fmt(weight)}{' (estimated)' if estimated else ''}",
            f"announced: {d.get('announced') or '-'}",
            f"partnerships: {', '.join(sorted(str(p) for p in d.get('partnerships') or [])) or '-'}",
        ]
        edges.append({
            "id": f"{u}->{v}",
            "from": str(u),
            "to": str(v),
            "kinds": kinds,
            "color": KIND_COLORS.get(kind, OTHER_KIND_COLOR),
            "width": round(1 + 5 * min(1.0, max(0.0, weight)), 2),
            "dashes": estimated,
            "facts": facts,
            "sources": sorted({str(x) for x in d.get("sources") or []}),
        })
    used_cats = {n["category"] for n in nodes}
    used_sources = sorted({sid for item in (*nodes, *edges) for sid in item["sources"]})
    used_kinds = sorted({k for e in edges for k in e["kinds"]})
    return {
        "title": title,
        "subtitle": subtitle,
        "focus": None if focus is None else str(focus),
        "seed": SEED,
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


CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
 color:#222;background:#fafafa}
header{display:flex;align-items:center;gap:16px;padding:8px 14px;background:#1f2933;color:#f5f7fa}
header h1{font-size:17px;margin:0;font-weight:600;white-space:nowrap}
header .sub{font-size:13px;color:#cbd2d9;flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
header input{width:240px;padding:5px 8px;border-radius:4px;border:1px solid #52606d;
 background:#323f4b;color:#fff}
header .found{font-size:12px;color:#cbd2d9;min-width:70px}
main{position:absolute;top:46px;bottom:0;left:0;right:0;display:flex}
#stage{flex:1;position:relative;background:#fff}
#graph{position:absolute;inset:0}
aside{width:270px;overflow:auto;border-left:1px solid #e4e7eb;padding:10px 12px;background:#fafafa}
aside h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#616e7c;margin:12px 0 6px}
.row{display:flex;align-items:center;gap:7px;margin:3px 0;font-size:13px}
.sw{display:inline-block;width:14px;height:14px;border:1px solid rgba(0,0,0,.25);flex:none}
.sw.dot{border-radius:50%}
.sw.star{clip-path:polygon(50% 0,61% 35%,98% 35%,68% 57%,79% 91%,50% 70%,21% 91%,32% 57%,2% 35%,39% 35%)}
.sw.triangle{clip-path:polygon(50% 0,100% 100%,0 100%)}
.sw.triangleDown{clip-path:polygon(0 0,100% 0,50% 100%)}
.sw.diamond{clip-path:polygon(50% 0,100% 50%,50% 100%,0 50%)}
.sw.hexagon{clip-path:polygon(25% 0,75% 0,100% 50%,75% 100%,25% 100%,0 50%)}
.line{display:inline-block;width:22px;height:0;border-top:3px solid;flex:none}
.heat{height:12px;border-radius:2px;margin:4px 0}
.note{font-size:12px;color:#616e7c}
#info{font-size:13px;white-space:pre-wrap;word-break:break-word}
#info .src{margin:4px 0 0 0}
#info a{color:#1f6feb}
#progress{position:absolute;left:12px;bottom:10px;font-size:12px;color:#616e7c}
.vis-tooltip{position:absolute;visibility:hidden;padding:6px 8px;white-space:pre-wrap;max-width:420px;
 font-size:12px;color:#111;background:#fffef5;border:1px solid #999;border-radius:4px;
 box-shadow:2px 2px 8px rgba(0,0,0,.2);pointer-events:none;z-index:5}
"""

BOOT_JS = r"""
(function(){
  var st={errors:[],t0:Date.now()};window.__alliancesStatus=st;
  window.addEventListener('error',function(e){st.errors.push('error: '+(e.message||e.type));},true);
  window.addEventListener('unhandledrejection',function(e){st.errors.push('rejection: '+e.reason);});
  document.addEventListener('securitypolicyviolation',function(e){
    st.errors.push('blocked: '+e.violatedDirective+' '+e.blockedURI);});
  var ce=console.error;console.error=function(){
    st.errors.push('console: '+Array.prototype.join.call(arguments,' '));return ce.apply(console,arguments);};
})();
"""

APP_JS = r"""
(function(){
  var st=window.__alliancesStatus;
  var D=JSON.parse(document.getElementById('graph-data').textContent);
  function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;
    if(text!==undefined)e.textContent=text;return e;}
  function tip(item){
    var lines=[item.label||item.facts[0]].concat(item.label?item.facts:item.facts.slice(1));
    if(item.sources.length){lines.push('sources:');
      item.sources.slice(0,6).forEach(function(id){var s=D.sources[id];
        lines.push('  '+s.title+(s.publisher?' ('+s.publisher+(s.date?', '+s.date:'')+')':'')+
          (s.url?'\n    '+s.url:''));});
      if(item.sources.length>6)lines.push('  … and '+(item.sources.length-6)+' more (click to list them)');}
    return el('div',null,lines.join('\n'));}
  function showInfo(item){
    var box=document.getElementById('info');box.textContent='';
    box.appendChild(el('strong',null,item.label||item.facts[0]));
    box.appendChild(el('div',null,(item.label?item.facts:item.facts.slice(1)).join('\n')));
    if(item.sources.length){box.appendChild(el('h2',null,'Sources'));
      item.sources.forEach(function(id){var s=D.sources[id],p=el('div','src');
        if(/^https?:\/\//i.test(s.url)){var a=el('a',null,s.title);a.href=s.url;a.target='_blank';
          a.rel='noopener noreferrer';p.appendChild(a);}else{p.appendChild(el('span',null,s.title));}
        var meta=[s.publisher,s.date].filter(Boolean).join(', ');
        if(meta)p.appendChild(el('span','note',' ('+meta+')'));box.appendChild(p);});}}
  var byId={},edgeById={};
  var nodes=D.nodes.map(function(n){byId[n.id]=n;return {id:n.id,label:n.label,shape:n.shape,size:n.size,
    color:{background:n.color,border:n.focus?'#111':'#333',highlight:{background:n.color,border:'#000'}},
    borderWidth:n.focus?4:1,title:tip(n),x:n.x,y:n.y};});
  var edges=D.edges.map(function(e){edgeById[e.id]=e;return {id:e.id,from:e.from,to:e.to,width:e.width,
    dashes:e.dashes,color:{color:e.color,highlight:e.color,hover:e.color,opacity:0.85},
    arrows:{to:{enabled:true,scaleFactor:0.5}},title:tip(e)};});
  var big=nodes.length>500;
  var nodeSet=new vis.DataSet(nodes),edgeSet=new vis.DataSet(edges);
  var network=new vis.Network(document.getElementById('graph'),{nodes:nodeSet,edges:edgeSet},{
    layout:{randomSeed:D.seed,improvedLayout:nodes.length<=150},
    nodes:{font:{size:13,face:'system-ui, sans-serif',strokeWidth:3,strokeColor:'#ffffff'},
      scaling:{label:{enabled:false}}},
    edges:{smooth:big?false:{enabled:true,type:'continuous',roundness:0.3},selectionWidth:2,
      hoverWidth:1.5},
    physics:{enabled:true,solver:'forceAtlas2Based',
      forceAtlas2Based:{gravitationalConstant:-60,centralGravity:0.008,springLength:110,
        springConstant:0.06,avoidOverlap:0.4,damping:0.5},
      minVelocity:1,stabilization:{enabled:true,iterations:nodes.length>1500?80:nodes.length>150?250:600,
        updateInterval:10,fit:true}},
    interaction:{hover:true,tooltipDelay:150,hideEdgesOnDrag:big,hideEdgesOnZoom:big,
      navigationButtons:false,keyboard:false}});
  var prog=document.getElementById('progress');
  network.on('stabilizationProgress',function(p){prog.textContent='laying out… '+
    Math.round(100*p.iterations/p.total)+'%';});
  var done=false;
  function finish(){if(done)return;done=true;network.setOptions({physics:{enabled:false}});
    network.fit({animation:false});prog.textContent='';report();}
  network.once('stabilizationIterationsDone',finish);
  network.on('stabilized',finish);
  network.on('click',function(p){
    if(p.nodes.length)showInfo(byId[p.nodes[0]]);
    else if(p.edges.length)showInfo(edgeById[p.edges[0]]);});
  // Legend
  var legend=document.getElementById('legend');
  if(D.heat.length){legend.appendChild(el('h2',null,'Exposure to '+byId[D.focus].label));
    var bar=el('div','heat');bar.style.background='linear-gradient(to right,'+D.heat.join(',')+')';
    legend.appendChild(bar);var r=el('div','row note');r.style.justifyContent='space-between';
    r.appendChild(el('span',null,'0'));r.appendChild(el('span',null,'1 (depends fully)'));
    legend.appendChild(r);}
  legend.appendChild(el('h2',null,'Classes (shape'+(D.heat.length?')':' and colour)')));
  D.categories.forEach(function(c){var r=el('div','row');var s=el('span','sw '+c.shape);
    s.style.background=D.heat.length?'#9aa5b1':c.color;r.appendChild(s);r.appendChild(el('span',null,c.name));
    legend.appendChild(r);});
  legend.appendChild(el('h2',null,'Edge kinds (filter)'));
  var hiddenKinds={};
  D.kinds.forEach(function(k){var r=el('label','row');var cb=el('input');cb.type='checkbox';cb.checked=true;
    cb.setAttribute('data-kind',k.name);
    cb.addEventListener('change',function(){hiddenKinds[k.name]=!cb.checked;
      edgeSet.update(D.edges.filter(function(e){return e.kinds.indexOf(k.name)>=0;}).map(function(e){
        return {id:e.id,hidden:e.kinds.every(function(x){return hiddenKinds[x];})};}));});
    var s=el('span','line');s.style.borderColor=k.color;r.appendChild(cb);r.appendChild(s);
    r.appendChild(el('span',null,k.name));legend.appendChild(r);});
  legend.appendChild(el('div','note','Arrows point from the dependent to its dependency; width = weight; '+
    'dashed = estimated; node size = criticality.'));
  // Search by label
  var list=document.getElementById('labels'),seen={};
  D.nodes.map(function(n){return n.label;}).sort().forEach(function(l){if(seen[l])return;seen[l]=1;
    var o=el('option');o.value=l;list.appendChild(o);});
  var search=document.getElementById('search'),found=document.getElementById('found');
  function find(){var q=search.value.trim().toLowerCase();
    if(!q){found.textContent='';network.unselectAll();return;}
    var hits=D.nodes.filter(function(n){return n.label.toLowerCase().indexOf(q)>=0;});
    hits.sort(function(a,b){return (a.label.toLowerCase()===q?0:1)-(b.label.toLowerCase()===q?0:1);});
    found.textContent=hits.length+' found';
    network.selectNodes(hits.map(function(n){return n.id;}));
    if(hits.length){network.focus(hits[0].id,{scale:1.2,animation:{duration:400}});showInfo(hits[0]);}}
  search.addEventListener('change',find);
  search.addEventListener('keydown',function(e){if(e.key==='Enter')find();});
  function report(){var out=document.getElementById('status');
    out.setAttribute('data-nodes',String(Object.keys(network.getPositions()).length));
    out.setAttribute('data-edges',String(edgeSet.length));
    out.setAttribute('data-errors',String(st.errors.length));
    out.setAttribute('data-injected',window.__alliancesPwned?'1':'0');
    out.setAttribute('data-images',String(document.getElementsByTagName('img').length));
    out.textContent=st.errors.join('\n');out.setAttribute('data-ms',String(Date.now()-st.t0));
    out.setAttribute('data-state','ready');}
  window.__alliancesNetwork=network;
  if(!nodes.length)finish();
  setTimeout(finish,60000);
})();
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {script_hashes}; \
style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="alliances (vis-network {vis_version} from pyvis)">
<title>{title}</title>
<style>{css}</style>
<script>{boot}</script>
</head>
<body>
<header><h1>{title}</h1><span class="sub">{subtitle}</span>
<input id="search" type="search" list="labels" placeholder="Find an entity by name"
 aria-label="Find an entity">
<datalist id="labels"></datalist><span id="found" class="found"></span></header>
<main><div id="stage"><div id="graph"></div><div id="progress">loading…</div></div>
<aside><div id="legend"></div><h2>Details</h2><div id="info" class="note">Hover a node or an edge for its \
facts; click it to list its sources as links.</div></aside></main>
<output id="status" hidden data-state="loading" data-nodes="0" data-errors="0" data-injected="0"></output>
<script type="application/json" id="graph-data">{data}</script>
<script>{vis}</script>
<script>{app}</script>
</body>
</html>
"""


def render_html(graph: nx.DiGraph, *, title: str = "AI alliances: who depends on whom",
                focus: str | None = None, exposure: dict[str, float] | None = None,
                sources: dict[str, dict] | None = None, data_date: str | None = None) -> str:
    """The page for `graph`, as a string (pure: writes nothing).

    `focus` marks one node and switches node colours to the heat scale of
    `exposure` (entity id -> 0..1; computed with :func:`exposure_scores` when not
    given). `sources` maps source ids to {title, url, publisher, date}.
    """
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
    vis = vis_network_js()
    hashes = " ".join(_sha256(s) for s in (BOOT_JS, vis, APP_JS))
    page = PAGE.format(
        script_hashes=hashes, vis_version=VIS_VERSION, title=html.escape(title),
        subtitle=html.escape(subtitle),
        css=CSS, boot=BOOT_JS, data=_json_for_script(data), vis=vis, app=APP_JS)
    return page


def write_html(text: str, path) -> Path:
    """Write `text` to `path` atomically (:func:`alliances.atomic.write_atomic`: a temp file
    in the same directory, then a rename; only a regular file or a new path is replaced)."""
    from alliances.atomic import write_atomic

    return write_atomic(path, text)
