"""Progress on long work: a click progress bar on stderr, drawn only when stderr is a
terminal and the work is big enough to wait for.

The library never imports click: a long step takes a callback ``progress(done, total,
item)`` and calls it before each unit of work (``item`` is what is about to be worked on,
e.g. the file to parse) and once at the end with ``done == total``. ``done`` and
``total`` are in any unit the step likes (the stores count bytes of files, so a big file
moves the bar more than a small one). :class:`Progress` is such a callback.

Example (a stream that says it is a terminal; 10 units are enough to show):

>>> import io
>>> class Terminal(io.StringIO):
...     def isatty(self):
...         return True
>>> out = Terminal()
>>> with Progress("loading", stream=out, min_total=10) as tick:
...     for done, name in [(0, "a.ttl"), (40, "b.ttl"), (100, None)]:
...         tick(done, 100, name)
>>> "loading" in out.getvalue() and "100%" in out.getvalue()
True
>>> with Progress("loading", stream=io.StringIO()) as tick:  # not a terminal: nothing drawn
...     tick(0, 100, "a.ttl")
"""

from __future__ import annotations

import sys

import click

# Below this many bytes of Turtle a load takes well under a second: no bar.
LOAD_MIN_BYTES = 4_000_000


def is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _name(item) -> str | None:
    from pathlib import PurePath

    return PurePath(item).name if isinstance(item, PurePath) else (None if item is None else str(item))


class Progress:
    """A progress callback drawing a click progress bar on `stream` (stderr by default).

    Nothing is drawn when `stream` is not a terminal, or when the whole work (`total` of the
    first call) is below `min_total`. The bar is wiped when the work is done; used as a
    context manager, a failed work leaves the bar where it stopped, on a line of its own,
    so the error message follows it.
    """

    def __init__(self, label: str, stream=None, min_total: int = 0):
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.min_total = min_total
        self.bar = None
        self._decided = False
        self.enabled = is_terminal(self.stream)

    def __call__(self, done: int, total: int, item=None) -> None:
        if not self.enabled:
            return
        if not self._decided:
            self._decided = True
            if total < self.min_total or done >= total:
                self.enabled = False
                return
            self.bar = click.progressbar(length=total, label=self.label, file=self.stream,
                                         item_show_func=_name, show_eta=True, show_percent=True)
            self.bar.current_item = item
            self.bar.render_progress()
        if self.bar is None:
            return
        self.bar.update(max(0, done - self.bar.pos), item)
        if done >= total:
            self.close()

    def echo(self, line: str) -> None:
        """Print a message line on the stream without breaking the bar (redrawn below it)."""
        if self.bar is None:
            click.echo(line, file=self.stream)
            return
        self.stream.write("\r\033[K")
        click.echo(line, file=self.stream)
        self.bar.render_progress()

    def close(self, keep: bool = False) -> None:
        """End the bar: wipe it (`keep` False), or leave it drawn and end its line."""
        if self.bar is None:
            return
        if keep:
            self.bar.render_finish()
        else:
            self.stream.write("\r\033[K\033[?25h")  # wipe the line, show the cursor again
            self.stream.flush()
        self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.close(keep=kind is not None)
