"""SPARQL 1.1 results formats (JSON, CSV) of a QueryResult, the same bytes on every store.

>>> from alliances.store.base import QueryResult
>>> sparql_csv(QueryResult("SELECT", ["x"], [{"x": "a"}]))
'x\\r\\na\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def lexical(term) -> str:
    """The text of a term; an xsd:decimal in its canonical form ("4.0" -> "4", "0.50" ->
    "0.5"), the form Oxigraph returns, so that every store prints the same answer.

    >>> from rdflib import Literal, XSD
    >>> [lexical(Literal(text, datatype=XSD.decimal)) for text in ("40000000000.0", "0.50")]
    ['40000000000', '0.5']
    """
    from rdflib import Literal

    text = str(term)
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == XSD_DECIMAL:
        try:
            text = format(Decimal(text).normalize(), "f")
        except ArithmeticError:
            return text
        return "0" if text == "-0" else text
    return text


def _sparql_json_term(term) -> dict:
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        out = {"type": "literal", "value": lexical(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
        return out
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "uri", "value": str(term)}


def sparql_json(result) -> str:
    """A SELECT or ASK result as SPARQL 1.1 Results JSON."""
    if result.kind == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
    bindings = [{v: _sparql_json_term(t) for v, t in row.items() if t is not None}
                for row in result.rows]
    body = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(body, indent=2) + "\n"


def sparql_csv(result) -> str:
    """A SELECT result as SPARQL 1.1 CSV (an ASK as the word true or false)."""
    if result.kind == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if row.get(v) is None else lexical(row[v]) for v in result.variables])
    return out.getvalue()
