"""Issue 17's `alliances --help` and `alliances show X` targets, in one loop with their floor
(``python -c "import click"``): median and min wall seconds of N runs (not a timed test).

Every run starts in a temporary directory (python -c puts the working directory first on
sys.path) with ALLIANCES_NO_CACHE=1. Two modes: ``src``, the environment as given (with
PYTHONDONTWRITEBYTECODE=1, as in the project's sandbox, every alliances module is compiled
from source on each run: about 40 ms of `--help`), and ``pyc``, bytecode cached in a
temporary PYTHONPYCACHEPREFIX (what an installed tool does). ``--before REV`` also runs the
code of git revision REV (exported with git archive) in the same loop.

Run: python benchmarks/show_help.py -n 9 --before main nvidia tsmc openai nvidia-h100
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = "from alliances.cli.app import main; main()"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entities", nargs="*", default=["nvidia"])
    parser.add_argument("-n", type=int, default=9, help="Runs of each command.")
    parser.add_argument("--before", metavar="REV", help="Also time git revision REV.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="alliances-bench-") as work:
        trees = {"now": str(ROOT)}
        if args.before:
            base = os.path.join(work, "before")
            os.mkdir(base)
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before],
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", base], input=archive, check=True)
            trees = {"before": base, **trees}
        cmds = {}
        for mode in ("src", "pyc"):
            env = {**os.environ, "ALLIANCES_NO_CACHE": "1"}
            if mode == "pyc":
                env.pop("PYTHONDONTWRITEBYTECODE", None)
                env["PYTHONPYCACHEPREFIX"] = os.path.join(work, "pyc")
            cmds[(mode, "floor", "import click")] = ([sys.executable, "-c", "import click"], env)
            for label, tree in trees.items():
                for words in [["--help"]] + [["show", e] for e in args.entities]:
                    cmds[(mode, label, " ".join(words))] = (
                        [sys.executable, "-c", CLI, *words], {**env, "PYTHONPATH": tree})
        times: dict[tuple, list[float]] = {key: [] for key in cmds}
        for _ in range(args.n + 1):  # the first round warms up (and writes the bytecode)
            for key, (cmd, env) in cmds.items():
                start = time.perf_counter()
                subprocess.run(cmd, env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[key].append(time.perf_counter() - start)
    print("| mode | code | command | median s | min s | / import click |\n|---|---|---|---|---|---|")
    for (mode, label, what), values in times.items():
        values = values[1:]
        floor = statistics.median(times[(mode, "floor", "import click")][1:])
        print(f"| {mode} | {label} | `{what}` | {statistics.median(values):.3f} | {min(values):.3f} |"
              f" {statistics.median(values) / floor:.2f}x |")


if __name__ == "__main__":
    main()
