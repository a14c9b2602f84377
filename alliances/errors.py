"""Errors that the CLI turns into one line on stderr and exit code 2."""


class AlliancesError(Exception):
    """Bad input or a failed operation; the message is one line meant for a user.

    >>> str(AlliancesError("no entity 'nvidai'; did you mean 'nvidia'?"))
    "no entity 'nvidai'; did you mean 'nvidia'?"
    """
