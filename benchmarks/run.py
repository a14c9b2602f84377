"""Benchmarks of the stores at scale (not timed tests): prints a markdown table.

For each size (synthetic graphs from benchmarks/synth.py) and each store (memory,
oxigraph:), every step runs in its own subprocess, which reports its time and its peak
memory (ru_maxrss): load, a saved query, building the dependency graph, `risk` of the
biggest supplier (synth-0), `metrics concentration` and `graph --focus` HTML. Steps
whose module is missing print 'n/a'. Floors: pyoxigraph's own bulk load of the same
file, `python -c "import click"`; targets on the shipped data: `alliances --help` vs the
click import, `alliances risk nvidia` vs `import rdflib, networkx`.

Run: python benchmarks/run.py --sizes 10k,100k        (1M too by default)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable

# Each step: code run after `store` is opened (memory: parsed; oxigraph: opened read-only).
PRELUDE = r"""
import json, resource, sys, time, importlib.util
spec, path, work = sys.argv[1], sys.argv[2], sys.argv[3]
def report(seconds, extra=None):
    mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "mb": mb, "extra": extra}))
def has(name):
    return importlib.util.find_spec(name) is not None
"""
OPEN = r"""
from alliances.store import load
if spec == "memory":
    store = load([path], shipped=False)
else:
    from alliances.oxigraph_store import OxigraphStore
    store = OxigraphStore.open(work + "/ox")
import alliances.backends as backends
backends.open_store = lambda *a, **k: store
def cli(*args):
    from click.testing import CliRunner
    from alliances.cli import main
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    if result.exit_code not in (0, 1):
        raise SystemExit(f"alliances {' '.join(args)}: exit {result.exit_code}: {result.output[-300:]}")
"""
STEPS = {
    "load": PRELUDE + r"""
t = time.perf_counter()
if spec == "memory":
    from alliances.store import load
    store = load([path], shipped=False)
    n = len(store)
else:
    from alliances.oxigraph_store import load_oxigraph
    from alliances.store import ontology_path
    n = load_oxigraph(work + "/ox", [ontology_path(), path], report=None)["triples"]
report(time.perf_counter() - t, n)
""",
    "open": PRELUDE + r"""
t = time.perf_counter()
""" + OPEN + r"""
store.triple_count()
report(time.perf_counter() - t)
""",
    "saved query": PRELUDE + OPEN + r"""
from alliances.sparql import load_saved, run_user_query
t = time.perf_counter()
rows = run_user_query(store, load_saved("chip-suppliers")).rows
report(time.perf_counter() - t, len(rows))
""",
    "dependency graph": PRELUDE + r"""
if not has("alliances.dependency"):
    print(json.dumps(None)); raise SystemExit
""" + OPEN + r"""
from alliances.dependency import dependency_graph
t = time.perf_counter()
g = dependency_graph(store)
report(time.perf_counter() - t, g.number_of_edges())
""",
    "risk synth-0": PRELUDE + r"""
if not has("alliances.risk"):
    print(json.dumps(None)); raise SystemExit
""" + OPEN + r"""
t = time.perf_counter()
cli("risk", "synth-0")
report(time.perf_counter() - t)
""",
    "metrics concentration": PRELUDE + r"""
if not has("alliances.metrics"):
    print(json.dumps(None)); raise SystemExit
""" + OPEN + r"""
t = time.perf_counter()
cli("metrics", "concentration")
report(time.perf_counter() - t)
""",
    "graph --focus html": PRELUDE + r"""
if not has("alliances.viz"):
    print(json.dumps(None)); raise SystemExit
""" + OPEN + r"""
t = time.perf_counter()
cli("graph", "--focus", "synth-0", "-o", work + "/focus.html")
report(time.perf_counter() - t)
""",
}
FLOOR_OX = PRELUDE + r"""
import pyoxigraph as ox
t = time.perf_counter()
s = ox.Store(work + "/raw")
s.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
report(time.perf_counter() - t, len(s))
"""


def run_step(code: str, spec: str, path: str, work: str, timeout: float):
    try:
        out = subprocess.run([PY, "-c", code, spec, path, work], capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout {timeout:g} s"}
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1][:80]}
    line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "null"
    return json.loads(line)


def wall(argv, repeat=3) -> float:
    """Median wall time of a command (seconds)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


def size(text: str) -> int:
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * mult)


def cell(result, floor=None) -> str:
    if result is None:
        return "n/a"
    if "error" in result:
        return f"error: {result['error']}"
    text = f"{result['seconds']:.3f} s / {result['mb']:.0f} MB"
    if floor:
        text += f" ({result['seconds'] / floor:.1f}x)"
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="Comma-separated triple counts.")
    parser.add_argument("--stores", default="memory,oxigraph", help="memory and/or oxigraph.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1800, help="Seconds per step.")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import synth

    click_floor = wall([PY, "-c", "import click"])
    rdflib_floor = wall([PY, "-c", "import rdflib, networkx"])
    alliances = [PY, "-c", "from alliances.cli import main; main()"]
    help_time = wall([*alliances, "--help"])
    risk_time = wall([*alliances, "risk", "nvidia"])
    print("## Targets on the shipped data (median of 3, wall time)\n")
    print("| command | seconds | floor | ratio | target |\n|---|---|---|---|---|")
    print(f"| `alliances --help` | {help_time:.3f} | `import click` {click_floor:.3f} |"
          f" {help_time / click_floor:.2f}x | <= 1.5x |")
    print(f"| `alliances risk nvidia` | {risk_time:.3f} | `import rdflib, networkx` {rdflib_floor:.3f} |"
          f" {risk_time / rdflib_floor:.2f}x | <= 3x |")
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    print("\n## Stores at scale (seconds / peak MB; ratio to pyoxigraph's raw bulk load for load)\n")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    rows: dict[str, dict[str, str]] = {}
    for label in sizes:
        with tempfile.TemporaryDirectory(prefix="alliances-bench-") as work:
            path = os.path.join(work, "synth.ttl")
            with open(path, "w", encoding="utf-8") as out:
                synth.generate(size(label), args.seed, out)
            floor = run_step(FLOOR_OX, "raw", path, work, args.timeout)
            floor_s = floor.get("seconds") if floor and "error" not in floor else None
            rows.setdefault("floor: pyoxigraph bulk load", {})[label] = cell(floor)
            rows.setdefault("floor: python -c 'import click'", {})[label] = f"{click_floor:.3f} s"
            for store in stores:
                spec = "memory" if store == "memory" else "oxigraph"
                for step, code in STEPS.items():
                    if step == "open" and spec == "memory":
                        continue
                    result = run_step(code, spec, path, work, args.timeout)
                    rows.setdefault(f"{store}: {step}", {})[label] = cell(
                        result, floor_s if step == "load" else None)
                    print(f"  {label} {store} {step}: {cell(result)}", file=sys.stderr, flush=True)
    print("| step | " + " | ".join(sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for step, by_size in rows.items():
        print(f"| {step} | " + " | ".join(by_size.get(s, "") for s in sizes) + " |")


if __name__ == "__main__":
    main()
