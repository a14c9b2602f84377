"""The read-only store interface every engine implements: SPARQL in, rows out.

Every reader of the graph (catalog, dependency graph, metrics, the map) talks to a
:class:`Store` through SPARQL only, so the same code runs on the embedded store, an
on-disk Oxigraph store or a remote SPARQL endpoint.

>>> lexical_rows([("a", None)])
[('a', None)]
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alliances.vocab import SPARQL_PREFIXES


@dataclass
class QueryResult:
    """The answer to a SPARQL query: rows of a SELECT, a boolean of an ASK, or a graph."""

    kind: str  # "SELECT", "ASK" or "CONSTRUCT"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Any = None


class Store:
    """Read-only access to an RDF graph through SPARQL. Subclasses implement `_run`.

    Two ways in: :meth:`run` for the library's own queries (constant text, values bound
    with VALUES), :meth:`run_checked` for a user's query, which must have passed the gate.
    """

    description = "store"
    reaches_network = False  # whether running a query is meant to talk to another host

    def run(self, query: str) -> QueryResult:
        """Run a query the library wrote (already trusted); prefixes are added."""
        return self._run(SPARQL_PREFIXES + query)

    def run_checked(self, checked, max_rows: int | None = None) -> QueryResult:
        """Run a user's query that passed the gate (:func:`alliances.store.gate.check_query`);
        the engine receives exactly the text the gate checked. With `max_rows`, reading stops
        at `max_rows + 1` rows (or triples) and :class:`~alliances.errors.ResultTooLarge` is
        raised. An engine that runs here (not an endpoint) cannot open a connection meanwhile.

        >>> from alliances.store.memory import load
        >>> load().run_checked("ASK {}")
        Traceback (most recent call last):
        ...
        TypeError: run_checked takes a CheckedQuery from alliances.store.gate.check_query, not str
        """
        from alliances.store.gate import CheckedQuery, no_network

        if not isinstance(checked, CheckedQuery):
            raise TypeError("run_checked takes a CheckedQuery from alliances.store.gate.check_query,"
                            f" not {type(checked).__name__}")
        if self.reaches_network:
            return self._run(checked.text, limit=max_rows)
        with no_network():
            return self._run(checked.text, limit=max_rows)

    def for_worker(self) -> Store:
        """The store to query from a forked worker process (`serve`): this one, unless the
        engine holds handles that must not cross a fork (then it is opened again)."""
        return self

    def select(self, query: str) -> list[dict[str, Any]]:
        return self.run(query).rows

    def ask(self, query: str) -> bool:
        return bool(self.run(query).boolean)

    def values(self, query: str, cached: bool = True) -> list[tuple[str | None, ...]]:
        """The rows of a SELECT the library wrote, as tuples of lexical forms (IRI
        strings, literal values; None when unbound or empty), in the order of the
        SELECT's variables.

        The bulk readers (dependency graph, entity index) use this: no rdflib term is
        built per value, and on a store whose content is fixed (:meth:`cache_key`)
        the answer is kept in the user's cache (:mod:`alliances.store.cache`) unless
        ``cached=False`` (for one-off queries, not worth a file).

        >>> from alliances.store.memory import load
        >>> load().values("SELECT ?s WHERE { VALUES ?s { e:nvidia } }")
        [('https://w3id.org/alliances/id/nvidia',)]
        """
        prefetched = getattr(self, "_prefetched", None)
        if prefetched and query in prefetched:
            return prefetched.pop(query)
        key = self.cache_key() if cached else None
        if key is not None:
            from alliances.store import cache

            rows = cache.get_answer(key, query)
            if rows is not None:
                return rows
        rows = self._values(query)
        if key is not None:
            cache.put_answer(key, query, rows)
        return rows

    @contextlib.contextmanager
    def prefetched(self, queries):
        """Within the block, :meth:`values` hands out the answers of the library's
        `queries`, answered on entry several at once where the engine can (each once);
        whatever was not asked for is dropped on exit.

        >>> from alliances.store.memory import load
        >>> with load().prefetched(["SELECT ?s WHERE { VALUES ?s { e:nvidia } }"]) as store:
        ...     store.values("SELECT ?s WHERE { VALUES ?s { e:nvidia } }")
        [('https://w3id.org/alliances/id/nvidia',)]
        """
        try:
            self._prefetch(queries)
            yield self
        finally:
            self.__dict__.pop("_prefetched", None)

    def _prefetch(self, queries) -> None:
        """Fill ``self._prefetched`` ({query: rows}). Here nothing: one query at a time is
        all the engine does; :mod:`alliances.store.oxigraph` answers two at once."""

    def _values(self, query: str) -> list[tuple[str | None, ...]]:
        result = self.run(query)
        return lexical_rows([row[v] for v in result.variables] for row in result.rows)

    def cache_key(self) -> str | None:
        """A key that changes whenever the store's content may have changed, or None
        when that cannot be known (then answers are not cached)."""
        return None

    def triple_count(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"].toPython())

    def _run(self, query: str, limit: int | None = None) -> QueryResult:  # pragma: no cover
        """Run `query`; with `limit`, raise ResultTooLarge past `limit` rows or triples."""
        raise NotImplementedError

    def files(self) -> list[Path]:
        return []


def string_rows(rows) -> list[tuple[str | None, ...]]:
    """:func:`lexical_rows` for rows that are already strings ("" for unbound), as a CSV
    reader gives them: one C-level pass per row (100k-row answers at 1M triples).

    >>> string_rows([["a", ""], ["a", "b"]])
    [('a', None), ('a', 'b')]
    """
    same: dict[str, str | None] = {"": None}  # "" (unbound or empty) becomes None
    intern = same.setdefault
    return [tuple(map(intern, row, row)) for row in rows]


def lexical_rows(rows) -> list[tuple[str | None, ...]]:
    """`rows` of terms (or strings) as tuples of strings; None for unbound or empty. Equal
    strings share one object: rows repeat the same IRIs, so this saves memory and cache space."""
    same: dict[str, str] = {}
    out = []
    for row in rows:
        values = []
        for term in row:
            value = str(term) if term is not None else None
            values.append(same.setdefault(value, value) if value else None)
        out.append(tuple(values))
    return out

