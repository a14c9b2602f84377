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
