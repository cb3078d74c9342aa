"""Compare mode: two coders' layers over one article, their disagreements marked by
kind and listed beside it, and the keys that adjudicate them into the gold layer.

While the mode is on the window edits ``gold``: the article's filled spans are
gold's, A's spans are bars above the text and B's bars below it, and each
disagreement is outlined in its kind's colour and line. The mode has its own
keys (n, Shift+N, a, b, 0, c, Ctrl+Enter, Esc), taken before the window's
shortcuts and the label keys while the article or the list has the keyboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QKeyCombination, QObject, QRect, QRectF, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import adjudication
from annotator.core.adjudication import Comparison, Disagreement, Kind, Resolution
from annotator.core.errors import AnnotatorError
from annotator.core.layers import GOLD
from annotator.core.model import Span
from annotator.core.records import Change
from annotator.ui.style import muted_style

if TYPE_CHECKING:
    from collections.abc import Callable

    from annotator.core.project import Project
    from annotator.ui.main_window import MainWindow

# Each kind's outline: colour (dark, apart from the label colours' hues), line, legend.
KIND_STYLE: dict[Kind, tuple[str, Qt.PenStyle, str]] = {
    "only A": ("#00508F", Qt.PenStyle.SolidLine, "only in A"),
    "only B": ("#A63C00", Qt.PenStyle.DashLine, "only in B"),
    "label": ("#8E3A73", Qt.PenStyle.DotLine, "same extent, other label"),
    "boundary": ("#00684A", Qt.PenStyle.DashDotLine, "overlapping, other boundaries"),
}
SETTLED = "#9A9A9A"  # the outline of a disagreement already settled

STATE_TEXT: dict[Resolution, str] = {
    None: "open",
    "A": "took A",
    "B": "took B",
    "both": "took both",
    "neither": "took neither",
    "edited": "edited",
}


def ask_layers(
    parent: QWidget, layers: list[str], a: str | None, b: str | None
) -> tuple[str, str] | None:
    """The two layers to compare, or None when cancelled (tests replace this)."""
    dialog = CompareDialog(layers, a, b, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen()


class CompareDialog(QDialog):
    """Choose coder A and coder B among the project's people's layers."""

    def __init__(
        self, layers: list[str], a: str | None, b: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare coders")
        self.a = QComboBox(self)
        self.b = QComboBox(self)
        for box in (self.a, self.b):
            box.addItems(layers)
        self.a.setCurrentIndex(layers.index(a) if a in layers else 0)
        self.b.setCurrentIndex(layers.index(b) if b in layers else min(1, len(layers) - 1))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel("Their disagreements are adjudicated into the gold layer.", self)
        hint.setStyleSheet(muted_style(self))
        form = QFormLayout()
        form.addRow("Coder A", self.a)
        form.addRow("Coder B", self.b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        for box in (self.a, self.b):
            box.currentIndexChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.a.currentText() != self.b.currentText() and bool(self.a.currentText()))

    def chosen(self) -> tuple[str, str] | None:
        a, b = self.a.currentText(), self.b.currentText()
        return (a, b) if a and b and a != b else None


def kind_icon(kind: Kind, size: int = 22) -> QIcon:
    """A small box outlined as the kind is outlined in the article (the legend)."""
    colour, style, _ = KIND_STYLE[kind]
    pixmap = QPixmap(size, size // 2 + 4)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    pen = QPen(QColor(colour), 2, style)
    painter.setPen(pen)
    painter.drawRect(QRectF(1, 1, size - 2, size // 2 + 2))
    painter.end()
    return QIcon(pixmap)


class DisagreementPanel(QWidget):
    """The side panel of compare mode: who is A and B, the legend, the disagreements
    with how each stands, and buttons for the mouse."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("comparePanel")
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600;")
        legend = QGridLayout()
        legend.setHorizontalSpacing(6)
        legend.setVerticalSpacing(2)
        for row, kind in enumerate(KIND_STYLE):
            swatch = QLabel(self)
            swatch.setPixmap(kind_icon(kind).pixmap(22, 15))
            text = QLabel(KIND_STYLE[kind][2], self)
            text.setTextFormat(Qt.TextFormat.PlainText)
            legend.addWidget(swatch, row, 0)
            legend.addWidget(text, row, 1)
        self.bars = QLabel(self)
        self.bars.setTextFormat(Qt.TextFormat.PlainText)
        self.bars.setWordWrap(True)
        self.bars.setStyleSheet(muted_style(self))
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        buttons = QGridLayout()
        self.take_a = QPushButton("Take A  (a)", self)
        self.take_b = QPushButton("Take B  (b)", self)
        self.neither = QPushButton("Neither  (0)", self)
        self.agreed = QPushButton("Copy agreed  (c)", self)
        self.done = QPushButton("Adjudication done  (Ctrl+Enter)", self)
        for i, button in enumerate((self.take_a, self.take_b, self.neither, self.agreed)):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the article
            buttons.addWidget(button, i // 2, i % 2)
        self.done.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons.addWidget(self.done, 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.title)
        layout.addLayout(legend)
        layout.addWidget(self.bars)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

    def show_layers(self, a: str, b: str) -> None:
        self.title.setText(f"Disagreements of A ({a}) and B ({b})")
        self.bars.setText(
            f"Bar above the text: A ({a}). Bar below: B ({b}). Filled: gold, what you keep."
        )

    def fill(self, disagreements: list[Disagreement], states: list[Resolution]) -> None:
        current = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for n, (d, state) in enumerate(zip(disagreements, states, strict=True), start=1):
            item = QListWidgetItem(kind_icon(d.kind), f"{n}. {d.describe()}  [{STATE_TEXT[state]}]")
            if state is not None:
                item.setForeground(QColor(SETTLED).darker(150))
            self.list.addItem(item)
        if 0 <= current < self.list.count():
            self.list.setCurrentRow(current)
        self.list.blockSignals(False)
        open_ = sum(state is None for state in states)
        self.summary.setText(
            f"{len(disagreements)} disagreements, {open_} open"
            if disagreements
            else "No disagreements: copy the agreed spans (c) and mark it done."
        )

    def select(self, row: int | None) -> None:
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1 if row is None else row)
        self.list.blockSignals(False)


class CompareMode(QObject):
    """Compare two layers and adjudicate into gold: the mode's state, its keys, its
    panel and what it paints. The window is given; the mode uses its public parts
    (project, view, edits, say, open_document, mark_done_and_next)."""

    def __init__(self, window: MainWindow, action: QAction, place: QWidget) -> None:
        """``action`` is Document › Compare coders… and ``place`` the panel's (hidden)
        place beside the article, both made by the window before the mode, whose module
        loads when first used: the window's saved layout already counts the place."""
        super().__init__(window)
        self.window = window
        self.a: str | None = None
        self.b: str | None = None
        self.comparison = Comparison([], [])
        self.states: list[Resolution] = []
        self.current: int | None = None
        self.active = False
        self._layer_before: str | None = None
        self._project: Project | None = None  # the project whose layer was switched
        self._unsubscribe: Callable[[], None] | None = None
        self._spans_a: list[Span] = []
        self._spans_b: list[Span] = []
        self.panel = DisagreementPanel(window)
        self.place = place
        layout = place.layout()
        assert layout is not None, "the window gives the place a layout"
        layout.addWidget(self.panel)
        place.hide()
        self.mode_label = QLabel(window)
        self.mode_label.setTextFormat(Qt.TextFormat.PlainText)
        self.mode_label.setStyleSheet("font-weight: 600;")
        self.mode_label.hide()
        window.statusBar().addPermanentWidget(self.mode_label)
        self.action = action
        # The mode's keys, by the names the F1 sheet shows (plain letters in lower case).
        self.commands: dict[str, Callable[[], None]] = {
            "n": lambda: self.step(1),
            "Shift+N": lambda: self.step(-1),
            "a": lambda: self.take("A"),
            "b": lambda: self.take("B"),
            "0": self.take_neither,
            "c": self.copy_agreed,
            "Ctrl+Return": self.mark_done,
            "Ctrl+Enter": self.mark_done,
            "Esc": self.escape,
        }
        self._keys = _ModeKeys(self)
        self.panel.take_a.clicked.connect(lambda: self.take("A"))
        self.panel.take_b.clicked.connect(lambda: self.take("B"))
        self.panel.neither.clicked.connect(self.take_neither)
        self.panel.agreed.clicked.connect(self.copy_agreed)
        self.panel.done.clicked.connect(self.mark_done)
        self.panel.list.itemActivated.connect(lambda item: self.go_to(self.panel.list.row(item)))
        self.panel.list.itemClicked.connect(lambda item: self.go_to(self.panel.list.row(item)))
        window.documentOpened.connect(self._document_opened)
        window.projectChanged.connect(lambda _project: self.leave())

    # --- entering and leaving ------------------------------------------------------------

    def choose_layers(self) -> None:
        """Document › Compare coders… (Ctrl+Shift+C): pick A and B, then compare."""
        project = self.window.project
        if project is None or self.window.document_id is None:
            self.window.say("Open a project and a document first")
            return
        people = [name for name in project.human_layers() if name != GOLD]
        if len(people) < 2:
            self.window.say(
                "Comparing needs two coders' layers; this project has "
                + (", ".join(people) or "none")
            )
            return
        chosen = ask_layers(self.window, people, self.a, self.b)
        self.window.activateWindow()
        if chosen is not None:
            self.start(*chosen)

    def start(self, a: str, b: str) -> None:
        """Compare layers ``a`` and ``b``; the window edits gold until the mode is left."""
        project = self.window.project
        if project is None or self.window.document_id is None:
            return
        if not self.active:
            self._layer_before, self._project = project.annotator, project
            self._unsubscribe = project.subscribe(self._on_change)
        self.a, self.b = a, b
        self.active = True
        project.annotator = GOLD
        self.panel.show_layers(a, b)
        self.place.show()
        self.mode_label.show()
        for widget in (self.window.view, self.panel.list):
            widget.installEventFilter(self._keys)
        if self._paint not in self.window.view.overlays:
            self.window.view.overlays.append(self._paint)
        self.window.edits.update_history_actions()
        self.window.open_document(self.window.document_id)  # gold's spans, and _refresh
        self.window.say(f"Comparing {a} (A) and {b} (B); edits go to gold. Esc leaves.")

    def leave(self) -> None:
        """Back to the person's own layer (Esc with nothing selected)."""
        if not self.active:
            return
        self.active = False
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for widget in (self.window.view, self.panel.list):
            widget.removeEventFilter(self._keys)
        if self._paint in self.window.view.overlays:
            self.window.view.overlays.remove(self._paint)
        self.place.hide()
        self.mode_label.hide()
        project = self.window.project
        if project is not None and project is self._project and self._layer_before is not None:
            project.annotator = self._layer_before
            self.window.edits.update_history_actions()
            if self.window.document_id is not None:
                self.window.open_document(self.window.document_id)
        self.comparison, self.states, self.current = Comparison([], []), [], None
        self._project = None
        if project is not None:
            self.window.say(f"Left compare mode; editing {project.annotator}'s layer again")

    # --- what is compared ----------------------------------------------------------------

    def _document_opened(self, document_id: int) -> None:
        if self.active:
            self.current = None
            self._refresh(recompare=True)
            first_open = next((i for i, s in enumerate(self.states) if s is None), None)
            if first_open is not None:
                self.go_to(first_open, quiet=True)

    def _on_change(self, change: Change) -> None:
        if change.kind == "labels":  # a renamed label: the coders' spans carry the new name
            self._refresh(recompare=True)
        elif change.document_id == self.window.document_id and change.kind in (
            "spans",
            "adjudication",
        ):
            self._refresh(recompare=False)

    def _refresh(self, *, recompare: bool) -> None:
        project, document_id = self.window.project, self.window.document_id
        if project is None or document_id is None or self.a is None or self.b is None:
            return
        if recompare:
            self.comparison = adjudication.compare(project, document_id, self.a, self.b)
            self._spans_a = project.spans(document_id, [self.a])
            self._spans_b = project.spans(document_id, [self.b])
        self.states = adjudication.resolutions(project, document_id, self.comparison)
        self.panel.fill(self.comparison.disagreements, self.states)
        self.panel.select(self.current)
        self._show_mode()
        self.window.view.viewport().update()

    def _show_mode(self) -> None:
        total = len(self.comparison.disagreements)
        open_ = sum(state is None for state in self.states)
        where = f"{self.current + 1} of {total}" if self.current is not None else f"{total}"
        self.mode_label.setText(
            f"Compare: A {self.a} · B {self.b} · disagreement {where} · {open_} open"
        )

    @property
    def disagreements(self) -> list[Disagreement]:
        return self.comparison.disagreements

    # --- moving --------------------------------------------------------------------------

    def step(self, direction: int) -> None:
        """n / Shift+N: the next or previous disagreement, in reading order (wrapping)."""
        total = len(self.disagreements)
        if not total:
            self.window.say("No disagreements in this document")
            return
        if self.current is None:
            target = 0 if direction > 0 else total - 1
        else:
            target = (self.current + direction) % total
        self.go_to(target)

    def go_to(self, index: int, *, quiet: bool = False) -> None:
        if not 0 <= index < len(self.disagreements):
            return
        self.current = index
        d = self.disagreements[index]
        view = self.window.view
        view.set_selected_span(None)
        view.place_cursor(d.start)
        view.ensureCursorVisible()
        self.panel.select(index)
        self._show_mode()
        view.viewport().update()
        if not quiet:
            state = STATE_TEXT[self.states[index]] if index < len(self.states) else "open"
            self.window.say(f"{index + 1} of {len(self.disagreements)}: {d.describe()} ({state})")

    def _next_open(self) -> None:
        """After a choice: on to the next open disagreement, if any is left."""
        total = len(self.disagreements)
        start = -1 if self.current is None else self.current
        for k in range(1, total + 1):
            i = (start + k) % total
            if self.states[i] is None:
                self.go_to(i, quiet=True)
                return
        self.window.say("Every disagreement is settled: Ctrl+Enter marks the adjudication done")

    # --- choices -------------------------------------------------------------------------

    def _chosen(self) -> tuple[Project, Disagreement] | None:
        if not self.active or not self.window.edits.editable():
            return None
        if self.current is None:
            self.window.say("Press n to go to a disagreement first")
            return None
        assert self.window.project is not None
        return self.window.project, self.disagreements[self.current]

    def _run(self, what: str, action: Callable[[], object]) -> bool:
        try:
            action()
        except (AnnotatorError, ValueError) as exc:
            self.window.say(f"Could not {what}: {exc}")
            return False
        finally:
            self.window.edits.update_history_actions()
        return True

    def take(self, side: adjudication.Side) -> None:
        """a / b: put that coder's span into gold (and the other's out of it)."""
        chosen = self._chosen()
        if chosen is None:
            return
        project, d = chosen
        span = d.a if side == "A" else d.b
        if span is None:
            self.window.say(f"{side} has no span here ({d.kind}): take the other side, or 0")
            return
        if self._run(f"take {side}", lambda: adjudication.choose(project, d, side)):
            self.window.say(f"Took {side}: {span.label} {span.text!r}")
            self._next_open()

    def take_neither(self) -> None:
        """0: keep both sides out of gold; the disagreement counts as settled."""
        chosen = self._chosen()
        if chosen is None:
            return
        project, d = chosen
        if self._run("take neither", lambda: adjudication.take_neither(project, d)):
            self.window.say("Took neither")
            self._next_open()

    def copy_agreed(self) -> None:
        """c: every span both coders made alike, into gold, as one undo step."""
        if not self.active or not self.window.edits.editable():
            return
        project, document_id = self.window.project, self.window.document_id
        assert project is not None and document_id is not None and self.a and self.b
        a, b = self.a, self.b
        added: list[Span] = []
        if self._run(
            "copy", lambda: added.extend(adjudication.copy_agreed(project, document_id, a, b))
        ):
            agreed = len(self.comparison.agreed)
            if added:
                self.window.say(f"Copied {len(added)} agreed spans to gold")
            else:
                self.window.say(f"Gold has all {agreed} agreed spans already")

    def mark_done(self) -> None:
        """Ctrl+Enter: gold's status done (the adjudication of this document is done),
        then the next document whose adjudication is not done."""
        if not self.active or not self.window.edits.editable():
            return
        open_ = sum(state is None for state in self.states)
        self.window.mark_done_and_next()
        note = f" ({open_} disagreements were left open)" if open_ else ""
        self.window.say(f"Adjudication done{note}; opened the next document not adjudicated")

    def escape(self) -> None:
        """Esc: back to the article from the list; let go of a span or a selection;
        with nothing selected, leave compare mode."""
        view = self.window.view
        if self.panel.list.hasFocus():
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif view.selected_span_id is not None or view.textCursor().hasSelection():
            view.let_go()
        else:
            self.leave()

    # --- painting ------------------------------------------------------------------------

    def _paint(self, painter: QPainter, area: QRect) -> None:
        """A's spans as bars above the text, B's below, each disagreement outlined."""
        view = self.window.view
        top = view.cursorForPosition(area.topLeft()).position()
        bottom = view.cursorForPosition(area.bottomRight()).position()
        low = view.view_map.from_view(top)
        high = view.view_map.from_view(bottom, round_up=True)
        bar = max(2.0, round(view.fontMetrics().height() / 9))
        for spans, above in ((self._spans_a, True), (self._spans_b, False)):
            for span in spans:
                if span.end < low or span.start > high:
                    continue
                colour = view.colours.get(span.label, QColor("#7F7F7F"))
                for rect, _first, _last in view.range_rects(span.start, span.end):
                    y = rect.top() if above else rect.bottom() - bar
                    painter.fillRect(QRectF(rect.left(), y, rect.width(), bar), colour)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for i, d in enumerate(self.disagreements):
            if d.end < low or d.start > high:
                continue
            ink, style, _ = KIND_STYLE[d.kind]
            settled = i < len(self.states) and self.states[i] is not None
            width = 3.0 if i == self.current else 1.5
            pen = QPen(QColor(SETTLED if settled else ink), width, style)
            painter.setPen(pen)
            for rect, first, last in view.range_rects(d.start, d.end):
                outer = rect.adjusted(-2 if first else 0, -1, 2 if last else 0, 1)
                painter.drawRect(outer)


class _ModeKeys(QObject):
    """Compare mode's keys, ahead of the window's shortcuts and the label keys."""

    def __init__(self, mode: CompareMode) -> None:
        super().__init__(mode)
        self.mode = mode

    @staticmethod
    def name(event: QKeyEvent) -> str:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        text = event.text()
        if mods == Qt.KeyboardModifier.NoModifier and len(text) == 1 and text.isprintable():
            return text.lower()
        return QKeySequence(QKeyCombination(mods, event.keyCombination().key())).toString(
            QKeySequence.SequenceFormat.PortableText
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(event, QKeyEvent):
            return False
        command = self.mode.commands.get(self.name(event))
        if command is None:
            return False
        event.accept()
        if kind == QEvent.Type.KeyPress:
            command()
        return True  # a ShortcutOverride accepted: the key comes as a key press
