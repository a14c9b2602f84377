"""The `alliances` command line (click): thin commands over the library.

One module per command family (catalog, risk, graph, scale), the shared options in
:mod:`alliances.cli.options`, the group and its global options in :mod:`alliances.cli.app`.
"""

from alliances.cli.app import main

__all__ = ["main"]
