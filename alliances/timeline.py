"""'As of' filtering on ISO dates stored as xsd:date, xsd:gYearMonth or xsd:gYear.

ISO strings of any of the three precisions compare correctly as text against a
full date, so the comparison is lexical after normalising the query date.

>>> active_as_of("2025-10", None, None, "2025-11-01")
True
>>> active_as_of("2025-10-23", None, "2025-10-30", "2025-11-01")
False
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from alliances.errors import AlliancesError


def parse_as_of(text: str | None, option: str = "--as-of") -> str | None:
    """Validate a user's date (YYYY, YYYY-MM or YYYY-MM-DD) and return the last day of
    that period as YYYY-MM-DD; `option` names the option in the error.

    >>> parse_as_of("2025-02"), parse_as_of("2024")
    ('2025-02-28', '2024-12-31')
    >>> parse_as_of("2025-13", "--to")
    Traceback (most recent call last):
    ...
    alliances.errors.AlliancesError: --to: '2025-13' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)
    """
    if text is None:
        return None
    import calendar
    import re

    # [0-9], not \d: \d also takes other scripts' digits ('２０２５'), which no stored date holds
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text.strip())
    try:
        if not match:
            raise ValueError(text)
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is None:
            return dt.date(year, 12, 31).isoformat()
        if day is None:  # the month's last day (9999-12 too: no next month needed)
            return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()
        return dt.date(year, month, day).isoformat()
    except (ValueError, OverflowError, calendar.IllegalMonthError):
        from alliances.errors import one_line

        raise AlliancesError(f"{option}: '{one_line(text, 60)}' is not a date"
                             " (use YYYY-MM-DD, YYYY-MM or YYYY)") from None


def active_as_of(announced, start, end, as_of: str | None) -> bool:
    """Whether a fact dated (announced, start, end) holds on `as_of` (YYYY-MM-DD).

    A fact holds from its start (else its announcement) until its end; a fact
    with no date at all is kept (its time is unknown, not excluded).
    """
    if as_of is None:
        return True
    begin = start if start is not None else announced
    if begin is not None and str(begin) > as_of:
        return False
    if end is not None and str(end) <= as_of:
        return False
    return True


# Dates of the facts a query's rows name (two VALUES and a plain pattern: rdflib returns
# nothing for VALUES followed by OPTIONALs).
FACT_DATES = """
SELECT ?x ?prop ?date WHERE {
  VALUES ?prop { al:announced al:start al:end al:asOf } VALUES ?x { %s } ?x ?prop ?date }
"""


def rows_as_of(store, result, as_of: str):
    """A SELECT result without the rows that name a fact not holding on `as_of`, and the
    number of rows left out.

    A fact is any IRI in a row with dates: a partnership (al:announced, al:start,
    al:end) or an observation (al:asOf); it holds as :func:`active_as_of` says.
    Entities carry no dates and never drop a row. Aggregates (COUNT, SUM...) were
    computed by the query over every fact: they are not recomputed.
    """
    from alliances.datavalues import date_text
    from alliances.errors import AlliancesError
    from alliances.vocab import iri_list

    if result.kind != "SELECT":
        raise AlliancesError("--as-of filters the rows of a SELECT query")
    from rdflib import URIRef

    iris = sorted({str(v) for row in result.rows for v in row.values() if isinstance(v, URIRef)})
    dates: dict[str, dict[str, str]] = {}
    for start in range(0, len(iris), 500):  # keep each query small
        chunk = iri_list(iris[start:start + 500])
        if not chunk:
            continue
        for x, prop, date in store.values(FACT_DATES % chunk, cached=False):
            name = prop.rsplit("#", 1)[-1]
            date = date_text(store, date, x, name)
            if date is None:  # not a date: reported once, the fact counts as undated
                continue
            dates.setdefault(x, {})[name] = min(date, dates.get(x, {}).get(name, date))

    def holds(iri: str) -> bool:
        d = dates.get(iri)
        return d is None or active_as_of(d.get("announced") or d.get("asOf"), d.get("start"),
                                         d.get("end"), as_of)

    kept = [row for row in result.rows
            if all(holds(str(v)) for v in row.values() if v is not None and str(v) in dates)]
    return dataclasses.replace(result, rows=kept), len(result.rows) - len(kept)


# Facts with no date to compare with --as-of: partnerships with neither al:announced nor
# al:start, observations without al:asOf, and (always undated) product dependencies
# and ownership (al:dependsOn sub-properties, al:subsidiaryOf).
UNDATED = {
    "partnerships": """{ ?x a al:Partnership FILTER NOT EXISTS { ?x al:announced ?a }
        FILTER NOT EXISTS { ?x al:start ?s } BIND("partnerships" AS ?what) }""",
    "observations": """{ ?x a al:Observation FILTER NOT EXISTS { ?x al:asOf ?d }
        BIND("observations" AS ?what) }""",
    "dependencies": """{ ?x ?prop ?y . ?prop rdfs:subPropertyOf* al:dependsOn . FILTER(?x != ?y)
        BIND("dependencies" AS ?what) } UNION { ?x al:subsidiaryOf ?y BIND("dependencies" AS ?what) }""",
}


def undated_facts(store, iris=None, what=("partnerships", "observations")) -> dict[str, int]:
    """How many facts of each kind in `what` ('partnerships', 'observations',
    'dependencies') carry no date, so that --as-of keeps them; with `iris`, only among
    those facts (bound with VALUES, never pasted).

    >>> from alliances.store.memory import load
    >>> counts = undated_facts(load())
    >>> sorted(counts), counts["partnerships"] > 0
    (['observations', 'partnerships'], True)
    """
    from alliances.vocab import iri_list

    unknown = [w for w in what if w not in UNDATED]
    if unknown:
        raise ValueError(f"undated_facts: unknown fact kind {unknown[0]!r} (one of: {', '.join(UNDATED)})")
    counts = dict.fromkeys(what, 0)
    if iris is not None:
        iris = sorted(set(map(str, iris)))
    chunks = [None] if iris is None else [iri_list(iris[i:i + 500]) for i in range(0, len(iris), 500)]
    for chunk in chunks:
        if chunk == "":
            continue
        values = f"VALUES ?x {{ {chunk} }}" if chunk else ""
        body = " UNION ".join(UNDATED[w] for w in what)
        seen = set()
        for x, kind, *rest in store.values(f"SELECT ?x ?what ?y WHERE {{ {values} {body} }}",
                                           cached=iris is None):
            seen.add((x, kind, rest[0] if rest else None))
        for _x, kind, _y in seen:
            counts[kind] += 1
    return counts


def undated_note(counts: dict[str, int], as_of: str | None) -> str | None:
    """The one line that says why --as-of still shows undated facts, or None.

    >>> undated_note({"partnerships": 10, "observations": 2}, "1999-12-31")
    '--as-of 1999-12-31: 12 undated facts kept (10 partnerships, 2 observations: no date to compare)'
    >>> undated_note({"partnerships": 1}, "1999-12-31")
    '--as-of 1999-12-31: 1 undated fact kept (1 partnership: no date to compare)'
    >>> undated_note({"partnerships": 0}, "1999-12-31") is None
    True
    """
    total = sum(counts.values())
    if as_of is None or not total:
        return None
    parts = ", ".join(f"{n} {kind if n != 1 else kind[:-1]}" for kind, n in counts.items() if n)
    facts = "fact" if total == 1 else "facts"
    return f"--as-of {as_of}: {total} undated {facts} kept ({parts}: no date to compare)"
