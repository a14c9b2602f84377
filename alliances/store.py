"""Load the ontology and the data into an RDF store, and read it through SPARQL.

Every reader of the graph (catalog, dependency, metrics, viz) talks to a
:class:`Store` through SPARQL only, so the same code runs on the embedded rdflib
store, an on-disk Oxigraph store or a remote SPARQL endpoint.

>>> store = load()                       # ontology + shipped data/*.ttl
>>> store.ask("ASK { e:nvidia a ?class }")
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import AlliancesError
from .vocab import SPARQL_PREFIXES

PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """Where the shipped `ontology/` or `data/` lives: inside the installed package,
    or at the top of a source checkout (editable installs)."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def ontology_path() -> Path:
    return shipped_dir("ontology") / "alliances.ttl"


def shapes_path() -> Path:
    return shipped_dir("ontology") / "shapes.ttl"


def shipped_data_files() -> list[Path]:
    return sorted(shipped_dir("data").glob("*.ttl"))


def expand_paths(paths) -> list[Path]:
    """Files named by the user: a file, or every *.ttl under a directory (sorted).

    >>> expand_paths([])
    []
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.rglob("*.ttl"))
            if not found:
                raise AlliancesError(f"{path}: directory holds no .ttl file")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise AlliancesError(f"{path}: no such file or directory")
    return files


def parse_turtle(graph, path: Path) -> None:
    """Parse one Turtle file into `graph`; a syntax error becomes 'file:line: why'."""
    from rdflib.plugins.parsers.notation3 import BadSyntax

    try:
        graph.parse(path, format="turtle")
    except BadSyntax as exc:
        # rdflib counts lines from 0
        raise AlliancesError(f"{path}:{exc.lines + 1}: Turtle syntax error: {exc._why}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise AlliancesError(f"{path}:1: cannot read as Turtle: {exc}") from None


@dataclass
class QueryResult:
    """The answer to a SPARQL query: rows of a SELECT, a boolean of an ASK, or a graph."""

    kind: str  # "SELECT", "ASK" or "CONSTRUCT"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Any = None


class Store:
    """Read-only access to an RDF graph through SPARQL. Subclasses implement `_run`."""

    description = "store"

    def run(self, query: str) -> QueryResult:
        """Run a query the library wrote (already trusted); prefixes are added."""
        return self._run(SPARQL_PREFIXES + query)

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
        the answer is kept in the user's cache (:mod:`alliances.cache`) unless
        ``cached=False`` (for one-off queries, not worth a file).

        >>> load().values("SELECT ?s WHERE { VALUES ?s { e:nvidia } }")
        [('https://w3id.org/alliances/id/nvidia',)]
        """
        from . import cache

        key = self.cache_key() if cached else None
        if key is not None:
            rows = cache.get_answer(key, query)
            if rows is not None:
                return rows
        rows = self._values(query)
        if key is not None:
            cache.put_answer(key, query, rows)
        return rows

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

    def _run(self, query: str) -> QueryResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def files(self) -> list[Path]:
        return []


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


class MemoryStore(Store):
    """The embedded default: an rdflib Dataset with one named graph per file and
    the union of them all as the default graph."""

    def __init__(self, files: list[Path], loader=None):
        """Parse `files`, or, with `loader` (a function returning the Dataset, e.g. from
        the parse cache), call it only when a query is not answered from the cache."""
        from . import cache

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

    def _run(self, query: str) -> QueryResult:
        try:
            result = self.dataset.query(query)
            if result.type == "ASK":
                return QueryResult("ASK", boolean=bool(result.askAnswer))
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                return QueryResult("CONSTRUCT", graph=result.graph)
            variables = [str(v) for v in result.vars]
            rows = [{v: row[i] for i, v in enumerate(variables)} for row in result]
        except AlliancesError:
            raise
        except Exception as exc:  # noqa: BLE001 - rdflib's evaluator fails with bare Python errors
            # e.g. ORDER BY STR(?x) with ?x unbound on some rows: TypeError inside rdflib's sort
            raise AlliancesError(f"the query failed in rdflib (the embedded engine): "
                                 f"{type(exc).__name__}: {exc}") from None
        return QueryResult("SELECT", variables=variables, rows=rows)

    def __len__(self) -> int:
        return len(self.dataset)


def load(data=(), shipped: bool = True) -> Store:
    """Load the ontology, the shipped data (unless `shipped=False`) and the user's
    Turtle files or directories into an embedded store.

    >>> len(load()) > 1000
    True
    """
    files = [ontology_path()]
    if shipped:
        files += shipped_data_files()
    files += expand_paths(data)
    from . import cache

    if cache.has(files):
        # parsed before without error: unpickled only if a query is not answered from the cache
        return MemoryStore(files, loader=lambda: cache.get(files) or MemoryStore(files).dataset)
    store = MemoryStore(files)
    cache.put(files, store.dataset)
    return store
