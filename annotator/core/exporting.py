"""Writing documents out: our JSONL, streamed, and the atomic file writer all formats share."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.core.errors import OutputError, cannot_write
from annotator.core.model import Document, Relation, Span
from annotator.core.project import Project
from annotator.core.schema import APPLICATION_ID, SQLITE_MAGIC


def span_record(span: Span) -> dict[str, Any]:
    return {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": span.text,
        "annotator": span.annotator,
        "note": span.note,
    }


def document_record(
    document: Document, spans: list[Span], relations: list[Relation]
) -> dict[str, Any]:
    """One line of our JSONL: spaCy's ``doc.char_span(start, end, label)`` takes its spans
    as they are."""
    return {
        "id": document.id,
        "name": document.name,
        "text": document.text,
        "meta": document.meta,
        "status": document.status,
        **(
            {"statuses": document.statuses}
            if _says_more(document.statuses, document.status)
            else {}
        ),
        "spans": [span_record(span) for span in spans],
        "relations": [{"head": r.head, "child": r.child, "label": r.label} for r in relations],
    }


def _says_more(statuses: dict[str, str], status: str) -> bool:
    """Whether each annotator's status must be written beside the one ``status``."""
    return len(statuses) > 1 or any(value != status for value in statuses.values())


def refuse_overwriting(target: Path) -> None:
    """Refuse an output that is a SQLite database: one of our projects (whatever its
    name, the project being exported included) or another program's database."""
    try:
        if not stat.S_ISREG(target.stat().st_mode):
            return
        with open(target, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return  # missing or unreadable: writing will say what is wrong
    if not header.startswith(SQLITE_MAGIC):
        return
    ours = len(header) >= 72 and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    what = "an annotator project" if ours else "a SQLite database"
    raise OutputError(
        target, f"is {what}; an export would replace it. Name a new output file instead"
    )


@contextlib.contextmanager
def atomic_output(output: str | Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write to a temporary file beside ``output`` and rename it into place on success,
    so a failed export never leaves half a file. ``-`` is standard output.

    An output that is not a regular file (a device such as /dev/null, a FIFO) is
    written directly: renaming over it would replace the device with a file. A
    SQLite database is never overwritten. Failures to write raise OutputError.
    """
    if str(output) == "-":
        stream = sys.stdout.buffer if "b" in mode else sys.stdout
        try:
            yield stream
            stream.flush()
        except OSError as exc:
            raise cannot_write("standard output", exc) from None
        return
    target = Path(output)
    text_options: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
    try:
        existing = target.stat()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise cannot_write(target, exc) from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise OutputError(target, "is a folder: name a file to write")
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        try:
            with open(target, mode, **text_options) as direct:
                yield direct
                direct.flush()
        except OSError as exc:
            raise cannot_write(target, exc) from None
        return
    refuse_overwriting(target)
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent or "."
        )
    except OSError as exc:
        raise cannot_write(target, exc) from None
    try:
        with os.fdopen(handle, mode, **text_options) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp_name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise cannot_write(target, exc) from None
        raise


def write_jsonl(
    project: Project,
    stream: IO[bytes],
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    suggestions: bool = False,
) -> int:
    """Stream every document as one JSON line; returns how many were written.

    With ``suggestions``, each line also carries the document's pending
    suggestions (``"suggestions": [{start, end, label, text, source}]``).

    ``status`` is the status of the one layer exported, or of the current
    annotator; where several layers are exported and their statuses differ,
    ``statuses`` gives each one's, so an import gives each layer its own back.

    Builds :func:`document_record`'s dicts straight from SQLite's rows: with a
    million spans, making Span records first would take most of the time.
    """
    count = 0
    dumps, loads = orjson.dumps, orjson.loads
    answered_by = project.export_layers(layers)
    write = stream.write
    for row, spans, relations in project.iter_annotated_rows(
        status=status, labels=labels, layers=layers
    ):
        record: dict[str, Any] = {
            "id": row[0],
            "name": row[1],
            "text": row[2],
            "meta": loads(row[3]) if row[3] else {},
            "status": row[4],
        }
        statuses = loads(row[7]) if row[7] else {}
        if _says_more(statuses, row[4]):
            record["statuses"] = statuses
        record |= {
            "spans": [
                {
                    "id": s[0],
                    "start": s[2],
                    "end": s[3],
                    "label": s[4],
                    "text": s[5],
                    "annotator": s[6],
                    "note": s[7],
                }
                for s in spans
            ],
            "relations": [{"head": r[1], "child": r[2], "label": r[3]} for r in relations],
        }
        if suggestions:
            record["suggestions"] = [
                {
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "text": s.text,
                    "source": s.annotator.removeprefix("suggest:"),
                }
                for s in project.suggestions(row[0], answered_by=answered_by)
                if labels is None or s.label in labels
            ]
        write(dumps(record) + b"\n")
        count += 1
    return count


def export_jsonl(
    project: Project,
    output: str | Path,
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
) -> int:
    with atomic_output(output) as stream:
        return write_jsonl(project, stream, status=status, labels=labels, layers=layers)
