"""The embedded store: the ontology and data parsed into an rdflib Dataset.

>>> store = load()                       # ontology + shipped data/*.ttl
>>> store.ask("ASK { e:nvidia a ?class }")
True
"""

from __future__ import annotations

from pathlib import Path

from alliances.errors import AlliancesError
from alliances.store.base import QueryResult, Store
from alliances.store.paths import data_files, display


def parse_turtle(graph, path: Path) -> None:
    """Parse one Turtle file into `graph`; any failure is one AlliancesError: 'file:line:
    why' for a syntax error, 'file: why' for a file that cannot be read.

    >>> import rdflib, tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "cut.ttl"
    >>> _ = bad.write_text("@prefix e: <https://w3id.org/alliances/id/> .\\ne:a e:b")
    >>> parse_turtle(rdflib.Graph(), bad)
    Traceback (most recent call last):
    ...
    alliances.errors.AlliancesError: ...cut.ttl:2: Turtle syntax error: the file ends in the middle ...
    """
    from rdflib.plugins.parsers.notation3 import BadSyntax

    from alliances.datavalues import quiet_rdflib

    quiet_rdflib()
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as exc:
        # rdflib counts lines from 0
        raise AlliancesError(f"{display(path)}:{exc.lines + 1}: Turtle syntax error: {exc._why}") from None
    except IndexError:  # rdflib's tokenizer runs off the end of a file cut mid-name
        raise AlliancesError(f"{display(path)}:{_line_count(path)}: Turtle syntax error: the file ends in the"
                             " middle of a statement") from None
    except RecursionError:
        raise AlliancesError(f"{display(path)}: Turtle nested too deeply (lists or [ ] blank nodes) for"
                             " the embedded parser") from None
    except UnicodeDecodeError as exc:
        line = _line_count(path, exc.start) if isinstance(exc.object, bytes) else 1
        where = display(path)
        raise AlliancesError(f"{where}:{line}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x})"
                             if isinstance(exc.object, bytes) else f"{where}: not UTF-8 text") from None
    except OSError as exc:  # a directory, a dangling link, no permission
        raise AlliancesError(f"{display(path)}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise AlliancesError(f"{path}:1: cannot read as Turtle: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - rdflib's parser also fails with bare asserts
        message = " ".join(str(exc).split())[:200]
        raise AlliancesError(f"{path}: Turtle syntax error ({type(exc).__name__}): {message}") from None


def _line_count(path: Path, upto: int | None = None) -> int:
    """The number of the last line of `path` (of its first `upto` bytes); 1 if unreadable."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return 1
    data = data if upto is None else data[:upto]
    return data.count(b"\n") + (0 if data.endswith(b"\n") and upto is None else 1)


class MemoryStore(Store):
    """The embedded default: an rdflib Dataset with one named graph per file and
    the union of them all as the default graph."""

    def __init__(self, files: list[Path], loader=None):
        """Parse `files`, or, with `loader` (a function returning the Dataset, e.g. from
        the parse cache), call it only when a query is not answered from the cache."""
        from alliances.store import cache

        self._files = list(files)
        # the key is taken before reading: a file changed later gets a fresh key next time
        self._key = cache.key(self._files) if cache.enabled() else None
        self.description = f"memory ({len(self._files)} files)"
        self._loader = loader
        self._dataset = None if loader else self._parse()

    def _parse(self):
        import rdflib

        dataset = rdflib.Dataset(default_union=True)
        for path in self._files:
            graph = dataset.graph(rdflib.URIRef(Path(path).resolve().as_uri()))
            parse_turtle(graph, Path(path))
        return dataset

    @property
    def dataset(self):
        """The rdflib Dataset; a store made from the parse cache unpickles it on first use."""
        if self._dataset is None:
            self._dataset = self._loader()
        from rdflib.plugins import sparql as rdflib_sparql

        # rdflib must never fetch a graph named in FROM/FROM NAMED on its own.
        rdflib_sparql.SPARQL_LOAD_GRAPHS = False
        return self._dataset

    def files(self) -> list[Path]:
        return self._files

    def cache_key(self) -> str | None:
        return self._key

    def _run(self, query: str, limit: int | None = None) -> QueryResult:
        from itertools import islice

        from rdflib.plugins.sparql import prepareQuery

        from alliances.errors import ResultTooLarge
        from alliances.store.gate import PARSER_LOCK

        dataset = self.dataset
        try:
            with PARSER_LOCK:  # rdflib's parser is not thread-safe; evaluation runs outside
                prepared = prepareQuery(query)
            result = dataset.query(prepared)
            if result.type == "ASK":
                return QueryResult("ASK", boolean=bool(result.askAnswer))
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                if limit is not None and len(result.graph) > limit:
                    raise ResultTooLarge(limit)
                return QueryResult("CONSTRUCT", graph=result.graph)
            variables = [str(v) for v in result.vars]
            rows = [{v: row[i] for i, v in enumerate(variables)}
                    for row in (result if limit is None else islice(result, limit + 1))]
        except AlliancesError:
            raise
        except Exception as exc:  # noqa: BLE001 - rdflib's evaluator fails with bare Python errors
            # e.g. ORDER BY STR(?x) with ?x unbound on some rows: TypeError inside rdflib's sort
            raise AlliancesError(f"the query failed in rdflib (the embedded engine): "
                                 f"{type(exc).__name__}: {exc}") from None
        if limit is not None and len(rows) > limit:
            raise ResultTooLarge(limit)
        return QueryResult("SELECT", variables=variables, rows=rows)

    def __len__(self) -> int:
        return len(self.dataset)


def _cached_or_parsed(files):
    """The cached Dataset of `files`; a broken cache entry is parsed again and rewritten."""
    from alliances.store import cache

    dataset = cache.get(files)
    if dataset is None:
        dataset = MemoryStore(files).dataset
        cache.put(files, dataset)
    return dataset


def load(data=(), shipped: bool = True) -> Store:
    """Load the ontology, the shipped data (unless `shipped=False`) and the user's
    Turtle files or directories into an embedded store.

    >>> len(load()) > 1000
    True
    """
    files = data_files(data, shipped)
    from alliances.datavalues import quiet_rdflib
    from alliances.store import cache

    quiet_rdflib()  # unpickling a Dataset rebuilds its literals
    if cache.has(files):
        # parsed before without error: unpickled only if a query is not answered from the cache
        return MemoryStore(files, loader=lambda: _cached_or_parsed(files))
    store = MemoryStore(files)
    cache.put(files, store.dataset)
    return store
