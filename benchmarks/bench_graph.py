"""Benchmark `alliances graph`: generation time and file size at the shipped data
and at synthetic graphs of 500 and 5,000 nodes.

    python benchmarks/bench_graph.py             # generation only
    python benchmarks/bench_graph.py --browser   # also time headless Chromium to a settled page

Prints one line per case; writes its pages to a temporary directory only.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import networkx as nx

from alliances.render import html as viz

CLASSES = ["Hyperscaler", "ChipDesigner", "GPU", "ModelLab", "Model", "Platform", "Application",
           "Foundry", "Regulator", "Investor", "DataCenterProject"]
KINDS = sorted(viz.KIND_COLORS)


def synthetic_graph(n: int, edges_per_node: float = 2.5, seed: int = 42) -> nx.DiGraph:
    """A scale-free-ish dependency graph: newer entities depend on older, popular ones."""
    rng = random.Random(seed)
    g = nx.DiGraph()
    targets: list[str] = []
    for i in range(n):
        node = f"e{i:05d}"
        g.add_node(node, label=f"Entity {i}", cls=CLASSES[i % len(CLASSES)],
                   layers=[rng.choice(["chips", "cloud", "models", "orchestration", "application"])])
        if targets:
            for _ in range(max(1, round(rng.expovariate(1 / edges_per_node)))):
                dep = rng.choice(targets)
                if dep != node:
                    g.add_edge(node, dep, kind=rng.choice(KINDS), weight=round(rng.random(), 3),
                               estimated=rng.random() < 0.3, sources=[f"src-{rng.randrange(200)}"],
                               partnerships=[f"p-{i}-{dep}"], announced="2025-01")
                    targets.append(dep)
        targets.append(node)
    return g


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def browser_ready_seconds(path: Path, workdir: Path) -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        return "chromium missing"
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               f"--user-data-dir={workdir / 'profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
               "--virtual-time-budget=60000", "--dump-dom", path.resolve().as_uri()]
    start = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, timeout=900).stdout
    elapsed = time.perf_counter() - start
    status = re.search(r'<output id="status"[^>]*data-state="(\w+)"[^>]*data-nodes="(\d+)"[^>]*'
                       r'data-errors="(\d+)"', out)
    if not status:
        return f"{elapsed:.1f}s (no status)"
    state, nodes, errors = status.groups()
    return f"{elapsed:.1f}s to {state}, {nodes} nodes drawn, {errors} errors"


def report(name, graph, render_s, page, workdir, browser, extra=""):
    path = workdir / f"{name}.html"
    _, write_s = timed(viz.write_html, page, path)
    size = len(page.encode("utf-8"))
    data_kb = (size - len(viz.vis_network_js().encode("utf-8"))) / 1024
    line = (f"{name:<14} nodes={graph.number_of_nodes():>5} edges={graph.number_of_edges():>6} "
            f"render={render_s * 1000:8.1f} ms  write={write_s * 1000:6.1f} ms  "
            f"size={size / 1024:8.1f} KB (data {data_kb:.1f} KB){extra}")
    if browser:
        line += f"  browser: {browser_ready_seconds(path, workdir)}"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--browser", action="store_true", help="also time headless Chromium")
    parser.add_argument("--sizes", default="500,5000", help="synthetic graph sizes (comma-separated)")
    args = parser.parse_args()

    from alliances.cli.graph import build_graph, source_index
    from alliances.store.memory import load

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        store, load_s = timed(load)
        graph, dep_s = timed(build_graph, store)
        sources = source_index(store)
        viz.vis_network_js()  # read once, outside the timings
        page, render_s = timed(viz.render_html, graph, sources=sources, data_date="2025-11")
        report("shipped", graph, render_s, page, workdir, args.browser,
               f"  (load {load_s:.2f} s, dependency graph {dep_s * 1000:.0f} ms)")
        if "nvidia" in graph:
            focus = viz.neighbourhood(graph, "nvidia", 2)
            page, render_s = timed(viz.render_html, focus, focus="nvidia", sources=sources)
            report("shipped-nvidia", focus, render_s, page, workdir, args.browser)
        for n in (int(x) for x in args.sizes.split(",") if x):
            graph = synthetic_graph(n)
            page, render_s = timed(viz.render_html, graph)
            again = viz.render_html(graph)
            report(f"synthetic-{n}", graph, render_s, page, workdir, args.browser,
                   "" if again == page else "  NOT DETERMINISTIC")


if __name__ == "__main__":
    main()
