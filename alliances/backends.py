"""Open the store a command runs on, from the global --store / --endpoint options.

>>> open_store("memory", None, ()).description.startswith("memory")
True
"""

from __future__ import annotations

from .errors import AlliancesError
from .store import Store, load


def open_store(spec: str = "memory", endpoint: str | None = None, data=()) -> Store:
    """'memory' loads the files into rdflib; other stores come with the scale issue."""
    if endpoint:
        raise AlliancesError("--endpoint is not supported yet")
    if spec in (None, "", "memory"):
        return load(data)
    raise AlliancesError(f"--store: unknown store '{spec}' (use 'memory')")
