"""The embedded default store: the files parsed by Oxigraph into an in-memory dataset.

One named graph per file (its ``file:`` URI) keeps the provenance of every triple, and
queries see the union of all of them as their default graph. Oxigraph parses Turtle
about ten times faster than rdflib and answers joins far faster (see
``../shared/notes`` and ``benchmarks/``); rdflib stays the toolkit for validation
(pySHACL) and serialisation, and ``--store rdflib`` keeps the pure-Python engine.

Examples
--------
>>> store = load_embedded()
>>> store.ask("ASK { e:nvidia a ?class }")
True
>>> store.description.startswith("memory")
True
"""

from __future__ import annotations

from pathlib import Path

from alliances.errors import AlliancesError
from alliances.store.oxigraph import OxigraphStore, _pyoxigraph, syntax_error
from alliances.store.paths import data_files, each_with_progress

BOM = b"\xef\xbb\xbf"


def read_turtle_bytes(path: Path) -> bytes:
    """The bytes of a Turtle file, without a UTF-8 byte-order mark; any failure to read it
    (a directory, a dangling link, no permission) is one line naming the file."""
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise AlliancesError(f"{path}: is a directory, not a Turtle file") from None
    except OSError as exc:
        raise AlliancesError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return data[len(BOM):] if data.startswith(BOM) else data


class EmbeddedStore(OxigraphStore):
    """An in-memory Oxigraph store built from Turtle files, one named graph per file.

    `progress(done, total, path)`, if given, is called before each file and once at the
    end, in bytes of the files (see :mod:`alliances.cli.progress`).
    """

    union_default_graph = True  # queries see every file's graph as their default graph

    def __init__(self, files, progress=None):
        ox = _pyoxigraph()
        files = [Path(f) for f in files]
        store = ox.Store()
        for path in each_with_progress(files, progress):
            graph = ox.NamedNode(path.resolve().as_uri())
            try:
                store.load(read_turtle_bytes(path), format=ox.RdfFormat.TURTLE,
                           base_iri=graph.value, to_graph=graph)
            except SyntaxError as exc:
                raise syntax_error(path, exc) from None
            except (OSError, ValueError) as exc:
                raise AlliancesError(f"{path}: cannot load: {exc}") from None
        # No answers cache (cache_key() stays None): the files are parsed on every run
        # anyway, and reading cached answers took longer than Oxigraph's queries on them
        # (shipped data: risk nvidia 1.7-2.4 s without, 2.5-3.0 s with; 1M triples: 17.9 s
        # and 17.7 s). The on-disk Oxigraph store keeps it (1M: 16.9 s -> 11.0 s).
        super().__init__(store, f"memory ({len(files)} files)", files)

    def graph_names(self) -> list[str]:
        """The file URI of every loaded file's named graph."""
        return [Path(f).resolve().as_uri() for f in self._files]

    def serialize(self, fmt: str = "turtle") -> bytes:
        """The union of the files' graphs as Turtle or N-Triples (duplicates once)."""
        ox = _pyoxigraph()
        from alliances.vocab import PREFIXES

        union = ox.Store()
        union.extend(ox.Quad(q.subject, q.predicate, q.object) for q in self.store)
        rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
        prefixes = {p: str(ns) for p, ns in PREFIXES.items()} if fmt == "turtle" else None
        return union.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)

    def __len__(self) -> int:
        """Distinct triples of the union (a triple in two files counts once)."""
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])


def load_embedded(data=(), shipped: bool = True, progress=None) -> EmbeddedStore:
    """The ontology, the shipped data (unless `shipped=False`) and the user's Turtle files
    or directories, in an embedded Oxigraph store (`progress`: see :class:`EmbeddedStore`)."""
    return EmbeddedStore(data_files(data, shipped), progress=progress)
