"""The one way files are written: a temp file next to the target, then a rename.

A reader never sees a half-written file, a failed write (full disk, missing folder)
leaves the old file as it was, and the target must be a regular file or a new path:
a symlink, a FIFO, a device or a directory is refused, never replaced (as root,
replacing /dev/null by a regular file breaks the machine).

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> write_atomic(out, "hello\\n").read_text()
'hello\\n'
>>> write_atomic(out.parent / "missing" / "x.txt", b"")
Traceback (most recent call last):
...
alliances.errors.AlliancesError: ...: folder ... does not exist
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from alliances.errors import AlliancesError

_KINDS = [(stat.S_ISLNK, "a symlink"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory")]


def check_target(path) -> Path:
    """`path` if it is a new path or a regular file (not a symlink); else AlliancesError."""
    path = Path(path)
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise AlliancesError(f"{path}: {exc.strerror or exc}") from None
    except ValueError:  # a NUL byte: no file has that name
        raise AlliancesError(f"{str(path)!r}: not a file name") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        what = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise AlliancesError(f"{path}: is {what}; refusing to replace it (give a regular file or a new path)")
    parent = path.parent
    if not parent.is_dir():
        raise AlliancesError(f"{path}: folder {parent} does not exist")
    return path


def write_atomic(path, data, private: bool = False, durable: bool = True) -> Path:
    """Write `data` (bytes, str as UTF-8, or a function that writes to a binary file) to
    `path` through a temp file in the same folder and a rename; returns the path.

    A new file gets mode 0666 minus the umask (0600 when `private`); a replaced file keeps
    its mode. `durable` flushes the data to disk before the rename (outputs); caches skip
    it. Any failure is an AlliancesError naming the path, and nothing is left behind.
    """
    path = check_target(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = _stage(path, data if callable(data) else (lambda out: out.write(data)), private, durable)
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        _discard(tmp, exc, path)
    return path


def write_atomic_set(files: dict) -> list[Path]:
    """Write several files (`{path: bytes or str}`) as one output: every file is written
    and flushed to a temp file first, then all are renamed; a failure or Ctrl-C before
    the renames leaves every target as it was, and no temp file behind.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_atomic_set({d / "a.csv": "a\\n", d / "b.csv": b"b\\n"})]
    ['a.csv', 'b.csv']
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path = check_target(path)
            body = data.encode("utf-8") if isinstance(data, str) else data
            staged.append((_stage(path, lambda out, body=body: out.write(body)), path))
        for tmp, path in staged:
            os.replace(tmp, path)
            staged = [(t, p) for t, p in staged if t != tmp]
    except BaseException as exc:
        for tmp, _ in staged:
            _unlink(tmp)
        _discard(None, exc, getattr(exc, "filename", None) or "")
    return list(files)


def _stage(path: Path, write, private: bool = False, durable: bool = True) -> str:
    """A flushed temp file next to `path` holding what `write(file)` writes; its name.
    Its mode: 0600 when `private`, else the mode of the file it replaces (a new file:
    0666 minus the umask)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise AlliancesError(f"{path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        if not private:
            try:
                mode = stat.S_IMODE(os.stat(path).st_mode)
            except FileNotFoundError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(tmp, mode)
    except BaseException as exc:
        _discard(tmp, exc, path)
    return tmp


def _unlink(tmp) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _discard(tmp, exc: BaseException, path) -> None:
    """Remove the temp file `tmp` (if any) after `exc`, and raise: an OSError as one
    AlliancesError naming `path`, anything else (Ctrl-C) as it is."""
    if tmp is not None:
        _unlink(tmp)
    if isinstance(exc, OSError):
        raise AlliancesError(f"{path}: {exc.strerror or exc}") from None
    raise exc
