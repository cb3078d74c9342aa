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
from annotator.core.incoming import ImportReport, NewDocument
from annotator.core.model import STATUSES
from annotator.core.project import MAX_DOCUMENT_CHARS

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
JSONL_SUFFIXES = (".jsonl", ".ndjson")

# Leading header fields of news dumps: "date 2023-09-12 The South Korean ...".
HEADER_FIELDS = ("date", "title", "source", "url", "author")
_DATE_VALUE = re.compile(
    r"(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?=\s|$)"
)
_FIELD = re.compile(r"[ \t]*(date|title|source|url|author)(?::[ \t]*|[ \t]+)", re.IGNORECASE)
_URL_VALUE = re.compile(r"\S+")
_BLANK_LINE = re.compile(r"[ \t]*(?:\r?\n|$)")

MAX_LINE_BYTES = 64 * 1024 * 1024
MAX_TEXT_FILE_BYTES = 4 * MAX_DOCUMENT_CHARS  # UTF-8: at most 4 bytes a character


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Leading ``date``/``title``/``source``/``url``/``author`` fields -> (meta, body).

    The rule (README, "Headers"): each field starts a line, its name followed by
    a colon or a space. ``date`` and ``url`` take one word (a date; a URL with
    ``://``) and the article may go on after it on the same line, as in the
    sample. ``title``, ``source`` and ``author`` take the rest of their line. A
    run of such lines opening the file is its header; a header of one line
    without a colon counts only when a blank line follows it, so that "Source
    code is ..." or "title of the piece is long" stays prose. The body is the
    rest of the file exactly as it was, less the white space before it.
    """
    meta: dict[str, str] = {}
    pos = 0
    with_colon = 0
    runs_on = False  # the body starts on the last field's line
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
        if key in ("date", "url"):
            found = (_DATE_VALUE if key == "date" else _URL_VALUE).match(text, value_start)
            if not found or (key == "url" and "://" not in found.group()):
                break
            value, value_end = found.group(), found.end()
        else:
            value, value_end = text[value_start:line_end].strip(), line_end
            if not value:
                break
        meta[key] = value
        with_colon += ":" in match.group()
        if text[value_end:line_end].strip():
            pos, runs_on = value_end, True
            break
        pos = min(line_end + 1, len(text))
    if not meta:
        return {}, text
    if len(meta) == 1 and not with_colon and not runs_on and not _BLANK_LINE.match(text, pos):
        return {}, text  # one colon-less line running straight into prose: prose
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
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
    """One .txt/.md file -> one document, header fields kept as metadata.

    ``display`` is the file's path inside the folder it was found in (``x/a.txt``):
    the document is named by it without the extension (``x/a``) unless a title says.
    """
    raw = read_text_file(path)
    meta, body = split_header(raw)
    if not body.strip():
        raise InputError(path, "holds no text to annotate")
    shown = display or path.name
    meta = {**meta, "file": shown}
    stem = shown[: -len(path.suffix)] if path.suffix and shown.endswith(path.suffix) else shown
    return NewDocument(text=body, name=meta.get("title") or stem, meta=meta, source=str(path))


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
    refuse_unread_keys(record, OUR_KEYS, "annotator JSONL", path, number)
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


# What our JSONL reads: every other key is refused, so that nothing is dropped unseen.
OUR_KEYS = frozenset(
    {"id", "name", "text", "meta", "status", "statuses", "spans", "relations", "suggestions"}
)
OUR_SPAN_KEYS = frozenset({"id", "start", "end", "label", "text", "annotator", "note", "source"})

# Keys only another tool's format reads, and that format's --format name.
FOREIGN_KEYS = {
    "label": "doccano",
    "labels": "doccano",
    "entities": "doccano",
    "tokens": "prodigy",
    "_input_hash": "prodigy",
    "_task_hash": "prodigy",
    "answer": "prodigy",
    "_view_id": "prodigy",
    "token_start": "prodigy",
    "token_end": "prodigy",
    "data": "label-studio",
    "annotations": "label-studio",
    "predictions": "label-studio",
}


def looks_like(record: dict[str, Any]) -> str | None:
    """The format a record's keys name (Prodigy first: its tasks carry ``spans`` too)."""
    formats = [FOREIGN_KEYS[key] for key in record if key in FOREIGN_KEYS]
    for name in ("prodigy", "label-studio", "doccano"):
        if name in formats:
            return name
    return None


def refuse_unread_keys(
    record: dict[str, Any],
    reads: frozenset[str],
    format_title: str,
    path: Path,
    number: int,
    *,
    foreign_only: bool = False,
) -> None:
    """Refuse a key the chosen format would drop, naming a format that reads it.

    ``foreign_only``: formats that keep any other key as metadata refuse only the
    keys another format reads.
    """
    for key in record:
        if key in reads:
            continue
        other = FOREIGN_KEYS.get(key)
        if other is None and foreign_only:
            continue
        if other is not None:
            hint = f"; this looks like {other}: use --format {other}"
        else:
            hint = f" (it reads {', '.join(sorted(reads))})"
        raise InputError(path, f'"{key}" is not a key of {format_title}{hint}', number)


def _check_spans(
    path: Path, number: int, text: str, spans: Any, what: str = "span"
) -> list[dict[str, Any]]:
    if not isinstance(spans, list):
        raise InputError(path, f'"{what}s" must be a list', number)
    checked = []
    for i, span in enumerate(spans, start=1):
        if not isinstance(span, dict):
            raise InputError(path, f"{what} {i} is not an object", number)
        refuse_unread_keys(span, OUR_SPAN_KEYS, "annotator JSONL spans", path, number)
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


def expand_paths(paths: Iterable[str | Path], passed_over: list[str] | None = None) -> list[Path]:
    """Files named, and the .txt/.md/.jsonl files inside folders named (recursively)."""
    return [path for path, _ in expand_named(paths, passed_over)]


def expand_named(
    paths: Iterable[str | Path], passed_over: list[str] | None = None
) -> list[tuple[Path, str]]:
    """(file, name shown) for the files named and the .txt/.md/.jsonl files in folders
    named; a file in a folder is named by its path inside that folder (``x/a.txt``),
    so ``x/a.txt`` and ``y/a.txt`` stay apart. What a folder holds that is not read
    (other files, hidden ones, links) is added to ``passed_over``."""
    found: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                (file, file.relative_to(path).as_posix())
                for file in folder_files(path, TEXT_SUFFIXES + JSONL_SUFFIXES, passed_over)
            )
        elif path.exists():
            found.append((path, path.name))
        else:
            raise InputError(path, "does not exist")
    return found


def folder_files(
    folder: Path, suffixes: tuple[str, ...], passed_over: list[str] | None = None
) -> list[Path]:
    """The files with ``suffixes`` in ``folder`` and below, in name order; hidden files
    and folders and links are passed over and, with everything else, named in
    ``passed_over`` (relative to ``folder``, a folder with a trailing ``/``)."""
    taken: list[Path] = []
    skipped: list[str] = []
    for entry in sorted(folder.rglob("*")):
        parts = entry.relative_to(folder).parts
        if any(part.startswith(".") for part in parts[:-1]):
            continue  # inside a hidden folder: the folder itself is named once
        name = "/".join(parts) + ("/" if entry.is_dir() and not entry.is_symlink() else "")
        if parts[-1].startswith(".") or entry.is_symlink():
            skipped.append(name)
        elif entry.is_file():
            if entry.suffix.lower() in suffixes:
                taken.append(entry)
            else:
                skipped.append(name)
    if passed_over is not None:
        passed_over.extend(skipped)
    return taken


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


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def summarise_import(report: ImportReport, passed_over: list[str] | None = None) -> list[str]:
    """What an import added, and what it did not and why, in lines for a person
    (the command line prints them, the window shows them)."""
    lines = [
        f"Added {_plural(report.added, 'document')}, {_plural(report.spans, 'span')} and "
        f"{_plural(report.relations, 'relation')}."
    ]
    if report.matched:
        lines.append(
            f"Matched {_plural(report.matched, 'document')} already in the project by their"
            " text: their spans were added to them."
        )
    if report.spans_existing or report.relations_existing:
        lines.append(
            f"Not added: {_plural(report.spans_existing, 'span')} and"
            f" {_plural(report.relations_existing, 'relation')} already there"
            " (the same annotator's, exactly)."
        )
    if passed_over:
        shown = ", ".join(passed_over[:5]) + (", ..." if len(passed_over) > 5 else "")
        lines.append(
            f"Passed over {_plural(len(passed_over), 'file')} of a kind not imported, "
            f"hidden or linked: {shown}"
        )
    if report.layers:
        lines.append(f"Annotators: {', '.join(report.layers)}")
    if report.new_labels:
        lines.append(f"New labels: {', '.join(report.new_labels)}")
    if report.new_relation_types:
        lines.append(f"New relation types: {', '.join(report.new_relation_types)}")
    return lines
