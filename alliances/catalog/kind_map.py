"""Partnership kinds and dependency kinds: every `--kind` takes either.

A *partnership kind* (``chip-supply``) says what a deal is; a *dependency kind*
(``chips``) what one entity needs from another. The ontology ties them
(``kind:chip-supply al:dependencyKind dep:chips``), so a user need not remember which
commands take which: ``risk --kind chip-supply`` means ``--kind chips``, and ``money
--kind chips`` or ``list partnerships --kind chips`` mean every partnership kind whose
dependency kind is chips (chip-supply, custom-silicon).

>>> from alliances.store.memory import load
>>> partnership_kinds_for(load(), ["chips"])
['chip-supply', 'custom-silicon']
>>> dependency_kind_map(load())["chip-supply"]
'chips'
"""

from __future__ import annotations

from alliances.errors import AlliancesError
from alliances.store.base import Store
from alliances.vocab import local_id

KIND_PAIRS = """SELECT ?kind ?dk WHERE {
  ?kind skos:inScheme al:PartnershipKinds . OPTIONAL { ?kind al:dependencyKind ?dk } }"""


def kind_pairs(store: Store) -> dict[str, str | None]:
    """{partnership kind id: its dependency kind id, or None when it has none}."""
    pairs: dict[str, str | None] = {}
    for kind, dk in store.values(KIND_PAIRS):
        if kind is not None:
            pairs.setdefault(local_id(kind), local_id(dk) if dk else None)
    return dict(sorted(pairs.items()))


def dependency_kind_map(store: Store) -> dict[str, str]:
    """{partnership kind id: dependency kind id} for the kinds that have one: what
    :func:`alliances.kinds.parse_kinds` accepts besides the dependency kinds."""
    return {kind: dk for kind, dk in kind_pairs(store).items() if dk}


def partnership_kinds_for(store: Store, names, option: str = "--kind") -> list[str]:
    """`names` (partnership kind ids, or dependency kind ids standing for every
    partnership kind of that dependency kind) as partnership kind ids, in order, once each.
    An unknown name is an AlliancesError with a did-you-mean."""
    pairs = kind_pairs(store)
    return list(dict.fromkeys(k for name in names for k in expand_kind(pairs, name, option)))


def expand_kind(pairs: dict, name: str, option: str = "--kind") -> list[str]:
    """The partnership kinds one `--kind` name stands for, given :func:`kind_pairs`.

    >>> expand_kind({"chip-supply": "chips", "custom-silicon": "chips"}, "chips")
    ['chip-supply', 'custom-silicon']
    """
    key = name.strip().lower()
    if key in pairs:
        return [key]
    matching = [kind for kind, dk in pairs.items() if dk == key]
    if matching:
        return matching
    import difflib

    known = sorted(set(pairs) | {dk for dk in pairs.values() if dk})
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise AlliancesError(f"{option}: unknown partnership kind '{name}'{hint} (one of: "
                         f"{', '.join(pairs)}; or a dependency kind standing for its partnership kinds)")
