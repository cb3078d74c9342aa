"""Our own JSONL: one document a line with its spans and relations (code-point offsets)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from annotator.core.exporting import atomic_output, write_jsonl
from annotator.core.formats import Format, WriteReport, register
from annotator.core.importing import jsonl_documents
from annotator.core.project import NewDocument, Project


def read(path: Path, **_options: object) -> Iterator[NewDocument]:
    return jsonl_documents(Path(path))


def write(
    project: Project,
    output: str | Path,
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    **_options: object,
) -> WriteReport:
    with atomic_output(output) as stream:
        count = write_jsonl(project, stream, status=status, labels=labels)
    return WriteReport(documents=count)


FORMAT = register(
    Format(
        name="jsonl",
        title="annotator JSONL",
        extensions=(".jsonl", ".ndjson"),
        read=read,
        write=write,
        keeps="everything: text, metadata, status, spans (nested, overlapping), notes, annotators, relations",
        loses="nothing",
    )
)
