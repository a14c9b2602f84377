"""The HTML dependency map: counts, offline page, escaping, determinism, atomic write, CLI."""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys

import networkx as nx
import pytest

from alliances.render import html as viz

XSS = '<img src=x onerror="window.__alliancesPwned=1">'
CLOSER = "</script><script>window.__alliancesPwned=1</script>"


def world(reverse=False):
    """A hand-made dependency graph (dependent -> dependency) with hostile strings."""
    nodes = [
        ("chipco", {"label": "ChipCo", "cls": "ChipDesigner", "layers": ["chips"]}),
        ("fab", {"label": "Fab & Sons", "cls": "Foundry", "layers": ["chips"]}),
        ("cloud", {"label": "CloudCo", "cls": "Hyperscaler", "layers": ["cloud"]}),
        ("lab", {"label": XSS, "cls": "ModelLab", "layers": ["models"]}),
        ("gpu", {"label": CLOSER, "cls": "GPU", "layers": ["chips"]}),
        ("app", {"label": "App", "cls": "Application", "layers": ["application"]}),
        ("reg", {"label": "Regulator", "cls": "Regulator", "layers": []}),
    ]
    edges = [
        ("chipco", "fab", {"kind": "foundry", "weight": 1.0, "estimated": False, "sources": ["s-good"],
                           "partnerships": ["p1"], "announced": "2024-01"}),
        ("cloud", "chipco", {"kind": "chips", "weight": 0.6, "estimated": False, "sources": ["s-bad"]}),
        ("lab", "cloud", {"kind": "compute+capital", "weight": 0.4, "estimated": True,
                          "shares": {"compute": 0.6, "capital": 0.2}, "sources": ["s-good", "s-xss"]}),
        ("app", "lab", {"kind": "models", "weight": 1.0, "estimated": False, "sources": []}),
        ("gpu", "fab", {"kind": "foundry", "weight": 1.0, "estimated": False, "sources": []}),
        ("reg", "app", {"kind": "other", "weight": 0.1, "estimated": True, "sources": []}),
    ]
    g = nx.DiGraph()
    for n, d in (reversed(nodes) if reverse else nodes):
        g.add_node(n, **d)
    for u, v, d in (reversed(edges) if reverse else edges):
        g.add_edge(u, v, **d)
    return g


SOURCES = {
    "s-good": {"title": "Good news", "url": "https://example.org/good", "publisher": "Wire",
               "date": "2025-10"},
    "s-bad": {"title": "Bad link", "url": "javascript:alert(1)"},
    "s-xss": {"title": XSS, "url": "https://example.org/x?a=<b>"},
}


def payload(page):
    block = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


@pytest.fixture(scope="module")
def page():
    return viz.render_html(world(), title="Test map", sources=SOURCES, data_date="2025-11")


def test_counts_match_the_graph(page):
    data = payload(page)
    assert len(data["nodes"]) == 7
    assert len(data["edges"]) == 6
    assert "7 entities · 6 dependencies" in page
    assert "data as of 2025-11" in page


def test_no_remote_resource_is_loaded(page):
    assert "<link" not in page.lower()
    assert not re.search(r"<(script|img|iframe|link|source|video|audio)\b[^>]*\b(src|href)\s*=", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page, re.I)
    assert "cdn" not in page.lower().replace("cdnjs", "")  # no CDN host at all
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]


def test_every_inline_script_is_hashed_in_the_csp(page):
    csp = re.search(r'content="(default-src[^"]+)"', page).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 3  # boot, vis-network, app
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_labels_and_sources_are_escaped(page):
    assert "<img" not in page
    # every "</script" closes one of our four blocks, none comes from the data
    assert page.count("</script>") == page.replace(viz.vis_network_js(), "").count("<script") == 4
    data = payload(page)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["lab"] == XSS and labels["gpu"] == CLOSER  # shown as text, intact
    assert "<title>Test map</title>" in page


def test_only_http_urls_become_links(page):
    data = payload(page)
    urls = {sid: s["url"] for sid, s in data["sources"].items()}
    assert data["sources"]["s-xss"]["title"] == XSS
    assert {e["id"]: e["sources"] for e in data["edges"]}["lab->cloud"] == ["s-good", "s-xss"]
    assert urls == {"s-good": "https://example.org/good", "s-bad": "", "s-xss": "https://example.org/x?a=<b>"}


def test_title_is_escaped():
    page = viz.render_html(world(), title="<b>x</b>")
    assert "<title>&lt;b&gt;x&lt;/b&gt;</title>" in page


def test_edges_styled_by_kind_weight_and_estimate(page):
    edges = {e["id"]: e for e in payload(page)["edges"]}
    lab = edges["lab->cloud"]
    assert lab["kinds"] == ["capital", "compute"]
    assert lab["color"] == viz.KIND_COLORS["compute"]  # the kind with the larger share
    assert lab["dashes"] is True and edges["cloud->chipco"]["dashes"] is False
    assert edges["chipco->fab"]["width"] > edges["cloud->chipco"]["width"] > edges["reg->app"]["width"]
    assert edges["chipco->fab"]["from"] == "chipco" and edges["chipco->fab"]["to"] == "fab"


def test_nodes_styled_by_class_and_sized_by_criticality(page):
    nodes = {n["id"]: n for n in payload(page)["nodes"]}
    assert nodes["cloud"]["shape"] == "dot" and nodes["gpu"]["shape"] == "square"
    assert nodes["reg"]["shape"] == "star" and nodes["app"]["shape"] == "diamond"
    assert nodes["chipco"]["color"] != nodes["gpu"]["color"]
    assert nodes["fab"]["size"] == max(n["size"] for n in nodes.values())  # two full dependents
    assert nodes["reg"]["size"] == min(n["size"] for n in nodes.values())  # nobody depends on it
    legend = {c["name"] for c in payload(page)["categories"]}
    assert {"company", "chip / hardware", "regulator", "application"} <= legend


def test_same_data_same_bytes():
    a = viz.render_html(world(), sources=SOURCES)
    b = viz.render_html(world(reverse=True), sources=dict(reversed(list(SOURCES.items()))))
    assert a == b


def test_focus_colours_by_exposure():
    g = world()
    page = viz.render_html(g, focus="fab")
    data = payload(page)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert data["focus"] == "fab" and nodes["fab"]["focus"]
    assert nodes["fab"]["color"] == viz.heat_color(1.0)
    # reg -> app -> lab -> cloud -> chipco -> fab: 0.1 * 1.0 * 0.4 * 0.6 * 1.0 = 0.024, a pale heat
    assert nodes["reg"]["color"] == viz.heat_color(0.024) != nodes["chipco"]["color"]
    # chipco depends on fab fully, cloud through chipco at 0.6: darker is more exposed
    assert nodes["chipco"]["color"] == viz.heat_color(1.0)
    assert nodes["cloud"]["color"] != viz.NO_HEAT
    assert data["heat"] and "focus: Fab &amp; Sons" in page
    with pytest.raises(KeyError):
        viz.render_html(g, focus="nope")


def test_exposure_scores_follow_dependency_paths():
    scores = viz.exposure_scores(world(), "fab")
    assert scores["fab"] == 1.0 and scores["chipco"] == 1.0
    assert scores["cloud"] == pytest.approx(0.6)
    assert scores["lab"] == pytest.approx(0.24)
    assert "reg" in scores and "gpu" in scores


def test_filters_and_neighbourhood():
    g = world()
    chips = viz.filter_graph(g, layers=["chips"])
    assert set(chips) == {"chipco", "fab", "gpu"}
    compute = viz.filter_graph(g, kinds=["compute"])
    assert set(compute.edges) == {("lab", "cloud")}
    near = viz.neighbourhood(g, "cloud", depth=1)
    assert set(near) == {"cloud", "chipco", "lab"}
    assert set(viz.neighbourhood(g, "cloud", depth=2)) == {"cloud", "chipco", "lab", "fab", "app"}


def test_empty_graph_renders():
    data = payload(viz.render_html(nx.DiGraph()))
    assert data["nodes"] == [] and data["edges"] == []


def test_write_is_atomic_and_writes_nothing_else(tmp_path):
    target = tmp_path / "map.html"
    target.write_text("old")
    viz.write_html("new page", target)
    assert target.read_text() == "new page"
    assert sorted(os.listdir(tmp_path)) == ["map.html"]


def test_vis_network_is_inlined_from_pyvis(page):
    assert "vis-network" in page and f"@version {viz.VIS_VERSION}" in page
    assert len(page) > 400_000


def test_cli_graph_module_imports_only_click():
    code = ("import sys, alliances.cli.graph; "
            "print(sorted(m for m in ('networkx', 'pyvis', 'rdflib', 'alliances.render.html')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------- CLI (needs alliances.graph.dependency)

@pytest.fixture()
def dependency():
    return pytest.importorskip("alliances.graph.dependency")


def test_cli_graph_writes_one_page(dependency, cli, tmp_path):
    out = tmp_path / "out.html"
    result = cli("graph", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert sorted(os.listdir(tmp_path)) == ["out.html"]
    data = payload(out.read_text())
    assert len(data["nodes"]) > 10 and len(data["edges"]) > 10
    assert "wrote" in result.stderr and result.stdout == ""
    again = tmp_path / "again.html"
    cli("graph", "-o", again)
    assert again.read_bytes() == out.read_bytes()


def test_cli_graph_focus(dependency, cli, tmp_path):
    out = tmp_path / "nvidia.html"
    result = cli("graph", "--focus", "NVIDIA", "--depth", "1", "-o", out)
    assert result.exit_code == 0, result.stderr
    data = payload(out.read_text())
    assert data["focus"] == "nvidia"
    assert any(n["id"] == "nvidia" and n["focus"] for n in data["nodes"])


def test_cli_graph_unknown_focus_is_bad_input(dependency, cli, tmp_path):
    result = cli("graph", "--focus", "no-such-thing", "-o", tmp_path / "x.html")
    assert result.exit_code == 2
    assert "no entity" in result.stderr
    assert not os.listdir(tmp_path)


def test_cli_graph_kind_filter(dependency, cli, tmp_path):
    out = tmp_path / "chips.html"
    result = cli("graph", "--kind", "chips", "-o", out)
    assert result.exit_code == 0, result.stderr
    kinds = {k for e in payload(out.read_text())["edges"] for k in e["kinds"]}
    assert kinds == {"chips"}


def test_exposure_scores_adapter():
    scores = viz.exposure_scores(world(), "fab")
    assert scores["fab"] == 1.0
    assert scores["chipco"] == pytest.approx(1.0)
    assert scores["cloud"] == pytest.approx(0.6)
    assert 0 < scores["lab"] < scores["cloud"]


def test_cli_graph_layer_as_of_and_open(dependency, cli, tmp_path, monkeypatch):
    import webbrowser

    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url))
    out = tmp_path / "chips.html"
    result = cli("graph", "--layer", "chips", "--as-of", "2025", "--open", "-o", out)
    assert result.exit_code == 0, result.stderr
    page = out.read_text()
    assert "data as of 2025" in page
    assert opened == [out.resolve().as_uri()]
    for node in payload(page)["nodes"]:
        assert "chips" in node["facts"][2]  # "layers: ..."


def test_criticality_is_downstream_exposure():
    g = world()
    exact, direct = viz.criticality(g), viz.criticality(g, exact_max=0)
    assert direct["chipco"] == pytest.approx(0.6)  # cloud's edge only
    assert exact["chipco"] > direct["chipco"]  # lab and app lean on it through cloud
    assert exact["reg"] == direct["reg"] == 0.0
    assert max(exact, key=exact.get) == "fab"
