"""'As of' filtering on ISO dates stored as xsd:date, xsd:gYearMonth or xsd:gYear.

ISO strings of any of the three precisions compare correctly as text against a
full date, so the comparison is lexical after normalising the query date.

>>> active_as_of("2025-10", None, None, "2025-11-01")
True
>>> active_as_of("2025-10-23", None, "2025-10-30", "2025-11-01")
False
"""

from __future__ import annotations

import datetime as dt

from alliances.errors import AlliancesError


def parse_as_of(text: str | None) -> str | None:
    """Validate a user's --as-of date (YYYY, YYYY-MM or YYYY-MM-DD) and return it as YYYY-MM-DD
    (the last day of a year or month).

    >>> parse_as_of("2024-02"), parse_as_of("2025")
    ('2024-02-29', '2025-12-31')
    >>> parse_as_of("2025-13")
    Traceback (most recent call last):
    ...
    alliances.errors.AlliancesError: --as-of: '2025-13' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)
    """
    if text is None:
        return None
    import re

    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    try:
        if not match:
            raise ValueError(text)
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is None:
            return dt.date(year, 12, 31).isoformat()
        if day is None:
            if not 1 <= month <= 12:
                raise ValueError(text)
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return (nxt - dt.timedelta(days=1)).isoformat()
        return dt.date(year, month, day).isoformat()
    except (ValueError, OverflowError):
        raise AlliancesError(f"--as-of: '{text}' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)") from None


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
    from alliances.store.base import QueryResult
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
    return QueryResult("SELECT", variables=result.variables, rows=kept), len(result.rows) - len(kept)
