"""brat standoff: a folder (or .zip) of ``NAME.txt`` + ``NAME.ann`` pairs.

Offsets count code points of the ``.txt`` decoded as UTF-8 with every byte
kept: brat opens text with ``codecs.open``, which reads in binary mode, so a
CRLF counts as two characters there as it does here. We write each ``.txt`` as
the document's exact UTF-8 bytes, so the offsets need no arithmetic at all.

Reading:

- ``T`` lines become spans. A discontinuous span (``s1 e1;s2 e2``) whose
  fragments are separated only by white space (what brat writes for a span
  across a line break) becomes one span from the first start to the last end;
  any other discontinuous span becomes one span per fragment, the first linked
  to each of the others by a relation labelled ``fragment``.
- ``R`` lines become relations (``Arg1`` is the head, ``Arg2`` the child).
- ``#`` notes become the span's note; ``A``/``M`` attributes are added to the
  note as ``NAME`` or ``NAME=VALUE`` lines.
- Events (``E``), normalisations (``N``), equivalences (``*``) and relations
  between them are kept verbatim in the document's metadata under
  ``brat_unsupported``, so nothing disappears unseen.

Writing: one pair per document, a span across a line break as fragments
(``.ann`` lines cannot hold a line break), notes as ``AnnotatorNotes``, plus
``annotation.conf`` and ``visual.conf`` (label colours) so the folder opens in
a brat server as it is.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from annotator.core.errors import InputError, cannot_write
from annotator.core.exporting import atomic_output
from annotator.core.formats import Format, WriteReport, register
from annotator.core.formats._common import read_utf8
from annotator.core.incoming import NewDocument
from annotator.core.project import Project

MAX_TOTAL_BYTES = 1 << 30  # uncompressed size a zip may hold
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1 << 20
MAX_MEMBERS = 200_000
FRAGMENT = "fragment"
# What str.splitlines() (and so brat's line reader) breaks a line at.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_T_DATA = re.compile(r"^(\S+) (\d+ \d+(?:;\d+ \d+)*)$")


# --- reading ----------------------------------------------------------------------


def read(path: Path, **_options: object) -> Iterator[NewDocument]:
    """Documents of a brat folder or .zip, in name order."""
    path = Path(path)
    if path.is_dir():
        yield from _read_folder(path)
    elif path.suffix.lower() == ".zip":
        yield from _read_zip(path)
    elif path.suffix.lower() in (".ann", ".txt"):
        txt, ann = path.with_suffix(".txt"), path.with_suffix(".ann")
        try:
            text_bytes = txt.read_bytes()
            ann_bytes = ann.read_bytes() if ann.exists() else b""
        except OSError as exc:
            raise InputError(txt, f"cannot be read ({exc.strerror})") from exc
        yield parse_pair(path.stem, txt, text_bytes, ann, ann_bytes)
    else:
        raise InputError(path, "is not a brat folder, .zip, .txt or .ann file")


def _read_folder(folder: Path) -> Iterator[NewDocument]:
    texts = sorted(
        p
        for p in folder.rglob("*.txt")
        if p.is_file()
        and not p.is_symlink()
        and not any(x.startswith(".") for x in p.relative_to(folder).parts)
    )
    if not texts:
        raise InputError(folder, "holds no .txt files: not a brat folder")
    for txt in texts:
        ann = txt.with_suffix(".ann")
        name = txt.relative_to(folder).with_suffix("").as_posix()
        try:
            text_bytes = txt.read_bytes()
            ann_bytes = ann.read_bytes() if ann.is_file() else b""
        except OSError as exc:
            raise InputError(txt, f"cannot be read ({exc.strerror})") from exc
        yield parse_pair(name, txt, text_bytes, ann, ann_bytes)


def _safe_member(archive: Path, name: str) -> PurePosixPath | None:
    """The member's path, None to skip it; InputError for names that climb out."""
    parts = PurePosixPath(name.replace("\\", "/"))
    if parts.is_absolute() or ".." in parts.parts or re.match(r"^[A-Za-z]:", name):
        raise InputError(archive, f"refusing member {name!r}: its path leads outside the archive")
    if name.endswith("/") or any(p.startswith(".") or p == "__MACOSX" for p in parts.parts):
        return None
    return parts


def _read_zip(archive: Path) -> Iterator[NewDocument]:
    try:
        handle = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(archive, f"is not a readable zip file ({exc})") from None
    with handle:
        infos = handle.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(
                archive, f"holds {len(infos)} files; more than {MAX_MEMBERS} is refused"
            )
        total = 0
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            member = _safe_member(archive, info.filename)
            if member is None:
                continue
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise InputError(
                    archive, f"would unpack to more than {MAX_TOTAL_BYTES >> 30} GiB; refused"
                )
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise InputError(
                    archive,
                    f"member {info.filename!r} is compressed more than {MAX_RATIO}:1 "
                    "(a zip bomb?); refused",
                )
            members[member.as_posix()] = info
        texts = sorted(name for name in members if name.lower().endswith(".txt"))
        if not texts:
            raise InputError(archive, "holds no .txt files: not a brat archive")
        for txt in texts:
            stem = txt[:-4]
            ann = stem + ".ann"
            yield parse_pair(
                stem,
                Path(f"{archive}!{txt}"),
                _member_bytes(archive, handle, members[txt]),
                Path(f"{archive}!{ann}"),
                _member_bytes(archive, handle, members[ann]) if ann in members else b"",
            )


def _member_bytes(archive: Path, handle: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with handle.open(info) as member:
            data = member.read(info.file_size + 1)
    except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
        raise InputError(archive, f"member {info.filename!r} cannot be read ({exc})") from None
    if len(data) > info.file_size:
        raise InputError(
            archive, f"member {info.filename!r} is larger than its header says; refused"
        )
    return data


def parse_pair(
    name: str, txt_path: Path, text_bytes: bytes, ann_path: Path, ann_bytes: bytes
) -> NewDocument:
    """One document from a .txt and its .ann (either from a folder or a zip)."""
    text = read_utf8(txt_path, text_bytes)
    shift = 0
    if text.startswith("\ufeff"):  # brat counts a byte-order mark as a character; we drop it
        text, shift = text[1:], 1
    if not text.strip():
        raise InputError(txt_path, "holds no text to annotate")
    ann_text = read_utf8(ann_path, ann_bytes)
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    notes: dict[str, list[str]] = {}
    attributes: dict[str, list[str]] = {}
    pending: list[
        tuple[int, str, str, list[str]]
    ] = []  # (line, kind, id, fields) resolved after T lines
    unsupported: list[str] = []
    ids: dict[str, str] = {}  # brat T id -> span id (duplicates share one)
    by_extent: dict[tuple[int, int, str], str] = {}

    def add(tid: str, start: int, end: int, label: str) -> str:
        key = (start, end, label)
        if key not in by_extent:
            by_extent[key] = tid
            spans.append({"id": tid, "start": start, "end": end, "label": label})
        return by_extent[key]

    for number, line in enumerate(ann_text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        if ident.startswith("T"):
            if len(fields) < 2 or not _T_DATA.match(fields[1]):
                raise InputError(
                    ann_path,
                    f"cannot read text-bound line {ident!r}: "
                    "expected 'T1<TAB>LABEL START END<TAB>TEXT'",
                    number,
                )
            label, extents = _T_DATA.match(fields[1]).groups()  # type: ignore[union-attr]
            fragments = []
            for part in extents.split(";"):
                start, end = (int(x) - shift for x in part.split(" "))
                start = max(start, 0)
                if not 0 <= start < end <= len(text):
                    raise InputError(
                        ann_path,
                        f"{ident} ({start + shift}-{end + shift}) points outside the text of "
                        f"{txt_path.name} (length {len(text) + shift})",
                        number,
                    )
                fragments.append((start, end))
            expected = " ".join(text[s:e] for s, e in fragments)
            given = "\t".join(fields[2:]) if len(fields) > 2 else None
            if (
                given is not None
                and given != expected
                and not (given.startswith(expected) and given[len(expected)].isspace())
            ):
                raise InputError(
                    ann_path,
                    f"{ident} says {given!r} but {txt_path.name} has {expected!r} there"
                    + _crlf_hint(text, fragments, given),
                    number,
                )
            fragments.sort()
            gaps = [text[a[1] : b[0]] for a, b in itertools.pairwise(fragments)]
            if all(gap.strip() == "" for gap in gaps):
                ids[ident] = add(ident, fragments[0][0], fragments[-1][1], label)
            else:
                first = ids[ident] = add(ident, *fragments[0], label)
                for k, (s, e) in enumerate(fragments[1:], start=2):
                    other = add(f"{ident}.{k}", s, e, label)
                    relations.append({"head": first, "child": other, "label": FRAGMENT})
        elif ident.startswith(("R", "A", "M", "#")):
            pending.append((number, ident[0], ident, fields))
        else:
            unsupported.append(line)
    for number, kind, ident, fields in pending:
        parts = fields[1].split() if len(fields) > 1 else []
        if kind == "R":
            args = dict(p.split(":", 1) for p in parts[1:] if ":" in p)
            heads = [v for k, v in args.items() if k.lower() in ("arg1", "from", "head")] or list(
                args.values()
            )[:1]
            childs = [v for k, v in args.items() if k.lower() in ("arg2", "to", "child")] or list(
                args.values()
            )[1:2]
            if not parts or not heads or not childs:
                raise InputError(
                    ann_path,
                    f"cannot read relation line {ident!r}: expected 'R1<TAB>TYPE Arg1:T1 Arg2:T2'",
                    number,
                )
            if heads[0] in ids and childs[0] in ids:
                relations.append(
                    {"head": ids[heads[0]], "child": ids[childs[0]], "label": parts[0]}
                )
            else:
                unsupported.append("\t".join(fields))
        elif kind in ("A", "M"):
            if len(parts) < 2 or parts[1] not in ids:
                unsupported.append("\t".join(fields))
                continue
            attribute = parts[0] if len(parts) == 2 else f"{parts[0]}={' '.join(parts[2:])}"
            attributes.setdefault(ids[parts[1]], []).append(attribute)
        else:
            if len(parts) < 2 or parts[1] not in ids:
                unsupported.append("\t".join(fields))
                continue
            note = "\t".join(fields[2:]).strip()
            if note:
                notes.setdefault(ids[parts[1]], []).append(note)
    for span in spans:
        lines = notes.get(span["id"], []) + attributes.get(span["id"], [])
        if lines:
            span["note"] = "\n".join(lines)
    meta: dict[str, Any] = {"file": f"{name}.txt"}
    if unsupported:
        meta["brat_unsupported"] = unsupported
    return NewDocument(
        text=text, name=name, meta=meta, spans=spans, relations=relations, source=str(ann_path)
    )


def _crlf_hint(text: str, fragments: list[tuple[int, int]], given: str) -> str:
    folded = text.replace("\r\n", "\n")
    if folded != text and " ".join(folded[s:e] for s, e in fragments) == given:
        return " (its offsets count CRLF as one character; brat itself counts two)"
    return ""


# --- writing ----------------------------------------------------------------------


def brat_type(name: str) -> str:
    """A label name as brat accepts a type: no white space or punctuation other than - and _."""
    return re.sub(r"[^\w\-]+", "_", name).strip("_") or "label"


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks, which an .ann line cannot hold."""
    pieces = []
    pos = start
    for match in _LINE_BREAK.finditer(text, start, end):
        if match.start() > pos:
            pieces.append((pos, match.start()))
        pos = match.end()
    if pos < end:
        pieces.append((pos, end))
    return pieces


def _one_line(value: str) -> str:
    return _LINE_BREAK.sub(" ", value).replace("\t", " ")


def _stem(document: Any) -> str:
    slug = re.sub(r"[^\w\-]+", "_", document.name, flags=re.ASCII).strip("_")[:40]
    return f"{document.id:05d}-{slug}" if slug else f"{document.id:05d}"


def ann_lines(
    document: Any, spans: Sequence[Any], relations: Sequence[Any], report: WriteReport
) -> list[str]:
    """The .ann lines of one document."""
    text = document.text
    lines: list[str] = []
    tids: dict[int, str] = {}
    renamed: set[str] = set()
    for span in spans:
        pieces = _fragments(text, span.start, span.end)
        if not pieces:
            report.lose("spans of nothing but line breaks left out of brat")
            continue
        if pieces[0][0] != span.start or pieces[-1][1] != span.end:
            report.lose("span edges on a line break trimmed for brat")
        label = brat_type(span.label)
        if label != span.label:
            renamed.add(span.label)
        tid = tids[span.id] = f"T{len(tids) + 1}"
        extents = ";".join(f"{s} {e}" for s, e in pieces)
        lines.append(f"{tid}\t{label} {extents}\t{' '.join(text[s:e] for s, e in pieces)}")
        if span.note:
            if _one_line(span.note) != span.note:
                report.lose("line breaks in notes written as spaces")
            lines.append(f"#{len(tids)}\tAnnotatorNotes {tid}\t{_one_line(span.note)}")
    for n, rel in enumerate((r for r in relations if r.head in tids and r.child in tids), start=1):
        label = brat_type(rel.label or "Relation")
        if label != rel.label:
            renamed.add(rel.label or "(no label)")
        lines.append(f"R{n}\t{label} Arg1:{tids[rel.head]} Arg2:{tids[rel.child]}")
        report.relations += 1
    for name in sorted(renamed):
        report.lose(f"label {name!r} renamed {brat_type(name or 'Relation')!r} to suit brat")
    report.spans += len(tids)
    return lines


def _annotation_conf(entities: list[str], relations: list[str]) -> str:
    lines = ["# Written by annotator: the project's labels and relations.", "[entities]", *entities]
    lines += ["", "[relations]"]
    lines += [f"{name}\tArg1:<ENTITY>, Arg2:<ENTITY>" for name in relations]
    lines += [
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
        "[attributes]",
        "",
    ]
    return "\n".join(lines)


def _visual_conf(labels: list[tuple[str, str]]) -> str:
    lines = ["[labels]", *(f"{name} | {name}" for name, _ in labels), "", "[drawing]"]
    for name, colour in labels:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        dark = 0.299 * r + 0.587 * g + 0.114 * b < 128
        lines.append(f"{name}\tbgColor:{colour}" + (", fgColor:white" if dark else ""))
    return "\n".join(lines) + "\n"


def write(
    project: Project,
    output: str | Path,
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    **_options: object,
) -> WriteReport:
    """A folder of .txt/.ann pairs (or a .zip of one) with annotation.conf and visual.conf."""
    output = Path(output)
    report = WriteReport()
    if output.suffix.lower() in (".ann", ".txt") or str(output) == "-":
        raise InputError(output, "brat files go in a folder or a .zip: name one of those")
    if output.suffix.lower() == ".zip":
        with (
            atomic_output(output) as stream,
            zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            for name, data in _files(project, status, labels, report, layers):
                archive.writestr(name, data)
        return report
    if output.exists() and not (output.is_dir() and not any(output.iterdir())):
        raise InputError(
            output, "exists and is not an empty folder: name a new folder to write brat files in"
        )
    parent = output.parent
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".part", dir=parent))
    except OSError as exc:
        raise cannot_write(output, exc) from None
    try:
        for name, data in _files(project, status, labels, report, layers):
            (temp / name).write_bytes(data)
        if output.exists():
            output.rmdir()
        os.replace(temp, output)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            shutil.rmtree(temp)
        if isinstance(exc, OSError):
            raise cannot_write(output, exc) from None
        raise
    return report


def _files(
    project: Project,
    status: str | None,
    labels: Sequence[str] | None,
    report: WriteReport,
    layers: Sequence[str] | None = None,
) -> Iterator[tuple[str, bytes]]:
    relation_labels: set[str] = set()
    used: set[str] = set()
    for document, spans, relations in project.iter_annotated(
        status=status, labels=labels, layers=layers
    ):
        stem = _stem(document)
        yield f"{stem}.txt", document.text.encode("utf-8")
        lines = ann_lines(document, spans, relations, report)
        yield f"{stem}.ann", ("\n".join(lines) + "\n" if lines else "").encode("utf-8")
        used.update(span.label for span in spans)
        relation_labels.update(brat_type(r.label or "Relation") for r in relations)
        report.documents += 1
    wanted = [
        label
        for label in project.labels
        if labels is None or label.name in labels or label.name in used
    ]
    types = [(brat_type(label.name), label.colour) for label in wanted]
    yield (
        "annotation.conf",
        _annotation_conf([t for t, _ in types], sorted(relation_labels)).encode("utf-8"),
    )
    yield "visual.conf", _visual_conf(types).encode("utf-8")


FORMAT = register(
    Format(
        name="brat",
        title="brat standoff (folder or .zip)",
        extensions=("/", ".zip", ".ann"),
        read=read,
        write=write,
        keeps="text (byte for byte), spans (nested; across lines as fragments), relations, "
        "notes, label colours",
        loses="document metadata, status and annotators; label names changed to suit brat "
        "where needed",
    )
)
