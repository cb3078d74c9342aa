"""The project file's schema, what identifies it, and its migrations.

A project says what it is in its header: ``PRAGMA application_id`` is ours and
``PRAGMA user_version`` is the schema it has. Both are read from the first 100
bytes of the file before SQLite opens it, so a file we refuse is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import ProjectError

if TYPE_CHECKING:
    import sqlite_utils

APPLICATION_ID = 0x414E4E4F  # "ANNO"
SQLITE_MAGIC = b"SQLite format 3\x00"

V1 = [
    """CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        text TEXT NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'done', 'skipped')),
        hash TEXT NOT NULL UNIQUE,
        position INTEGER NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
    "CREATE INDEX documents_position ON documents(position)",
    "CREATE INDEX documents_status ON documents(status, position)",
    """CREATE TABLE labels (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        colour TEXT NOT NULL,
        hotkey TEXT UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL
    )""",
    """CREATE TABLE spans (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        label_id INTEGER NOT NULL REFERENCES labels(id),
        text TEXT NOT NULL,
        annotator TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        CHECK (start >= 0 AND "end" > start),
        UNIQUE (document_id, start, "end", label_id)
    )""",
    "CREATE INDEX spans_label ON spans(label_id)",
    """CREATE TABLE relations (
        id INTEGER PRIMARY KEY,
        head_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
        child_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        UNIQUE (head_id, child_id, label)
    )""",
    "CREATE INDEX relations_child ON relations(child_id)",
]

# Version 2: full-text index over the documents, for search and "annotate every
# occurrence". It is kept in step by Project.add_documents, not by triggers:
# with trusted_schema=OFF a trigger may not write to a virtual table, and a file
# that carries triggers is refused anyway.
V2 = [
    """CREATE VIRTUAL TABLE documents_fts USING fts5(
        name, text, content='documents', content_rowid='id', tokenize='unicode61'
    )""",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
    # Spans are looked up by document and position on every paint.
    'CREATE INDEX spans_position ON spans(document_id, start, "end")',
]

MIGRATIONS: list[list[str]] = [V1, V2]
SCHEMA_VERSION = len(MIGRATIONS)

# Triggers and views that this version creates; any other one in a file is refused.
KNOWN_TRIGGERS: frozenset[str] = frozenset()
KNOWN_VIEWS: frozenset[str] = frozenset()


def read_header(path: Path) -> tuple[int, int]:
    """(application_id, user_version) read from the file's header, or a ProjectError."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except IsADirectoryError as exc:
        raise ProjectError(path, "is a folder, not a project file") from exc
    except OSError as exc:
        raise ProjectError(path, f"cannot be read ({exc.strerror})") from exc
    if len(header) == 0:
        raise ProjectError(path, "is an empty file, not an annotator project")
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise ProjectError(path, "is not an annotator project (not a SQLite database)")
    user_version = int.from_bytes(header[60:64], "big", signed=True)
    application_id = int.from_bytes(header[68:72], "big", signed=True)
    return application_id, user_version


def check_header(path: Path) -> int:
    """The file's schema version, after refusing anything that is not one of our projects."""
    application_id, user_version = read_header(path)
    if application_id != APPLICATION_ID:
        raise ProjectError(
            path, "is a SQLite database of another application, not an annotator project"
        )
    if user_version > SCHEMA_VERSION:
        raise ProjectError(
            path,
            f"was written by a newer version of annotator (schema {user_version}; "
            f"this version reads up to {SCHEMA_VERSION}). Update annotator to open it.",
        )
    if user_version < 1:
        raise ProjectError(path, "is an annotator project with no schema (damaged?)")
    return user_version


def migrate(
    db: sqlite_utils.Database,
    from_version: int,
    on_step: Callable[[int], None] | None = None,
) -> None:
    """Bring the schema to SCHEMA_VERSION, step by step, in one transaction.

    If any step fails the file is left exactly at the version it had.
    """
    if from_version >= SCHEMA_VERSION:
        return
    with db.atomic():
        if from_version == 0:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for version in range(from_version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version - 1]:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {version}")
            if on_step:
                on_step(version)
