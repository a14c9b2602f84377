"""Caches that let commands skip work already done on the same data.

- The parsed rdflib Dataset of the memory store, keyed by the files' resolved paths,
  mtimes and sizes (plus Python, rdflib and alliances versions): any change to a data
  file means a fresh parse.
- The answers of the library's own bulk queries (:meth:`alliances.store.memory.Store.values`)
  on a store whose content is fixed: the memory store (same key as above) and an
  Oxigraph store built by ``alliances load`` (keyed by its directory and its load
  record, which every load rewrites). A SPARQL endpoint's data can change under us:
  its answers are never cached. User queries are never cached.

Both live in private directories (0700, owned by the user) under the user cache dir; a
file is only unpickled if this user wrote it there and nobody else can write it.
ALLIANCES_NO_CACHE=1 turns both off.
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


def answers_dir() -> Path:
    return cache_dir().parent / "answers"


def _private_dir(directory: Path | None = None) -> Path | None:
    """The cache directory, made 0700 if new; None if it is not ours and private."""
    directory = directory or cache_dir()
    try:
        directory.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = directory.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return directory


def key(files) -> str:
    import rdflib

    from alliances import __version__

    digest = hashlib.sha256(f"{sys.version}|{rdflib.__version__}|{__version__}".encode())
    for path in files:
        path = Path(path).resolve()
        info = path.stat()
        digest.update(f"\0{path}\0{info.st_mtime_ns}\0{info.st_size}".encode())
    return digest.hexdigest()[:32]


def _read(path: Path):
    """Unpickle `path` if this user owns it and nobody else can write it; else None."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & 0o077 or not stat.S_ISREG(info.st_mode):
                return None
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None


def _write(path: Path, value) -> None:
    """Pickle `value` to `path` through a temp file and a rename (never half-written)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        pass


def _keep_newest(paths, count: int) -> None:
    """Delete all but the `count` most recently modified of `paths` (files or folders)."""
    import shutil

    def mtime(path):
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    for old in sorted(paths, key=mtime, reverse=True)[count:]:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def has(files) -> bool:
    """Whether a parsed Dataset for `files` is cached (not read)."""
    if not enabled():
        return False
    directory = _private_dir()
    return directory is not None and (directory / f"{key(files)}.pickle").is_file()


def get(files):
    """The cached Dataset for `files`, or None."""
    if not enabled():
        return None
    directory = _private_dir()
    return None if directory is None else _read(directory / f"{key(files)}.pickle")


def put(files, dataset) -> None:
    """Store the parsed Dataset for `files` (temp file + rename; stale entries dropped)."""
    if not enabled():
        return
    directory = _private_dir()
    if directory is None:
        return
    path = directory / f"{key(files)}.pickle"
    _write(path, dataset)
    _keep_newest(directory.glob("*.pickle"), 4)


def _answer_path(store_key: str, query: str) -> Path | None:
    directory = _private_dir(answers_dir() / store_key)
    if directory is None:
        return None
    return directory / f"{hashlib.sha256(query.encode()).hexdigest()[:32]}.pickle"


def get_answer(store_key: str, query: str):
    """The cached rows of `query` on the store with `store_key`, or None."""
    if not enabled():
        return None
    path = _answer_path(store_key, query)
    return None if path is None else _read(path)


def put_answer(store_key: str, query: str, rows) -> None:
    """Keep the rows of `query`; only the 64 newest answers of a store, and the answers of
    the 8 most recently used stores, are kept."""
    if not enabled():
        return
    path = _answer_path(store_key, query)
    if path is None:
        return
    _write(path, rows)
    os.utime(path.parent)  # the store was used now: keep it among the recent ones
    _keep_newest(path.parent.glob("*.pickle"), 64)  # the library asks about 15 different queries
    _keep_newest([p for p in answers_dir().iterdir() if p.is_dir()], 8)
