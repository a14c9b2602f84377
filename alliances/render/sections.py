"""Outputs made of several tables: `show`, `risk`, `metrics`.

>>> print(render_sections([("a", [{"x": 1}], ["x"])], "csv"), end="")
# a
x
1
"""

from __future__ import annotations

import json

from alliances.render.formats import plain, render


def render_sections(sections, fmt: str) -> str:
    """Several (title, rows, columns) tables: titled text tables, one JSON object keyed by
    title, or CSV blocks headed '# title'."""
    if fmt == "json":
        return json.dumps({name: [{c: plain(r.get(c)) for c in cols} for r in rows]
                           for name, rows, cols in sections}, indent=2) + "\n"
    out = []
    for name, rows, cols in sections:
        if fmt == "csv":
            out.append(f"# {name}\n" + render(rows, cols, "csv"))
        else:
            out.append(f"## {name} ({len(rows)})\n" + render(rows, cols, "table"))
    return "\n".join(out)


REPORT_CSV_COLUMNS = ["section", "id", "property", "value", "kind", "role", "parties",
                      "metric", "unit", "period", "statement", "sources", "supplier", "share", "basis"]


def render_entity_report(report, fmt: str) -> str:
    """An entity's report (:func:`alliances.catalog.listing.show`): JSON as
    ``report.as_dict()``, CSV as one table with a ``section`` column, text as a header
    and one table per non-empty section."""
    if fmt == "json":
        return json.dumps(plain(report.as_dict()), indent=2) + "\n"
    sections = report.sections()
    if fmt == "csv":
        rows = [{"section": name, **{c: r.get(c) for c in cols}}
                for name, rows, cols in sections for r in rows]
        return render(rows, REPORT_CSV_COLUMNS, "csv")
    e = report.entity
    entity_sources = report.facts[0]["sources"] if report.facts else []
    out = [f"{e.label} ({e.id}, {e.cls})\n", f"sources: {', '.join(entity_sources) or '(none)'}\n"]
    out += [f"\n## {name} ({len(rows)})\n" + render(rows, cols, "table")
            for name, rows, cols in sections if rows]
    return "".join(out)
