"""A project: one SQLite file holding documents, labels, spans and relations.

Every edit is one transaction, committed before the method returns, so
whatever a caller shows as saved is on disk. Span edits go through the undo
history (:mod:`annotator.core.history`); listeners hear of every change so a
view can redraw exactly what it touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core import schema
from annotator.core.check import (
    foreign_objects,
    known_sound,
    quick_check,
    remember_sound,
    schema_problems,
)
from annotator.core.companions import leave_as_found, present, remove_companions
from annotator.core.errors import ProjectError
from annotator.core.history import History, Step
from annotator.core.labels import default_labels
from annotator.core.layers import Layers, check_layer_name, is_human
from annotator.core.lock import ProjectLock
from annotator.core.model import (
    STATUSES,
    Document,
    DocumentSummary,
    Label,
    Relation,
    Span,
)
from annotator.core.project_documents import STATUS_SQL, Documents
from annotator.core.project_labels import Labels
from annotator.core.project_relation_types import RelationTypes, insert_types
from annotator.core.project_spans import Spans
from annotator.core.records import (
    MAX_DOCUMENT_CHARS,
    SPAN_COLUMNS,
    Change,
    default_annotator,
    now,
    row_to_document,
    row_to_span,
    text_hash,
)
from annotator.core.relation_types import RelationType, news_scheme
from annotator.core.settings import GUIDELINES, ProjectSettings
from annotator.core.spancolumns import SpanColumns
from annotator.core.store import Store, connect
from annotator.core.suggestions import Proposal, Suggestions
from annotator.core.texts import DocumentTexts

if TYPE_CHECKING:
    import sqlite_utils

    from annotator.core.incoming import ImportReport, NewDocument

__all__ = [
    "MAX_DOCUMENT_CHARS",
    "Change",
    "Project",
    "default_annotator",
    "now",
    "text_hash",
]


class Project:
    """Open with :meth:`open` or :meth:`create`; close with :meth:`close` (or ``with``).

    A project is made of parts that each own one concern and receive what they
    depend on: the :class:`Store` (connection, transactions, listeners),
    :class:`Labels`, :class:`Layers`, :class:`Spans` (spans and relations) and
    :class:`Documents`. Its methods are the API scripts, the command line and
    the window share; each hands the call to its part.
    """

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        read_only: bool = False,
        annotator: str | None = None,
    ) -> None:
        self.store = Store(path, conn, read_only=read_only)
        self.history = History()
        self.relation_type_store = RelationTypes(self.store)
        self.label_store = Labels(self.store, renamed=self.relation_type_store.label_renamed)
        self.layer_store = Layers(self.store, annotator or default_annotator())
        self.texts = DocumentTexts(self.store)
        self.span_store = Spans(
            self.store, self.label_store, self.layer_store, self.texts, self.history
        )
        self.document_store = Documents(
            self.store,
            self.label_store,
            self.layer_store,
            self.span_store,
            self.texts,
            self.relation_type_store,
        )
        self.settings = ProjectSettings(self.store)
        self.suggestion_store = Suggestions(
            self.store,
            self.label_store,
            self.layer_store,
            self.span_store,
            self.texts,
            self.history,
        )
        self._lock: ProjectLock | None = None  # held while open for editing
        self._verified = False  # checked on open (or created by us): may be sealed on close

    # --- what the parts share -----------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    @property
    def db(self) -> sqlite_utils.Database:
        return self.store.db

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def annotator(self) -> str:
        """The current layer: the person labelling in this window or script."""
        return self.layer_store.current

    @annotator.setter
    def annotator(self, name: str) -> None:
        self.layer_store.current = check_layer_name(name)
        self.history.clear()  # undo covers one person's edits

    def subscribe(self, listener: Callable[[Change], None]) -> Callable[[], None]:
        """Call ``listener`` after every committed change; returns an unsubscribe function."""
        return self.store.subscribe(listener)

    def undo(self) -> Step | None:
        """Revert the last edit (its own transaction); returns it, or None."""
        self.store.writable()
        step = self.history.pop_undo()
        if step is None:
            return None
        step.revert()
        self.history.did_undo()
        return step

    def redo(self) -> Step | None:
        self.store.writable()
        step = self.history.pop_redo()
        if step is None:
            return None
        step.apply()
        self.history.did_redo()
        return step

    # --- labels ---------------------------------------------------------------------------

    @property
    def labels(self) -> list[Label]:
        """In order: the first nine get the digit hotkeys 1-9."""
        return self.label_store.all()

    def label(self, name: str) -> Label:
        return self.label_store.get(name)

    def add_label(
        self, name: str, colour: str | None = None, hotkey: str | None = None, description: str = ""
    ) -> Label:
        return self.label_store.add(name, colour, hotkey, description)

    def rename_label(self, old: str, new: str) -> Label:
        """Rename a label; its spans, and the relation types that name it, follow in the
        same transaction."""
        return self.label_store.rename(old, new)

    def recolour_label(self, name: str, colour: str) -> Label:
        return self.label_store.recolour(name, colour)

    def set_label_hotkey(self, name: str, hotkey: str | None) -> Label:
        return self.label_store.set_hotkey(name, hotkey)

    def describe_label(self, name: str, description: str) -> Label:
        return self.label_store.describe(name, description)

    def label_span_count(self, name: str) -> int:
        """How many spans would go with the label (every layer)."""
        return self.label_store.span_count(name)

    def delete_label(self, name: str, *, backup_root: Path | None = None) -> tuple[int, Path]:
        """Delete a label and its spans, after a backup of the project as it was; the
        number of spans that went, and the backup. Undo cannot bring them back (the
        backup can), so the undo history is cleared."""
        from annotator.core.backup import Backups

        self.store.writable()
        self.label_store.get(name)  # an unknown name is refused before any copy
        taken = Backups(self.path, root=backup_root).take(self.conn, note="before-delete-label")
        count = self.label_store.remove(name)
        self.history.clear()
        self.store.emit(Change("documents"))  # span counts in the document list
        return count, taken

    def reorder_labels(self, names: Sequence[str]) -> list[Label]:
        """Every label once, in its new order (the digits 1-9 follow it)."""
        return self.label_store.reorder(list(names))

    def move_label(self, name: str, position: int) -> list[Label]:
        """Move one label to ``position`` (1 is first)."""
        return self.label_store.move(name, position)

    # --- layers ---------------------------------------------------------------------------

    def layers(self) -> list[str]:
        """Every layer with something in it, in the order they were made."""
        return self.layer_store.names()

    def human_layers(self) -> list[str]:
        """People's layers and gold: what exports carry by default."""
        return self.layer_store.human()

    # --- documents ------------------------------------------------------------------------

    def add_documents(
        self,
        documents: Iterable[NewDocument],
        *,
        on_progress: Callable[[int], None] | None = None,
        as_layer: str | None = None,
    ) -> ImportReport:
        return self.document_store.add_documents(
            documents, on_progress=on_progress, as_layer=as_layer
        )

    def add_document(
        self, text: str, name: str = "", meta: dict[str, Any] | None = None, status: str = "todo"
    ) -> Document | None:
        return self.document_store.add_document(text, name, meta, status)

    def remove_documents(self, document_ids: Sequence[int]) -> int:
        return self.document_store.remove_documents(document_ids)

    def document(self, document_id: int, layer: str | None = None) -> Document:
        return self.document_store.document(document_id, layer)

    def document_text(self, document_id: int) -> str:
        return self.texts.text(document_id)

    def documents(self, status: str | None = None, batch: int = 256) -> Iterator[Document]:
        return self.document_store.documents(status, batch)

    def document_ids(self, status: str | None = None) -> list[int]:
        return self.document_store.document_ids(status)

    def summaries(self, document_ids: Sequence[int]) -> list[DocumentSummary]:
        return self.document_store.summaries(document_ids)

    def summaries_page(
        self, offset: int, limit: int, status: str | None = None
    ) -> list[DocumentSummary]:
        return self.document_store.summaries_page(offset, limit, status)

    def list_row(self, document_id: int, status: str | None = None) -> int | None:
        return self.document_store.list_row(document_id, status)

    def count_documents(self, status: str | None = None, layer: str | None = None) -> int:
        return self.document_store.count_documents(status, layer)

    def status(self, document_id: int, layer: str | None = None) -> str:
        return self.document_store.status(document_id, layer)

    def statuses(self, document_id: int) -> dict[str, str]:
        return self.document_store.statuses(document_id)

    def set_status(self, document_id: int, status: str, layer: str | None = None) -> None:
        self.document_store.set_status(document_id, status, layer)

    def next_document(self, after_id: int | None, *, not_status: str | None = "done") -> int | None:
        return self.document_store.next_document(after_id, not_status=not_status)

    def neighbour(self, document_id: int, step: int) -> int | None:
        return self.document_store.neighbour(document_id, step)

    def search(self, query: str, limit: int | None = None) -> list[int]:
        return self.document_store.search(query, limit)

    # --- spans and relations --------------------------------------------------------------

    def spans(self, document_id: int, layers: Iterable[str] | None = None) -> list[Span]:
        return self.span_store.spans(document_id, layers)

    def span_extents(
        self, document_id: int, layer: str | None = None, *, starting_before: int | None = None
    ) -> SpanColumns:
        return self.span_store.span_extents(document_id, layer, starting_before=starting_before)

    def span(self, span_id: int) -> Span:
        return self.span_store.span(span_id)

    def find_span(
        self, document_id: int, start: int, end: int, label: str, layer: str | None = None
    ) -> Span | None:
        return self.span_store.find_span(document_id, start, end, label, layer)

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
        return self.span_store.add_span(
            document_id, start, end, label, text=text, note=note, annotator=annotator
        )

    def add_labelled(
        self,
        document_id: int,
        items: Sequence[tuple[int, int, str]],
        *,
        annotator: str | None = None,
        description: str,
    ) -> list[Span]:
        """Add (start, end, label) spans to one layer as one transaction and one undo step."""
        return self.span_store.add_labelled(
            document_id, items, annotator=annotator, description=description
        )

    def add_spans(
        self,
        document_id: int,
        extents: Sequence[tuple[int, int]],
        label: str,
        *,
        annotator: str | None = None,
        description: str | None = None,
    ) -> list[Span]:
        return self.span_store.add_spans(
            document_id, extents, label, annotator=annotator, description=description
        )

    def delete_span(self, span_id: int) -> None:
        self.span_store.delete_span(span_id)

    def relabel_span(self, span_id: int, label: str) -> Span:
        return self.span_store.relabel_span(span_id, label)

    def resize_span(self, span_id: int, start: int, end: int) -> Span:
        return self.span_store.resize_span(span_id, start, end)

    def set_note(self, span_id: int, note: str) -> Span:
        return self.span_store.set_note(span_id, note)

    def relations(
        self,
        document_id: int,
        layers: Iterable[str] | None = None,
        *,
        touching_before: int | None = None,
    ) -> list[Relation]:
        return self.span_store.relations(document_id, layers, touching_before=touching_before)

    def relations_of(self, span_id: int) -> list[Relation]:
        return self.span_store.relations_of(span_id)

    def add_relation(self, head: int, child: int, label: str) -> Relation:
        """Link two spans of one document and layer with a relation of type ``label``,
        which must allow their labels (an undo step)."""
        self.relation_type_store.check(label, self.span(head).label, self.span(child).label)
        return self.span_store.add_relation(head, child, label)

    # --- relation types ---------------------------------------------------------------

    def relation_types(self) -> list[RelationType]:
        return self.relation_type_store.all()

    def add_relation_type(self, rtype: RelationType) -> RelationType:
        return self.relation_type_store.add(rtype)

    def delete_relation(self, relation_id: int) -> None:
        self.span_store.delete_relation(relation_id)

    def retype_relation(self, relation_id: int, label: str) -> Relation:
        """Give a relation another type its two spans' labels allow (undoable)."""
        ends = self.conn.execute(
            "SELECT head_id, child_id FROM relations WHERE id = ?", (relation_id,)
        ).fetchone()
        if ends is not None:
            head, child = self.span(ends[0]), self.span(ends[1])
            self.relation_type_store.check(label, head.label, child.label)
        return self.span_store.retype_relation(relation_id, label)

    # --- opening and closing -------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | Path,
        labels: Iterable[dict[str, Any]] | None = None,
        *,
        annotator: str | None = None,
        relation_types: Sequence[RelationType] | None = None,
    ) -> Project:
        """A new, empty project at ``path`` (which must not exist) with ``labels`` and
        ``relation_types`` (default: the news scheme for those labels)."""
        path = Path(path)
        if path.exists():
            raise ProjectError(path, "already exists; open it instead of creating it")
        if not path.parent.is_dir():
            raise ProjectError(path, "cannot be created: its folder does not exist")
        lock = ProjectLock.acquire(path)
        conn = connect(path, read_only=False)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            schema.migrate(conn, 0)
            project = cls(path, conn, annotator=annotator)
            project._lock, project._verified = lock, True
            project.label_store.insert_many(default_labels() if labels is None else list(labels))
            with project.store.transaction() as transaction:
                insert_types(
                    transaction,
                    news_scheme([label.name for label in project.labels])
                    if relation_types is None
                    else relation_types,
                )
            # The header (application_id, user_version) is read from the file's
            # bytes by other processes: put it there now, not at the first checkpoint.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except BaseException:
            conn.close()
            remove_companions(path, with_file=True)
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
            raise ProjectError(
                path,
                "is an older project; open it once for editing to upgrade it"
                " (a backup is taken first)",
            )
        # One writer at a time (ProjectLocked); readers never wait for the lock.
        lock = None if read_only else ProjectLock.acquire(path)
        found = present(path)
        try:
            conn = connect(path, read_only=read_only)
        except BaseException as exc:
            if lock:
                lock.release()
            leave_as_found(path, found)
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
                        _backup_before_upgrade(path, conn)
                        schema.migrate(conn, version, upgrader=annotator or default_annotator())
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
            leave_as_found(path, found)
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

    # --- guidelines -----------------------------------------------------------------------

    @property
    def guidelines(self) -> str:
        """The project's coding guidelines (Markdown), or "" when it has none."""
        return self.settings.get(GUIDELINES)

    def set_guidelines(self, markdown: str) -> None:
        self.settings.set(GUIDELINES, markdown)
        self.store.emit(Change("guidelines"))

    # --- suggestions ----------------------------------------------------------------------

    def suggestions(
        self,
        document_id: int,
        sources: Iterable[str] | None = None,
        answered_by: Iterable[str] | None = None,
    ) -> list[Span]:
        """Pending suggestions (of ``sources``; None: all), in reading order: those
        neither rejected nor made spans by ``answered_by`` (default: the current person)."""
        return self.suggestion_store.pending(document_id, sources, answered_by)

    def suggestion_sources(self) -> list[str]:
        return self.suggestion_store.sources()

    def fill_suggestions(
        self,
        document_id: int,
        source: str,
        proposals: Iterable[Proposal],
        *,
        replace: bool = False,
    ) -> int:
        return self.suggestion_store.fill(document_id, source, proposals, replace=replace)

    def accept_suggestion(self, span_id: int) -> Span:
        return self.suggestion_store.accept(span_id)

    def accept_all_suggestions(self, document_id: int, source: str) -> list[Span]:
        return self.suggestion_store.accept_all(document_id, source)

    def reject_suggestion(self, span_id: int) -> None:
        self.suggestion_store.reject(span_id)

    # --- reading everything -----------------------------------------------------------

    def export_layers(self, layers: Sequence[str] | None = None) -> list[str]:
        """The layers an export carries: those named (which must exist), or else every
        person's layer and gold. Suggestion layers only where named."""
        if not layers:
            return self.human_layers()
        known = self.layers()
        unknown = [name for name in layers if name not in known]
        if unknown:
            raise ValueError(
                f"no annotator {unknown[0]!r} in this project; it has "
                + (", ".join(known) or "no annotators yet")
            )
        return list(dict.fromkeys(layers))

    def status_layer(self, layers: Sequence[str]) -> str:
        """Whose status an export writes: the one layer chosen, else the current annotator's."""
        return layers[0] if len(layers) == 1 else self.annotator

    def iter_annotated(
        self,
        status: str | None = None,
        labels: Sequence[str] | None = None,
        layers: Sequence[str] | None = None,
    ) -> Iterator[tuple[Document, list[Span], list[Relation]]]:
        """Every document with the spans and relations of ``layers`` (see
        :meth:`export_layers`), streamed in list order.

        Cursors walk documents, spans and relations side by side, so memory holds
        one document at a time whatever the size of the project.
        """
        for row, span_rows, relation_rows in self.iter_annotated_rows(status, labels, layers):
            yield (
                row_to_document(row),
                [row_to_span(span[:-1]) for span in span_rows],
                [Relation(*relation[:-1]) for relation in relation_rows],
            )

    def iter_annotated_rows(
        self,
        status: str | None = None,
        labels: Sequence[str] | None = None,
        layers: Sequence[str] | None = None,
    ) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        """What :meth:`iter_annotated` yields, as SQLite's rows, for writers that
        need no records (building a million spans costs seconds).

        A document row is (id, name, text, meta JSON, status, hash, position,
        statuses JSON): the status is the :meth:`status_layer`'s, the statuses
        those of every layer exported. A span row is Span's fields in order, a
        relation row Relation's, each followed by its document's position.
        """
        chosen = self.export_layers(layers)
        layer_ids = self.layer_store.ids(chosen) or [-1]
        in_layers = f"IN ({','.join(str(int(i)) for i in layer_ids)})"
        status_layer_id = self.layer_store.find(self.status_layer(chosen))
        status_layer_id = -1 if status_layer_id is None else status_layer_id
        doc_where, doc_params = self.document_store.where_status(status, self.status_layer(chosen))
        span_where = [doc_where, f"s.layer_id {in_layers}"]
        span_params: list[Any] = list(doc_params)
        if labels:
            span_where.append(f"l.name IN ({','.join('?' * len(labels))})")
            span_params.extend(labels)
        documents = self.conn.execute(
            f"SELECT d.id, d.name, d.text, d.meta, {STATUS_SQL}, d.hash, d.position,"
            " (SELECT json_group_object(y.name, ds.status) FROM document_status ds"
            f" JOIN layers y ON y.id = ds.layer_id WHERE ds.document_id = d.id"
            f" AND ds.layer_id {in_layers}) FROM documents d WHERE {doc_where}"
            " ORDER BY d.position",
            (status_layer_id, *doc_params),
        )
        spans = self.conn.cursor().execute(
            f"SELECT {SPAN_COLUMNS}, d.position FROM documents d"
            " JOIN spans s ON s.document_id = d.id JOIN labels l ON l.id = s.label_id"
            " JOIN layers y ON y.id = s.layer_id"
            f" WHERE {' AND '.join(span_where)}"
            ' ORDER BY d.position, s.start, s."end" DESC, l.position, s.layer_id',
            span_params,
        )
        relations = self.conn.cursor().execute(
            "SELECT r.id, r.head_id, r.child_id, r.label, d.position FROM relations r"
            " JOIN spans s ON s.id = r.head_id JOIN documents d ON d.id = s.document_id"
            f" WHERE {doc_where} AND s.layer_id {in_layers} ORDER BY d.position, r.id",
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

    def stats(self, by_annotator_status: bool = False) -> dict[str, Any]:
        """Documents by the current annotator's status, spans by label and by annotator
        (suggestions counted apart), and each annotator's statuses."""
        by_status = {name: self.count_documents(name) for name in STATUSES}
        human = {name for name in self.layers() if is_human(name)}
        by_label = {label.name: 0 for label in self.labels}
        suggestions = 0
        for name, layer, count in self.conn.execute(
            "SELECT l.name, y.name, count(*) FROM spans s JOIN labels l ON l.id = s.label_id"
            " JOIN layers y ON y.id = s.layer_id GROUP BY l.id, y.id"
        ):
            if layer in human:
                by_label[name] = by_label.get(name, 0) + count
            else:
                suggestions += count
        by_annotator = dict(
            self.conn.execute(
                "SELECT y.name, count(*) FROM spans s JOIN layers y ON y.id = s.layer_id"
                " GROUP BY y.id ORDER BY count(*) DESC, y.name"
            ).fetchall()
        )
        status_by_annotator: dict[str, dict[str, int]] = {}
        total = by_status["todo"] + by_status["done"] + by_status["skipped"]
        for layer in self.layers():
            counts = {name: self.count_documents(name, layer) for name in ("done", "skipped")}
            status_by_annotator[layer] = {"todo": total - sum(counts.values()), **counts}
        return {
            "documents": total,
            "by_status": by_status,
            "spans": sum(by_label.values()),
            "by_label": by_label,
            "by_annotator": {k: v for k, v in by_annotator.items() if k in human},
            "suggestions": suggestions,
            "suggestions_by_source": {k: v for k, v in by_annotator.items() if k not in human},
            "status_by_annotator": status_by_annotator,
            "relations": self.conn.execute("SELECT count(*) FROM relations").fetchone()[0],
        }


# --- helpers ----------------------------------------------------------------------


def _backup_before_upgrade(path: Path, conn: sqlite3.Connection) -> None:
    """A copy of the project as it was, among its backups, before its schema changes."""
    from annotator.core.backup import Backups

    Backups(path).take(conn, note="before-upgrade")


def upgrade(path: str | Path, annotator: str | None = None) -> bool:
    """Bring an older project to the current schema (after a backup); whether it was
    older. Read commands call this first, so that they read every project alike."""
    path = Path(path)
    if schema.check_header(path) >= schema.SCHEMA_VERSION:
        return False
    Project.open(path, annotator=annotator).close()
    return True


def _refuse_foreign_objects(path: Path, conn: sqlite3.Connection) -> None:
    try:
        found = foreign_objects(conn)
    except sqlite3.DatabaseError as exc:
        raise ProjectError(path, f"is damaged and cannot be read ({exc})") from exc
    if found:
        raise ProjectError(path, f"{found[0]}; refusing to open it")


def _quick_check(path: Path, conn: sqlite3.Connection) -> None:
    try:
        problem = quick_check(conn)
    except sqlite3.DatabaseError as exc:
        raise ProjectError(path, f"is damaged and cannot be read ({exc})") from exc
    if problem:
        raise ProjectError(path, problem)
