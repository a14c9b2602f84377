"""`alliances validate` (issue 17): the hoisted shapes, the data graph built from either store
and pySHACL's options give exactly the findings of plain pySHACL on ontology/shapes.ttl."""

import json
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parents[1]
BROKEN = Path(__file__).resolve().parent / "fixtures" / "shacl-broken.ttl"


def loaders():
    from alliances.store.embedded import load_embedded
    from alliances.store.memory import load

    return [pytest.param(load, id="rdflib"), pytest.param(load_embedded, id="oxigraph")]


def reference(store):
    """What plain pySHACL reports with the unchanged shapes (the way validate ran before
    issue 17): a copy of the data graph, advanced mode on, no inference."""
    import pyshacl

    from alliances.vocab import local_id

    data = rdflib.Graph()
    for triple in store.dataset.triples((None, None, None)):
        data.add(triple)
    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    rows = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        rows.append((local_id(report.value(result, SH.focusNode)),
                     local_id(path) if isinstance(path, rdflib.URIRef) else "",
                     str(report.value(result, SH.resultMessage) or ""),
                     local_id(report.value(result, SH.resultSeverity))))
    return conforms, Counter(rows)


def found(report):
    return Counter((v.focus, v.path, v.message, v.severity) for v in report.violations)


@pytest.mark.parametrize("load", loaders())
def test_broken_corpus_gives_the_findings_of_plain_pyshacl(load):
    from alliances.catalog.validate import validate
    from alliances.store.memory import load as load_rdflib

    report = validate(load([BROKEN], shipped=False))
    conforms, expected = reference(load_rdflib([BROKEN], shipped=False))
    assert not report.conforms and not conforms
    assert found(report) == expected  # the same results, each as often
    assert len(report.violations) == 82  # 78 + negative amounts (2) + "lots" also fails sh:minInclusive (2)


@pytest.mark.parametrize("load", loaders())
def test_every_message_of_the_shapes_fires_on_the_broken_corpus(load):
    from alliances.catalog.validate import validate

    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl")
    messages = {str(m) for m in shapes.objects(None, SH.message)}
    report = validate(load([BROKEN], shipped=False))
    assert messages - {v.message for v in report.violations} == set()


def test_broken_corpus_hand_checked_results():
    from alliances.catalog.validate import validate
    from alliances.store.embedded import load_embedded

    got = found(validate(load_embedded([BROKEN], shipped=False)))
    # al:share 1.5 , 0.5: two values (sh:maxCount 1) and 1.5 > 1 (sh:maxInclusive 1)
    assert got[("v-p-bad", "share", "al:share is one decimal in [0, 1]", "Violation")] == 2
    # no schema:url, no al:seedFile: the node shape's own sh:or, no result path
    assert got[("v-src-bare", "", "a source has a URL (schema:url) or a seed file name (al:seedFile)",
                "Violation")] == 1
    # "2025-01-01" (a plain string) and two dates: sh:or fails once, sh:maxCount once
    assert got[("v-src-bare", "date", "a source has one date (xsd:date, gYearMonth or gYear)",
                "Violation")] == 2
    # a Hyperscaler is reached through rdfs:subClassOf with no inference: label 42 is no string
    assert got[("v-nolabel", "label", "every entity has a label", "Violation")] == 1
    assert got[("v-obs-vocab", "periodStart", "al:periodStart is after al:periodEnd", "Violation")] == 1
    assert got[("v-p-vocab", "kind", "al:kind is not a concept of al:PartnershipKinds", "Violation")] == 1
    # the good source, the seed-file source, the good partnership and entity report nothing
    assert not {focus for focus, *_ in got} & {"v-src", "v-src-seed", "v-p-ok", "v-b"}


def test_shipped_data_conforms_like_plain_pyshacl(shipped_store):
    from alliances.catalog.validate import validate

    conforms, expected = reference(shipped_store)
    report = validate(shipped_store)
    assert conforms and report.conforms and not expected and not report.violations


def test_cli_reports_the_broken_corpus_with_exit_1(cli):
    result = cli("--data", BROKEN, "validate", "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert len(rows) == 82 and "82 violation(s)" in result.stderr
    assert {"focus": "v-claim", "path": "statement", "message": "a claim has a statement",
            "severity": "Violation"} in rows


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
ex:Targeted a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P1 , ex:Shared , ex:Own .
ex:Other a sh:NodeShape ; sh:targetClass ex:D ; sh:property ex:Shared .
ex:Referenced a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P2 .
ex:Refers a sh:NodeShape ; sh:targetClass ex:D ; sh:node ex:Referenced .
ex:Off a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ; sh:property ex:P3 .
ex:Untargeted a sh:NodeShape ; sh:property ex:P4 .
ex:P1 sh:path ex:p ; sh:minCount 1 .
ex:Shared sh:path ex:q ; sh:maxCount 1 .
ex:Own sh:path ex:r ; sh:minCount 1 ; sh:targetNode ex:n .
ex:P2 sh:path ex:p ; sh:minCount 1 .
ex:P3 sh:path ex:p ; sh:minCount 1 .
ex:P4 sh:path ex:p ; sh:minCount 1 .
"""


def test_hoist_moves_only_property_shapes_that_are_safe_to_move():
    from alliances.catalog.validate import hoist_property_shapes

    ex = rdflib.Namespace("http://example.org/")
    shapes = rdflib.Graph().parse(data=SHAPES, format="turtle")
    assert hoist_property_shapes(shapes) == 1
    assert (ex.P1, SH.targetClass, ex.C) in shapes and (ex.Targeted, SH.property, ex.P1) not in shapes
    for node, prop in [(ex.Targeted, ex.Shared), (ex.Other, ex.Shared), (ex.Targeted, ex.Own),
                       (ex.Referenced, ex.P2), (ex.Off, ex.P3), (ex.Untargeted, ex.P4)]:
        assert (node, SH.property, prop) in shapes
        assert (prop, SH.targetClass, None) not in shapes


def test_advanced_mode_only_when_the_shapes_need_it():
    from alliances.catalog.validate import _needs_advanced, shapes_graph

    assert not _needs_advanced(shapes_graph())
    rule = rdflib.Graph().parse(format="turtle", data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://example.org/S> a sh:NodeShape ; sh:rule [ a sh:SPARQLRule ] .""")
    assert _needs_advanced(rule)
