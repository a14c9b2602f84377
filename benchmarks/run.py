"""Benchmarks of the stores at scale (not timed tests): prints markdown tables.

For each size (a synthetic graph from benchmarks/synth.py) and each store (``memory``:
the files given with --data; ``oxigraph:DIR``: built by ``alliances load``), every step
is a real ``alliances`` process, timed from the outside (wall seconds, what a user
waits) with its peak memory (ru_maxrss): load, a saved query, building the dependency
graph (library call, timed inside the process), ``risk`` of the biggest supplier
(synth-0) with no cache at all and again with the caches warm, ``metrics
concentration``, ``metrics chokepoints`` and ``graph --focus`` HTML. In the same run, the floors: pyoxigraph's
own bulk load of the same file, ``python -c "import click"`` and ``import rdflib,
networkx``; and the targets on the shipped data: ``alliances --help`` and ``alliances
risk nvidia``.

Each size gets its own cache directory (XDG_CACHE_HOME), so nothing carries over
between runs. "no cache" sets ALLIANCES_NO_CACHE=1: the memory store parses every file
and every query runs; "warm" is the same command after the earlier steps filled the
caches (parsed files, answers of the library's bulk queries).

Run: python benchmarks/run.py --sizes 10k,100k,1M       (takes ~15 min at 1M)
     python benchmarks/run.py --sizes 200k,1M --stores memory,oxigraph --map
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPEAT = 5  # runs per command of the shipped-data targets (--repeat)
PY = sys.executable

# Runs the CLI (or a snippet) and reports its peak memory on stderr when it exits.
PEAK = ("import atexit, resource, sys\n"
        "atexit.register(lambda: sys.stderr.write("
        "'\\nPEAK_KB %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n")
CLI = PEAK + "from alliances.cli.app import main\nsys.argv[0] = 'alliances'\nmain()\n"
DEPENDENCY_GRAPH = PEAK + """
import time
from alliances.store.backends import open_store
from alliances.graph.dependency import dependency_graph
spec, data = sys.argv[1], sys.argv[2:]
store = open_store(spec, None, data)
t = time.perf_counter()
g = dependency_graph(store)
sys.stderr.write('\\nINSIDE %f %d\\n' % (time.perf_counter() - t, g.number_of_edges()))
"""
RAW_LOAD = PEAK + """
import pyoxigraph as ox
store = ox.Store(sys.argv[1])
store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.TURTLE)
"""


def run(code: str, args, env, timeout: float) -> dict:
    """Run `python -c code args`; wall seconds, peak MB, and any time measured inside."""
    t = time.perf_counter()
    try:
        out = subprocess.run([PY, "-c", code, *map(str, args)], capture_output=True, text=True,
                             env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout {timeout:g} s"}
    wall = time.perf_counter() - t
    if out.returncode not in (0, 1):  # 1: a finding (risk --fail-above), not a failure
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1][:80]}
    result = {"seconds": wall}
    for line in out.stderr.splitlines():
        if line.startswith("PEAK_KB "):
            result["mb"] = int(line.split()[1]) / 1024
        elif line.startswith("INSIDE "):
            result["inside"] = float(line.split()[1])
    return result


def wall(argv, repeat=None, env=None) -> float:
    """Median wall time of a command (seconds), over `repeat` runs (default: --repeat)."""
    times = []
    for _ in range(repeat or REPEAT):
        t = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


def paired(floor_argv, argv, env=None) -> tuple[float, float]:
    """Median wall times of a floor command and of a command, run alternately (so that a
    busier moment of the machine weighs on both alike: the ratio is what is compared)."""
    floors, times = [], []
    for _ in range(REPEAT):
        floors.append(wall(floor_argv, repeat=1))
        times.append(wall(argv, repeat=1, env=env))
    return sorted(floors)[len(floors) // 2], sorted(times)[len(times) // 2]


def size(text: str) -> int:
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * mult)


def cell(result, floor=None) -> str:
    if "error" in result:
        return f"error: {result['error']}"
    text = f"{result['seconds']:.2f} s / {result.get('mb', 0):.0f} MB"
    if "inside" in result:
        text = f"{result['inside']:.2f} s inside, {text}"
    if floor:
        text += f" ({result['seconds'] / floor:.2f}x)"
    return text


def steps(store: str, path: str, ox_dir: str):
    """(name, code, args, extra env) of every step, for one store."""
    if store in ("memory", "rdflib"):
        where, spec = ["--store", store, "--data", path], store
        load = ("load (parse)", PEAK + "from alliances.store.backends import open_store\n"
                f"open_store({store!r}, None, [sys.argv[1]]).triple_count()\n", [path], {})
    else:
        where, spec = ["--store", f"oxigraph:{ox_dir}"], f"oxigraph:{ox_dir}"
        load = ("load", CLI, ["load", "--store", f"oxigraph:{ox_dir}", path], {})
    no_cache = {"ALLIANCES_NO_CACHE": "1"}
    graph_args = [spec] + ([path] if store != "oxigraph" else [])
    out = os.path.join(os.path.dirname(path), f"focus-{store}.html")
    return [
        load,
        ("saved query chip-suppliers", CLI, [*where, "query", "chip-suppliers", "--format", "csv"], {}),
        ("dependency graph", DEPENDENCY_GRAPH, graph_args, {}),
        ("risk synth-0, no cache", CLI, [*where, "risk", "synth-0"], no_cache),
        ("risk synth-0, warm", CLI, [*where, "risk", "synth-0"], {}),
        ("metrics concentration", CLI, [*where, "metrics", "concentration"], {}),
        ("metrics chokepoints", CLI, [*where, "metrics", "chokepoints", "--top", "10"], {}),
        ("graph --focus synth-0", CLI, [*where, "graph", "--focus", "synth-0", "-o", out], {}),
    ]


def print_map_benchmark() -> None:
    """The 5,000-node page: seconds to write it, and until Chromium reports it ready."""
    sys.path.insert(0, str(HERE))
    from bench_graph import browser_ready_seconds, synthetic_graph

    from alliances.render import html

    graph = synthetic_graph(5000)
    html.vis_network_js()  # read once, as a warm process would
    t = time.perf_counter()
    page = html.render_html(graph)
    written = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "big.html"
        path.write_text(page, encoding="utf-8")
        ready = browser_ready_seconds(path, Path(work))
    print(f"| 5,000-node map: written | {written:.3f} | | | <= 2 s |")
    print(f"| 5,000-node map: ready in headless Chromium | {ready} | | | <= 5 s |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="Comma-separated triple counts.")
    parser.add_argument("--stores", default="memory,oxigraph",
                        help="memory (embedded Oxigraph), rdflib and/or oxigraph (on disk).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1800, help="Seconds per step.")
    parser.add_argument("--map", action="store_true",
                        help="Also time the 5,000-node map: writing it, and until headless Chromium"
                             " reports it ready.")
    parser.add_argument("--repeat", type=int, default=REPEAT,
                        help="Runs per command of the shipped-data targets (their median is shown).")
    args = parser.parse_args(argv)
    globals()["REPEAT"] = max(1, args.repeat)
    sys.path.insert(0, str(HERE))
    import synth

    print(f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()},"
          f" {platform.system()} {platform.release()}; {time.strftime('%Y-%m-%d')}\n")
    alliances = [PY, "-c", "from alliances.cli.app import main; main()"]
    click_floor, help_time = paired([PY, "-c", "import click"], [*alliances, "--help"])
    cold = {**os.environ, "ALLIANCES_NO_CACHE": "1"}
    rdflib_floor, cold_risk = paired([PY, "-c", "import rdflib, networkx"], [*alliances, "risk", "nvidia"],
                                     env=cold)
    wall([*alliances, "risk", "nvidia"], repeat=1)  # fill the caches, as any earlier use would
    risk_time = wall([*alliances, "risk", "nvidia"])
    show_time = wall([*alliances, "show", "nvidia"], env=cold)
    validate_time = wall([*alliances, "validate"], env=cold)
    print(f"## Targets on the shipped data (median of {REPEAT}, wall time; each ratio from"
          " runs alternating with its floor)\n")
    print("| command | seconds | floor | ratio | target |\n|---|---|---|---|---|")
    print(f"| `alliances --help` | {help_time:.3f} | `import click` {click_floor:.3f} |"
          f" {help_time / click_floor:.2f}x | <= 1.5x |")
    print(f"| `alliances risk nvidia`, no cache | {cold_risk:.3f} | `import rdflib, networkx`"
          f" {rdflib_floor:.3f} | {cold_risk / rdflib_floor:.2f}x | <= 2x |")
    print(f"| `alliances risk nvidia`, warm | {risk_time:.3f} | `import rdflib, networkx`"
          f" {rdflib_floor:.3f} | {risk_time / rdflib_floor:.2f}x | <= 3x |")
    print(f"| `alliances show nvidia`, no cache | {show_time:.3f} | | | <= 0.5 s |")
    print(f"| `alliances validate`, no cache | {validate_time:.3f} | | | <= 2.5 s |")
    if args.map:
        print_map_benchmark()
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    rows: dict[str, dict[str, str]] = {}
    for label in sizes:
        with tempfile.TemporaryDirectory(prefix="alliances-bench-") as work:
            path = os.path.join(work, "synth.ttl")
            with open(path, "w", encoding="utf-8") as handle:
                synth.generate(size(label), args.seed, handle)
            env = {**os.environ, "XDG_CACHE_HOME": os.path.join(work, "cache")}
            env.pop("ALLIANCES_NO_CACHE", None)
            floor = run(RAW_LOAD, [os.path.join(work, "raw"), path], env, args.timeout)
            rows.setdefault("floor: pyoxigraph bulk load", {})[label] = cell(floor)
            rows.setdefault("floor: python -c 'import click'", {})[label] = f"{click_floor:.2f} s"
            for store in stores:
                for name, code, step_args, extra in steps(store, path, os.path.join(work, "ox")):
                    result = run(code, step_args, {**env, **extra}, args.timeout)
                    is_ox_load = store == "oxigraph" and name == "load"
                    rows.setdefault(f"{store}: {name}", {})[label] = cell(
                        result, floor.get("seconds") if is_ox_load and "error" not in floor else None)
                    print(f"  {label} {store} {name}: {cell(result)}", file=sys.stderr, flush=True)
    print("\n## Stores at scale (wall seconds / peak MB; load into Oxigraph: ratio to the raw bulk load)\n")
    print("| step | " + " | ".join(sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for step, by_size in rows.items():
        print(f"| {step} | " + " | ".join(by_size.get(s, "") for s in sizes) + " |")


if __name__ == "__main__":
    main()
