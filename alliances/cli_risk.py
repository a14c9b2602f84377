"""CLI commands of the risk area, added to the `alliances` group by :func:`register`."""


def register(main) -> None:
    """Add this module's commands to the click group `main`."""
