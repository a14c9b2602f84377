"""Check the loaded data against the SHACL shapes (ontology/shapes.ttl) with pySHACL.

>>> from alliances.store.memory import load
>>> validate(load()).conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass

from alliances.store.base import Store
from alliances.store.memory import MemoryStore, parse_turtle
from alliances.store.paths import shapes_path
from alliances.vocab import local_id


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
    """The union graph as a plain rdflib Graph (pySHACL validates one graph)."""
    import rdflib

    if isinstance(store, MemoryStore):
        graph = rdflib.Graph()
        for triple in store.dataset.triples((None, None, None)):
            graph.add(triple)
        return graph
    return store.run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph


def validate(store: Store) -> ValidationReport:
    """Run the shapes on the data and the ontology together. No RDFS inference: SHACL's
    class targets already reach instances of subclasses through the ontology's
    rdfs:subClassOf triples, and owlrl's closure took 12.7 of 20 s."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    shapes = rdflib.Graph()
    parse_turtle(shapes, shapes_path())
    conforms, report, _ = pyshacl.validate(_data_graph(store), shacl_graph=shapes,
                                           inference="none", advanced=True)
    violations = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        violations.append(Violation(
            focus=local_id(report.value(result, SH.focusNode)),
            path=local_id(path) if isinstance(path, rdflib.URIRef) else "",
            message=str(report.value(result, SH.resultMessage) or ""),
            severity=local_id(report.value(result, SH.resultSeverity)),
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), violations)
