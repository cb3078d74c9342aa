"""Import and export formats: one module a format, one small interface.

Each format module defines a :class:`Format`; :data:`FORMATS` holds them by
name. Readers yield :class:`NewDocument` (stored all or nothing by
``Project.add_documents``); writers stream from ``Project.iter_annotated``
through :func:`annotator.core.exporting.atomic_output`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


from annotator.core.errors import InputError
from annotator.core.project import NewDocument, Project


@dataclass
class WriteReport:
    """What an export wrote, and what the format could not hold (counted, never silent)."""

    documents: int = 0
    spans: int = 0
    relations: int = 0
    lost: dict[str, int] = field(default_factory=dict)  # reason -> count

    def lose(self, reason: str, count: int = 1) -> None:
        self.lost[reason] = self.lost.get(reason, 0) + count


Reader = Callable[..., Iterator[NewDocument]]
Writer = Callable[..., WriteReport]


@dataclass(frozen=True)
class Format:
    name: str  # as given to --format
    title: str  # as shown in dialogs
    extensions: tuple[str, ...]  # ".jsonl"; "/" for a folder
    read: Reader | None = None  # read(path, **options) -> Iterator[NewDocument]
    write: Writer | None = None  # write(project, output, *, status, labels, **options)
    keeps: str = ""  # for the README's table
    loses: str = ""


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def guess_format(path: str | Path, *, for_writing: bool) -> str:
    """The format named by a file's extension, where only one format uses it."""
    path = Path(path)
    suffix = "".join(path.suffixes[-1:]).lower() or ("/" if path.is_dir() else "")
    candidates = [
        f.name
        for f in FORMATS.values()
        if suffix in f.extensions and (f.write if for_writing else f.read)
    ]
    if "jsonl" in candidates:
        return "jsonl"
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise InputError(path, f"cannot tell the format from {suffix or 'the name'!r}: name one with --format")
    raise InputError(path, f"{suffix!r} could be {', '.join(candidates)}: name one with --format")


def _load() -> None:
    from annotator.core.formats import jsonl  # noqa: F401


_load()

__all__ = ["FORMATS", "Format", "NewDocument", "Project", "WriteReport", "guess_format", "register"]

