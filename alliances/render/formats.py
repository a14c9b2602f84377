"""Render rows as an aligned text table, JSON or CSV; SPARQL results as the W3C formats.

>>> print(render([{"id": "nvidia", "n": 3}], ["id", "n"], "csv").strip())
id,n
nvidia,3
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from alliances.store.results import sparql_json

FORMATS = ("table", "json", "csv")


def plain(value):
    """A JSON-friendly version of a cell value (rdflib terms, Decimals, lists)."""
    from alliances.vocab import PREFIXES

    if value is None or type(value) in (bool, int, float, str):  # rdflib terms subclass str
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    module = type(value).__module__
    if module.startswith("rdflib"):
        from rdflib import Literal, URIRef

        if isinstance(value, Literal):
            py = value.toPython()
            return plain(py) if isinstance(py, (int, float, Decimal, bool)) else str(value)
        if isinstance(value, URIRef):
            text = str(value)
            for prefix, ns in PREFIXES.items():
                if text.startswith(str(ns)) and "/" not in text[len(str(ns)):]:
                    return f"{prefix}:{text[len(str(ns)):]}"
            return text
    return str(value)


def cell(value, max_items: int | None = None) -> str:
    """A value as text; a list longer than `max_items` shows its first items and how
    many more (text tables only: CSV and JSON keep every item).

    >>> cell(["a", "b", "c"], max_items=2)
    'a, b, ... (+1)'
    """
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.4g}"
    if isinstance(value, list):
        shown = value if max_items is None or len(value) <= max_items else value[:max_items]
        more = f", ... (+{len(value) - len(shown)})" if len(shown) < len(value) else ""
        return ", ".join(cell(v) for v in shown) + more
    return shown_text(str(value))


def shown_text(text: str) -> str:
    r"""`text` as a terminal shows it as written: a character it would act on instead (ESC
    sequences, a carriage return or newline that breaks the table's row, bidi overrides)
    is shown as its escape. Text tables only: JSON and CSV keep the data as it is.

    >>> print(shown_text("Tee\x1b[2J\r\nCo \u202e"), shown_text("Café"))
    Tee\x1b[2J\r\nCo \u202e Café
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


TABLE_LIST_ITEMS = 8


def text_table(rows: Sequence[dict], columns: Sequence[str]) -> str:
    """An aligned plain-text table with a header rule; empty input says so."""
    if not rows:
        return "(no rows)\n"
    cells = [[cell(row.get(c), TABLE_LIST_ITEMS) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def render(rows: Iterable[dict], columns: Sequence[str], fmt: str) -> str:
    """Rows (dicts) in `table`, `json` (a list of objects) or `csv`."""
    rows = list(rows)
    if fmt == "json":
        return json.dumps([{c: plain(r.get(c)) for c in columns} for r in rows], indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([csv_cell(r.get(c)) for c in columns])
        return out.getvalue()
    return text_table(rows, columns)


NUMBER_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A value as one CSV cell, the same way in every table: numbers plain (4000000000,
    not 4000000000.0), booleans true/false, lists joined by ';', and text that a
    spreadsheet would run as a formula (starting with = + - @, a tab or a CR) prefixed
    with ' (the OWASP rule; a plain negative number stays a number).

    >>> [csv_cell(v) for v in (4e9, 0.25, True, ["a", "b"], "=1+1", "-3.5", None)]
    ['4000000000', '0.25', 'true', 'a;b', "'=1+1", '-3.5', '']
    """
    value = plain(value)
    if isinstance(value, (bool, int, float)):
        return _csv_text(value)
    return "" if value is None else safe_text(_csv_text(value))


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, list):
        return ";".join(_csv_text(plain(v)) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k} {_csv_text(plain(v))}" for k, v in value.items())
    return str(value)


def safe_text(text: str) -> str:
    """`text` with a ' in front when a spreadsheet would take it for a formula.

    >>> safe_text("@SUM(A1)"), safe_text("-1"), safe_text("ok")
    ("'@SUM(A1)", '-1', 'ok')
    """
    if text.startswith(FORMULA_START) and not NUMBER_TEXT.fullmatch(text):
        return "'" + text
    return text


def render_query_result(result, fmt: str) -> str:
    """A QueryResult as a table, SPARQL 1.1 Results JSON, or CSV (SPARQL 1.1 CSV)."""
    if result.kind == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "CONSTRUCT":
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "json":
        return sparql_json(result)
    if fmt == "csv":
        return _query_csv(result)
    return text_table(result.rows, result.variables)


def _query_csv(result) -> str:
    """SPARQL 1.1 CSV (lexical forms, CRLF), with cells a spreadsheet would run as a
    formula prefixed by ' (:func:`safe_text`)."""
    from alliances.store.results import lexical

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if row.get(v) is None else safe_text(lexical(row[v])) for v in result.variables])
    return out.getvalue()
