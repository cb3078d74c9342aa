"""Prodigy JSONL: one task a line, with tokens, token-indexed spans and relations.

Written as Prodigy's ``ner_manual`` and ``relations`` views save tasks, so
``prodigy db-in`` and ``spacy`` read them: ``tokens`` from our tokenizer
(:mod:`.tokens`), ``spans`` with character offsets (code points) and
``token_start``/``token_end`` (inclusive), ``relations`` with ``head``/``child``
(the last token of each span, as Prodigy writes merged spans) and
``head_span``/``child_span``. ``answer`` is ``accept`` for done documents and
``ignore`` for skipped ones; documents still to do carry none.
``_input_hash``/``_task_hash`` are stable across runs but are not Prodigy's own
hash function (Prodigy only needs them consistent).
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
    json_object,
    label_name,
    record_text,
    resolve_offsets,
    stable_hash,
)
from annotator.core.formats.tokens import Aligner, tokenize
from annotator.core.importing import _jsonl_lines, refuse_unread_keys
from annotator.core.incoming import NewDocument
from annotator.core.project import Project

NOT_ALIGNED = (
    "spans not on token boundaries (token_start/token_end widened to the tokens they overlap)"
)
_ANSWER_STATUS = {"accept": "done", "reject": "skipped", "ignore": "skipped"}
_STATUS_ANSWER = {"done": "accept", "skipped": "ignore"}


def read(path: Path, **_options: object) -> Iterator[NewDocument]:
    """Prodigy tasks -> documents; ``reject`` answers become skipped, noted in the metadata."""
    path = Path(path)
    for number, line in _jsonl_lines(path):
        yield _document(path, number, json_object(path, number, line))


# What the reader takes from a task (Prodigy's own "_" keys are read as bookkeeping).
_READS = frozenset(
    {
        "text",
        "meta",
        "answer",
        "tokens",
        "spans",
        "relations",
        "name",
        "_input_hash",
        "_task_hash",
        "_view_id",
        "_session_id",
        "_annotator_id",
        "_timestamp",
        "_is_binary",
    }
)


def _document(path: Path, number: int, record: dict[str, Any]) -> NewDocument:
    text = record_text(record, path, number)
    refuse_unread_keys(record, _READS, "Prodigy JSONL", path, number, foreign_only=True)
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputError(path, '"meta" must be an object', number)
    answer = record.get("answer")
    status = _ANSWER_STATUS.get(answer, "todo") if isinstance(answer, str) else "todo"
    if answer == "reject":
        meta = {**meta, "answer": "reject"}
    raw_tokens = record.get("tokens")
    tokens: list[Any] = raw_tokens if isinstance(raw_tokens, list) else []
    spans: list[dict[str, Any]] = []
    keys: dict[tuple[int, int, str], str] = {}

    def add_span(raw: Any, what: str) -> str:
        if not isinstance(raw, dict):
            raise InputError(path, f"{what} is not an object", number)
        start, end = raw.get("start"), raw.get("end")
        if start is None and "token_start" in raw:
            start, end = _from_tokens(tokens, raw, path, number, what)
        start, end = resolve_offsets(
            text,
            start,
            end,
            offsets="codepoints",
            expected=raw.get("text"),
            path=path,
            line=number,
            what=what,
        )
        label = label_name(raw.get("label"), path, number, what)
        key = (start, end, label)
        if key not in keys:
            keys[key] = f"s{len(spans)}"
            span = {"id": keys[key], "start": start, "end": end, "label": label}
            for extra in ("annotator", "note"):
                if isinstance(raw.get(extra), str):
                    span[extra] = raw[extra]
            spans.append(span)
        return keys[key]

    raw_spans = record.get("spans") or []
    if not isinstance(raw_spans, list):
        raise InputError(path, '"spans" must be a list', number)
    for i, raw in enumerate(raw_spans, start=1):
        add_span(raw, f"span {i}")
    relations = []
    raw_relations = record.get("relations") or []
    if not isinstance(raw_relations, list):
        raise InputError(path, '"relations" must be a list', number)
    for i, raw in enumerate(raw_relations, start=1):
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("head_span"), dict)
            or not isinstance(raw.get("child_span"), dict)
        ):
            raise InputError(path, f'relation {i} needs "head_span" and "child_span"', number)
        head = add_span(raw["head_span"], f"relation {i}'s head span")
        child = add_span(raw["child_span"], f"relation {i}'s child span")
        relations.append({"head": head, "child": child, "label": str(raw.get("label") or "")})
    return NewDocument(
        text=text,
        name=str(record.get("name") or meta.get("title") or ""),
        meta=meta,
        status=status,
        spans=spans,
        relations=relations,
        source=f"{path}, line {number}",
    )


def _from_tokens(
    tokens: list[Any], raw: dict[str, Any], path: Path, number: int, what: str
) -> tuple[int, int]:
    try:
        first, last = tokens[raw["token_start"]], tokens[raw["token_end"]]
        return int(first["start"]), int(last["end"])
    except (IndexError, KeyError, TypeError, ValueError):
        raise InputError(path, f"{what} names tokens the task does not have", number) from None


def task(
    document: Any, spans: Sequence[Any], relations: Sequence[Any], report: WriteReport
) -> dict[str, Any]:
    """One Prodigy task for a document (shared with the spaCy writer's checks)."""
    tokens = tokenize(document.text)
    aligner = Aligner(tokens)
    records: dict[int, dict[str, Any]] = {}
    for span in spans:
        first, last, exact = aligner(span.start, span.end)
        if not exact:
            report.lose(NOT_ALIGNED)
        record = {
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "token_start": first,
            "token_end": last,
            "label": span.label,
            "annotator": span.annotator,
        }
        if span.note:
            record["note"] = span.note
        records[span.id] = record
    keep = ("start", "end", "token_start", "token_end", "label")
    out: dict[str, Any] = {
        "text": document.text,
        "name": document.name,
        "meta": document.meta,
        "_input_hash": stable_hash(document.text),
        "_task_hash": 0,
        "tokens": [
            {"text": t.text, "start": t.start, "end": t.end, "id": i, "ws": t.ws}
            for i, t in enumerate(tokens)
        ],
        "spans": list(records.values()),
        "relations": [
            {
                "head": records[r.head]["token_end"],
                "child": records[r.child]["token_end"],
                "head_span": {k: records[r.head][k] for k in keep},
                "child_span": {k: records[r.child][k] for k in keep},
                "label": r.label,
            }
            for r in relations
            if r.head in records and r.child in records
        ],
        "_view_id": "relations" if relations else "ner_manual",
    }
    out["_task_hash"] = stable_hash(
        document.text,
        orjson.dumps([out["spans"], out["relations"]], option=orjson.OPT_SORT_KEYS).decode(),
    )
    if document.status in _STATUS_ANSWER:
        out["answer"] = _STATUS_ANSWER[document.status]
    report.spans += len(records)
    report.relations += len(out["relations"])
    return out


def write(
    project: Project,
    output: str | Path,
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    **_options: object,
) -> WriteReport:
    report = WriteReport()
    with atomic_output(output) as stream:
        for document, spans, relations in project.iter_annotated(
            status=status, labels=labels, layers=layers
        ):
            stream.write(orjson.dumps(task(document, spans, relations, report)))
            stream.write(b"\n")
            report.documents += 1
    return report


FORMAT = register(
    Format(
        name="prodigy",
        title="Prodigy JSONL",
        extensions=(".jsonl",),
        read=read,
        write=write,
        keeps="text, metadata, status (as answer), spans (nested too), notes, annotators, "
        "relations, tokens",
        loses="token alignment of spans that cut a token (counted); rejected answers import "
        "as skipped",
        keeps_annotators=True,
    )
)
