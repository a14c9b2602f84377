"""Helpers of the hostile suite (fixtures are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "mini.ttl"
PREFIXES = """@prefix al:      <https://w3id.org/alliances/ontology#> .
@prefix e:       <https://w3id.org/alliances/id/> .
@prefix kind:    <https://w3id.org/alliances/kind/> .
@prefix metric:  <https://w3id.org/alliances/metric/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def one_error(result, *words: str) -> str:
    """The one `error:` line of a run that failed on bad input (exit 2), with `words` in it."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output and "internal error" not in lines[0], lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def turtle(path: Path, body: str) -> Path:
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path
