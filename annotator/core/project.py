"""A project: one SQLite file holding documents, labels, spans and relations.

Every edit is one transaction, committed before the method returns, so
whatever a caller shows as saved is on disk. Span edits go through the undo
history (:mod:`annotator.core.history`); listeners hear of every change so a
view can redraw exactly what it touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from annotator.core import schema
from annotator.core.check import known_sound, remember_sound, schema_problems
from annotator.core.errors import ProjectError
from annotator.core.labels import (
    default_labels,
)
from annotator.core.lock import ProjectLock
from annotator.core.model import (
    STATUSES,
    Document,
    Relation,
    Span,
)
from annotator.core.project_base import ProjectBase, sqlite_utils_database
from annotator.core.project_documents import DocumentStore
from annotator.core.project_labels import LabelStore
from annotator.core.project_spans import SpanStore
from annotator.core.reading import connect_for_reading
from annotator.core.records import (
    MAX_DOCUMENT_CHARS,
    SPAN_COLUMNS,
    Change,
    ImportReport,
    NewDocument,
    default_annotator,
    now,
    row_to_document,
    row_to_span,
    text_hash,
)

__all__ = [
    "MAX_DOCUMENT_CHARS",
    "Change",
    "ImportReport",
    "NewDocument",
    "Project",
    "default_annotator",
    "now",
    "text_hash",
]


class Project(LabelStore, DocumentStore, SpanStore, ProjectBase):
    """Open with :meth:`open` or :meth:`create`; close with :meth:`close` (or ``with``).

    Its parts live in their own modules: labels (:mod:`project_labels`),
    documents (:mod:`project_documents`), spans and relations
    (:mod:`project_spans`), and the shared state (:mod:`project_base`).
    """

    # --- opening and closing -------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | Path,
        labels: Iterable[dict[str, Any]] | None = None,
        *,
        annotator: str | None = None,
    ) -> Project:
        """A new, empty project at ``path`` (which must not exist) with ``labels``."""
        path = Path(path)
        if path.exists():
            raise ProjectError(path, "already exists; open it instead of creating it")
        if not path.parent.is_dir():
            raise ProjectError(path, "cannot be created: its folder does not exist")
        lock = ProjectLock.acquire(path)
        conn = _connect(path, read_only=False)
        try:
            db = sqlite_utils_database(conn)
            db.execute("PRAGMA journal_mode = WAL")
            schema.migrate(db, 0)
            project = cls(path, conn, annotator=annotator)
            project._lock, project._verified = lock, True
            project._insert_labels(default_labels() if labels is None else list(labels))
            # The header (application_id, user_version) is read from the file's
            # bytes by other processes: put it there now, not at the first checkpoint.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except BaseException:
            conn.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            lock.release()
            raise
        return project

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        read_only: bool = False,
        annotator: str | None = None,
        verify: bool = True,
    ) -> Project:
        """Open an existing project, migrating an older schema.

        Refuses (ProjectError, file untouched) anything that is not one of our
        projects, one from a newer version, or one that fails SQLite's
        quick_check or carries triggers or views we did not create.
        """
        path = Path(path)
        if not path.exists():
            raise ProjectError(path, "does not exist")
        version = schema.check_header(path)
        if read_only and version < schema.SCHEMA_VERSION:
            raise ProjectError(path, "is an older project; open it once for editing to upgrade it")
        # One writer at a time (ProjectLocked); readers never wait for the lock.
        lock = None if read_only else ProjectLock.acquire(path)
        found = {s: Path(f"{path}{s}").exists() for s in ("-wal", "-shm")}
        try:
            conn = _connect(path, read_only=read_only)
        except BaseException as exc:
            if lock:
                lock.release()
            _leave_as_found(path, found)
            if isinstance(exc, sqlite3.DatabaseError):
                raise ProjectError(path, f"is damaged and cannot be read ({exc})") from exc
            raise
        try:
            _refuse_foreign_objects(path, conn)
            if verify and not known_sound(path):  # skipped only for a file we closed
                _quick_check(path, conn)
            # Before anything is written: a file with our header but other tables.
            shape = schema_problems(conn, version)
            if shape:
                raise ProjectError(path, f"is not a sound annotator project: {'; '.join(shape)}")
            if not read_only:
                conn.execute("PRAGMA journal_mode = WAL")
                try:
                    if version < schema.SCHEMA_VERSION:
                        schema.migrate(sqlite_utils_database(conn), version)
                except sqlite3.Error as exc:
                    raise ProjectError(
                        path,
                        f"could not be upgraded from schema {version} ({exc}); it is unchanged",
                    ) from exc
                if version < schema.SCHEMA_VERSION:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # new user_version on disk
            project = cls(path, conn, read_only=read_only, annotator=annotator)
            project._lock, project._verified = lock, verify
            return project
        except BaseException:
            conn.close()
            if lock:
                lock.release()
            _leave_as_found(path, found)
            raise

    def close(self) -> None:
        try:
            if not self.read_only:
                # Fold the WAL back so the file can be copied on its own once closed.
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
        self.conn.close()
        if not self.read_only and self._verified:
            remember_sound(self.path)  # the next open may skip quick_check
        if self._lock:
            self._lock.release()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading everything -----------------------------------------------------------

    def iter_annotated(
        self, status: str | None = None, labels: Sequence[str] | None = None
    ) -> Iterator[tuple[Document, list[Span], list[Relation]]]:
        """Every document with its spans and relations, streamed in list order.

        Two cursors walk documents and spans side by side, so memory holds one
        document at a time whatever the size of the project.
        """
        for row, span_rows, relation_rows in self.iter_annotated_rows(status, labels):
            yield (
                row_to_document(row),
                [row_to_span(span[:-1]) for span in span_rows],
                [Relation(*relation[:-1]) for relation in relation_rows],
            )

    def iter_annotated_rows(
        self, status: str | None = None, labels: Sequence[str] | None = None
    ) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        """What :meth:`iter_annotated` yields, as SQLite's rows, for writers that
        need no records (building a million spans costs seconds).

        A document row is (id, name, text, meta JSON, status, hash, position); a
        span row is Span's fields in order, a relation row Relation's, each
        followed by its document's position.
        """
        doc_where = "WHERE d.status = ?" if status else ""
        doc_params: tuple[Any, ...] = (status,) if status else ()
        span_where = [*(["d.status = ?"] if status else [])]
        span_params: list[Any] = list(doc_params)
        if labels:
            span_where.append(f"l.name IN ({','.join('?' * len(labels))})")
            span_params.extend(labels)
        where = ("WHERE " + " AND ".join(span_where)) if span_where else ""
        documents = self.conn.execute(
            f"SELECT d.id, d.name, d.text, d.meta, d.status, d.hash, d.position FROM documents d"
            f" {doc_where} ORDER BY d.position",
            doc_params,
        )
        spans = self.conn.cursor().execute(
            f"SELECT {SPAN_COLUMNS}, d.position FROM documents d"
            f" JOIN spans s ON s.document_id = d.id JOIN labels l ON l.id = s.label_id {where}"
            ' ORDER BY d.position, s.start, s."end" DESC, l.position',
            span_params,
        )
        relations = self.conn.cursor().execute(
            "SELECT r.id, r.head_id, r.child_id, r.label, d.position FROM relations r"
            " JOIN spans s ON s.id = r.head_id JOIN documents d ON d.id = s.document_id"
            f" {doc_where} ORDER BY d.position, r.id",
            doc_params,
        )
        pending_span = next(spans, None)
        pending_rel = next(relations, None)
        for row in documents:
            position = row[6]
            doc_spans: list[tuple[Any, ...]] = []
            while pending_span is not None and pending_span[-1] <= position:
                if pending_span[-1] == position:
                    doc_spans.append(pending_span)
                pending_span = next(spans, None)
            doc_relations: list[tuple[Any, ...]] = []
            while pending_rel is not None and pending_rel[-1] <= position:
                if pending_rel[-1] == position:
                    doc_relations.append(pending_rel)
                pending_rel = next(relations, None)
            if labels and doc_relations:
                kept = {span[0] for span in doc_spans}
                doc_relations = [r for r in doc_relations if r[1] in kept and r[2] in kept]
            yield row, doc_spans, doc_relations

    def stats(self) -> dict[str, Any]:
        """Documents by status, spans by label, spans by annotator."""
        by_status = dict.fromkeys(STATUSES, 0)
        for status, count in self.conn.execute(
            "SELECT status, count(*) FROM documents GROUP BY status"
        ):
            by_status[status] = count
        by_label = {label.name: 0 for label in self.labels}
        for name, count in self.conn.execute(
            "SELECT l.name, count(s.id) FROM labels l LEFT JOIN spans s ON s.label_id = l.id"
            " GROUP BY l.id ORDER BY l.position"
        ):
            by_label[name] = count
        by_annotator = dict(
            self.conn.execute(
                "SELECT annotator, count(*) FROM spans GROUP BY annotator ORDER BY count(*) DESC"
            ).fetchall()
        )
        return {
            "documents": sum(by_status.values()),
            "by_status": by_status,
            "spans": sum(by_label.values()),
            "by_label": by_label,
            "by_annotator": by_annotator,
            "relations": self.conn.execute("SELECT count(*) FROM relations").fetchone()[0],
        }


# --- helpers ----------------------------------------------------------------------


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = connect_for_reading(path, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
    # Never run code a file brings: no functions in its schema, triggers or views.
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    # FULL: a commit is on disk before the edit is reported saved, even on power loss.
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _leave_as_found(path: Path, found: dict[str, bool]) -> None:
    """After a refusal: remove the empty -wal/-shm files our connection made.

    A read-only connection to a WAL file creates them and cannot remove them;
    a refused file is to be left exactly as it came.
    """
    wal = Path(f"{path}-wal")
    if found["-wal"] or (wal.exists() and wal.stat().st_size > 0):
        return
    for suffix in ("-wal", "-shm"):
        if not found[suffix]:
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _refuse_foreign_objects(path: Path, conn: sqlite3.Connection) -> None:
    try:
        rows = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(path, f"is damaged and cannot be read ({exc})") from exc
    for kind, name in rows:
        known = schema.KNOWN_TRIGGERS if kind == "trigger" else schema.KNOWN_VIEWS
        if name not in known:
            raise ProjectError(
                path,
                f"carries a {kind} {name!r} that annotator did not create; refusing to open it",
            )


def _quick_check(path: Path, conn: sqlite3.Connection) -> None:
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ProjectError(path, f"is damaged and cannot be read ({exc})") from exc
    if result != "ok":
        raise ProjectError(path, f"is damaged: SQLite's check says {result!r}")
