"""Check the loaded data against the SHACL shapes (ontology/shapes.ttl) with pySHACL.

>>> from alliances.store.memory import load
>>> validate(load()).conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass

from alliances.gcpause import gc_paused
from alliances.store.base import Store
from alliances.store.memory import MemoryStore, parse_turtle
from alliances.store.paths import shapes_path
from alliances.vocab import local_id

SH = "http://www.w3.org/ns/shacl#"
# SHACL Advanced Features pySHACL runs only with advanced=True (rules, custom targets,
# node expressions, SHACL functions); SHACL-SPARQL constraints (sh:sparql) run without it.
ADVANCED_TERMS = ("rule", "target", "expression", "SPARQLFunction", "SPARQLTarget", "SPARQLTargetType",
                  "TripleRule", "SPARQLRule", "JSConstraint", "JSFunction", "JSTarget", "JSRule", "js")
TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")


@dataclass
class Violation:
    focus: str
    path: str
    message: str
    severity: str


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]

    def rows(self) -> list[dict]:
        return [vars(v) for v in self.violations]


def _data_graph(store: Store):
    """The union graph as a new plain rdflib Graph (pySHACL validates one graph, and may
    then work on it in place). An Oxigraph store's triples are read straight from the
    CONSTRUCT answer, each distinct term converted once (measured: 5,425 distinct terms in
    the 35,157 places of the shipped data's 11,719 triples)."""
    import rdflib

    graph = rdflib.Graph()
    add = graph.store.add  # Graph.add checks each term's type: these come from a store
    if isinstance(store, MemoryStore):
        for triple in store.dataset.triples((None, None, None)):
            add(triple, graph, False)
        return graph
    from alliances.store.oxigraph import OxigraphStore

    if isinstance(store, OxigraphStore):
        convert, terms = store._convert, {}
        for triple in store.raw_query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
            converted = []
            for term in triple:
                rdf = terms.get(term)
                if rdf is None:
                    rdf = terms[term] = convert(term)
                converted.append(rdf)
            add(tuple(converted), graph, False)
        return graph
    return store.run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph


def shapes_graph(path=None):
    """ontology/shapes.ttl (or `path`) parsed, with its property shapes hoisted (see
    :func:`hoist_property_shapes`), in rdflib's simple in-memory store (the shapes need no
    named graphs, and pySHACL reads each shape's triples again for every focus node)."""
    import rdflib

    parsed = rdflib.Graph()
    parse_turtle(parsed, path or shapes_path())
    graph = rdflib.Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in parsed.namespaces():
        graph.bind(prefix, namespace)
    for triple in parsed:
        graph.add(triple)
    hoist_property_shapes(graph)
    return graph


def hoist_property_shapes(shapes) -> int:
    """Give each property shape of a targeted node shape that node shape's targets, and
    drop its sh:property link: the same results, 2-3x faster in pySHACL. Returns how many
    property shapes were hoisted.

    SHACL reports a property shape's results for each focus node of the node shape that
    links it with sh:property (the link adds no result of its own), and the focus nodes of
    the node shape are its targets: a property shape with those targets reports the same
    focus nodes, paths, values, messages and severities. pySHACL, though, evaluates a
    linked property shape once per focus node, setting it up again each time, and a
    targeted one once for all of them. A node shape that another shape refers to
    (sh:node, sh:or, ...), that is deactivated, or that has no target, keeps its links;
    so does a property shape linked from more than one place or with targets of its own.

    >>> import rdflib
    >>> g = rdflib.Graph().parse(format="turtle", data='''
    ...   @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
    ...   ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .
    ...   ex:P sh:path ex:p ; sh:minCount 1 .''')
    >>> hoist_property_shapes(g)
    1
    >>> sorted(p.n3() for p, o in g.predicate_objects(rdflib.URIRef("http://example.org/P")))
    ['<http://www.w3.org/ns/shacl#minCount>', '<http://www.w3.org/ns/shacl#path>', \
'<http://www.w3.org/ns/shacl#targetClass>']
    """
    from rdflib import Literal, URIRef

    prop = URIRef(SH + "property")
    deactivated = URIRef(SH + "deactivated")
    hoisted = 0
    for node in {s for s, _, _ in shapes.triples((None, prop, None))}:
        targets = [(URIRef(SH + t), o) for t in TARGETS for o in shapes.objects(node, URIRef(SH + t))]
        if (not targets or any(True for _ in shapes.subjects(None, node))
                or (node, deactivated, Literal(True)) in shapes):
            continue
        for shape in list(shapes.objects(node, prop)):
            if (sum(1 for _ in shapes.subjects(None, shape)) != 1
                    or any(True for t in TARGETS for _ in shapes.objects(shape, URIRef(SH + t)))):
                continue
            shapes.remove((node, prop, shape))
            for target, value in targets:
                shapes.add((shape, target, value))
            hoisted += 1
    return hoisted


def _needs_advanced(shapes) -> bool:
    from rdflib import URIRef

    terms = {URIRef(SH + t) for t in ADVANCED_TERMS}
    return any(p in terms or o in terms for _, p, o in shapes)


@gc_paused
def validate(store: Store) -> ValidationReport:
    """Run the shapes (:func:`shapes_graph`) on the data and the ontology together.
    No RDFS inference: SHACL's class targets already reach instances of subclasses through
    the ontology's rdfs:subClassOf triples, and owlrl's closure took 12.7 of 20 s. The data
    graph is a fresh copy, so pySHACL validates it in place rather than copying it again;
    the cyclic garbage collector pauses meanwhile (none of the objects made is garbage)."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH as SHNS

    shapes = shapes_graph()
    conforms, report, _ = pyshacl.validate(_data_graph(store), shacl_graph=shapes, inference="none",
                                           advanced=_needs_advanced(shapes), inplace=True)
    violations = []
    for result in report.subjects(rdflib.RDF.type, SHNS.ValidationResult):
        path = report.value(result, SHNS.resultPath)
        violations.append(Violation(
            focus=local_id(report.value(result, SHNS.focusNode)),
            path=local_id(path) if isinstance(path, rdflib.URIRef) else "",
            message=str(report.value(result, SHNS.resultMessage) or ""),
            severity=local_id(report.value(result, SHNS.resultSeverity)),
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), violations)
