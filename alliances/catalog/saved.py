"""The saved queries shipped in alliances/queries/*.rq, by name.

>>> "chip-suppliers" in saved_queries()
True
"""

from __future__ import annotations

from pathlib import Path

from alliances.errors import AlliancesError
from alliances.store.paths import PACKAGE_DIR

QUERIES_DIR = PACKAGE_DIR / "queries"


def saved_queries() -> dict[str, Path]:
    """Saved queries by name (file stem), from alliances/queries/*.rq."""
    return {p.stem: p for p in sorted(QUERIES_DIR.glob("*.rq"))}


def describe_saved(path: Path) -> str:
    """The first comment line of a saved query: what it answers."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""


def load_saved(name: str) -> str:
    queries = saved_queries()
    if name not in queries:
        import difflib

        close = difflib.get_close_matches(name, list(queries), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; see `alliances queries`"
        raise AlliancesError(f"no saved query '{name}'{hint}")
    return queries[name].read_text(encoding="utf-8")
