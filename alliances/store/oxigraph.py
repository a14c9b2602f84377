"""An on-disk Oxigraph store (pyoxigraph, the optional extra `alliances[fast]`).

`alliances load --store oxigraph:DIR` bulk-loads the ontology, the shipped data and the
user's files once; later commands open DIR read-only in a fraction of a second.

All files go into the store's default graph, which is a set: a triple stated by two
files is held once, exactly as in the embedded rdflib Dataset (whose default graph is
the union of one graph per file). A sidecar `alliances.json` in DIR lists the files
loaded; it also marks DIR as ours, so `load` never replaces a directory it did not make.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()) / "ox"
>>> _ = load_oxigraph(d, [ontology_path()], report=None)
>>> OxigraphStore.open(d).ask("ASK { al:Partnership ?p ?o }")
True
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from alliances.errors import AlliancesError
from alliances.store.base import QueryResult, Store, string_rows
from alliances.store.paths import display, each_with_progress, ontology_path  # noqa: F401  (ontology_path: doctest
from alliances.vocab import SPARQL_PREFIXES

SIDECAR = "alliances.json"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _pyoxigraph():
    try:
        import pyoxigraph
    except ImportError:
        raise AlliancesError("the oxigraph store needs pyoxigraph: pip install 'alliances[fast]'") from None
    return pyoxigraph


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


class TermConverter:
    """pyoxigraph terms to rdflib terms (IRIs and datatypes cached: they repeat a lot)."""

    def __init__(self):
        import rdflib

        from alliances.datavalues import quiet_rdflib

        quiet_rdflib()  # an ill-typed literal is reported where it is used

        self._rdflib = rdflib
        self._iris: dict[str, object] = {}

    def iri(self, value: str):
        term = self._iris.get(value)
        if term is None:
            term = self._iris[value] = self._rdflib.URIRef(value)
        return term

    def __call__(self, term):
        if term is None:
            return None
        kind = type(term).__name__
        if kind == "NamedNode":
            return self.iri(term.value)
        if kind == "Literal":
            if term.language:
                return self._rdflib.Literal(term.value, lang=term.language)
            datatype = term.datatype.value
            if datatype == XSD_STRING:
                return self._rdflib.Literal(term.value)
            return self._rdflib.Literal(term.value, datatype=self.iri(datatype))
        if kind == "BlankNode":
            return self._rdflib.BNode(term.value)
        return self._rdflib.Literal(str(term))  # RDF-star triple terms: not used by the data


def convert_result(result, convert: TermConverter | None = None, limit: int | None = None) -> QueryResult:
    """A pyoxigraph query answer as a QueryResult of rdflib terms; with `limit`, reading
    stops at `limit + 1` rows or triples and ResultTooLarge is raised."""
    from itertools import islice

    import rdflib

    from alliances.errors import ResultTooLarge

    convert = convert or TermConverter()
    kind = type(result).__name__
    if kind == "QueryBoolean":
        return QueryResult("ASK", boolean=bool(result))
    read = result if limit is None else islice(result, limit + 1)
    if kind == "QueryTriples":
        graph = rdflib.Graph()
        count = 0
        for triple in read:
            graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
            count += 1
        if limit is not None and count > limit:
            raise ResultTooLarge(limit)
        return QueryResult("CONSTRUCT", graph=graph)
    variables = [v.value for v in result.variables]
    width = range(len(variables))
    rows = []
    for solution in read:
        rows.append({variables[i]: convert(solution[i]) for i in width})
    if limit is not None and len(rows) > limit:
        raise ResultTooLarge(limit)
    return QueryResult("SELECT", variables=variables, rows=rows)


def syntax_error(path: Path, exc: Exception) -> AlliancesError:
    """pyoxigraph's 'Parser error at line 3 between columns 1 and 4: why' as 'file:3: ...'."""
    import re

    text, path = str(exc), display(path)  # a shipped example as examples:NAME
    match = re.match(r"Parser error at line (\d+)[^:]*: (.*)", text, re.S)
    if match:
        return AlliancesError(f"{path}:{match.group(1)}: Turtle syntax error: {match.group(2).strip()}")
    return AlliancesError(f"{path}:1: cannot read as Turtle: {text}")


class OxigraphStore(Store):
    """Read access to an Oxigraph store (opened read-only from disk, or any pyoxigraph Store)."""

    def __init__(self, store, description: str = "oxigraph", files=()):
        self.store = store
        self.description = description
        self._files = [Path(f) for f in files]
        self._convert = TermConverter()
        self._key: str | None = None  # set by open(): a store we did not load may change
        self._directory: Path | None = None  # set by open()

    @classmethod
    def open(cls, directory) -> OxigraphStore:
        """Open `directory` (made by `alliances load`) read-only."""
        ox = _pyoxigraph()
        directory = Path(directory)
        meta = read_sidecar(directory)
        if meta is None:
            raise AlliancesError(f"oxigraph:{directory}: no store here; build it with "
                                 f"`alliances load --store oxigraph:{directory}`")
        try:
            store = ox.Store.read_only(str(directory))
        except OSError as exc:
            raise AlliancesError(f"oxigraph:{directory}: cannot open: {exc}") from None
        files = meta.get("files", [])
        opened = cls(store, f"oxigraph:{directory} ({len(files)} files)", [f["path"] for f in files])
        opened._key = store_key(directory)
        opened._directory = directory
        return opened

    def for_worker(self) -> OxigraphStore:
        """An on-disk store is opened again in a forked process (RocksDB handles and their
        threads do not survive a fork); an in-memory pyoxigraph Store is shared."""
        if self._directory is None:
            return self
        return OxigraphStore.open(self._directory)

    def files(self) -> list[Path]:
        return self._files

    # an embedded store keeps one named graph per file, and queries see their union
    union_default_graph = False

    def raw_query(self, query: str):
        try:
            return self.store.query(query, use_default_graph_as_union=self.union_default_graph)
        except SyntaxError as exc:
            raise AlliancesError(f"SPARQL syntax error: {exc}") from None
        except (OSError, RuntimeError, ValueError) as exc:  # e.g. an unknown function IRI
            raise AlliancesError(f"the query failed in Oxigraph: {_one_line(exc)}") from None

    def _run(self, query: str, limit: int | None = None) -> QueryResult:
        result = self.raw_query(query)
        try:  # solutions are computed while they are read: errors can come now
            return convert_result(result, self._convert, limit)
        except (OSError, RuntimeError, ValueError) as exc:
            raise AlliancesError(f"the query failed in Oxigraph: {_one_line(exc)}") from None

    def _values(self, query: str) -> list[tuple[str | None, ...]]:
        return self._read_csv(self._csv_answer(query))

    def _prefetch(self, queries) -> None:
        """Answer `queries` in two threads: Oxigraph evaluates and serialises without the
        GIL, so two scans run on two cores (1M triples: the two party scans 1.9-2.4 s one
        after the other, 1.2-1.3 s together). The CSV is read back here, one answer at a
        time. Answers already cached, or already fetched, are not asked again."""
        from concurrent.futures import ThreadPoolExecutor

        from alliances.store import cache

        memo = self.__dict__.setdefault("_prefetched", {})
        key = self.cache_key()
        todo = []
        for query in dict.fromkeys(queries):
            rows = cache.get_answer(key, query) if key is not None and query not in memo else None
            if rows is not None:
                memo[query] = rows
            elif query not in memo:
                todo.append(query)
        if len(todo) < 2:
            return
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = [pool.submit(self._csv_answer, q) for q in todo]
            for query, answer in zip(todo, answers):
                rows = self._read_csv(answer.result())
                if key is not None:
                    cache.put_answer(key, query, rows)
                memo[query] = rows

    def _csv_answer(self, query: str) -> bytes:
        """A query the library wrote, answered as SPARQL CSV by Oxigraph (thread-safe)."""
        ox = _pyoxigraph()
        try:
            return self.raw_query(SPARQL_PREFIXES + query).serialize(format=ox.QueryResultsFormat.CSV)
        except (OSError, RuntimeError, ValueError) as exc:
            raise AlliancesError(f"the query failed in Oxigraph: {_one_line(exc)}") from None

    def _read_csv(self, text: bytes) -> list[tuple[str | None, ...]]:
        # Oxigraph's own CSV writer and Python's C csv reader: about twice as fast as
        # building a Python term object per value (CSV holds exactly the lexical forms).
        import csv
        import io

        # any length: the answers come from Oxigraph, and a label of 300 KB in a user's file is
        # data (the csv module's limit, 128 KiB, made it an internal error); restored after,
        # as the limit is the process's (the portfolio reader keeps it)
        limit = csv.field_size_limit(sys.maxsize // 2)
        try:
            rows = csv.reader(io.StringIO(text.decode("utf-8"), newline=""))
            next(rows, None)  # the header
            return string_rows(rows)
        finally:
            csv.field_size_limit(limit)

    def cache_key(self) -> str | None:
        """The directory and its load record: every `alliances load` rewrites the record."""
        return self._key

    def serialize(self, fmt: str = "turtle") -> bytes:
        """The whole graph as Turtle or N-Triples, straight from Oxigraph."""
        ox = _pyoxigraph()
        from alliances.vocab import PREFIXES

        rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
        prefixes = {p: str(ns) for p, ns in PREFIXES.items()} if fmt == "turtle" else None
        return self.store.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)

    def __len__(self) -> int:
        return len(self.store)


def store_key(directory: Path) -> str | None:
    """A key for the answers cache: the store's path, its load record and the record's mtime."""
    import hashlib

    from alliances import __version__

    sidecar = Path(directory) / SIDECAR
    try:
        record, stamp = sidecar.read_bytes(), sidecar.stat().st_mtime_ns
    except OSError:
        return None
    text = f"{Path(directory).resolve()}\0{stamp}\0{__version__}\0".encode() + record
    return "ox-" + hashlib.sha256(text).hexdigest()[:32]


def read_sidecar(directory: Path) -> dict | None:
    try:
        return json.loads((Path(directory) / SIDECAR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_oxigraph(directory, files, report=print, progress=None) -> dict:
    """Bulk-load `files` into a new Oxigraph store at `directory`, replacing the one there.

    The store is built next to `directory` and renamed into place, so a failed load
    leaves the old store intact. Returns the sidecar (files, triples, seconds).
    `report(line)` gets one line per file loaded; `progress(done, total, path)` is called
    before each file and once at the end, in bytes (see :mod:`alliances.cli.progress`).
    """
    ox = _pyoxigraph()
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or
                               (any(directory.iterdir()) and read_sidecar(directory) is None)):
        raise AlliancesError(f"oxigraph:{directory}: exists and is not a store made by `alliances load`;"
                             " refusing to replace it")
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AlliancesError(f"oxigraph:{directory}: {exc.strerror or exc}") from None
    sweep_stale_builds(directory)
    try:
        build = Path(tempfile.mkdtemp(prefix=f".{directory.name}.load-{os.getpid()}-", dir=directory.parent))
    except OSError as exc:
        raise AlliancesError(f"oxigraph:{directory}: {exc.strerror or exc}") from None
    started = time.perf_counter()
    store = None
    try:
        store = ox.Store(str(build))
        loaded = []
        files = [Path(f) for f in files]
        for path in each_with_progress(files, progress):
            t0 = time.perf_counter()
            try:
                _bulk_load(ox, store, path)
            except SyntaxError as exc:
                raise syntax_error(path, exc) from None
            except (OSError, ValueError, RuntimeError) as exc:
                raise AlliancesError(f"{path}: cannot load: {_one_line(exc)}") from None
            stat = path.stat()
            loaded.append({"path": str(path.resolve()), "mtime": stat.st_mtime, "size": stat.st_size})
            if report:
                report(f"loaded {path} ({time.perf_counter() - t0:.2f} s)")
        store.optimize()
        triples = len(store)
        store = None
        meta = {"files": loaded, "triples": triples, "seconds": round(time.perf_counter() - started, 3)}
        (build / SIDECAR).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        if directory.exists():
            old = directory.with_name(f".{directory.name}.old-{os.getpid()}")
            os.replace(directory, old)
            os.replace(build, directory)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(build, directory)
    except OSError as exc:  # a full disk, a folder that went away
        raise AlliancesError(f"oxigraph:{directory}: load failed: {exc.strerror or exc}") from None
    finally:
        store = None  # Oxigraph holds the folder open until the store is gone
        if build.exists():
            shutil.rmtree(build, ignore_errors=True)
    return meta


BOM = b"\xef\xbb\xbf"


def _bulk_load(ox, store, path: Path) -> None:
    """Bulk-load one Turtle file; a UTF-8 byte order mark (which rdflib skips and Oxigraph
    rejects) is skipped, so a file loads the same on every store."""
    with open(path, "rb") as handle:
        has_bom = handle.read(3) == BOM
        if has_bom:
            store.bulk_load(input=handle, format=ox.RdfFormat.TURTLE)
            return
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)


STALE_SECONDS = 3600


def sweep_stale_builds(directory: Path, now: float | None = None) -> list[Path]:
    """Remove what a killed or failed `load` left next to `directory`: build folders
    `.NAME.load-PID-*` and old stores `.NAME.old-PID` whose process is gone, or that are
    older than an hour. Returns the folders removed.

    >>> import tempfile, pathlib
    >>> parent = pathlib.Path(tempfile.mkdtemp())
    >>> (parent / ".ox.load-999999999-abc").mkdir()
    >>> [p.name for p in sweep_stale_builds(parent / "ox")]
    ['.ox.load-999999999-abc']
    """
    import re

    now = time.time() if now is None else now
    pattern = re.compile(rf"\.{re.escape(directory.name)}\.(load|old)-(?:(\d+)(?:-.*)?|.*)")
    removed = []
    try:
        entries = list(directory.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or entry.is_symlink() or not entry.is_dir():
            continue
        if match.group(1) == "old" and not directory.is_dir():
            continue  # a load killed between its two renames: this is the only copy of the store
        pid = int(match.group(2)) if match.group(2) else None
        try:
            age = now - entry.stat().st_mtime
        except OSError:
            continue
        if age > STALE_SECONDS or (pid is not None and not _alive(pid)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    """Whether a process with this id runs (on this machine)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except PermissionError:  # someone else's process
        return True
    except (OverflowError, OSError):
        return False
    return True

