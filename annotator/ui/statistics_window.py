"""Document › Statistics: the project's figures as charts, saved as PNG or CSV.

Loaded when the window is first opened, never at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.project import Project
from annotator.core.statistics import Statistics, collect
from annotator.ui.charts import Theme, paint_all, render_png
from annotator.ui.style import muted_text


def ask_save_path(parent: QWidget, caption: str, suggested: str, filter_: str) -> Path | None:
    """Where to save (tests replace this)."""
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, filter_)
    return Path(path) if path else None


class ChartsView(QWidget):
    """The four charts, in the window's colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats: Statistics | None = None
        self.setMinimumSize(QSize(900, 600))

    def theme(self) -> Theme:
        palette = self.palette()
        return Theme(
            background=palette.color(QPalette.ColorRole.Base).name(),
            text=palette.color(QPalette.ColorRole.Text).name(),
            muted=muted_text(self),
            grid=palette.color(QPalette.ColorRole.Mid).name(),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.stats is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_all(painter, QRectF(self.rect()), self.stats, self.theme())
        painter.end()


class StatisticsWindow(QDialog):
    """Spans per label and per annotator, documents done per day, the label mix."""

    def __init__(
        self, parent: QWidget, project: Callable[[], Project | None], say: Callable[[str], None]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Statistics")
        self.project = project
        self.say = say
        self.summary = QLabel(self)
        self.charts = ChartsView(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.png_button = QPushButton("Save as &PNG…", self)
        self.csv_button = QPushButton("Save as &CSV…", self)
        self.refresh_button = QPushButton("&Refresh", self)
        for button in (self.png_button, self.csv_button, self.refresh_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.png_button.clicked.connect(lambda: self.save_png())
        self.csv_button.clicked.connect(lambda: self.save_csv())
        self.refresh_button.clicked.connect(self.refresh)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.charts, 1)
        layout.addWidget(buttons)
        self.resize(1200, 800)

    def refresh(self) -> None:
        """Read the figures again from the project."""
        project = self.project()
        if project is None:
            self.charts.stats = None
            self.summary.setText("No project is open")
        else:
            stats = collect(project)
            self.charts.stats = stats
            people, documents = len(stats.by_annotator), len(stats.mix)
            self.summary.setText(
                f"{project.path.name}: {stats.spans:,} span{'s' * (stats.spans != 1)} by"
                f" {people} {'person' if people == 1 else 'people'}, in {documents:,}"
                f" document{'s' * (documents != 1)} (suggestions not counted; a document"
                " two people finish counts twice among those done)"
            )
        self.charts.update()

    def open_window(self) -> None:
        self.refresh()
        self.show()
        self.raise_()
        self.activateWindow()

    def save_png(self, path: Path | None = None) -> Path | None:
        path = path or ask_save_path(self, "Save the charts", "statistics.png", "PNG (*.png)")
        if path is None or self.charts.stats is None:
            return None
        try:
            render_png(self.charts.stats, path)
        except OSError as exc:
            self.say(str(exc))
            return None
        self.say(f"Saved the charts to {path.name}")
        return path

    def save_csv(self, path: Path | None = None) -> Path | None:
        path = path or ask_save_path(self, "Save the figures", "statistics.csv", "CSV (*.csv)")
        if path is None or self.charts.stats is None:
            return None
        try:
            path.write_text(self.charts.stats.csv_text(), encoding="utf-8")
        except OSError as exc:
            self.say(f"Cannot write {path}: {exc.strerror}")
            return None
        self.say(f"Saved the figures to {path.name}")
        return path
