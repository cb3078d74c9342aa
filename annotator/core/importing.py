"""Reading documents in: plain text, Markdown, and our own JSONL.

Readers only parse; :meth:`Project.add_documents` stores, all or nothing. A
file that is not UTF-8 text, or a line that does not parse, raises
:class:`InputError` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from annotator.core.errors import InputError
from annotator.core.model import STATUSES
from annotator.core.project import MAX_DOCUMENT_CHARS, NewDocument

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
JSONL_SUFFIXES = (".jsonl", ".ndjson")

# Leading header fields of news dumps: "date 2023-09-12 The South Korean ...".
HEADER_FIELDS = ("date", "title", "source", "url", "author")
_DATE_VALUE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
)
_FIELD = re.compile(r"[ \t]*(date|title|source|url|author)(?::[ \t]*|[ \t]+)", re.IGNORECASE)
_URL_VALUE = re.compile(r"\S+")

MAX_LINE_BYTES = 64 * 1024 * 1024
MAX_TEXT_FILE_BYTES = 4 * MAX_DOCUMENT_CHARS  # UTF-8: at most 4 bytes a character


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Leading ``date``/``title``/``source``/``url``/``author`` fields -> (meta, body).

    A field may stand on its own line ("title: ...") or run into the body on the
    same line, as a date does in "date 2023-09-12 The South Korean ...". The
    body is the rest of the file exactly as it was.
    """
    meta: dict[str, str] = {}
    pos = 0
    while True:
        match = _FIELD.match(text, pos)
        if not match:
            break
        key = match.group(1).lower()
        if key in meta:
            break
        value_start = match.end()
        line_end = text.find("\n", value_start)
        if line_end == -1:
            line_end = len(text)
        if key == "date":
            value = _DATE_VALUE.match(text, value_start)
            if not value:
                break
            meta[key] = value.group()
            pos = value.end()
        elif key == "url":
            value = _URL_VALUE.match(text, value_start)
            if not value or "://" not in value.group():
                break
            meta[key] = value.group()
            pos = value.end()
        else:
            value_text = text[value_start:line_end].strip()
            if not value_text or match.group().strip().lower() == key:
                # "title Something" without a colon is too likely to be prose:
                # only "title:" forms are taken for free-text fields.
                break
            meta[key] = value_text
            pos = line_end
        # Skip the white space between a field and what follows it.
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
    if not meta:
        return {}, text
    return meta, text[pos:]


def read_text_file(path: Path) -> str:
    """The file as UTF-8 text, BOM dropped, everything else kept as it is."""
    try:
        if path.stat().st_size > MAX_TEXT_FILE_BYTES:
            raise InputError(
                path,
                f"is {path.stat().st_size / 2**20:,.0f} MiB; annotator takes articles of up to "
                f"{MAX_DOCUMENT_CHARS:,} characters (split longer texts)",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})") from exc
    if b"\x00" in data:
        raise InputError(path, "is not a text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", line
        ) from None
    return text.removeprefix("\ufeff")


def text_document(path: Path, display: str | None = None) -> NewDocument:
    """One .txt/.md file -> one document, header fields kept as metadata."""
    raw = read_text_file(path)
    meta, body = split_header(raw)
    if not body.strip():
        raise InputError(path, "holds no text to annotate")
    meta = {**meta, "file": display or path.name}
    return NewDocument(text=body, name=meta.get("title") or path.stem, meta=meta, source=str(path))


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their numbers; a line too long to be an article is refused
    before it is read whole."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})") from exc
    with handle:
        number = 0
        while line := handle.readline(MAX_LINE_BYTES + 1):
            number += 1
            if number == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if len(line) > MAX_LINE_BYTES:
                raise InputError(path, f"line is longer than {MAX_LINE_BYTES // 2**20} MiB", number)
            if line.strip():
                yield number, line


def jsonl_documents(path: Path) -> Iterator[NewDocument]:
    """Our JSONL: {"text", "meta"?, "name"?, "status"?, "spans"?, "relations"?} a line."""
    for number, line in _jsonl_lines(path):
        yield parse_jsonl_record(path, number, line)


def parse_jsonl_record(path: Path, number: int, line: bytes) -> NewDocument:
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON ({exc.msg})", number) from None
    except RecursionError:
        raise InputError(path, "JSON nested too deeply", number) from None
    if not isinstance(record, dict):
        raise InputError(path, 'expected a JSON object with a "text"', number)
    text = record.get("text")
    if not isinstance(text, str) or not text:
        raise InputError(path, 'missing a non-empty "text" string', number)
    if "\x00" in text:
        raise InputError(path, "text contains a NUL character", number)
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputError(path, '"meta" must be an object', number)
    status = record.get("status") or "todo"
    if status not in STATUSES:
        raise InputError(path, f"unknown status {status!r} (todo, done, skipped)", number)
    statuses = record.get("statuses") or {}
    if not isinstance(statuses, dict) or not all(
        isinstance(layer, str) and layer.strip() and value in STATUSES
        for layer, value in statuses.items()
    ):
        raise InputError(path, '"statuses" must map annotators to todo, done or skipped', number)
    spans = _check_spans(path, number, text, record.get("spans") or [])
    suggestions = _check_spans(path, number, text, record.get("suggestions") or [], "suggestion")
    for suggestion in suggestions:
        source = suggestion.get("source")
        if not isinstance(source, str) or not source.strip():
            raise InputError(path, 'each suggestion needs a "source"', number)
        spans.append(
            {
                "start": suggestion["start"],
                "end": suggestion["end"],
                "label": suggestion["label"],
                "text": suggestion.get("text"),
                "annotator": f"suggest:{source.strip()}",
            }
        )
    relations = record.get("relations") or []
    if not isinstance(relations, list) or not all(
        isinstance(r, dict) and "head" in r and "child" in r for r in relations
    ):
        raise InputError(path, '"relations" must be a list of {"head", "child", "label"}', number)
    name = record.get("name") or meta.get("title") or ""
    return NewDocument(
        text=text,
        name=str(name),
        meta=meta,
        status=status,
        spans=spans,
        relations=relations,
        source=f"{path}, line {number}",
        statuses=statuses,
    )


def _check_spans(
    path: Path, number: int, text: str, spans: Any, what: str = "span"
) -> list[dict[str, Any]]:
    if not isinstance(spans, list):
        raise InputError(path, f'"{what}s" must be a list', number)
    checked = []
    for i, span in enumerate(spans, start=1):
        if not isinstance(span, dict):
            raise InputError(path, f"{what} {i} is not an object", number)
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        if not (type(start) is int and type(end) is int):
            raise InputError(path, f'{what} {i} needs whole-number "start" and "end"', number)
        if not isinstance(label, str) or not label.strip():
            raise InputError(path, f'{what} {i} needs a "label"', number)
        if not 0 <= start < end <= len(text):
            raise InputError(
                path,
                f"{what} {i} ({start}-{end}) does not fit the text (length {len(text)})",
                number,
            )
        expected = span.get("text")
        if expected is not None and text[start:end] != expected:
            raise InputError(
                path,
                f"{what} {i} ({start}-{end}) says {expected!r} but the text there is "
                f"{text[start:end]!r}",
                number,
            )
        checked.append(span)
    return checked


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the .txt/.md/.jsonl files inside folders named (recursively)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and not p.is_symlink()
                    and p.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.exists():
            found.append(path)
        else:
            raise InputError(path, "does not exist")
    return found


def read_documents(paths: Iterable[Path]) -> Iterator[NewDocument]:
    """Documents of every file, in order: the importer for ``annotator add``."""
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            yield from jsonl_documents(path)
        elif suffix in TEXT_SUFFIXES or suffix == "":
            yield text_document(path)
        else:
            raise InputError(path, f"unknown kind of file {suffix!r} (use .txt, .md or .jsonl)")
