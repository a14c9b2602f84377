"""Re-run every `$ ` command in README.md's ```console blocks and paste its real output.

Usage: python tools/update_readme.py [README.md]

A block holds one or more `$ command` lines; each is run with bash from the
repository root, and its stdout+stderr replace the lines up to the next `$ ` line
or the end of the block. Pipes (`| head -n 20`) keep long outputs short.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def run(command: str) -> str:
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    return done.stdout + done.stderr


def refresh(block: re.Match) -> str:
    out = []
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            out.append(line)
            text = run(line[2:]).rstrip("\n")
            if text:
                out.append(text)
    return "```console\n" + "\n".join(out) + "\n```"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "README.md"
    path.write_text(BLOCK.sub(refresh, path.read_text()))


if __name__ == "__main__":
    main()
