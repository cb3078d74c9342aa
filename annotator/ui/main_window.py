"""The annotation window: documents left, article centre, spans right, labels above.

There is no unsaved state: every edit is committed by the project before the
window hears of it, and the window redraws from that notice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError, ProjectLocked, SpanError
from annotator.core.gc_pause import collection_paused
from annotator.core.layers import is_suggestion
from annotator.core.model import Span, SpanExtent
from annotator.core.project import Change, Project
from annotator.core.spancolumns import count_labels
from annotator.ui.actions import make_action
from annotator.ui.annotator_name import AnnotatorName
from annotator.ui.article_look import ArticleLook
from annotator.ui.article_view import ArticleView
from annotator.ui.document_list import DocumentPanel
from annotator.ui.editing import EditController
from annotator.ui.layer_toggles import LayerToggles
from annotator.ui.menus import Menus
from annotator.ui.project_tools import ProjectTools
from annotator.ui.relations import RelationController
from annotator.ui.settings import project_key, remember_project, settings
from annotator.ui.side_panels import LabelBar, SpanPanel
from annotator.ui.style import muted_style
from annotator.ui.theme import Theme

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from annotator.core.backup import Backups
    from annotator.ui import dialogs
    from annotator.ui.compare import CompareMode
    from annotator.ui.find_bar import FindBar
    from annotator.ui.project_search import ProjectSearch
    from annotator.ui.suggestions import SuggestionPart

NO_PROJECT = "No project is open. Use File › Open or File › New."


class MainWindow(QMainWindow):
    """Public for scripts and tests: open_document, select_range, apply_label,
    delete_selected_span, undo, redo, mark_done_and_next, ``project``, ``view``,
    ``edits`` (the edit commands and their actions), ``menus``, ``compare`` (compare
    mode and adjudication), ``suggestions``; ``documentOpened`` fires after a document
    is shown; ``projectChanged`` fires after a project is shown (or closed), for
    whatever must follow the open project (backups)."""

    projectChanged = Signal(object)  # the Project now shown, or None
    documentOpened = Signal(int)  # the document now shown

    def __init__(self) -> None:
        super().__init__()
        self.project: Project | None = None
        self.document_id: int | None = None
        self.zoom = 0
        self.settings = settings()
        self._unsubscribe: Callable[[], None] | None = None
        self.backups: Backups | None = None
        self.label_counts: Counter[str] = Counter()  # of the open document, kept per edit
        self.projectChanged.connect(self._start_backups)
        self.setWindowTitle("annotator")
        self.resize(1400, 850)

        self.view = ArticleView(self)
        self.view.setPlaceholderText(NO_PROJECT)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.documents = DocumentPanel(self)
        self.span_panel = SpanPanel(self)
        for table in (self.documents.table, self.span_panel.table):
            self._escape_to_article(table)
        self.label_bar = LabelBar(self)
        self.title_label = QLabel(self)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.meta_label = QLabel(self)
        self.meta_label.setTextFormat(Qt.TextFormat.PlainText)
        self.meta_label.setStyleSheet(muted_style(self))
        self.meta_label.setWordWrap(True)

        header = QWidget(self)
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(16, 10, 16, 6)
        header_layout.setSpacing(2)
        header_layout.addWidget(self.title_label)
        header_layout.addWidget(self.meta_label)
        centre = QWidget(self)
        centre.setObjectName("articlePane")
        centre.setStyleSheet("#articlePane { background: palette(base); }")
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(header)
        centre_layout.addWidget(self.view, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.documents)
        self.splitter.addWidget(centre)
        self.side_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.side_splitter.addWidget(self.span_panel)
        self.splitter.addWidget(self.side_splitter)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([280, 760, 360])
        self.splitter.setChildrenCollapsible(False)
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(0)
        body_layout.addWidget(self.label_bar)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        body_layout.addWidget(line)
        body_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(body)

        self.counts_label = QLabel(self)
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)
        self.mode_label = QLabel(self)
        self.mode_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.mode_label)
        self._help_overlay: dialogs.HelpOverlay | None = None  # made when first shown

        self.edits = EditController(
            self,
            project=lambda: self.project,
            document_id=lambda: self.document_id,
            view=self.view,
            say=self.say,
            open_document=self.open_document,
        )
        self.edits.snapChanged.connect(lambda _words: self._update_mode())
        self._centre_layout = centre_layout
        self._find_bar: FindBar | None = None  # made when first shown (Ctrl+F)
        self._project_search: ProjectSearch | None = None  # made when first shown
        self.relations = RelationController(
            self,
            project=lambda: self.project,
            document_id=lambda: self.document_id,
            view=self.view,
            say=self.say,
            edited=self.edits.update_history_actions,
            editable=self.edits.editable,
        )
        self.side_splitter.addWidget(self.relations.panel)
        self.side_splitter.setSizes([520, 220])
        self._escape_to_article(self.relations.panel.table)
        self.menus = Menus(self, self.edits)
        self._add_parts()
        # Compare mode and suggestions are made, and their modules loaded, when first
        # used or once the window is on screen, whichever comes first (a project with
        # suggestions makes its part as it opens, so they show at once).
        self._compare: CompareMode | None = None
        self.compare_place = QWidget(self)  # where compare mode's panel goes
        QVBoxLayout(self.compare_place).setContentsMargins(0, 0, 0, 0)
        self.compare_place.hide()
        self.splitter.addWidget(self.compare_place)
        self.compare_action = make_action(
            self, "&Compare coders…", lambda: self.compare.choose_layers(), "Ctrl+Shift+C"
        )
        self.menus.document_menu.addSeparator()
        self.menus.document_menu.addAction(self.compare_action)
        self._suggestions: SuggestionPart | None = None
        self.suggestions_menu = self.menus.view_menu.addMenu("&Suggestions")
        self.after_paint(self._make_later_parts)
        self.tools = ProjectTools(self, lambda: self.project, self.say, self.view)
        self.projectChanged.connect(self.tools.project_changed)
        self.menus.document_menu.addSeparator()
        self.menus.document_menu.addAction(self.tools.labels_action)
        self.menus.document_menu.addAction(self.tools.statistics_action)
        self.menus.view_menu.addSeparator()
        self.menus.view_menu.addAction(self.tools.guidelines_action)
        self.view.labelRequested.connect(self.edits.apply_label)
        self.view.deleteRequested.connect(self.edits.delete_selected_span)
        self.view.edgeRequested.connect(self.edits.move_edge)
        self.view.resizeRequested.connect(self.edits.drag_span)
        self.view.snap_extent = self.edits.snap_extent
        self.view.spanSelected.connect(self._span_selected)
        self.view.helpRequested.connect(lambda: self.help_overlay.toggle())
        self.view.contextMenuWanted.connect(self._context_menu)
        self.view.details = self._span_details
        self.label_bar.labelClicked.connect(self.edits.apply_label)
        self.documents.documentActivated.connect(self.open_document)
        self.span_panel.spanActivated.connect(self._jump_to_span)
        self._restore_layout()
        self._update_mode()
        self.edits.update_history_actions()
        self.view.setFocus()

    @property
    def compare(self) -> CompareMode:
        """Compare mode and adjudication (Document › Compare coders…)."""
        if self._compare is None:
            from annotator.ui.compare import CompareMode  # loaded when first used

            self._compare = CompareMode(self, self.compare_action, self.compare_place)
        return self._compare

    @property
    def suggestions(self) -> SuggestionPart:
        """The open document's suggestions: drawn, stepped through, accepted, rejected."""
        if self._suggestions is None:
            from annotator.ui.suggestions import SuggestionPart  # loaded when first used

            part = SuggestionPart(
                self,
                project=lambda: self.project,
                document_id=lambda: self.document_id,
                view=self.view,
                say=self.say,
                settings=self.settings,
                menu=self.suggestions_menu,
            )
            self._suggestions = part
            self.projectChanged.connect(part.project_changed)
            self.documentOpened.connect(part.document_opened)
            if self.project is not None:  # made after the project was shown: catch up
                part.project_changed(self.project)
        return self._suggestions

    def _make_later_parts(self) -> None:
        self.compare  # noqa: B018 (made now, before it is asked for)
        self.suggestions  # noqa: B018

    @property
    def settled(self) -> bool:
        """Whether what waits for the first paint is done: every part made, nothing
        left to run (tests and scripts wait for this as a person waits to see it)."""
        made = self._compare is not None and self._suggestions is not None
        return made and not self.view.waiting_for_paint

    def _escape_to_article(self, table: QWidget) -> None:
        """Esc in a list (documents, spans, relations) takes the keyboard back to the
        article: a key of the list's own, so its other events stay in Qt."""
        back = QAction(table)
        back.setShortcut(QKeySequence("Esc"))
        back.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        back.triggered.connect(lambda: self.view.setFocus(Qt.FocusReason.ShortcutFocusReason))
        table.addAction(back)

    def _add_parts(self) -> None:
        """Who is labelling, the other layers, the article's font and the theme."""
        self.menus.edit_menu.addSeparator()
        self.annotator_name = AnnotatorName(
            self,
            menu=self.menus.edit_menu,
            settings=self.settings,
            project=lambda: self.project,
            say=self.say,
        )
        self.annotator_name.nameChanged.connect(lambda _name: self._annotator_changed())
        self.statusBar().addPermanentWidget(self.annotator_name.label)
        view_menu = self.menus.view_menu
        view_menu.addSeparator()
        self.layer_toggles = LayerToggles(
            self,
            menu=view_menu,
            settings=self.settings,
            project=lambda: self.project,
            document_id=lambda: self.document_id,
            view=self.view,
        )
        self.article_look = ArticleLook(
            self,
            menu=view_menu,
            settings=self.settings,
            view=self.view,
            zoom=lambda: self.zoom,
            say=self.say,
            relaid=self._relaid,
        )
        self.theme = Theme(self, menu=view_menu, settings=self.settings, restyle=self.restyle)

    def restyle(self) -> None:
        """After the palette changed: the texts whose colours were worked out from it."""
        for widget in self.findChildren(QWidget):
            sheet = widget.styleSheet()
            if sheet:  # a styled widget keeps its old palette until polished again
                widget.setStyleSheet("")
                widget.setStyleSheet(sheet)
        self.meta_label.setStyleSheet(muted_style(self))
        if self.project is not None:
            self.label_bar.set_labels(self.project.labels)
        if self._help_overlay is not None:  # made again, in the new colours, when next shown
            self._help_overlay.deleteLater()
            self._help_overlay = None
        self.view.viewport().update()

    def _annotator_changed(self) -> None:
        """Another person labels now: their statuses, their spans, no undo history."""
        if self.project is None:
            return
        self.documents.set_project(self.project)
        if self.document_id is not None:
            self.open_document(self.document_id)
        self.edits.update_history_actions()

    @property
    def help_overlay(self) -> dialogs.HelpOverlay:
        """The keyboard shortcuts card (F1, ?)."""
        if self._help_overlay is None:
            from annotator.ui import dialogs  # loaded when first needed

            self._help_overlay = dialogs.HelpOverlay(self, self.view, lambda: self.view.hotkeys)
        return self._help_overlay

    # --- projects -------------------------------------------------------------------------

    def open_project(self, path: str | Path, *, read_only: bool = False) -> bool:
        """Open (or, after asking, create) a project; on failure say why and stay usable."""
        path = Path(path)
        try:
            if not path.exists():
                from annotator.ui import dialogs  # loaded when first needed

                if not dialogs.ask_create(self, path):
                    return False
                project = Project.create(path)
            else:
                project = Project.open(path, read_only=read_only)
        except ProjectLocked as exc:
            from annotator.ui import dialogs

            if not read_only and dialogs.ask_open_read_only(self, str(exc)):
                return self.open_project(path, read_only=True)
            return False
        except (AnnotatorError, OSError) as exc:
            from annotator.ui import dialogs

            dialogs.show_error(self, "Cannot open the project", str(exc))
            return False
        self.set_project(project)
        return True

    def set_project(self, project: Project | None) -> None:
        """Show ``project`` (closing the one shown before)."""
        self._close_project()
        self.project = project
        self.document_id = None
        if project is None:
            self.view.setPlaceholderText(NO_PROJECT)
            self.view.clear_document()
            self.relations.document_opened()
            self.documents.set_project(None)
            self.label_bar.set_labels([])
            self.setWindowTitle("annotator")
            self._show_header(None)
            self.annotator_name.show_name()
            self.projectChanged.emit(None)
            return
        self._unsubscribe = project.subscribe(self._on_change)
        self.annotator_name.take_over(project)
        remember_project(self.settings, project.path)
        suffix = " (read-only)" if project.read_only else ""
        self.setWindowTitle(f"{project.path.name}{suffix} — annotator")
        self._labels_changed()
        self.label_bar.setEnabled(not project.read_only)
        self.documents.set_project(project)
        if any(map(is_suggestion, project.layers())):
            self.suggestions  # noqa: B018 (made now: the first document shows them)
        last = self.settings.value(self._last_document_key())
        target = None
        if last is not None and str(last).isdigit() and project.list_row(int(last)) is not None:
            target = int(last)
        else:
            first = project.summaries_page(0, 1)
            target = project.next_document(None) or (first[0].id if first else None)
        if target is not None:
            self.open_document(target)
        else:
            self.view.clear_document()
            self._show_header(None)
            self.view.setPlaceholderText(
                "This project has no documents yet. Use File › Import documents to add some."
            )
        self.edits.update_history_actions()
        if project.read_only:
            self.say("Opened read-only: you can look but not change anything")
        self.projectChanged.emit(project)

    def _start_backups(self, project: Project | None) -> None:
        """Back up on open (once the article is painted) and then as edits happen."""
        self.backups = None
        if project is not None and not project.read_only:
            self.after_paint(lambda: self._backups_for(project))

    def after_paint(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` from the event loop once the article has next been painted:
        what the first sight of a project does not need waits until it is on screen."""
        self.view.after_next_paint(callback)

    def _backups_for(self, project: Project) -> None:
        if self.project is project:
            from annotator.ui import safety  # backups and checks load after the first paint

            self.backups = safety.start_backups(self)

    def _close_project(self) -> None:
        if self.project is not None and self.document_id is not None:
            # Written once here, not on every open: each write makes QSettings save
            # its file from the event loop, which cost an open 7-28 ms.
            self.settings.setValue(self._last_document_key(), self.document_id)
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self.project is not None:
            if self.backups is not None:
                self.backups.wait(cancel=True)
                self.backups.note_closed(self.project)
                self.backups = None
            self.project.close()
            self.project = None

    def _last_document_key(self) -> str:
        assert self.project is not None
        return project_key(self.project.path, "last_document")

    # --- documents ------------------------------------------------------------------------

    def open_document(self, document_id: int) -> None:
        """Show a document with its spans; focus goes to the article."""
        if self.project is None:
            return
        with collection_paused():
            try:
                document = self.project.document(document_id)
            except KeyError:
                self.say(f"There is no document {document_id}")
                return
            spans = self.project.span_extents(document_id)
            self.document_id = document_id
            self.view.set_document(document.text, spans)
            self.layer_toggles.refresh()
            self.edits.span_selected(None)
            self._show_header(document)
            self._refresh_spans(spans)
            self.relations.document_opened()
        self.documents.show_current(document_id)
        self._relaid()
        self.view.setFocus()
        self.documentOpened.emit(document_id)

    @property
    def find_bar(self) -> FindBar:
        """Ctrl+F's bar below the article (made, and its module loaded, when first shown)."""
        if self._find_bar is None:
            from annotator.ui.find_bar import FindBar  # loaded when first used

            self._find_bar = FindBar(self, self.view, self.edits.tag_all)
            self._centre_layout.addWidget(self._find_bar)
        return self._find_bar

    def _relaid(self) -> None:
        """The article was laid out anew (another document, font or spacing): the find
        bar's hits are found again where it is open."""
        if self._find_bar is not None and self._find_bar.isVisible():
            self._find_bar.refresh()

    def show_find_bar(self) -> None:
        """Ctrl+F: find in the open article."""
        self.find_bar.open_bar()

    @property
    def project_search(self) -> ProjectSearch:
        """Ctrl+Shift+F's dialog, made when first shown."""
        if self._project_search is None:
            from annotator.ui.project_search import ProjectSearch

            self._project_search = ProjectSearch(self, lambda: self.project)
            self._project_search.hitOpened.connect(self.open_hit)
        return self._project_search

    def show_project_search(self) -> None:
        self.project_search.open_search()

    def open_hit(self, document_id: int, start: int, end: int) -> None:
        """Open a document with text[start:end] selected and in sight."""
        if document_id != self.document_id:
            self.open_document(document_id)
        if end > start:
            self.view.select_range(start, end)
            self.view.ensureCursorVisible()
        self.activateWindow()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_header(self, document: object) -> None:
        if document is None:
            self.title_label.setText("")
            self.meta_label.setText("")
            return
        meta = getattr(document, "meta", {}) or {}
        self.title_label.setText(str(meta.get("title") or getattr(document, "name", "")))
        parts = [str(meta[key]) for key in ("date", "source", "author") if meta.get(key)]
        status = getattr(document, "status", "")
        parts.append(f"status: {status}")
        if meta.get("file"):
            parts.append(str(meta["file"]))
        self.meta_label.setText("   ·   ".join(parts))

    def focus_pane(self, step: int) -> None:
        """F6 / Shift+F6: the keyboard moves between the article, the document list and
        the span list, so a document can be picked (arrows, Enter) without a mouse."""
        panes = [self.view, self.documents.table, self.span_panel.table, self.relations.panel.table]
        focused = QApplication.focusWidget()
        current = next(
            (
                i
                for i, pane in enumerate(panes)
                if focused is not None and (focused is pane or pane.isAncestorOf(focused))
            ),
            0,
        )
        target = panes[(current + step) % len(panes)]
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if target is self.documents.table:
            self.documents.show_current(self.document_id)

    def select_range(self, start: int, end: int) -> None:
        """Select text[start:end] of the open document (code points)."""
        self.view.select_range(start, end)

    def go_to_neighbour(self, step: int) -> None:
        if self.project is None or self.document_id is None:
            return
        target = self.project.neighbour(self.document_id, step)
        if target is None:
            self.say("This is the last document" if step > 0 else "This is the first document")
            return
        self.open_document(target)

    def set_status(self, status: str) -> None:
        if not self.edits.editable():
            return
        assert self.project is not None and self.document_id is not None
        self.project.set_status(self.document_id, status)
        self.say(f"Marked {status}")

    def mark_done_and_next(self) -> None:
        """Mark the open document done and open the next one not done."""
        if not self.edits.editable():
            return
        assert self.project is not None and self.document_id is not None
        current = self.document_id
        self.project.set_status(current, "done")
        target = self.project.next_document(current)
        if target is None:
            self.say("Marked done. Every document is done.")
            self.open_document(current)
            return
        self.open_document(target)
        self.say("Marked done; opened the next document not done")

    # --- notices from the project -----------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if self.project is None:
            return
        if self._suggestions is None and change.kind in ("spans", "labels"):
            # An edit before the part was made (it is made once the window is painted):
            # it is made now and hears this change; it listens to the next ones itself.
            self.suggestions.on_change(change)
        if change.kind == "spans":
            # A relation made, deleted or retyped names its two spans but leaves them be.
            spans_changed = not change.relations_only
            if change.document_id == self.document_id and change.span_ids and spans_changed:
                present = []
                mine = self.project.annotator
                # Other layers' spans are shown apart, read-only: read them again.
                others = any(i in self.view.others for i in change.span_ids)
                for span_id in change.span_ids:
                    try:
                        span = self.project.span(span_id)
                    except SpanError:
                        continue
                    if span.annotator == mine:
                        present.append(span.extent())
                    elif not is_suggestion(span.annotator):  # suggestions draw themselves
                        others = True
                if others:
                    self.layer_toggles.refresh()
                # Counts follow the edit: recounting 10,000 spans would cost more than it.
                counts, before = self.label_counts, self.view.spans
                counts.subtract(before[i].label for i in change.span_ids if i in before)
                counts.update(span.label for span in present)
                self.view.update_spans(list(change.span_ids), present)
                self.edits.span_selected(self.view.selected_span_id)
                self.span_panel.apply(list(change.span_ids), present)
                self.span_panel.show_span(self.view.selected_span_id)
                self._update_counts()
            self.relations.on_change(change)
            if change.document_id is not None and spans_changed:  # a relation: same count
                count = None  # of a document not open: read again
                if change.document_id == self.document_id:
                    count = sum(self.label_counts.values())
                self.documents.model.refresh_document(change.document_id, count)
            self.edits.update_history_actions()
        elif change.kind == "document":
            if self.documents.model.status is not None:
                self.documents.model.reload()
                self.documents.show_current(self.document_id)
            elif change.document_id is not None:
                self.documents.model.refresh_document(change.document_id)
            self.documents.update_progress()
            if change.document_id == self.document_id and change.document_id is not None:
                self._show_header(self.project.document(change.document_id))
        elif change.kind == "documents":
            self.documents.set_project(self.project)
            self.documents.show_current(self.document_id)
        elif change.kind == "labels":
            self._labels_changed()
            if self.document_id is not None:
                # Spans carry their label's name: a renamed label must be read again.
                spans = self.project.span_extents(self.document_id)
                self.view.replace_spans(spans)
                self._refresh_spans(spans)
                self.layer_toggles.refresh()
                self.relations.on_change(change)

    def _labels_changed(self) -> None:
        assert self.project is not None
        labels = self.project.labels
        metrics = self.span_panel.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(label.name) for label in labels), default=60)
        self.span_panel.table.horizontalHeader().resizeSection(0, min(widest, 160) + 36)
        self.view.set_labels(labels)
        self.label_bar.set_labels(labels)
        self._refresh_spans()

    def _refresh_spans(self, in_reading_order: Sequence[SpanExtent] | None = None) -> None:
        """The span table and counts anew; spans just read from the project come in
        reading order, which the table need not sort again."""
        spans = list(self.view.spans.values()) if in_reading_order is None else in_reading_order
        self.span_panel.set_spans(
            spans,
            self.view.text,
            self.view.colours,
            self.view.label_order,
            presorted=in_reading_order is not None,
        )
        self.span_panel.show_span(self.view.selected_span_id)
        self.label_counts = count_labels(spans)
        self._update_counts()

    def _update_counts(self) -> None:
        """Label counts of the open document, in the status bar."""
        if self.project is None or self.document_id is None:
            self.counts_label.setText("")
            return
        counts = self.label_counts
        parts = [f"{label.name} {counts.get(label.name, 0)}" for label in self.project.labels]
        self.counts_label.setText("   ".join(parts))

    def _span_details(self, span_id: int) -> Span | None:
        """One span with its annotator and note, for the hover."""
        if self.project is None:
            return None
        try:
            return self.project.span(span_id)
        except SpanError:
            return None

    def _span_selected(self, span_id: int) -> None:
        self.span_panel.show_span(None if span_id < 0 else span_id)
        self.edits.span_selected(None if span_id < 0 else span_id)

    def _jump_to_span(self, span_id: int) -> None:
        self.view.set_selected_span(span_id, scroll=True)
        self.view.setFocus()

    # --- the edit commands, for scripts and tests ------------------------------------------

    def apply_label(self, name: str) -> None:
        self.edits.apply_label(name)

    def delete_selected_span(self) -> None:
        self.edits.delete_selected_span()

    def set_note(self, note: str) -> None:
        self.edits.set_note(note)

    def undo(self) -> None:
        self.edits.undo()

    def redo(self) -> None:
        self.edits.redo()

    # --- comfort ----------------------------------------------------------------------------

    def say(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    def _update_mode(self) -> None:
        words = self.edits.snap_words
        self.mode_label.setText("Snap: whole words" if words else "Snap: characters")

    def set_zoom(self, zoom: int) -> None:
        zoom = max(-6, min(zoom, 20))
        self.view.zoom_by(zoom - self.zoom)
        self.zoom = zoom
        if str(self.settings.value("zoom")) != str(zoom):  # a start restores it unchanged
            self.settings.setValue("zoom", zoom)

    def _context_menu(self, where: QPoint) -> None:
        self.context_menu().popup(where)

    def context_menu(self) -> QMenu:
        """Tag or relabel by label, delete, note: the right-click menu of the article.
        Delete and Note are offered only on a span; Copy copies the selection, or else
        the selected span's text."""
        menu = QMenu(self)
        span = self.view.selected_span()
        has_selection = self.view.textCursor().hasSelection()
        relabel = span is not None and not has_selection
        for label in self.project.labels if self.project else []:
            verb = "Relabel as" if relabel else "Tag as"
            action = menu.addAction(f"{verb} {label.name}")
            action.setIcon(_swatch(label.colour))
            action.triggered.connect(lambda _=False, name=label.name: self.edits.apply_label(name))
        menu.addSeparator()
        self.edits.span_selected(None if span is None else span.id)
        menu.addAction(self.edits.delete_action)
        menu.addAction(self.edits.note_action)
        menu.addAction(self.relations.link_action)
        menu.addSeparator()
        copy = menu.addAction("Copy text")
        copy.setEnabled(has_selection or span is not None)
        copy.triggered.connect(self.view.copy_selection_or_span)
        return menu

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        zoom = self.settings.value("zoom")
        if zoom is not None and str(zoom).lstrip("-").isdigit():
            self.set_zoom(int(zoom))
        words = self.settings.value("snap_words")
        if words is not None:
            self.edits.toggle_snap(str(words).lower() not in ("false", "0"))

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("snap_words", self.edits.snap_words)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.hover.hide()
        self._close_project()  # remembers the open document
        self.save_layout()
        super().closeEvent(event)


def _swatch(colour: str) -> QIcon:
    from annotator.ui.side_panels import colour_icon

    return colour_icon(QColor(colour))
