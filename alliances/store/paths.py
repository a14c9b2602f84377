"""Where the shipped ontology, shapes and data live, and the user's files.

>>> ontology_path().name
'alliances.ttl'
"""

from __future__ import annotations

import os
from pathlib import Path

from alliances.errors import AlliancesError

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # alliances/


def shipped_dir(name: str) -> Path:
    """Where the shipped `ontology/` or `data/` lives: inside the installed package,
    or at the top of a source checkout (editable installs)."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def ontology_path() -> Path:
    return shipped_dir("ontology") / "alliances.ttl"


def shapes_path() -> Path:
    return shipped_dir("ontology") / "shapes.ttl"


def shipped_data_files() -> list[Path]:
    return sorted(shipped_dir("data").glob("*.ttl"))


EXAMPLES_DIR = PACKAGE_DIR / "examples"
EXAMPLES = "examples:"


def example_path(raw) -> Path:
    """`examples:NAME` as the example file NAME shipped in the package (alliances/examples/),
    so the README's examples run from any directory; any other path unchanged.

    >>> example_path("examples:broken.ttl").name, example_path("mine.ttl")
    ('broken.ttl', PosixPath('mine.ttl'))
    >>> example_path("examples:nope.ttl")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    alliances.errors.AlliancesError: examples:nope.ttl: no such example (examples: broken.ttl, ...)
    """
    text = str(raw)
    if not text.startswith(EXAMPLES):
        return Path(raw)
    name = text[len(EXAMPLES):]
    path = EXAMPLES_DIR / name
    if "/" in name or "\\" in name or not path.is_file():
        shipped = ", ".join(sorted(p.name for p in EXAMPLES_DIR.iterdir() if p.is_file()))
        raise AlliancesError(f"{text}: no such example (examples: {shipped})")
    return path


def display(path) -> str:
    """How messages name a file: `examples:NAME` for a shipped example, else the path as given.

    >>> display(example_path("examples:broken.ttl")), display("data/x.ttl")
    ('examples:broken.ttl', 'data/x.ttl')
    """
    path = Path(path)
    if path.parent == EXAMPLES_DIR:
        return EXAMPLES + path.name
    return str(path)


def expand_paths(paths) -> list[Path]:
    """Files named by the user: a file, every *.ttl under a directory (sorted), or a shipped
    example (`examples:broken.ttl`, see :func:`example_path`).

    >>> expand_paths([])
    []
    """
    files: list[Path] = []
    for raw in paths:
        path = example_path(raw)
        if path.is_dir():
            # a folder named x.ttl is not a file to read (rglob also descends into it)
            found = sorted(p for p in path.rglob("*.ttl") if not p.is_dir())
            if not found:
                raise AlliancesError(f"{path}: directory holds no .ttl file")
            for file in found:
                _check_file(file)
            files.extend(found)
        else:
            files.append(_check_file(path))
    return files


def file_sizes(files) -> list[int]:
    """The size of each file in bytes (0 when it cannot be read: loading it will say why).

    >>> file_sizes(["/nonexistent.ttl"])
    [0]
    """
    sizes = []
    for path in files:
        try:
            sizes.append(Path(path).stat().st_size)
        except OSError:
            sizes.append(0)
    return sizes


def data_files(data=(), shipped: bool = True) -> list[Path]:
    """What a store is built from: the ontology, the shipped data (unless `shipped` is
    False) and the user's files or directories, in that order.

    >>> [p.name for p in data_files(shipped=False)]
    ['alliances.ttl']
    """
    return [ontology_path()] + (shipped_data_files() if shipped else []) + expand_paths(data)

def _check_file(path: Path) -> Path:
    """`path` if it is a regular file (or a link to one); a dangling link, a device or a
    missing path is an AlliancesError naming it."""
    if path.is_file():
        return path
    if path.is_symlink():
        raise AlliancesError(f"{path}: a symlink to a missing file ({os.readlink(path)})")
    if path.exists():
        raise AlliancesError(f"{path}: not a regular file")
    raise AlliancesError(f"{path}: no such file or directory")


def each_with_progress(files, progress=None):
    """Yield each of `files`, first telling `progress(done, total, path)` how far the
    work is, in bytes (the loaders' progress bars; see :mod:`alliances.cli.progress`).

    >>> list(each_with_progress([]))
    []
    """
    sizes = file_sizes(files) if progress is not None else []
    done, total = 0, sum(sizes)
    for i, path in enumerate(files):
        if progress is not None:
            progress(done, total, path)
            done += sizes[i]
        yield path
    if progress is not None:
        progress(total, total, None)  # done
