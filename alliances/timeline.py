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

from .errors import AlliancesError


def parse_as_of(text: str | None) -> str | None:
    """Validate a user's --as-of date (YYYY, YYYY-MM or YYYY-MM-DD) and return it as YYYY-MM-DD."""
    if text is None:
        return None
    parts = text.strip().split("-")
    try:
        if len(parts) == 1:
            return dt.date(int(parts[0]), 12, 31).isoformat()
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return (nxt - dt.timedelta(days=1)).isoformat()
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
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
