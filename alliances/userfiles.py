"""The one way a file the user names as input (a portfolio, a query file) is read: bounded
(a device such as /dev/zero never ends), and never waiting forever (a FIFO no program
writes into is read as empty, where a plain open() would block until one does).

>>> import os, tempfile
>>> fifo = os.path.join(tempfile.mkdtemp(), "fifo")
>>> os.mkfifo(fifo)
>>> read_input(fifo, 100)
b''
>>> read_input(os.path.dirname(fifo), 100)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
alliances.errors.AlliancesError: ...: is a directory
"""

from __future__ import annotations

import os
import stat

from alliances.errors import AlliancesError


def read_input(path, limit: int) -> bytes:
    """Up to `limit` + 1 bytes of `path` (so a caller sees that it is larger than `limit`);
    a path that cannot be read is an AlliancesError naming it."""
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; cleared right after, so a
        # pipe with a writer (`cat x | alliances portfolio /dev/stdin`) is read to its end
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise AlliancesError(f"{path}: {exc.strerror or exc}") from None
    except ValueError:  # a NUL byte
        raise AlliancesError(f"{path!r}: not a file name") from None
    try:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise AlliancesError(f"{path}: is a directory")
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise AlliancesError(f"{path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
