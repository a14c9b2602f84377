"""Numbers and dates read from the user's data, checked before use.

A value the data types wrongly (``al:share "abc"^^xsd:decimal``, ``al:value "lots"``,
``al:announced "not-a-date"^^xsd:date``) is skipped, not a crash: it is reported once
per store as one warning line on stderr, naming the file and line where it is written
(found by searching the loaded files' text), and `alliances validate` reports it as a
SHACL violation. rdflib's own "Failed to convert Literal" log tracebacks are silenced.

>>> number(None, "0.25"), number(None, "1e3"), number(None, None)
(0.25, 1000.0, None)
>>> date_text(None, "2025-06"), date_text(None, "2025-13-01", warn=False)
('2025-06', None)
>>> number(None, "\uff11") is None, date_text(None, "\uff12\uff10\uff12\uff15", warn=False)
(True, None)
"""

from __future__ import annotations

import logging
import math
import re
import sys

# re.ASCII: \d and \s are then ASCII digits and spaces, as XSD's lexical forms are; else
# "１"^^xsd:decimal (a fullwidth digit, an invalid decimal) was read as 1.0, and "２０２５"
# as a date that every comparison with an ASCII date got wrong
NUMBER = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*", re.ASCII)
DATE = re.compile(r"(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?(Z|[+-]\d\d:\d\d)?", re.ASCII)


class _DropFailedConversions(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal")


_FILTER = _DropFailedConversions()


def quiet_rdflib() -> None:
    """Drop rdflib's 'Failed to convert Literal lexical form' log records (each with a
    traceback): an ill-typed value is reported once, by :func:`number` / :func:`date_text`,
    where it is used."""
    logger = logging.getLogger("rdflib.term")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


def number(store, value, subject=None, prop: str = "value", minimum: float | None = None) -> float | None:
    """`value` (a literal or its text) as a finite float, or None (unbound, or not a
    number, or below `minimum`: then reported once, see :func:`bad_value`).

    >>> number(None, "2.5e9"), number(None, "NaN"), number(None, "-1", minimum=0.0)
    (2500000000.0, None, None)
    """
    if value is None:
        return None
    text = str(value)
    if NUMBER.fullmatch(text):
        result = float(text)
        if math.isfinite(result) and (minimum is None or result >= minimum):
            return result
        if math.isfinite(result):
            bad_value(store, subject, prop, text, f"a number >= {minimum:g}")
            return None
    bad_value(store, subject, prop, text, "a finite number")
    return None


def date_text(store, value, subject=None, prop: str = "date", warn: bool = True) -> str | None:
    """`value` as its text if it is an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, what the
    data's xsd:gYear, xsd:gYearMonth and xsd:date hold), else None (reported once)."""
    if value is None:
        return None
    text = str(value).strip()
    match = DATE.fullmatch(text)
    if match and match.group(5):
        import datetime as dt

        try:
            dt.date.fromisoformat(match.group(0)[:10])
        except ValueError:
            match = None
    if match:
        return text
    if warn:
        bad_value(store, subject, prop, text, "a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return None


def bad_value(store, subject, prop: str, text: str, expected: str) -> None:
    """Report once per store: 'warning: FILE:LINE: <subject> al:<prop> "text" is not
    <expected>; skipped'."""
    from alliances.vocab import local_id

    seen = getattr(store, "_bad_values", None)
    if seen is None:
        seen = set()
        if store is not None:
            try:
                store._bad_values = seen
            except AttributeError:
                pass
    key = (str(subject), prop, text)
    if key in seen:
        return
    seen.add(key)
    who = local_id(subject) if subject is not None else "a value"
    shown = text if len(text) <= 60 else text[:57] + "..."
    where = locate(store, who, text)
    name = prop if ":" in prop else f"al:{prop}"
    sys.stderr.write(f"warning: {where + ': ' if where else ''}{who} {name} {shown!r} is not "
                     f"{expected}; value skipped\n")


def locate(store, subject_id: str, text: str) -> str | None:
    """'FILE:LINE' of the line of a loaded file that holds `text` quoted, in a statement
    about `subject_id` if one is found (a Turtle statement starts at column 0), else the
    first line holding it; None when no file holds it.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "x.ttl"
    >>> _ = f.write_text('e:a al:v "bad" .\\ne:b a al:X ;\\n    al:v "bad" .\\n')
    >>> class S:
    ...     def files(self): return [f]
    >>> locate(S(), "b", "bad").endswith("x.ttl:3")
    True
    """
    files = store.files() if store is not None and hasattr(store, "files") else []
    quoted = f'"{text}"'
    names = re.compile(rf"(?<![\w.-]){re.escape(subject_id)}(?![\w-])")
    for path in reversed(files):  # the user's files come last
        first = None
        inside = False
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                for number_, line in enumerate(handle, 1):
                    if line[:1] not in ("", " ", "\t", "\n", "\r", "#"):
                        inside = False  # a new statement
                    if names.search(line):
                        inside = True
                    if quoted in line:
                        if inside:
                            return f"{path}:{number_}"
                        first = first or number_
        except OSError:
            continue
        if first is not None:
            return f"{path}:{first}"
    return None
