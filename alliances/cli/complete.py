"""Shell completion (bash, zsh, fish) of what the graph holds: entity ids, class names,
partnership kinds and metrics, saved-query names and dependency kinds.

click's own completion (``_ALLIANCES_COMPLETE=bash_source alliances``, see README) calls
these functions with the words typed so far. Entity ids and the other names read from the
graph cost a store load (about 0.5 s), so they are kept in a small JSON file in the user's
cache folder, keyed by the files the store is built from (paths, sizes, modification
times) or by the Oxigraph store's load record: a second Tab answers in a few milliseconds
and a changed data file gives fresh names. An ``--endpoint`` is asked each time (1.5 s at
most) and never cached. A completion never fails: on any error it offers nothing.

Only click is imported at module level (`alliances --help` stays fast).

>>> [item.value for item in dependency_kinds(None, None, "chips,fo")]
['chips,foundry']
>>> [item.value for item in saved_query_names(None, None, "inv")]
['investments']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported on use: `alliances --help` does not load click's completion module
    from click.shell_completion import CompletionItem

ENDPOINT_TIMEOUT = 1.5


def _matching(names, incomplete: str, helps: dict | None = None) -> list[CompletionItem]:
    """The names starting with `incomplete` (case-insensitively), in order, once each."""
    from click.shell_completion import CompletionItem

    start = incomplete.lower()
    seen = dict.fromkeys(n for n in names if n.lower().startswith(start))
    return [CompletionItem(n, help=(helps or {}).get(n)) for n in seen]


def _global_options(ctx) -> tuple[tuple, str, str | None]:
    """--data, --store and --endpoint as typed before the command (defaults without a context)."""
    params = ctx.find_root().params if ctx is not None else {}
    return tuple(params.get("data") or ()), params.get("store_spec") or "memory", params.get("endpoint")


def vocabulary_key(data=(), store_spec: str = "memory") -> str | None:
    """What the cached names depend on: the version, the store and its files (path, size,
    mtime), or an Oxigraph store's load record; None when that cannot be known.

    >>> vocabulary_key() == vocabulary_key()
    True
    >>> vocabulary_key(["/nonexistent.ttl"]) is None
    True
    """
    import hashlib
    from pathlib import Path

    from alliances import __version__
    from alliances.errors import AlliancesError
    from alliances.store.paths import data_files

    try:
        if store_spec.startswith("oxigraph:"):  # its load record, rewritten by every `alliances load`
            files = [Path(store_spec.partition(":")[2]).expanduser() / "alliances.json"]
        elif store_spec in ("memory", "rdflib"):
            files = data_files(data)
        else:
            return None
        digest = hashlib.sha256(f"{__version__}\0{store_spec.partition(':')[0]}".encode())
        for path in files:
            path = Path(path).resolve()
            info = path.stat()
            digest.update(f"\0{path}\0{info.st_mtime_ns}\0{info.st_size}".encode())
    except (AlliancesError, OSError):
        return None
    return digest.hexdigest()[:32]


def read_vocabulary(store) -> dict[str, list]:
    """The names completion offers, read from `store`: entities (id and label), classes,
    partnership kinds and observation metrics."""
    from alliances.catalog.listing import CLASS_ALIASES
    from alliances.catalog.resolve import resolver_for
    from alliances.vocab import AL, local_id

    def ids(query):
        return sorted({local_id(v) for (v,) in store.values(query, cached=False) if v})

    entities = sorted((ref.id, ref.label) for ref in resolver_for(store).entities.values())
    classes = ids(f'SELECT ?c WHERE {{ ?c a owl:Class FILTER(STRSTARTS(STR(?c), "{AL}")) }}')
    return {
        "entities": [list(e) for e in entities],
        "classes": sorted(CLASS_ALIASES) + classes,
        "kinds": ids("SELECT DISTINCT ?k WHERE { ?p a al:Partnership ; al:kind ?k }"),
        "metrics": ids("SELECT DISTINCT ?m WHERE { ?o al:metric ?m }"),
    }


def vocabulary(ctx) -> dict[str, list]:
    """The names of the graph the command line points at: from the cache, or read once."""
    import json
    import os

    from alliances.store import cache

    data, store_spec, endpoint = _global_options(ctx)
    key = None if endpoint else vocabulary_key(data, store_spec)
    folder = cache._private_dir(cache.cache_dir().parent / "complete") if key and cache.enabled() else None
    path = folder / f"{key}.json" if folder else None
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    if endpoint:
        from alliances.store.endpoint import EndpointStore

        store = EndpointStore(endpoint, timeout=ENDPOINT_TIMEOUT)
    else:
        from alliances.store.backends import open_store

        store = open_store(store_spec, None, data)
    names = read_vocabulary(store)
    if path is not None:
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(names, out)
        os.replace(tmp, path)
        cache._keep_newest(path.parent.glob("*.json"), 8)
    return names


def _from_graph(ctx, what: str) -> list:
    try:
        return vocabulary(ctx).get(what, [])
    except Exception:  # noqa: BLE001 - a completion offers nothing rather than a traceback
        return []


def entities(ctx, param, incomplete: str) -> list[CompletionItem]:
    """Entity ids (`show`, `risk`, `graph --focus`), with their labels as help (zsh, fish)."""
    pairs = _from_graph(ctx, "entities")
    return _matching([i for i, _ in pairs], incomplete, dict(map(tuple, pairs)))


def class_names(ctx, param, incomplete: str) -> list[CompletionItem]:
    """What `list` takes: the plural words (companies, labs, partnerships...) and the classes."""
    return _matching(_from_graph(ctx, "classes"), incomplete)


def partnership_kinds(ctx, param, incomplete: str) -> list[CompletionItem]:
    """`list partnerships --kind`: the partnership kinds the data uses."""
    return _matching(_from_graph(ctx, "kinds"), incomplete)


def metrics(ctx, param, incomplete: str) -> list[CompletionItem]:
    """`list observations --metric`: the metrics the data uses."""
    return _matching(_from_graph(ctx, "metrics"), incomplete)


def saved_query_names(ctx, param, incomplete: str) -> list[CompletionItem]:
    """`query NAME` and `query --saved NAME`: the saved queries, with their descriptions."""
    from click.shell_completion import CompletionItem

    from alliances.catalog.saved import describe_saved, saved_queries

    found = {name: path for name, path in saved_queries().items() if name.startswith(incomplete)}
    return [CompletionItem(name, help=describe_saved(path)) for name, path in found.items()]


def dependency_kinds(ctx, param, incomplete: str) -> list[CompletionItem]:
    """`--kind chips,fo<Tab>`: the dependency kinds, one more after the commas typed."""
    from click.shell_completion import CompletionItem

    from alliances.kinds import KINDS

    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    taken = set(done.split(","))
    return [CompletionItem(prefix + k) for k in KINDS if k.startswith(last.lower()) and k not in taken]
