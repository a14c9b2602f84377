"""The scheme lists the CLI checks options against: the dependency kinds (what an edge of
the dependency graph says one entity needs from another) and the value layers. Kept
apart (no rdflib, no networkx) so the CLI can check `--kind` and `--layer` fast.

>>> parse_kinds(["chips,compute", "power"])
['chips', 'compute', 'power']
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


def parse_kinds(values, partnership_kinds=None) -> list[str] | None:
    """`--kind chips,compute --kind power` -> ['chips', 'compute', 'power']; None when empty.

    `partnership_kinds` is a callable giving {partnership kind: dependency kind or None}
    (:func:`alliances.catalog.kind_map.kind_pairs`): with it, a partnership
    kind stands for its dependency kind (``chip-supply`` -> ``chips``). It is called only
    when a name is not a dependency kind. Unknown names raise AlliancesError naming the
    first one, with a did-you-mean and the valid kinds.

    >>> parse_kinds(["chip-supply"], lambda: {"chip-supply": "chips"})
    ['chips']
    >>> parse_kinds(["chip"])
    Traceback (most recent call last):
    ...
    alliances.errors.AlliancesError: --kind: unknown kind 'chip'; did you mean 'chips'? (one of: \
chips, foundry, memory, equipment, compute, models, capital, distribution, licensing, power, ownership, other)
    """
    kinds = [k.strip().lower() for v in values for k in v.split(",") if k.strip()]
    aliases = None
    out = []
    for kind in kinds:
        if kind not in KINDS:
            if aliases is None:
                aliases = partnership_kinds() if partnership_kinds else {}
            if kind not in aliases:
                import difflib

                from alliances.errors import one_line

                close = difflib.get_close_matches(kind[:100], [*KINDS, *aliases], n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise AlliancesError(f"--kind: unknown kind '{one_line(kind, 60)}'{hint}"
                                     f" (one of: {', '.join(KINDS)})")
            if aliases[kind] is None:
                raise AlliancesError(f"--kind: the partnership kind '{kind}' creates no dependency "
                                     f"(it has no al:dependencyKind; one of: {', '.join(KINDS)})")
            kind = aliases[kind]
        out.append(kind)
    return list(dict.fromkeys(out)) or None
