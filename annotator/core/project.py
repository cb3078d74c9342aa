"""A project: one SQLite file holding documents, labels, spans and relations.

Every edit is one transaction, committed before the method returns, so
whatever a caller shows as saved is on disk. Span edits go through the undo
history (:mod:`annotator.core.history`); listeners hear of every change so a
view can redraw exactly what it touched.
"""

from __future__ import annotations

import getpass
import hashlib
import itertools
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from operator import attrgetter, neg
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from annotator.core import schema
from annotator.core.check import known_sound, remember_sound, schema_problems
from annotator.core.errors import InputError, LabelError, ProjectError, ReadOnlyProject, SpanError
from annotator.core.history import History, Step
from annotator.core.labels import (
    PALETTE,
    check_colour,
    check_hotkey,
    check_label_name,
    default_labels,
)
from annotator.core.lock import ProjectLock
from annotator.core.model import (
    STATUSES,
    Document,
    DocumentSummary,
    Label,
    Relation,
    Span,
    SpanExtent,
)

if TYPE_CHECKING:
    import sqlite_utils

_SPAN_COLUMNS = (
    's.id, s.document_id, s.start, s."end", l.name, s.text, s.annotator, s.note, '
    "s.created, s.updated"
)
_SPAN_FROM = "spans s JOIN labels l ON l.id = s.label_id"

# A news article is some thousands of characters; a text far beyond this one
# would make the window crawl, so it is refused on import with a clear message.
MAX_DOCUMENT_CHARS = 10_000_000


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def default_annotator() -> str:
    """Who is labelling: $ANNOTATOR_NAME, else the login name."""
    name = os.environ.get("ANNOTATOR_NAME")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:
        return "annotator"


@dataclass(frozen=True, slots=True)
class Change:
    """What an edit touched, so a view redraws only that.

    kind: "spans" (start/end give the region), "document" (status), "documents"
    (added), "labels".
    """

    kind: str
    document_id: int | None = None
    start: int = 0
    end: int = 0
    span_ids: tuple[int, ...] = ()


@dataclass
class ImportReport:
    added: int = 0
    skipped_duplicates: int = 0
    spans: int = 0
    relations: int = 0
    new_labels: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document on its way in: what importers produce."""

    text: str
    name: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    status: str = "todo"
    spans: Sequence[dict[str, Any]] = ()  # {"id"?, "start", "end", "label", ...}
    relations: Sequence[dict[str, Any]] = ()  # {"head", "child", "label"} by span "id"
    source: str = ""  # "file, line N", for messages


_row_to_span: Callable[[Iterable[Any]], Span] = Span._make


class Project:
    """Open with :meth:`open` or :meth:`create`; close with :meth:`close` (or ``with``)."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        read_only: bool = False,
        annotator: str | None = None,
    ) -> None:
        self.path = path
        self.conn = conn
        self._db: sqlite_utils.Database | None = None
        self.read_only = read_only
        self.annotator = annotator or default_annotator()
        self.history = History()
        self._listeners: list[Callable[[Change], None]] = []
        self._labels_by_name: dict[str, Label] = {}
        self._labels_by_id: dict[int, Label] = {}
        self._text_cache: dict[int, str] = {}
        self._id_order: tuple[Any, bool] | None = None  # see _in_id_order
        self._lock: ProjectLock | None = None  # held while open for editing
        self._verified = False  # checked on open (or created by us): may be sealed on close
        self._reload_labels()

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite_utils on this connection, made when first used: opening a project
        and showing it need only plain SQL, so a window can paint before the import."""
        if self._db is None:
            self._db = _database(self.conn)
        return self._db

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
            db = _database(conn)
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
                        schema.migrate(_database(conn), version)
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

    # --- listening ------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Change], None]) -> Callable[[], None]:
        """Call ``listener`` after every committed change; returns an unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyProject(f"{self.path} is open read-only; nothing was changed")

    # --- labels ---------------------------------------------------------------------

    def _reload_labels(self) -> None:
        rows = self.conn.execute(
            "SELECT id, name, colour, hotkey, description, position FROM labels ORDER BY position"
        ).fetchall()
        labels = [Label(*row) for row in rows]
        self._labels_by_name = {label.name: label for label in labels}
        self._labels_by_id = {label.id: label for label in labels}

    @property
    def labels(self) -> list[Label]:
        """In order: the first nine get the digit hotkeys 1-9."""
        return list(self._labels_by_name.values())

    def label(self, name: str) -> Label:
        try:
            return self._labels_by_name[name]
        except KeyError:
            raise SpanError(f"unknown label {name!r}") from None

    def _insert_labels(self, labels: list[dict[str, Any]]) -> list[Label]:
        self._writable()
        added = []
        with self.db.atomic():
            for spec in labels:
                added.append(self._insert_label(**spec))
        self._reload_labels()
        self._emit(Change("labels"))
        return [self._labels_by_id[label_id] for label_id in added]

    def _insert_label(
        self,
        name: str,
        colour: str | None = None,
        hotkey: str | None = None,
        description: str = "",
    ) -> int:
        name = check_label_name(name)
        taken_hotkeys = {
            row[0]
            for row in self.conn.execute("SELECT hotkey FROM labels WHERE hotkey IS NOT NULL")
        }
        count = self.conn.execute("SELECT count(*) FROM labels").fetchone()[0]
        if self.conn.execute("SELECT 1 FROM labels WHERE name = ?", (name,)).fetchone():
            raise LabelError(f"label {name} exists already")
        if colour is None:
            used = {row[0] for row in self.conn.execute("SELECT colour FROM labels")}
            colour = next((c for c in PALETTE if c not in used), PALETTE[count % len(PALETTE)])
        hotkey = check_hotkey(hotkey)
        if hotkey is None:
            hotkey = next(
                (
                    c.lower()
                    for c in name
                    if c.isascii() and c.isalpha() and c.lower() not in taken_hotkeys
                ),
                None,
            )
        elif hotkey in taken_hotkeys:
            raise LabelError(f"hotkey {hotkey!r} is taken by another label")
        cursor = self.conn.execute(
            "INSERT INTO labels (name, colour, hotkey, description, position)"
            " VALUES (?, ?, ?, ?, ?)",
            (name, check_colour(colour), hotkey, description or "", count),
        )
        return int(cursor.lastrowid)

    def add_label(
        self, name: str, colour: str | None = None, hotkey: str | None = None, description: str = ""
    ) -> Label:
        """A new label; colour and hotkey are picked when not given."""
        return self._insert_labels(
            [{"name": name, "colour": colour, "hotkey": hotkey, "description": description}]
        )[0]

    def _update_label(self, name: str, /, **values: Any) -> Label:
        self._writable()
        label = self.label(name)
        sets = ", ".join(f"{key} = ?" for key in values)
        try:
            with self.db.atomic():
                self.conn.execute(
                    f"UPDATE labels SET {sets} WHERE id = ?", (*values.values(), label.id)
                )
        except sqlite3.IntegrityError as exc:
            raise LabelError(f"cannot change label {name}: {exc}") from None
        self._reload_labels()
        self._emit(Change("labels"))
        return self._labels_by_id[label.id]

    def rename_label(self, old: str, new: str) -> Label:
        """Rename a label; its spans carry the new name (they refer to it by id)."""
        return self._update_label(old, name=check_label_name(new))

    def recolour_label(self, name: str, colour: str) -> Label:
        return self._update_label(name, colour=check_colour(colour))

    def set_label_hotkey(self, name: str, hotkey: str | None) -> Label:
        return self._update_label(name, hotkey=check_hotkey(hotkey))

    def describe_label(self, name: str, description: str) -> Label:
        return self._update_label(name, description=description)

    # --- documents ------------------------------------------------------------------

    def add_documents(
        self,
        documents: Iterable[NewDocument],
        *,
        on_progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Add documents (and their spans) all or nothing, in one transaction.

        A document whose text is already in the project is skipped and counted.
        Labels named by incoming spans that the project lacks are added.
        """
        self._writable()
        report = ImportReport()
        stamp = now()
        try:
            with self.db.atomic():
                position = self.conn.execute(
                    "SELECT coalesce(max(position) + 1, 0) FROM documents"
                ).fetchone()[0]
                seen: set[str] = set()
                for item in documents:
                    if len(item.text) > MAX_DOCUMENT_CHARS:
                        raise InputError(
                            item.source or item.name or "document",
                            f"its text is {len(item.text):,} characters long; annotator takes"
                            f" articles of up to {MAX_DOCUMENT_CHARS:,} (split longer texts)",
                        )
                    digest = text_hash(item.text)
                    if (
                        digest in seen
                        or self.conn.execute(
                            "SELECT 1 FROM documents WHERE hash = ?", (digest,)
                        ).fetchone()
                    ):
                        report.skipped_duplicates += 1
                        if on_progress:
                            on_progress(1)
                        continue
                    seen.add(digest)
                    if item.status not in STATUSES:
                        raise SpanError(f"{item.source}: unknown status {item.status!r}")
                    name = item.name or _name_from_text(item.text)
                    cursor = self.conn.execute(
                        "INSERT INTO documents"
                        " (name, text, meta, status, hash, position, created, updated)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            name,
                            item.text,
                            orjson.dumps(item.meta).decode(),
                            item.status,
                            digest,
                            position,
                            stamp,
                            stamp,
                        ),
                    )
                    document_id = int(cursor.lastrowid)
                    self.conn.execute(
                        "INSERT INTO documents_fts (rowid, name, text) VALUES (?, ?, ?)",
                        (document_id, name, item.text),
                    )
                    position += 1
                    report.added += 1
                    report.document_ids.append(document_id)
                    if item.spans:
                        self._import_spans(document_id, item, stamp, report)
                    if on_progress:
                        on_progress(1)
        finally:
            self._reload_labels()
        if report.added:
            self._emit(Change("documents"))
        return report

    def _import_spans(
        self, document_id: int, item: NewDocument, stamp: str, report: ImportReport
    ) -> None:
        ids: dict[Any, int] = {}
        for spec in item.spans:
            label_name = spec["label"]
            if label_name not in self._labels_by_name:
                self._insert_label(label_name)
                self._reload_labels()
                report.new_labels.append(label_name)
            where = f"{item.source}: " if item.source else ""
            try:
                span_id = self._insert_span(
                    document_id,
                    item.text,
                    int(spec["start"]),
                    int(spec["end"]),
                    label_name,
                    spec.get("text"),
                    annotator=spec.get("annotator") or self.annotator,
                    note=spec.get("note") or "",
                    stamp=stamp,
                )
            except SpanError as exc:
                raise SpanError(f"{where}{exc}") from None
            if span_id is not None:
                report.spans += 1
                if spec.get("id") is not None:
                    ids[spec["id"]] = span_id
        for rel in item.relations:
            try:
                head, child = ids[rel["head"]], ids[rel["child"]]
            except KeyError as exc:
                raise SpanError(
                    f"{item.source}: relation names span {exc.args[0]!r}, which is not in its spans"
                ) from None
            self.conn.execute(
                "INSERT OR IGNORE INTO relations (head_id, child_id, label) VALUES (?, ?, ?)",
                (head, child, str(rel.get("label", ""))),
            )
            report.relations += 1

    def add_document(
        self, text: str, name: str = "", meta: dict[str, Any] | None = None, status: str = "todo"
    ) -> Document | None:
        """Add one document; None when its text is already in the project."""
        report = self.add_documents(
            [NewDocument(text=text, name=name, meta=meta or {}, status=status)]
        )
        return self.document(report.document_ids[0]) if report.document_ids else None

    def document(self, document_id: int) -> Document:
        row = self.conn.execute(
            "SELECT id, name, text, meta, status, hash, position FROM documents WHERE id = ?",
            (document_id,),
        ).fetchone()
        if row is None:
            raise KeyError(f"no document {document_id}")
        return _row_to_document(row)

    def document_text(self, document_id: int) -> str:
        """The stored text (cached: document texts never change once added)."""
        text = self._text_cache.get(document_id)
        if text is None:
            row = self.conn.execute(
                "SELECT text FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
            if row is None:
                raise SpanError(f"no document {document_id}")
            text = row[0]
            if len(self._text_cache) > 8:
                self._text_cache.clear()
            self._text_cache[document_id] = text
        return text

    def documents(self, status: str | None = None, batch: int = 256) -> Iterator[Document]:
        """All documents in list order, read lazily in batches."""
        last = -1
        where = "position > ?" + (" AND status = ?" if status else "")
        while True:
            params: tuple[Any, ...] = (last, status) if status else (last,)
            rows = self.conn.execute(
                "SELECT id, name, text, meta, status, hash, position FROM documents"
                f" WHERE {where} ORDER BY position LIMIT {int(batch)}",
                params,
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _row_to_document(row)
            last = rows[-1][6]

    def document_ids(self, status: str | None = None) -> list[int]:
        """Ids in list order: cheap even for 100,000 documents (no text is read)."""
        if status:
            sql = "SELECT id FROM documents WHERE status = ? ORDER BY position"
            return [row[0] for row in self.conn.execute(sql, (status,))]
        return [row[0] for row in self.conn.execute("SELECT id FROM documents ORDER BY position")]

    def summaries(self, document_ids: Sequence[int]) -> list[DocumentSummary]:
        """Name, status and span count of these documents, in the order given."""
        if not document_ids:
            return []
        marks = ",".join("?" * len(document_ids))
        rows = self.conn.execute(
            "SELECT d.id, d.name, d.status,"
            " (SELECT count(*) FROM spans s WHERE s.document_id = d.id), d.position"
            f" FROM documents d WHERE d.id IN ({marks})",
            tuple(document_ids),
        ).fetchall()
        by_id = {row[0]: DocumentSummary(*row) for row in rows}
        return [by_id[i] for i in document_ids if i in by_id]

    def summaries_page(
        self, offset: int, limit: int, status: str | None = None
    ) -> list[DocumentSummary]:
        """Rows ``offset`` to ``offset + limit`` of the document list (of one status if
        given): a list of 100,000 documents reads only the page it shows."""
        where = "WHERE d.status = ?" if status else ""
        params: tuple[Any, ...] = (status,) if status else ()
        rows = self.conn.execute(
            "SELECT d.id, d.name, d.status,"
            " (SELECT count(*) FROM spans s WHERE s.document_id = d.id), d.position"
            f" FROM documents d {where} ORDER BY d.position LIMIT ? OFFSET ?",
            (*params, int(limit), int(offset)),
        ).fetchall()
        return [DocumentSummary(*row) for row in rows]

    def list_row(self, document_id: int, status: str | None = None) -> int | None:
        """Where a document stands in the document list (of one status if given), or
        None if it is not in it; counted in the index, without reading every id."""
        row = self.conn.execute(
            "SELECT position, status FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None or (status and row[1] != status):
            return None
        if status:
            sql, params = (
                "SELECT count(*) FROM documents WHERE status = ? AND position < ?",
                (status, row[0]),
            )
        else:
            sql, params = "SELECT count(*) FROM documents WHERE position < ?", (row[0],)
        return self.conn.execute(sql, params).fetchone()[0]

    def count_documents(self, status: str | None = None) -> int:
        if status:
            return self.conn.execute(
                "SELECT count(*) FROM documents WHERE status = ?", (status,)
            ).fetchone()[0]
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def set_status(self, document_id: int, status: str) -> None:
        """Mark a document todo, done or skipped (not an undo step: it is navigation)."""
        self._writable()
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        with self.db.atomic():
            cursor = self.conn.execute(
                "UPDATE documents SET status = ?, updated = ? WHERE id = ?",
                (status, now(), document_id),
            )
            if cursor.rowcount == 0:
                raise KeyError(f"no document {document_id}")
        self._emit(Change("document", document_id))

    def next_document(self, after_id: int | None, *, not_status: str | None = "done") -> int | None:
        """The next document after ``after_id`` in list order (wrapping), skipping
        those whose status is ``not_status``."""
        position = -1
        if after_id is not None:
            row = self.conn.execute(
                "SELECT position FROM documents WHERE id = ?", (after_id,)
            ).fetchone()
            position = row[0] if row else -1
        cond = "status != ?" if not_status else "1"
        params: tuple[Any, ...] = (not_status,) if not_status else ()
        for sql, args in (
            (
                f"SELECT id FROM documents WHERE position > ? AND {cond} ORDER BY position LIMIT 1",
                (position, *params),
            ),
            (
                f"SELECT id FROM documents WHERE position < ? AND {cond} ORDER BY position LIMIT 1",
                (position, *params),
            ),
        ):
            row = self.conn.execute(sql, args).fetchone()
            if row:
                return row[0]
        return None

    def neighbour(self, document_id: int, step: int) -> int | None:
        """The document ``step`` places away in list order (+1 next, -1 previous)."""
        row = self.conn.execute(
            "SELECT position FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None:
            return None
        if step > 0:
            sql = "SELECT id FROM documents WHERE position > ? ORDER BY position LIMIT 1"
        else:
            sql = "SELECT id FROM documents WHERE position < ? ORDER BY position DESC LIMIT 1"
        found = self.conn.execute(sql, (row[0],)).fetchone()
        return found[0] if found else None

    def search(self, query: str, limit: int | None = None) -> list[int]:
        """Ids of documents whose text or name matches ``query`` (FTS5 syntax; a plain
        phrase is quoted for you), in list order."""
        phrase = query if any(op in query for op in ('"', " OR ", " AND ", "*")) else f'"{query}"'
        if self._in_id_order():
            # The index gives ids in order at no cost; reading each document's
            # position instead would more than double the time of a common name.
            sql = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid"
        else:
            sql = (
                "SELECT d.id FROM documents_fts f JOIN documents d ON d.id = f.rowid"
                " WHERE documents_fts MATCH ? ORDER BY d.position"
            )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [row[0] for row in self.conn.execute(sql, (phrase,))]

    def _in_id_order(self) -> bool:
        """Whether list order is id order (documents are added in order and never
        moved); checked again after another connection wrote or documents came.
        Anything that moves documents in the list must set ``_id_order = None``."""
        key = (
            self.conn.execute("PRAGMA data_version").fetchone()[0],
            *self.conn.execute(
                "SELECT (SELECT max(id) FROM documents), (SELECT max(position) FROM documents)"
            ).fetchone(),
        )
        if self._id_order is None or self._id_order[0] != key:
            ids = self.document_ids()
            self._id_order = (key, all(a < b for a, b in itertools.pairwise(ids)))
        return self._id_order[1]

    # --- spans ----------------------------------------------------------------------

    def spans(self, document_id: int) -> list[Span]:
        """The document's spans by start, longest first at equal starts (outer before inner)."""
        rows = self.conn.execute(
            f"SELECT {_SPAN_COLUMNS} FROM {_SPAN_FROM} WHERE s.document_id = ?", (document_id,)
        ).fetchall()
        # Sorted here, by stable sorts on one field each (least significant first):
        # SQLite's ORDER BY would build a temporary tree for 10,000 rows.
        spans = list(map(_row_to_span, rows))
        positions = {name: label.position for name, label in self._labels_by_name.items()}
        spans.sort(key=lambda span: positions.get(span.label, 0))
        spans.sort(key=attrgetter("end"), reverse=True)
        spans.sort(key=attrgetter("start"))
        return spans

    def span_extents(self, document_id: int) -> list[SpanExtent]:
        """The document's spans as a view places them, in the order of :meth:`spans`.

        Only the covering index is read (id, start, end, label): opening a long
        article must not make a Python object per span more than it needs.
        """
        # One JSON array made by SQLite and parsed by orjson (for 10,000 spans, about
        # half the time of fetching as many rows through the sqlite3 module), each
        # span as [start, -end, label id, id]. A plain sort of those lists runs in C
        # and is the reading order wherever labels were made in their order (ids
        # rising with positions); SQLite reads them nearly sorted from its index.
        (packed,) = self.conn.execute(
            'SELECT json_group_array(json_array(start, -"end", label_id, id)) '
            "FROM spans WHERE document_id = ?",
            (document_id,),
        ).fetchone()
        rows = orjson.loads(packed)
        if not rows:
            return []
        rows.sort()
        labels = self._labels_by_id
        position = {label_id: label.position for label_id, label in labels.items()}
        if [position[label_id] for label_id in sorted(labels)] != sorted(position.values()):
            rows.sort(key=lambda row: (row[0], row[1], position[row[2]], row[3]))
        names = {label_id: label.name for label_id, label in labels.items()}
        # Made column by column with C-level maps: a Python loop over 10,000 rows
        # would cost more than reading them.
        starts, negative_ends, label_ids, ids = zip(*rows, strict=True)
        columns = zip(
            ids, starts, map(neg, negative_ends), map(names.__getitem__, label_ids), strict=True
        )
        return list(map(tuple.__new__, repeat(SpanExtent), columns))

    def span(self, span_id: int) -> Span:
        row = self.conn.execute(
            f"SELECT {_SPAN_COLUMNS} FROM {_SPAN_FROM} WHERE s.id = ?", (span_id,)
        ).fetchone()
        if row is None:
            raise SpanError(f"no span {span_id}")
        return _row_to_span(row)

    def _check_extent(self, text: str, start: int, end: int, expected: str | None) -> None:
        if not (isinstance(start, int) and isinstance(end, int)):
            raise SpanError("span offsets must be whole numbers")
        if start == end:
            raise SpanError(f"empty span at {start}")
        if start > end:
            raise SpanError(f"span start {start} is after its end {end}")
        if start < 0 or end > len(text):
            raise SpanError(f"span {start}-{end} is outside the text (length {len(text)})")
        if expected is not None and text[start:end] != expected:
            raise SpanError(
                f"span {start}-{end} says {expected!r} but the text there is {text[start:end]!r}"
            )

    def _insert_span(
        self,
        document_id: int,
        text: str,
        start: int,
        end: int,
        label: str,
        expected: str | None,
        *,
        annotator: str,
        note: str = "",
        stamp: str,
        span_id: int | None = None,
    ) -> int | None:
        """Insert inside the caller's transaction; None for an exact duplicate."""
        self._check_extent(text, start, end, expected)
        label_id = self.label(label).id
        cursor = self.conn.execute(
            'INSERT OR IGNORE INTO spans (id, document_id, start, "end", label_id, text, annotator,'
            " note, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                span_id,
                document_id,
                start,
                end,
                label_id,
                text[start:end],
                annotator,
                note,
                stamp,
                stamp,
            ),
        )
        return int(cursor.lastrowid) if cursor.rowcount else None

    def find_span(self, document_id: int, start: int, end: int, label: str) -> Span | None:
        row = self.conn.execute(
            f"SELECT {_SPAN_COLUMNS} FROM {_SPAN_FROM}"
            ' WHERE s.document_id = ? AND s.start = ? AND s."end" = ? AND l.name = ?',
            (document_id, start, end, label),
        ).fetchone()
        return _row_to_span(row) if row else None

    def add_span(
        self,
        document_id: int,
        start: int,
        end: int,
        label: str,
        *,
        text: str | None = None,
        note: str = "",
        annotator: str | None = None,
    ) -> Span:
        """Tag text[start:end] with ``label`` (code points, end exclusive).

        The span's text is taken from the stored document; pass ``text`` to have
        it checked. An exact duplicate returns the span already there.
        """
        self._writable()
        doc_text = self.document_text(document_id)
        existing = None
        with self.db.atomic():
            span_id = self._insert_span(
                document_id,
                doc_text,
                start,
                end,
                label,
                text,
                annotator=annotator or self.annotator,
                note=note,
                stamp=now(),
            )
        if span_id is None:
            existing = self.find_span(document_id, start, end, label)
            assert existing is not None
            return existing
        span = self.span(span_id)
        self.history.push(
            Step(
                f"add {label} {_quote(span.text)}",
                document_id,
                apply=lambda: self._restore_span(span, []),
                revert=lambda: self._remove_span(span.id),
            )
        )
        self._emit(Change("spans", document_id, start, end, (span_id,)))
        return span

    def _restore_span(self, span: Span, relations: list[Relation]) -> None:
        with self.db.atomic():
            self._insert_span(
                span.document_id,
                self.document_text(span.document_id),
                span.start,
                span.end,
                span.label,
                span.text,
                annotator=span.annotator,
                note=span.note,
                stamp=span.created,
                span_id=span.id,
            )
            for rel in relations:
                self.conn.execute(
                    "INSERT OR IGNORE INTO relations (id, head_id, child_id, label)"
                    " VALUES (?, ?, ?, ?)",
                    (rel.id, rel.head, rel.child, rel.label),
                )
        self._emit(Change("spans", span.document_id, span.start, span.end, (span.id,)))

    def _remove_span(self, span_id: int) -> None:
        span = self.span(span_id)
        with self.db.atomic():
            self.conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
        self._emit(Change("spans", span.document_id, span.start, span.end, (span_id,)))

    def delete_span(self, span_id: int) -> None:
        self._writable()
        span = self.span(span_id)
        relations = self.relations_of(span_id)
        self._remove_span(span_id)
        self.history.push(
            Step(
                f"delete {span.label} {_quote(span.text)}",
                span.document_id,
                apply=lambda: self._remove_span(span_id),
                revert=lambda: self._restore_span(span, relations),
            )
        )

    def _set_span(self, span_id: int, **values: Any) -> Span:
        """Update a span's label, extent or note in one transaction."""
        before = self.span(span_id)
        sets = {"updated": now()}
        if "label" in values:
            sets["label_id"] = self.label(values["label"]).id
        if "start" in values or "end" in values:
            start, end = values.get("start", before.start), values.get("end", before.end)
            text = self.document_text(before.document_id)
            self._check_extent(text, start, end, None)
            sets.update(start=start, end=end, text=text[start:end])
        if "note" in values:
            sets["note"] = str(values["note"])
        columns = ", ".join(f'"{key}" = ?' for key in sets)
        try:
            with self.db.atomic():
                self.conn.execute(
                    f"UPDATE spans SET {columns} WHERE id = ?", (*sets.values(), span_id)
                )
        except sqlite3.IntegrityError:
            raise SpanError("the same span with that label exists already") from None
        after = self.span(span_id)
        self._emit(
            Change(
                "spans",
                before.document_id,
                min(before.start, after.start),
                max(before.end, after.end),
                (span_id,),
            )
        )
        return after

    def _undoable_update(self, span_id: int, description: str, **values: Any) -> Span:
        self._writable()
        before = self.span(span_id)
        after = self._set_span(span_id, **values)
        old = {key: getattr(before, key) for key in values}
        new = {key: getattr(after, key) for key in values}
        self.history.push(
            Step(
                description,
                before.document_id,
                apply=lambda: self._set_span(span_id, **new),
                revert=lambda: self._set_span(span_id, **old),
            )
        )
        return after

    def relabel_span(self, span_id: int, label: str) -> Span:
        before = self.span(span_id)
        if before.label == label:
            return before
        return self._undoable_update(
            span_id, f"relabel {_quote(before.text)} {before.label} → {label}", label=label
        )

    def resize_span(self, span_id: int, start: int, end: int) -> Span:
        before = self.span(span_id)
        if (before.start, before.end) == (start, end):
            return before
        return self._undoable_update(
            span_id, f"resize {before.label} {_quote(before.text)}", start=start, end=end
        )

    def set_note(self, span_id: int, note: str) -> Span:
        before = self.span(span_id)
        if before.note == note:
            return before
        return self._undoable_update(
            span_id, f"note on {before.label} {_quote(before.text)}", note=note
        )

    # --- relations ------------------------------------------------------------------

    def relations(self, document_id: int) -> list[Relation]:
        rows = self.conn.execute(
            "SELECT r.id, r.head_id, r.child_id, r.label FROM relations r"
            " JOIN spans s ON s.id = r.head_id WHERE s.document_id = ? ORDER BY r.id",
            (document_id,),
        ).fetchall()
        return [Relation(*row) for row in rows]

    def relations_of(self, span_id: int) -> list[Relation]:
        rows = self.conn.execute(
            "SELECT id, head_id, child_id, label FROM relations WHERE head_id = ? OR child_id = ?",
            (span_id, span_id),
        ).fetchall()
        return [Relation(*row) for row in rows]

    def add_relation(self, head: int, child: int, label: str) -> Relation:
        """Link two spans of one document (undoable)."""
        self._writable()
        head_span, child_span = self.span(head), self.span(child)
        if head_span.document_id != child_span.document_id:
            raise SpanError("a relation links two spans of the same document")
        with self.db.atomic():
            self.conn.execute(
                "INSERT OR IGNORE INTO relations (head_id, child_id, label) VALUES (?, ?, ?)",
                (head, child, label),
            )
            row = self.conn.execute(
                "SELECT id, head_id, child_id, label FROM relations"
                " WHERE head_id = ? AND child_id = ? AND label = ?",
                (head, child, label),
            ).fetchone()
        relation = Relation(*row)
        self.history.push(
            Step(
                f"relate {_quote(head_span.text)} {label} {_quote(child_span.text)}",
                head_span.document_id,
                apply=lambda: self._write_relation(relation, insert=True),
                revert=lambda: self._write_relation(relation, insert=False),
            )
        )
        self._emit(Change("spans", head_span.document_id, 0, 0, (head, child)))
        return relation

    def _write_relation(self, relation: Relation, *, insert: bool) -> None:
        with self.db.atomic():
            if insert:
                self.conn.execute(
                    "INSERT OR IGNORE INTO relations (id, head_id, child_id, label)"
                    " VALUES (?, ?, ?, ?)",
                    (relation.id, relation.head, relation.child, relation.label),
                )
            else:
                self.conn.execute("DELETE FROM relations WHERE id = ?", (relation.id,))
        document_id = self.span(relation.head).document_id
        self._emit(Change("spans", document_id, 0, 0, (relation.head, relation.child)))

    def delete_relation(self, relation_id: int) -> None:
        self._writable()
        row = self.conn.execute(
            "SELECT id, head_id, child_id, label FROM relations WHERE id = ?", (relation_id,)
        ).fetchone()
        if row is None:
            raise SpanError(f"no relation {relation_id}")
        relation = Relation(*row)
        self._write_relation(relation, insert=False)
        self.history.push(
            Step(
                f"delete relation {relation.label}",
                self.span(relation.head).document_id,
                apply=lambda: self._write_relation(relation, insert=False),
                revert=lambda: self._write_relation(relation, insert=True),
            )
        )

    # --- undo -----------------------------------------------------------------------

    def undo(self) -> Step | None:
        """Revert the last edit (its own transaction); returns it, or None."""
        self._writable()
        step = self.history.pop_undo()
        if step is None:
            return None
        step.revert()
        self.history.did_undo()
        return step

    def redo(self) -> Step | None:
        self._writable()
        step = self.history.pop_redo()
        if step is None:
            return None
        step.apply()
        self.history.did_redo()
        return step

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
                _row_to_document(row),
                [_row_to_span(span[:-1]) for span in span_rows],
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
            f"SELECT {_SPAN_COLUMNS}, d.position FROM documents d"
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


def _database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    import sqlite_utils

    return sqlite_utils.Database(conn, execute_plugins=False)


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
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


def _row_to_document(row: Sequence[Any]) -> Document:
    return Document(
        id=row[0],
        name=row[1],
        text=row[2],
        meta=orjson.loads(row[3]) if row[3] else {},
        status=row[4],
        hash=row[5],
        position=row[6],
    )


def _name_from_text(text: str) -> str:
    first = " ".join(text.split())[:60]
    return first or "(empty)"


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"
