"""Import and export formats: one module a format, one small interface.

Each format module defines a :class:`Format`; :data:`FORMATS` holds them by
name. Readers yield :class:`NewDocument` (stored all or nothing by
``Project.add_documents``); writers stream from ``Project.iter_annotated``
through :func:`annotator.core.exporting.atomic_output` and return a
:class:`WriteReport` counting what the format could not hold.

Callers (the command line, the window's dialogs) go through
:func:`read_inputs` and :func:`write_output`, which pick the format by
extension when none is named and refuse options a format does not take.
Offsets in and out are code points; every conversion from another tool's
counting is in :mod:`._common`. docs/formats.md has the table of formats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError
from annotator.core.incoming import NewDocument
from annotator.core.project import Project


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
    options: tuple[str, ...] = ()  # extra options read/write accept: "offsets", "layer", "excel"
    # Whether each span says whose it is; a format that cannot must be given one layer.
    keeps_annotators: bool = False


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
        raise InputError(
            path, f"cannot tell the format from {suffix or 'the name'!r}: name one with --format"
        )
    raise InputError(path, f"{suffix!r} could be {', '.join(candidates)}: name one with --format")


def _options_for(fmt: Format, options: dict[str, Any]) -> dict[str, Any]:
    """The options given (None means not given), refusing those the format does not take."""
    given = {key: value for key, value in options.items() if value is not None}
    for key in given:
        if key not in fmt.options:
            raise ValueError(f"--{key} does not apply to the {fmt.name} format")
    return given


def _guess_input(path: Path) -> str:
    from annotator.core.importing import TEXT_SUFFIXES

    if path.is_dir():
        return "brat" if next(path.rglob("*.ann"), None) is not None else "text"
    if path.suffix.lower() in (*TEXT_SUFFIXES, ""):
        return "text"
    return guess_format(path, for_writing=False)


def sniff_jsonl(path: Path) -> str:
    """The format a JSON-lines file's first record names by its keys: doccano's
    ``label``/``entities``, Prodigy's ``tokens``/``_input_hash``/``answer``, else ours."""
    import orjson

    from annotator.core.importing import _jsonl_lines, looks_like

    for _number, line in _jsonl_lines(path):
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            return "jsonl"  # the reader names the line
        return (looks_like(record) if isinstance(record, dict) else None) or "jsonl"
    return "jsonl"


def read_inputs(
    paths: Iterable[str | Path],
    fmt: str | None = None,
    *,
    passed_over: list[str] | None = None,
    **options: Any,
) -> Iterator[NewDocument]:
    """Documents of every path, in order, lazily (for ``Project.add_documents``).

    With no format named: .txt/.md files and folders of them as plain text,
    JSON lines in the format their first record's keys name (ours, doccano,
    Prodigy), a folder holding .ann files as brat, anything else by its
    extension. A folder read in a one-file format yields each of its files.
    Files a folder holds that are not read are named in ``passed_over``.
    """
    from annotator.core.importing import JSONL_SUFFIXES, expand_named, folder_files, text_document

    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(path, "does not exist")
        name = fmt or _guess_input(path)
        if name == "text" and fmt is None:
            _options_for(Format("text", "", ()), options)
            for file, shown in expand_named([path], passed_over):
                if file.suffix.lower() in JSONL_SUFFIXES:
                    yield from _reader(sniff_jsonl(file), file)(file)
                else:
                    yield text_document(file, shown)
            continue
        if name == "jsonl" and fmt is None and path.is_file():
            name = sniff_jsonl(path)
        chosen = FORMATS.get(name)
        if chosen is None or chosen.read is None:
            readable = ", ".join(f.name for f in FORMATS.values() if f.read)
            raise InputError(path, f"cannot import {name!r} (formats that import: {readable})")
        given = _options_for(chosen, options)
        if path.is_dir() and "/" not in chosen.extensions:
            files = folder_files(path, chosen.extensions, passed_over)
            if not files:
                raise InputError(path, f"holds no {'/'.join(chosen.extensions)} files")
            for file in files:
                yield from chosen.read(file, **given)
        else:
            yield from chosen.read(path, **given)


def _reader(name: str, path: Path) -> Reader:
    chosen = FORMATS.get(name)
    if chosen is None or chosen.read is None:
        raise InputError(path, f"cannot import {name!r}")
    return chosen.read


def write_output(
    project: Project,
    output: str | Path,
    fmt: str | None = None,
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    **options: Any,
) -> WriteReport:
    """Export in the format named, or the one the output's extension names (``-``: ours).

    ``layers`` are the annotators exported (default: every person and gold; see
    :meth:`Project.export_layers`)."""
    name = fmt or ("jsonl" if str(output) == "-" else guess_format(output, for_writing=True))
    chosen = FORMATS.get(name)
    if chosen is None or chosen.write is None:
        writable = ", ".join(f.name for f in FORMATS.values() if f.write)
        raise InputError(output, f"cannot export as {name!r} (formats that export: {writable})")
    chosen_layers = project.export_layers(layers)
    if len(chosen_layers) > 1 and not chosen.keeps_annotators:
        raise ValueError(
            f"{chosen.name} cannot tell annotators apart, and this project has"
            f" {len(chosen_layers)} ({', '.join(chosen_layers)}): choose one with --annotator"
            " NAME (the adjudicated set is --annotator gold)"
        )
    return chosen.write(
        project,
        output,
        status=status,
        labels=labels,
        layers=layers,
        **_options_for(chosen, options),
    )


# In the order dialogs list them.
_MODULES = (
    "jsonl",
    "prodigy",
    "doccano",
    "brat",
    "labelstudio",
    "conll",
    "spacy_docbin",
    "attribution",
)


def _load() -> None:
    import importlib

    for module in _MODULES:
        importlib.import_module(f"{__name__}.{module}")


_load()

__all__ = [
    "FORMATS",
    "Format",
    "NewDocument",
    "Project",
    "WriteReport",
    "guess_format",
    "read_inputs",
    "register",
    "write_output",
]
