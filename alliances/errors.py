"""Errors that the CLI turns into one line on stderr and exit code 2."""


class AlliancesError(Exception):
    """Bad input or a failed operation; the message is one line meant for a user.

    >>> str(AlliancesError("no entity 'nvidai'; did you mean 'nvidia'?"))
    "no entity 'nvidai'; did you mean 'nvidia'?"
    """


class QueryRefused(AlliancesError):
    """The read-only gate refused a query: it would reach outside the graph, write, or is
    too big for the engines (`serve` answers HTTP 403)."""


class ResultTooLarge(AlliancesError):
    """A query's answer has more rows (or triples) than the caller's limit (`serve`: 413)."""

    def __init__(self, limit: int):
        super().__init__(f"the answer has more than {limit} rows; add a LIMIT")
        self.limit = limit


def one_line(text, limit: int = 1000) -> str:
    """`text` as one line a terminal shows as written: lines joined by spaces, every
    character that is not printable (ESC, NUL, tab, bidi overrides, lone surrogates of
    non-UTF-8 bytes) shown as its escape, and a text longer than `limit` cut in the
    middle (the head names the file and line, the tail the reason).

    >>> one_line("no entity 'a\\x1b[2J'\\n  second line")
    "no entity 'a\\\\x1b[2J' second line"
    >>> one_line("bad \\udcff and \\u202e"), len(one_line("x" * 5000))
    ('bad \\\\udcff and \\\\u202e', 1000)
    """
    text = str(text).replace("\r\n", "\n")
    text = " ".join(part.strip() for part in text.split("\n") if part.strip())
    if not text.isprintable():
        text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
    if len(text) > limit:
        head = limit * 2 // 3
        text = text[:head] + " ... " + text[len(text) - (limit - head - 5):]
    return text
