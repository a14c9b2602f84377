"""Namespaces of the alliances ontology and helpers to turn IRIs into short ids.

>>> local_id(E["nvidia"])
'nvidia'
"""

from rdflib import Namespace

AL = Namespace("https://w3id.org/alliances/ontology#")
E = Namespace("https://w3id.org/alliances/id/")
KIND = Namespace("https://w3id.org/alliances/kind/")
DEP = Namespace("https://w3id.org/alliances/dependency/")
LAYER = Namespace("https://w3id.org/alliances/layer/")
ARENA = Namespace("https://w3id.org/alliances/arena/")
STATUS = Namespace("https://w3id.org/alliances/status/")
METRIC = Namespace("https://w3id.org/alliances/metric/")

PREFIXES = {
    "al": AL,
    "e": E,
    "kind": KIND,
    "dep": DEP,
    "layer": LAYER,
    "arena": ARENA,
    "status": STATUS,
    "metric": METRIC,
    "rdf": Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    "rdfs": Namespace("http://www.w3.org/2000/01/rdf-schema#"),
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
    "skos": Namespace("http://www.w3.org/2004/02/skos/core#"),
    "dcterms": Namespace("http://purl.org/dc/terms/"),
    "schema": Namespace("https://schema.org/"),
    "prov": Namespace("http://www.w3.org/ns/prov#"),
}

# Prepended to every query the library runs, and to user queries that lack them.
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


_ID_NAMESPACES = tuple(str(ns) for ns in (E, KIND, DEP, LAYER, ARENA, STATUS, METRIC))


def local_id(iri) -> str:
    """The short id of an IRI: the part after the last '/', '#' (or the whole string)."""
    text = str(iri)
    for ns in _ID_NAMESPACES:
        if text.startswith(ns):
            return text[len(ns) :]
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text


_NOT_IN_IRI = set('<>"{}|^`\\ \t\n\r')


def iri_list(iris) -> str:
    """IRIs as the body of a SPARQL VALUES clause, sorted. IRIs that cannot be written
    between <...> (they come from data or an endpoint) are left out, so that no value
    can change the query around it.

    >>> iri_list(["http://b", "http://a", "http://x> } SERVICE <http://y"])
    '<http://a> <http://b>'
    """
    return " ".join(f"<{i}>" for i in sorted(set(map(str, iris))) if safe_iri(i))


def safe_iri(iri: str) -> bool:
    """Whether `iri` can be written as <iri> in a query without changing it."""
    return not _NOT_IN_IRI & set(iri)


# Classes too broad to describe an entity when a more specific one is known.
GENERIC_CLASSES = frozenset({"Entity", "Organization", "Product", "Company", "Hardware", "Chip", "Platform"})
