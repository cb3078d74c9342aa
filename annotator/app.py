"""Starting the window: which project to open, and the sample on first run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

import annotator
from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.ui.settings import data_dir, settings

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

SAMPLE_NAME = "sample.annotator"

_app: QApplication | None = None


def application() -> QApplication:
    """The running QApplication, created if there is none yet."""
    global _app
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    _app = QApplication(sys.argv[:1])
    _app.setApplicationName("annotator")
    _app.setOrganizationName("annotator")
    _app.setApplicationVersion(annotator.__version__)
    return _app


def sample_folder() -> Path:
    return Path(annotator.__file__).resolve().parents[1] / "projects"


def sample_project() -> Path | None:
    """The sample project in the user's data folder, made from ``projects/`` the first time.

    Never written next to the package: the repository stays as it is.
    """
    target = data_dir() / SAMPLE_NAME
    if target.exists():
        return target
    folder = sample_folder()
    if not folder.is_dir():
        return None
    from annotator.core.importing import expand_paths, read_documents

    try:
        with Project.create(target) as project:
            project.add_documents(read_documents(expand_paths([folder])))
    except (AnnotatorError, OSError):
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        return None
    return target


def start_project(project_path: str | Path | None) -> Path | None:
    """The project named, else the last one opened, else the sample."""
    if project_path is not None:
        return Path(project_path)
    last = settings().value("last_project")
    if last and Path(str(last)).exists():
        return Path(str(last))
    return sample_project()


def create_window(project_path: str | Path | None = None) -> MainWindow:
    """The main window on ``project_path`` (or the start project), not yet shown.

    Scripts and tests use it without entering the event loop.
    """
    application()
    from annotator.ui.main_window import MainWindow

    window = MainWindow()
    path = start_project(project_path)
    if path is not None:
        window.open_project(path)
    return window


def main(project_path: str | Path | None = None) -> int:
    """Run the window until it is closed; returns the exit code."""
    app = application()
    window = create_window(project_path)
    window.show()
    window.view.setFocus()
    return int(app.exec())
