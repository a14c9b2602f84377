"""Re-run every `$ ` command in README.md's ```console blocks and paste its real output,
or, with --check, re-run them and show how the real output differs from the README's.

Usage: python tools/update_readme.py [--check] [--only TEXT]... [README.md]

A block holds one or more `$ command` lines; each is run with bash in a fresh temporary
directory (the examples must work from any directory: shipped example files are named
`examples:NAME`), with this checkout's `alliances` first on PATH, and its stdout+stderr
replace the lines up to the next `$ ` line or the end of the block. Pipes (`| head -n 20`)
keep long outputs short. Each command gets at most TIMEOUT seconds, and whatever it left
running in the background (a server started with `&`) is killed when it returns.

--only TEXT (repeatable) runs only the examples whose command contains TEXT (with
--check) or refreshes only their output (without it); the other examples stay as they are.

--check writes nothing: it prints a unified diff for every example whose output changed
and exits 1 if any did. What legitimately varies between runs and machines is masked on
both sides first (see :func:`normalize`): timings such as `(0.02 s)` or `in 0.26 s`, file
sizes in bytes/KB/MB, temporary paths and where the package is installed.
"""

from __future__ import annotations

import difflib
import os
import re
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
TIMEOUT = 120

# What varies between runs and machines, masked in --check mode: (pattern, replacement).
MASKS = [
    (re.compile(r"(\(|\bin )\d+(?:\.\d+)? s\b"), r"\1<T> s"),                 # (0.02 s), in 0.26 s
    (re.compile(r"\b\d+(?:\.\d+)? ?(bytes|KB|MB|kB)\b"), r"<N> \1"),          # 585 KB, 1234 bytes
    (re.compile(r"(?<![\w/])/tmp/tmp[\w.-]+"), "<tmp>"),                        # mkdtemp folders
    (re.compile(r"\S*?/(ontology|data|examples)/([\w.-]+\.(?:ttl|csv))"), r"<pkg>/\1/\2"),  # installed where
]


def normalize(text: str) -> str:
    """The output with timings, sizes and machine-specific paths masked.

    >>> normalize("loaded /site-packages/alliances/data/claims.ttl (0.01 s)")
    'loaded <pkg>/data/claims.ttl (<T> s)'
    >>> normalize("wrote /tmp/nvidia.html (51 entities, 96 dependencies, 563 KB) in 1.5 s")
    'wrote /tmp/nvidia.html (51 entities, 96 dependencies, <N> KB) in <T> s'
    """
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def shim_dir() -> Path:
    """A folder with an `alliances` that runs this checkout (whatever else is installed)."""
    folder = Path(tempfile.mkdtemp(prefix="alliances-readme-bin-"))
    shim = folder / "alliances"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m alliances "$@"\n')
    shim.chmod(0o755)
    return folder


def environment(bin_dir: Path) -> dict[str, str]:
    path = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    python_path = os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH", "")] if p)
    return {**os.environ, "PATH": path, "PYTHONPATH": python_path, "COLUMNS": "200"}


def run(command: str, env: dict[str, str] | None = None, timeout: float = TIMEOUT) -> str:
    """stdout then stderr of `command` (bash), run in a temporary directory. The answer is
    taken when bash itself ends (or after `timeout` seconds); whatever it left running in
    the background, e.g. a server started with `&`, is killed then. The output goes to
    files, not pipes, so a process left holding them cannot make us wait."""
    with tempfile.TemporaryDirectory(prefix="alliances-readme-") as cwd:
        with open(Path(cwd) / ".stdout", "w+") as out, open(Path(cwd) / ".stderr", "w+") as err:
            proc = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, stdout=out, stderr=err,
                                    text=True, start_new_session=True)
            late = ""
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                late = f"\n[timed out after {timeout:g} s]"
            finally:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # the command's group, and what it left running
                except (ProcessLookupError, PermissionError):
                    pass
                proc.wait()
            out.seek(0)
            err.seek(0)
            return out.read() + err.read() + late


@dataclass
class Example:
    command: str
    expected: str  # the output the README shows
    line: int  # where the `$ ` line is in the README (1-based)


def examples(text: str) -> list[Example]:
    """Every `$ ` command of the console blocks, with the output the README shows for it."""
    found = []
    for block in BLOCK.finditer(text):
        first_line = text.count("\n", 0, block.start(1)) + 1
        current = None
        for offset, line in enumerate(block.group(1).splitlines()):
            if line.startswith("$ "):
                current = Example(line[2:], "", first_line + offset)
                found.append(current)
            elif current is not None:
                current.expected += line + "\n"
    return found


def selected(command: str, only) -> bool:
    return not only or any(text in command for text in only)


def refresh(block: re.Match, env, only=()) -> str:
    out = []
    keep = True  # the README's own output of an example left out by --only
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            out.append(line)
            keep = not selected(line[2:], only)
            if not keep:
                text = run(line[2:], env).rstrip("\n")
                if text:
                    out.append(text)
        elif keep:
            out.append(line)
    return "```console\n" + "\n".join(out) + "\n```"


def diff(example: Example, actual: str) -> list[str]:
    """A unified diff (README -> real output) after masking, or [] when they agree."""
    want = normalize(example.expected.rstrip("\n")).splitlines()
    got = normalize(actual.rstrip("\n")).splitlines()
    if want == got:
        return []
    return list(difflib.unified_diff(want, got, f"README.md:{example.line}", "real output", lineterm=""))


def check(path: Path, env, only=()) -> list[tuple[Example, list[str]]]:
    """The examples of `path` whose real output differs, each with its diff."""
    failures = []
    for example in examples(path.read_text(encoding="utf-8")):
        if not selected(example.command, only):
            continue
        lines = diff(example, run(example.command, env))
        if lines:
            failures.append((example, lines))
    return failures


def report(failures) -> str:
    return "\n\n".join(f"$ {example.command}\n" + "\n".join(lines) for example, lines in failures)


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="re-run and diff; write nothing")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="only the examples whose command contains TEXT (repeatable)")
    parser.add_argument("readme", nargs="?", default=str(ROOT / "README.md"))
    args = parser.parse_args(argv)
    path, only = Path(args.readme), args.only
    bin_dir = shim_dir()
    env = environment(bin_dir)
    try:
        if args.check:
            failures = check(path, env, only)
            if failures:
                print(report(failures))
                print(f"\n{len(failures)} README example(s) differ from the real output;"
                      " run `python tools/update_readme.py` to refresh them", file=sys.stderr)
                return 1
            print(f"{len(examples(path.read_text(encoding='utf-8')))} README examples match", file=sys.stderr)
            return 0
        text = BLOCK.sub(lambda block: refresh(block, env, only), path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        return 0
    finally:
        import shutil

        shutil.rmtree(bin_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
