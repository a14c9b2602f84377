"""Positions for big maps, computed in Python so the page opens at once.

A force-directed layout (Fruchterman-Reingold forces) in numpy, linear in the size of
the graph per step: attraction along every edge, and repulsion estimated from a few
nodes drawn at random for each node (negative sampling, as LargeVis and UMAP do)
instead of all n^2 pairs. networkx's own layouts compute every pair: at 5,000 nodes
``spring_layout`` and ``forceatlas2_layout`` take minutes on two cores, this takes
about a second. A fixed seed makes the same graph give the same picture.

Examples
--------
>>> import networkx as nx
>>> pos = force_layout(nx.path_graph(4), seed=1, iterations=50)
>>> sorted(pos) == [0, 1, 2, 3] and all(len(xy) == 2 for xy in pos.values())
True
>>> pos == force_layout(nx.path_graph(4), seed=1, iterations=50)
True
"""

from __future__ import annotations

import math


def force_layout(graph, *, seed: int = 7, iterations: int = 100, spacing: float = 40.0,
                 samples: int = 10, start: dict | None = None) -> dict:
    """{node: (x, y)} for `graph` (directions ignored), rounded to 0.1 px.

    `spacing` is the ideal edge length in pixels; `samples` the nodes each node is
    pushed away from per step; `start` optional starting positions (e.g. a spiral that
    puts neighbours near each other), random otherwise.
    """
    import numpy as np

    nodes = list(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    index = {v: i for i, v in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v in graph.edges() if u != v]
    src = np.array([p[0] for p in pairs], dtype=np.int64)
    dst = np.array([p[1] for p in pairs], dtype=np.int64)
    radius = spacing * math.sqrt(n)
    if start:
        pos = np.array([start.get(v, (0.0, 0.0)) for v in nodes], dtype=float)
        pos += rng.normal(scale=spacing * 0.05, size=pos.shape)  # no two nodes on one spot
    else:
        pos = rng.uniform(-radius / 2, radius / 2, size=(n, 2))
    k, m = spacing, max(1, min(samples, n - 1))
    temperature = radius / 10
    for step in range(iterations):
        disp = np.zeros((n, 2))
        if len(src):  # attraction d^2 / k along each edge, both ends
            delta = pos[dst] - pos[src]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 0.01)
            pull = delta * (dist / k)[:, None]
            for axis in (0, 1):  # bincount: a scatter-add ten times faster than np.add.at
                disp[:, axis] += (np.bincount(src, weights=pull[:, axis], minlength=n)
                                  - np.bincount(dst, weights=pull[:, axis], minlength=n))
        others = rng.integers(0, n, size=(n, m))  # repulsion k^2 / d, from m sampled nodes
        delta = pos[:, None, :] - pos[others]
        dist2 = np.maximum(np.einsum("ijk,ijk->ij", delta, delta), 0.01)
        disp += np.einsum("ijk,ij->ik", delta, k * k / dist2) * ((n - 1) / m)
        disp -= pos * (0.02 * k / radius)  # a little gravity keeps components together
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        cool = temperature * (1 - step / iterations)
        pos += disp * (np.minimum(length, cool) / length)[:, None]
    pos -= pos.mean(axis=0)
    return {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, pos)}
