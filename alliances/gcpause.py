"""Pause Python's cyclic garbage collector while a function builds large structures.

Building the dependency graph of a 1M-triple store allocates millions of dicts, lists
and tuples, none of them in reference cycles; the collector still walks them over and
over as they pile up (1M triples: dependency graph 6.2 s with it, 3.9 s without).
Reference counting keeps freeing memory meanwhile; the collector resumes afterwards.

>>> @gc_paused
... def build():
...     return [{} for _ in range(3)]
>>> len(build())
3
"""

from __future__ import annotations

import functools
import gc


def gc_paused(function):
    """Decorator: run `function` with the cyclic collector off (restored afterwards)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper
