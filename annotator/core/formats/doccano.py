"""doccano sequence-labelling JSONL, in both of doccano's shapes.

Plain: ``{"text", "label": [[start, end, "LABEL"], ...]}``. With relations:
``{"text", "entities": [{"id", "label", "start_offset", "end_offset"}],
"relations": [{"id", "from_id", "to_id", "type"}]}``. The reader takes either
on any line.

doccano's browser interface counts UTF-16 units, so its files put spans after
an emoji one place too far per emoji. ``offsets="utf16"`` converts them; by
default offsets are code points and a span that only fits as UTF-16 units is
refused with a message saying so. Writing, ``offsets="utf16"`` produces what
doccano's interface shows correctly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from annotator.core.errors import InputError
from annotator.core.exporting import atomic_output
from annotator.core.formats import Format, WriteReport, register
from annotator.core.formats._common import (
    check_offsets_option,
    json_object,
    label_name,
    record_text,
    resolve_offsets,
    to_utf16,
)
from annotator.core.importing import _jsonl_lines, refuse_unread_keys
from annotator.core.incoming import NewDocument
from annotator.core.model import STATUSES
from annotator.core.project import Project

_OWN_KEYS = frozenset(
    {
        "text",
        "label",
        "labels",
        "entities",
        "relations",
        "id",
        "Comments",
        "comments",
        "name",
        "status",
        "meta",
    }
)


def read(path: Path, *, offsets: str | None = None, **_options: object) -> Iterator[NewDocument]:
    path = Path(path)
    check_offsets_option(offsets)
    for number, line in _jsonl_lines(path):
        yield _document(path, number, json_object(path, number, line), offsets)


def _document(path: Path, number: int, record: dict[str, Any], offsets: str | None) -> NewDocument:
    text = record_text(record, path, number)
    if "spans" in record:
        raise InputError(
            path,
            '"spans" is not a key of doccano JSONL; '
            "this looks like annotator JSONL: use --format jsonl",
            number,
        )
    refuse_unread_keys(record, _OWN_KEYS, "doccano JSONL", path, number, foreign_only=True)
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    if "entities" in record:
        entities = record.get("entities") or []
        if not isinstance(entities, list):
            raise InputError(path, '"entities" must be a list', number)
        for i, entity in enumerate(entities, start=1):
            if not isinstance(entity, dict):
                raise InputError(path, f"entity {i} is not an object", number)
            start, end = resolve_offsets(
                text,
                entity.get("start_offset"),
                entity.get("end_offset"),
                offsets=offsets,
                expected=None,
                path=path,
                line=number,
                what=f"entity {i}",
            )
            label = label_name(entity.get("label"), path, number, f"entity {i}")
            spans.append(
                {"id": entity.get("id", f"e{i}"), "start": start, "end": end, "label": label}
            )
        ids = {span["id"] for span in spans}
        for i, rel in enumerate(record.get("relations") or [], start=1):
            if (
                not isinstance(rel, dict)
                or rel.get("from_id") not in ids
                or rel.get("to_id") not in ids
            ):
                raise InputError(
                    path, f"relation {i} must link two of the line's entities by id", number
                )
            relations.append(
                {"head": rel["from_id"], "child": rel["to_id"], "label": str(rel.get("type") or "")}
            )
    else:
        raw = record.get("label", record.get("labels")) or []
        if not isinstance(raw, list):
            raise InputError(path, '"label" must be a list of [start, end, "LABEL"]', number)
        for i, item in enumerate(raw, start=1):
            if not (isinstance(item, list) and len(item) == 3):
                raise InputError(
                    path, f'label {i} must be [start, end, "LABEL"], not {item!r}', number
                )
            start, end = resolve_offsets(
                text,
                item[0],
                item[1],
                offsets=offsets,
                expected=None,
                path=path,
                line=number,
                what=f"label {i}",
            )
            spans.append(
                {
                    "start": start,
                    "end": end,
                    "label": label_name(item[2], path, number, f"label {i}"),
                }
            )
    # doccano puts metadata at the top level; our own exports nest it under "meta".
    meta = {key: value for key, value in record.items() if key not in _OWN_KEYS}
    if isinstance(record.get("meta"), dict):
        meta.update(record["meta"])
    status = record.get("status")
    return NewDocument(
        text=text,
        name=str(record.get("name") or meta.get("title") or ""),
        meta=meta,
        status=status if status in STATUSES else "todo",
        spans=spans,
        relations=relations,
        source=f"{path}, line {number}",
    )


def _writer(relations_variant: bool):  # type: ignore[no-untyped-def]
    def write(
        project: Project,
        output: str | Path,
        *,
        status: str | None = None,
        labels: Sequence[str] | None = None,
        layers: Sequence[str] | None = None,
        offsets: str | None = None,
        **_options: object,
    ) -> WriteReport:
        """One doccano line a document; offsets as code points unless ``offsets="utf16"``."""
        check_offsets_option(offsets)
        report = WriteReport()
        with atomic_output(output) as stream:
            for document, spans, relations in project.iter_annotated(
                status=status, labels=labels, layers=layers
            ):
                text = document.text

                def place(start: int, end: int, text: str = text) -> tuple[int, int]:
                    return to_utf16(text, start, end) if offsets == "utf16" else (start, end)

                record: dict[str, Any] = {"id": document.id, "text": text}
                if relations_variant:
                    record["entities"] = [
                        {"id": s.id, "label": s.label, "start_offset": a, "end_offset": b}
                        for s in spans
                        for a, b in [place(s.start, s.end)]
                    ]
                    record["relations"] = [
                        {"id": r.id, "from_id": r.head, "to_id": r.child, "type": r.label}
                        for r in relations
                    ]
                    report.relations += len(relations)
                else:
                    record["label"] = [[*place(s.start, s.end), s.label] for s in spans]
                    if relations:
                        report.lose(
                            "relations left out of doccano's plain variant (use doccano-relations)",
                            len(relations),
                        )
                notes = sum(1 for s in spans if s.note)
                if notes:
                    report.lose("span notes left out of doccano", notes)
                record["name"] = document.name
                record["status"] = document.status
                record["meta"] = document.meta
                record["Comments"] = []
                stream.write(orjson.dumps(record))
                stream.write(b"\n")
                report.documents += 1
                report.spans += len(spans)
        return report

    return write


FORMAT = register(
    Format(
        name="doccano",
        title="doccano JSONL (sequence labelling)",
        extensions=(".jsonl",),
        read=read,
        write=_writer(False),
        keeps="text, spans (nested too), metadata, document name and status as extra fields",
        loses="relations, span notes, annotators",
        options=("offsets",),
    )
)
RELATIONS_FORMAT = register(
    Format(
        name="doccano-relations",
        title="doccano JSONL (relations)",
        extensions=(".jsonl",),
        read=read,
        write=_writer(True),
        keeps="text, spans (nested too), relations, metadata, document name and status "
        "as extra fields",
        loses="span notes, annotators",
        options=("offsets",),
    )
)
