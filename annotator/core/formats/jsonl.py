"""Our own JSONL: one document a line with its spans and relations (code-point offsets)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.exporting import atomic_output, write_jsonl
from annotator.core.formats import Format, WriteReport, register
from annotator.core.importing import _jsonl_lines, parse_jsonl_record
from annotator.core.incoming import NewDocument
from annotator.core.project import Project


def read(path: Path, **_options: object) -> Iterator[NewDocument]:
    """Our JSONL; a line that is not a JSON object is named with a hint about --format."""
    path = Path(path)
    for number, line in _jsonl_lines(path):
        if not line.lstrip().startswith(b"{"):
            raise InputError(
                path,
                "not a JSON object (this does not look like JSON lines: is it the right --format?)",
                number,
            )
        yield parse_jsonl_record(path, number, line)


def write(
    project: Project,
    output: str | Path,
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    suggestions: bool = False,
    **_options: object,
) -> WriteReport:
    with atomic_output(output) as stream:
        count = write_jsonl(
            project, stream, status=status, labels=labels, layers=layers, suggestions=suggestions
        )
    return WriteReport(documents=count)


FORMAT = register(
    Format(
        name="jsonl",
        title="annotator JSONL",
        extensions=(".jsonl", ".ndjson"),
        read=read,
        write=write,
        keeps="everything: text, metadata, status, spans (nested, overlapping), notes, annotators, "
        "relations",
        loses="nothing",
        options=("suggestions",),
        keeps_annotators=True,
    )
)
