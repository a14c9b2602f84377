"""A cache of the parsed rdflib Dataset, so commands on the memory store skip parsing.

Keyed by the files' resolved paths, mtimes and sizes (plus Python, rdflib and alliances
versions): any change to a data file means a fresh parse. The cache lives in a private
directory (0700, owned by the user) under the user cache dir; a file is only unpickled
if this user wrote it there and nobody else can write it. ALLIANCES_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path


def enabled() -> bool:
    return os.environ.get("ALLIANCES_NO_CACHE", "") in ("", "0") and hasattr(os, "getuid")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "alliances" / "parsed"


def _private_dir() -> Path | None:
    """The cache directory, made 0700 if new; None if it is not ours and private."""
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = directory.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return directory


def key(files) -> str:
    import rdflib

    from . import __version__

    digest = hashlib.sha256(f"{sys.version}|{rdflib.__version__}|{__version__}".encode())
    for path in files:
        path = Path(path).resolve()
        info = path.stat()
        digest.update(f"\0{path}\0{info.st_mtime_ns}\0{info.st_size}".encode())
    return digest.hexdigest()[:32]


def get(files):
    """The cached Dataset for `files`, or None."""
    if not enabled():
        return None
    directory = _private_dir()
    if directory is None:
        return None
    try:
        path = directory / f"{key(files)}.pickle"
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & 0o077 or not stat.S_ISREG(info.st_mode):
                return None
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None


def put(files, dataset) -> None:
    """Store the parsed Dataset for `files` (temp file + rename; stale entries dropped)."""
    if not enabled():
        return
    directory = _private_dir()
    if directory is None:
        return
    try:
        name = f"{key(files)}.pickle"
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(dataset, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, directory / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in directory.glob("*.pickle"):  # keep the newest few
            if old.name != name and len(list(directory.glob("*.pickle"))) > 4:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, RecursionError):
        pass
