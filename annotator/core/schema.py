"""The project file's schema, what identifies it, and its migrations.

A project says what it is in its header: ``PRAGMA application_id`` is ours and
``PRAGMA user_version`` is the schema it has. Both are read from the first 100
bytes of the file before SQLite opens it, so a file we refuse is never touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from annotator.core.errors import ProjectError

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


def _v3_layers(conn: sqlite3.Connection, upgrader: str) -> None:
    """Version 3: every span in a layer, status per document and layer.

    v2 kept one annotator name per span and one status per document. Each
    annotator name becomes a layer (an empty one becomes ``unknown``). A v2
    document's status belonged to whoever labelled it: it goes to every layer
    with spans in that document, or to the person upgrading where there are none.
    """
    stamp = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"
    conn.execute(
        "CREATE TABLE layers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
        " created TEXT NOT NULL, CHECK (name != ''))"
    )
    conn.execute(
        f"INSERT INTO layers (name, created) SELECT name, {stamp} FROM"
        " (SELECT CASE WHEN annotator = '' THEN 'unknown' ELSE annotator END AS name,"
        " min(id) AS first FROM spans GROUP BY 1) ORDER BY first"
    )
    # The unique key gains the layer, so sqlite-utils' transform() (which keeps a
    # table's UNIQUE constraint as it was) cannot rebuild this table: it is done
    # here, with foreign keys off (the caller's), so relations keep their spans.
    conn.execute(V3_SPANS.replace("CREATE TABLE spans", "CREATE TABLE spans_v3"))
    conn.execute(
        'INSERT INTO spans_v3 (id, document_id, layer_id, start, "end", label_id, text, note,'
        ' created, updated) SELECT s.id, s.document_id, l.id, s.start, s."end", s.label_id,'
        " s.text, s.note, s.created, s.updated FROM spans s JOIN layers l ON l.name ="
        " CASE WHEN s.annotator = '' THEN 'unknown' ELSE s.annotator END"
    )
    conn.execute("DROP TABLE spans")
    conn.execute("ALTER TABLE spans_v3 RENAME TO spans")
    conn.execute("CREATE INDEX spans_label ON spans(label_id)")
    conn.execute("CREATE INDEX spans_layer ON spans(layer_id)")
    conn.execute(V3_STATUS)
    conn.execute("CREATE INDEX document_status_layer ON document_status(layer_id, status)")
    conn.execute(
        "INSERT INTO document_status (document_id, layer_id, status, updated)"
        " SELECT DISTINCT s.document_id, s.layer_id, d.status, d.updated"
        " FROM spans s JOIN documents d ON d.id = s.document_id WHERE d.status != 'todo'"
    )
    unlabelled = conn.execute(
        "SELECT count(*) FROM documents d WHERE d.status != 'todo'"
        " AND NOT EXISTS (SELECT 1 FROM spans s WHERE s.document_id = d.id)"
    ).fetchone()[0]
    if unlabelled:
        conn.execute(
            f"INSERT OR IGNORE INTO layers (name, created) VALUES (?, {stamp})", (upgrader,)
        )
        conn.execute(
            "INSERT INTO document_status (document_id, layer_id, status, updated)"
            " SELECT d.id, (SELECT id FROM layers WHERE name = ?), d.status, d.updated"
            " FROM documents d WHERE d.status != 'todo'"
            " AND NOT EXISTS (SELECT 1 FROM spans s WHERE s.document_id = d.id)",
            (upgrader,),
        )
    conn.execute("DROP INDEX documents_status")
    # documents keeps its own constraints: here sqlite-utils' transform() does the job.
    from annotator.core.store import sqlite_utils_database

    sqlite_utils_database(conn).table("documents").transform(drop={"status"})


V3_SPANS = """CREATE TABLE spans (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        layer_id INTEGER NOT NULL REFERENCES layers(id),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        label_id INTEGER NOT NULL REFERENCES labels(id),
        text TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        CHECK (start >= 0 AND "end" > start),
        UNIQUE (document_id, layer_id, start, "end", label_id)
    )"""

# WITHOUT ROWID: a (document, layer) pair is the key, and the list reads it by key.
V3_STATUS = """CREATE TABLE document_status (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        layer_id INTEGER NOT NULL REFERENCES layers(id),
        status TEXT NOT NULL CHECK (status IN ('todo', 'done', 'skipped')),
        updated TEXT NOT NULL,
        PRIMARY KEY (document_id, layer_id)
    ) WITHOUT ROWID"""

# A suggestion a person rejected is not proposed again: by document, extent and label.
V3_REJECTIONS = """CREATE TABLE rejections (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        label_id INTEGER NOT NULL REFERENCES labels(id),
        layer_id INTEGER NOT NULL REFERENCES layers(id),
        created TEXT NOT NULL,
        PRIMARY KEY (document_id, start, "end", label_id)
    ) WITHOUT ROWID"""

# What a relation may be: its name (relations.label), colour, and the labels allowed
# at its head and child (JSON lists; empty: any label).
V3_RELATION_TYPES = """CREATE TABLE relation_types (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        colour TEXT NOT NULL,
        head_labels TEXT NOT NULL DEFAULT '[]',
        child_labels TEXT NOT NULL DEFAULT '[]',
        hotkey TEXT UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL
    )"""

# Texts a project carries: its coding guidelines, its own hedge lexicon, settings.
V3_SETTINGS = """CREATE TABLE project_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated TEXT NOT NULL
    ) WITHOUT ROWID"""


def _v3_relation_types(conn: sqlite3.Connection, _upgrader: str) -> None:
    """The news scheme for the labels the project has, and a free type (any label to
    any label) for each relation label already in use."""
    from annotator.core.project_relation_types import FREE_COLOUR, insert_types
    from annotator.core.relation_types import RelationType, news_scheme

    labels = [row[0] for row in conn.execute("SELECT name FROM labels")]
    types = news_scheme(labels)
    known = {rtype.name for rtype in types}
    for (name,) in conn.execute("SELECT DISTINCT label FROM relations ORDER BY label"):
        if name not in known:
            types.append(RelationType(name, FREE_COLOUR))
            known.add(name)
    insert_types(conn, types)


MigrationStep = str | Callable[[sqlite3.Connection, str], None]
MIGRATIONS: list[list[MigrationStep]] = [
    list(V1),
    list(V2),
    [_v3_layers, V3_REJECTIONS, V3_RELATION_TYPES, _v3_relation_types, V3_SETTINGS],
]
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
    conn: sqlite3.Connection,
    from_version: int,
    *,
    upgrader: str = "unknown",
    to_version: int = SCHEMA_VERSION,
    on_step: Callable[[int], None] | None = None,
) -> None:
    """Bring the schema to ``to_version``, step by step, in one transaction.

    If any step fails the file is left exactly at the version it had. Foreign
    keys are off while the steps run (a table rebuilt by dropping it would
    otherwise take every row that refers to it along), and checked before the
    commit. ``upgrader`` is who is upgrading: see :func:`_v3_layers`.
    """
    if from_version >= to_version:
        return
    assert not conn.in_transaction, "a migration is its own transaction"
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if from_version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for version in range(from_version + 1, to_version + 1):
                for step in MIGRATIONS[version - 1]:
                    if isinstance(step, str):
                        conn.execute(step)
                    else:
                        step(conn, upgrader)
                conn.execute(f"PRAGMA user_version = {version}")
                if on_step:
                    on_step(version)
            broken = conn.execute("PRAGMA foreign_key_check").fetchone()
            if broken:
                raise sqlite3.IntegrityError(f"the upgrade would leave {broken[0]} dangling")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
