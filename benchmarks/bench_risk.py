"""Time `alliances risk` on the shipped data and on a synthetic 100k-edge graph.

Prints numbers; not a test. Run: python benchmarks/bench_risk.py [--edges 100000]
"""

from __future__ import annotations

import argparse
import random
import time


def timed(label, fn, repeat=1):
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<58} {best * 1000:10.1f} ms")
    return out


def synthetic(edges: int, seed: int = 0, layers: int = 10, cycle_share: float = 0.02):
    """A layered supply graph (consumers -> providers, a few back edges make cycles),
    about 5 out-edges per node, every row's weights summing to at most 1."""
    import networkx as nx

    rng = random.Random(seed)
    per_node = 5
    width = -(-edges // (per_node * (layers - 1)))  # the last layer depends on nobody
    n = width * layers
    g = nx.DiGraph()
    for v in range(n):
        g.add_node(v, label=f"n{v}", layers=[], arenas=[])
    count = 0
    for v in range(n - width):
        layer = v // width
        while g.out_degree(v) < per_node and count < edges:
            if rng.random() < cycle_share:
                u = rng.randrange(n)
            else:
                lo = (layer + 1) * width
                u = rng.randrange(lo, min(n, lo + 2 * width))
            if u != v and not g.has_edge(v, u):
                g.add_edge(v, u, kind="chips", estimated=rng.random() < 0.5)
                count += 1
    for v in g:
        out = list(g.out_edges(v, data=True))
        raw = [rng.random() for _ in out]
        scale = rng.uniform(0.7, 1.0) / sum(raw) if out else 0
        for (_, _, d), r in zip(out, raw):
            d["weight"] = r * scale
    return g


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edges", type=int, default=100_000)
    args = parser.parse_args()

    from click.testing import CliRunner

    from alliances.cli.app import main as cli
    from alliances.graph.dependency import dependency_graph
    from alliances.graph.exposure import exposure
    from alliances.store.memory import load

    print("shipped data")
    store = timed("  load ontology + data/*.ttl (rdflib)", load)
    graph = timed("  dependency_graph(store)", lambda: dependency_graph(store), repeat=3)
    print(f"  graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    if "nvidia" in graph:
        result = timed("  exposure(graph, 'nvidia') with top-3 paths", lambda: exposure(graph, "nvidia"),
                       repeat=5)
        print(f"  exposed to nvidia: {len(result.entities)}")
        timed("  exposure(graph, ['nvidia', 'tsmc'], shock=0.5)",
              lambda: exposure(graph, ["nvidia", "tsmc"], shock=0.5), repeat=5)
    runner = CliRunner()
    timed("  CLI: alliances risk nvidia --format json (whole command)",
          lambda: runner.invoke(cli, ["risk", "nvidia", "--format", "json"]), repeat=3)

    print(f"synthetic graph, {args.edges} edges")
    g = timed("  build", lambda: synthetic(args.edges))
    print(f"  graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    target = max((v for v in g if g.out_degree(v) == 0), key=g.in_degree)
    res = timed("  exposure(graph, target), no paths", lambda: exposure(g, target, paths=0), repeat=3)
    print(f"  exposed: {len(res.entities)}, max {res.entities[0].total:.4f}" if res.entities else "")
    timed("  exposure(graph, target), top-3 paths for the top 20",
          lambda: exposure(g, target, paths=3, paths_for=20))
    hub = max(g, key=g.in_degree)
    res = timed("  exposure(graph, most depended-on node), no paths", lambda: exposure(g, hub, paths=0))
    print(f"  exposed: {len(res.entities)}")


if __name__ == "__main__":
    main()
