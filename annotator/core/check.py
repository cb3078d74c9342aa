"""Check a project: SQLite's own integrity check, then the project's promises.

A project promises more than SQLite can see: every span's text is the slice
of its document it claims to be, its offsets lie inside the text, its label
exists, every relation joins two spans of one document. :func:`check_file`
reads (never writes) a project and lists every broken promise, so a researcher
learns of damage before an export carries it into a paper.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from annotator.core import schema
from annotator.core.errors import ProjectError
from annotator.core.reading import connect_for_reading
from annotator.core.records import text_hash

MAX_PROBLEMS = 200  # enough to see what is wrong; a wrecked file is not listed in full


class Problem(NamedTuple):
    """One broken promise: where (file, document N, span N, relation N) and what."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


# The tables of the current schema, written out: every open checks a file against
# them, and building them in memory runs the migrations, one of which loads
# sqlite_utils (and with it NumPy, when installed): a third of a second at every
# start. tests/test_project_file.py checks that this equals what the migrations build.
CURRENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "document_status": ("document_id", "layer_id", "status", "updated"),
    "documents": ("id", "name", "text", "meta", "hash", "position", "created", "updated"),
    "documents_fts": ("name", "text"),
    "labels": ("id", "name", "colour", "hotkey", "description", "position"),
    "layers": ("id", "name", "created"),
    "project_settings": ("key", "value", "updated"),
    "rejections": ("document_id", "start", "end", "label_id", "layer_id", "created"),
    "relation_types": (
        "id",
        "name",
        "colour",
        "head_labels",
        "child_labels",
        "hotkey",
        "description",
        "position",
    ),
    "relations": ("id", "head_id", "child_id", "label"),
    "spans": (
        "id",
        "document_id",
        "layer_id",
        "start",
        "end",
        "label_id",
        "text",
        "note",
        "created",
        "updated",
    ),
}
CURRENT_VERSION = 3  # the schema CURRENT_COLUMNS describes


def expected_columns(version: int = schema.SCHEMA_VERSION) -> dict[str, tuple[str, ...]]:
    """Tables and their columns at schema ``version``."""
    if version == CURRENT_VERSION == schema.SCHEMA_VERSION:
        return CURRENT_COLUMNS
    return built_columns(version)


@lru_cache(maxsize=8)
def built_columns(version: int) -> dict[str, tuple[str, ...]]:
    """Tables and their columns at schema ``version``, built in memory by the migrations."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        schema.migrate(conn, 0, to_version=version)
        return _columns(conn)
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'documents_fts_%'"
        )
    ]
    return {
        name: tuple(row[1] for row in conn.execute(f'PRAGMA table_info("{name}")'))
        for name in names
    }


def schema_problems(conn: sqlite3.Connection, version: int = schema.SCHEMA_VERSION) -> list[str]:
    """What is missing or different from our tables at ``version``, in words ([] when
    all is well).

    A file may carry our header and still hold other tables; opening it would
    fail later, at some click, with an error no one can act on.
    """
    have = _columns(conn)
    problems = []
    for table, columns in expected_columns(version).items():
        if table not in have:
            problems.append(f"table {table} is missing")
            continue
        missing = [c for c in columns if c not in have[table]]
        if missing:
            problems.append(f"table {table} lacks column(s) {', '.join(missing)}")
    return problems


def foreign_objects(conn: sqlite3.Connection) -> list[str]:
    """Triggers and views annotator did not create, in words: the one place that
    knows which are ours (opening, checking and restoring all ask here)."""
    found = []
    for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')"
    ):
        known = schema.KNOWN_TRIGGERS if kind == "trigger" else schema.KNOWN_VIEWS
        if name not in known:
            found.append(f"carries a {kind} {name!r} that annotator did not create")
    return found


def quick_check(conn: sqlite3.Connection) -> str | None:
    """SQLite's quick_check in words, or None when it passes."""
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    return None if result == "ok" else f"is damaged: SQLite's check says {result!r}"


def check_file(path: str | Path) -> list[Problem]:
    """Every problem found in the project at ``path``; [] means it is sound.

    Opens the file read-only: safe on a project that is open for editing.
    """
    path = Path(path)
    try:
        if not path.exists():
            raise ProjectError(path, "does not exist")
        version = schema.check_header(path)
    except ProjectError as exc:
        return [Problem("file", exc.reason)]
    try:
        conn = connect_for_reading(path)
    except sqlite3.Error as exc:
        return [Problem("file", f"cannot be opened ({exc})")]
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        return list(_limited(_problems(conn, version)))
    except sqlite3.DatabaseError as exc:
        return [Problem("file", f"is damaged and cannot be read ({exc})")]
    finally:
        conn.close()


def _limited(problems: Iterator[Problem]) -> Iterator[Problem]:
    for count, problem in enumerate(problems):
        if count == MAX_PROBLEMS:
            yield Problem("file", f"more than {MAX_PROBLEMS} problems; the rest are not listed")
            return
        yield problem


def _problems(conn: sqlite3.Connection, version: int) -> Iterator[Problem]:
    rows = conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        for (message,) in rows:
            yield Problem("file", f"SQLite integrity check: {message}")
        return
    for message in foreign_objects(conn):
        yield Problem("file", message)
    shape = schema_problems(conn, version)
    if shape:
        for message in shape:
            yield Problem("file", message)
        return
    if version < schema.SCHEMA_VERSION:
        return  # an older project is checked in full once it is opened and upgraded
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        yield Problem(f"{table.rstrip('s')} {rowid}", f"refers to a missing row of {parent}")
    yield from _label_problems(conn)
    yield from _document_problems(conn)
    yield from _status_problems(conn)
    yield from _relation_problems(conn)


def _label_problems(conn: sqlite3.Connection) -> Iterator[Problem]:
    for span_id, label_id in conn.execute(
        "SELECT s.id, s.label_id FROM spans s LEFT JOIN labels l ON l.id = s.label_id"
        " WHERE l.id IS NULL"
    ):
        yield Problem(f"span {span_id}", f"has label id {label_id}, which is not a label")
    for label_id, name in conn.execute("SELECT id, name FROM labels"):
        if not isinstance(name, str) or not name.strip():
            yield Problem(f"label {label_id}", "has no name")


def _document_problems(conn: sqlite3.Connection) -> Iterator[Problem]:
    """Spans against their documents' text, one document in memory at a time."""
    spans = conn.cursor().execute(
        'SELECT document_id, id, start, "end", text FROM spans ORDER BY document_id, id'
    )
    pending = spans.fetchone()
    for doc_id, text, digest in conn.execute("SELECT id, text, hash FROM documents ORDER BY id"):
        where = f"document {doc_id}"
        if not isinstance(text, str):
            yield Problem(where, "its text is not text")
            text = ""
        elif text_hash(text) != digest:
            yield Problem(where, "its text no longer matches the fingerprint taken on import")
        while pending is not None and pending[0] < doc_id:
            pending = spans.fetchone()  # orphans: reported by foreign_key_check
        while pending is not None and pending[0] == doc_id:
            _, span_id, start, end, span_text = pending
            pending = spans.fetchone()
            yield from _span_problems(f"span {span_id} ({where})", text, start, end, span_text)


def _span_problems(
    where: str, text: str, start: object, end: object, span_text: object
) -> Iterator[Problem]:
    if not (type(start) is int and type(end) is int):
        yield Problem(where, f"offsets {start!r}-{end!r} are not whole numbers")
        return
    if not 0 <= start < end <= len(text):
        yield Problem(where, f"offsets {start}-{end} lie outside the text (length {len(text)})")
        return
    if text[start:end] != span_text:
        yield Problem(
            where, f"says {span_text!r} but the text at {start}-{end} is {text[start:end]!r}"
        )


def _status_problems(conn: sqlite3.Connection) -> Iterator[Problem]:
    for doc_id, layer, status in conn.execute(
        "SELECT document_id, layer_id, status FROM document_status"
        " WHERE status NOT IN ('todo', 'done', 'skipped')"
    ):
        yield Problem(f"document {doc_id}", f"has an unknown status {status!r} in layer {layer}")
    for span_id, layer_id in conn.execute(
        "SELECT s.id, s.layer_id FROM spans s LEFT JOIN layers y ON y.id = s.layer_id"
        " WHERE y.id IS NULL"
    ):
        yield Problem(f"span {span_id}", f"is in layer id {layer_id}, which is not a layer")


def _relation_problems(conn: sqlite3.Connection) -> Iterator[Problem]:
    for rel_id, head, child, head_doc, child_doc, head_layer, child_layer in conn.execute(
        "SELECT r.id, r.head_id, r.child_id, h.document_id, c.document_id, h.layer_id,"
        " c.layer_id FROM relations r"
        " LEFT JOIN spans h ON h.id = r.head_id LEFT JOIN spans c ON c.id = r.child_id"
    ):
        where = f"relation {rel_id}"
        if head_doc is None:
            yield Problem(where, f"its head span {head} does not exist")
        if child_doc is None:
            yield Problem(where, f"its child span {child} does not exist")
        if head_doc is not None and child_doc is not None and head_doc != child_doc:
            yield Problem(where, "joins spans of two different documents")
        elif head_layer is not None and child_layer is not None and head_layer != child_layer:
            yield Problem(where, "joins spans of two different layers")


# --- skipping the open-time check for files we closed ourselves ----------------------
#
# PRAGMA quick_check reads every page: seconds for a large project. A project we
# closed cleanly, and that nothing has touched since (same size, mtime, ctime,
# inode, no WAL), was sound then and is sound now, so opening it skips the check.
# Any change by another program, a copy, or a file from a colleague is checked.


def _seal_path(path: Path) -> Path:
    # Named by a checksum of the path: two paths sharing one could not vouch for each
    # other, as the stamp names the file itself (inode and device). Seals named by the
    # SHA-256 of earlier versions are not read: such a project is checked once more.
    from annotator.core.paths import path_key, user_data_dir

    return user_data_dir() / "checked" / f"{path_key(path)}.json"


def _stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def remember_sound(path: str | Path) -> None:
    """Record that ``path`` was sound when we closed it (best effort)."""
    import json
    import os

    path = Path(path)
    stamp = _stamp(path)
    seal = _seal_path(path)
    try:
        if stamp is None:
            seal.unlink(missing_ok=True)
            return
        seal.parent.mkdir(parents=True, exist_ok=True)
        tmp = seal.with_suffix(".tmp")
        tmp.write_text(json.dumps(stamp), "utf-8")
        os.replace(tmp, seal)
    except OSError:
        pass


def known_sound(path: str | Path) -> bool:
    """Whether ``path`` is exactly as we left it when we last closed it soundly."""
    import json

    path = Path(path)
    stamp = _stamp(path)
    if stamp is None:
        return False
    try:
        return bool(json.loads(_seal_path(path).read_text("utf-8")) == stamp)
    except (OSError, ValueError):
        return False
