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


def expand_paths(paths) -> list[Path]:
    """Files named by the user: a file, or every *.ttl under a directory (sorted).

    >>> expand_paths([])
    []
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
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
