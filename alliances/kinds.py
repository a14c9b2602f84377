"""The scheme lists the CLI checks options against: the dependency kinds (what an edge of
the dependency graph says one entity needs from another) and the value layers. Kept
apart (no rdflib, no networkx) so the CLI can check `--kind` and `--layer` fast.

>>> parse_kinds(["chips,compute", "power"])
['chips', 'compute', 'power']
>>> parse_kinds(["chip"])
Traceback (most recent call last):
...
alliances.errors.AlliancesError: --kind: unknown kind 'chip'; did you mean 'chips'?
"""

from __future__ import annotations

from alliances.errors import AlliancesError

# The al:ValueLayers scheme (a test checks it against the ontology): every layer, and the
# leaves an entity is placed in (application is both a top layer and a leaf).
LAYERS = ("infrastructure", "chips", "cloud", "intelligence", "models", "orchestration", "application")
LEAF_LAYERS = ("chips", "cloud", "models", "orchestration", "application")

# In the ontology: the SKOS scheme dep: (ontology/alliances.ttl); a test checks they agree.
KINDS = ("chips", "foundry", "memory", "equipment", "compute", "models", "capital",
         "distribution", "licensing", "power", "ownership", "other")


def parse_kinds(values) -> list[str] | None:
    """`--kind chips,compute --kind power` -> ['chips', 'compute', 'power']; None when empty.

    Unknown names raise AlliancesError naming the first one and the valid kinds.
    """
    kinds = [k.strip().lower() for v in values for k in v.split(",") if k.strip()]
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        import difflib

        from alliances.errors import one_line

        close = difflib.get_close_matches(bad[0][:100], KINDS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (one of: {', '.join(KINDS)})"
        raise AlliancesError(f"--kind: unknown kind '{one_line(bad[0], 60)}'{hint}")
    return list(dict.fromkeys(kinds)) or None
