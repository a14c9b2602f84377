"""Where the shipped ontology, shapes and data live, and the user's files.

>>> ontology_path().name
'alliances.ttl'
"""

from __future__ import annotations

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
            found = sorted(path.rglob("*.ttl"))
            if not found:
                raise AlliancesError(f"{path}: directory holds no .ttl file")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise AlliancesError(f"{path}: no such file or directory")
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
