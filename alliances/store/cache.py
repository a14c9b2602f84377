"""Caches that let commands skip work already done on the same data.

- The parsed rdflib Dataset of the pure-Python store (``--store rdflib``), keyed by the
  files' resolved paths, mtimes and sizes (plus Python, rdflib and alliances versions):
  any change to a data file means a fresh parse (shipped data: 7 s -> 2 s per command).
- The answers of the library's own bulk queries (:meth:`alliances.store.base.Store.values`)
  on a store whose content is fixed: the rdflib store (same key as above) and an
  Oxigraph store built by ``alliances load`` (keyed by its directory and its load
  record, which every load rewrites; 1M triples: risk 16.9 s -> 11.0 s). The embedded
  default store does not use it: it parses its files on every run anyway, and its
  queries are faster than reading their answers back. A SPARQL endpoint's data can
  change under us: its answers are never cached. User queries are never cached.

Both live in private directories (0700, owned by the user) under the user cache dir,
and every folder on the way there is checked too (owned by the user or root, not
writable by others unless sticky like /tmp). Answers are JSON (rows of strings and
nulls): reading one cannot run code. The parsed Dataset stays a pickle (rdflib graphs
have no faster safe format); a pickle is only read from the checked private folder, and
only if this user wrote it there and nobody else can write it. Any failure to read an
entry (corrupted, truncated, not ours) is a miss, and the entry is rewritten.
ALLIANCES_NO_CACHE=1 turns both off.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path

FORMAT = 3  # of the answers files (JSON)


def enabled() -> bool:
    return os.environ.get("ALLIANCES_NO_CACHE", "") in ("", "0") and hasattr(os, "getuid")


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "alliances"


def cache_dir() -> Path:
    return cache_root() / "parsed"


def answers_dir() -> Path:
    return cache_root() / "answers"


def _safe_path(directory: Path) -> bool:
    """Whether every folder from / to `directory` is safe: the cache's own folders (the
    cache root and below) belong to this user with no access for others; the folders
    above belong to this user or root and nobody else can write them (unless sticky)."""
    uid = os.getuid()
    try:
        real, root = directory.resolve(strict=True), cache_root().resolve(strict=True)
        folders = [real, *real.parents]
        infos = [os.lstat(folder) for folder in folders]
    except (OSError, RuntimeError):
        return False
    for folder, info in zip(folders, infos):
        if not stat.S_ISDIR(info.st_mode):
            return False
        if folder == root or root in folder.parents:
            if info.st_uid != uid or info.st_mode & 0o077:
                return False
        elif info.st_uid not in (uid, 0) or (info.st_mode & 0o022 and not info.st_mode & stat.S_ISVTX):
            return False
    return root == real or root in real.parents


def _private_dir(directory: Path | None = None) -> Path | None:
    """The cache directory, made 0700 if new; None if it, or a folder on its path, is not safe."""
    directory = directory or cache_dir()
    try:
        cache_root().mkdir(parents=True, exist_ok=True, mode=0o700)
        directory.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return directory if _safe_path(directory) else None


def key(files) -> str:
    import rdflib

    from alliances import __version__
    from alliances.errors import AlliancesError

    digest = hashlib.sha256(f"{sys.version}|{rdflib.__version__}|{__version__}".encode())
    for path in files:
        try:
            path = Path(path).resolve()
            info = path.stat()
        except OSError as exc:  # gone since it was listed
            raise AlliancesError(f"{path}: {exc.strerror or exc}") from None
        digest.update(f"\0{path}\0{info.st_mtime_ns}\0{info.st_size}".encode())
    return digest.hexdigest()[:32]


def _open_own(path: Path):
    """`path` opened for reading if it is a regular file this user owns that nobody else
    can write; else None."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError:
        return None
    info = os.fstat(handle.fileno())
    if info.st_uid != os.getuid() or info.st_mode & 0o077 or not stat.S_ISREG(info.st_mode):
        handle.close()
        return None
    return handle


def _drop(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _read_pickle(path: Path):
    """The Dataset pickled at `path` (checked as :func:`_open_own` says), or None. Only
    the parse cache is a pickle, and only in the user's checked private folder."""
    import pickle

    handle = _open_own(path)
    if handle is None:
        return None
    try:
        with handle:
            value = pickle.load(handle)
    except Exception:  # noqa: BLE001 - any broken entry is a miss (and is rewritten)
        _drop(path)
        return None
    import rdflib

    if not isinstance(value, rdflib.Dataset):
        _drop(path)
        return None
    return value


def _write(path: Path, data) -> None:
    """Write `data` (bytes, or a function writing to a binary file) through a temp file
    and a rename; a failure leaves no entry."""
    from alliances.atomic import write_atomic

    try:
        write_atomic(path, data, private=True, durable=False)
    except Exception:  # noqa: BLE001 - e.g. a full disk: a cache never fails a command
        _drop(path)


def _keep_newest(paths, count: int) -> None:
    """Delete all but the `count` most recently modified of `paths` (files or folders)."""
    import shutil

    def mtime(path):
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    for old in sorted(paths, key=mtime, reverse=True)[count:]:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            _drop(old)


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
    return None if directory is None else _read_pickle(directory / f"{key(files)}.pickle")


def put(files, dataset) -> None:
    """Store the parsed Dataset for `files` (temp file + rename; stale entries dropped)."""
    if not enabled():
        return
    import pickle

    directory = _private_dir()
    if directory is None:
        return
    path = directory / f"{key(files)}.pickle"
    _write(path, lambda out: pickle.dump(dataset, out, protocol=pickle.HIGHEST_PROTOCOL))
    _keep_newest(directory.glob("*.pickle"), 4)


def _query_hash(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()


def _answer_path(store_key: str, query: str) -> Path | None:
    if not store_key or "/" in store_key or store_key.startswith("."):
        return None
    directory = _private_dir(answers_dir() / store_key)
    if directory is None:
        return None
    return directory / f"{_query_hash(query)[:32]}.json"


def _read_answer(path: Path, query: str):
    """The rows kept at `path` for `query` (tuples of strings or None), or None when the
    entry is missing, not ours, or not exactly the expected shape.

    An entry is JSON: the distinct strings once, then every cell as an index into them
    (-1 for unbound), row after row, as base64 of little-endian int32 (about 1.4x the
    time of unpickling the rows, where JSON integers took 2x); reading it cannot run code.
    """
    import array
    import base64
    from operator import itemgetter

    handle = _open_own(path)
    if handle is None:
        return None
    try:
        with handle:
            body = json.loads(handle.read().decode("utf-8"))
        if (not isinstance(body, dict) or body.get("format") != FORMAT
                or body.get("query") != _query_hash(query)):
            raise ValueError("not an answers entry")
        width, count, strings = body["width"], body["count"], body["strings"]
        cells = array.array("i")
        cells.frombytes(base64.b64decode(body["cells"].encode("ascii"), validate=True))
        if sys.byteorder == "big":
            cells.byteswap()
        if (type(width) is not int or type(count) is not int or width < 0 or count < 0
                or not isinstance(strings, list) or len(cells) != width * count
                or not all(type(v) is str for v in strings)
                or (cells and not -1 <= min(cells) <= max(cells) < len(strings))):
            raise ValueError("not an answers entry")
        if width == 0:
            return [()] * count
        table = [*strings, None]  # index -1: unbound
        values = itemgetter(*cells)(table) if len(cells) > 1 else tuple(table[c] for c in cells)
        return list(zip(*[iter(values)] * width))
    except Exception:  # noqa: BLE001 - any broken entry is a miss (and is rewritten)
        _drop(path)
        return None


def _encode_answer(query: str, rows) -> bytes:
    import array
    import base64

    index: dict[str | None, int] = {None: -1}
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("rows of different widths")
    cells = array.array("i", [index.setdefault(v, len(index) - 1) for row in rows for v in row])
    del index[None]
    if sys.byteorder == "big":
        cells.byteswap()
    body = {"format": FORMAT, "query": _query_hash(query), "width": width, "count": len(rows),
            "strings": list(index), "cells": base64.b64encode(cells.tobytes()).decode("ascii")}
    return json.dumps(body, separators=(",", ":")).encode("ascii")


def get_answer(store_key: str, query: str):
    """The cached rows of `query` on the store with `store_key`, or None."""
    if not enabled():
        return None
    path = _answer_path(store_key, query)
    return None if path is None else _read_answer(path, query)


def put_answer(store_key: str, query: str, rows) -> None:
    """Keep the rows of `query`; only the 64 newest answers of a store, and the answers of
    the 8 most recently used stores, are kept."""
    if not enabled():
        return
    path = _answer_path(store_key, query)
    if path is None:
        return
    try:
        data = _encode_answer(query, rows)
    except (ValueError, TypeError):
        return
    _write(path, data)
    try:
        os.utime(path.parent)  # the store was used now: keep it among the recent ones
        _keep_newest(path.parent.glob("*.json"), 64)  # the library asks about 15 different queries
        _keep_newest([p for p in answers_dir().iterdir() if p.is_dir()], 8)
    except OSError:
        pass
