"""Starting the window: which project to open, and the sample on first run."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# isort: off
# The plain-Python core, then Qt, then (before any module of the window is imported)
# what spares PySide6 reading their sources: see _spare_pyside_its_source_scan.
import annotator
from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from PySide6.QtWidgets import QApplication


def _spare_pyside_its_source_scan() -> None:
    """Tell PySide6 up front that no module switches its features.

    From its first import on, PySide6 reads the whole source of every module an import
    statement names (once each), looking for the word "PySide6": a module that uses
    it may say ``from __feature__ import snake_case`` and see Qt's names switched for
    its own code. annotator uses no feature, so every module sees the same Qt either
    way. Entering the modules loaded so far, the standard library's and annotator's own
    in PySide6's table first, with the values its scan gives to modules that switch
    nothing (0 for ours, -1 for the rest), spares reading some eighty source files at
    every start (20 M instructions, about 5 ms). A module that asks for a feature still
    gets it. A PySide6 without that table scans as before.
    """
    feature = sys.modules.get("shibokensupport.feature")
    table = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return
    for name in [*sys.modules, *sys.stdlib_module_names]:
        table.setdefault(name, -1)
    root = Path(annotator.__file__).parent
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith("__")]
        package = ".".join(Path(folder).relative_to(root.parent).parts)
        table.setdefault(package, 0)
        for file in files:
            if file.endswith(".py") and file != "__init__.py":
                table.setdefault(f"{package}.{file[:-3]}", 0)


_spare_pyside_its_source_scan()

from annotator.ui.settings import data_dir, settings  # noqa: E402

# isort: on

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

    _import_sqlite_utils_without_numpy()  # creating a project needs it now
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


def _import_sqlite_utils_without_numpy() -> None:
    """Import sqlite_utils as the window needs it: without numpy.

    sqlite_utils imports numpy (and pandas) whenever they are installed, only to
    map their types on insert, which annotator never does (it writes through SQL).
    numpy comes with the optional spaCy extra and would add a tenth of a second or
    more to every start. It is hidden for this one import and the guard is removed
    right after, so numpy still imports normally later (for spaCy).
    """
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


def create_window(project_path: str | Path | None = None) -> MainWindow:
    """The main window on ``project_path`` (or the start project), not yet shown.

    Scripts and tests use it without entering the event loop.
    """
    from annotator.ui.style import use_readable_palette

    use_readable_palette(application())
    from annotator.ui.main_window import MainWindow

    window = MainWindow()
    # Showing a project needs only plain SQL; edits need sqlite_utils, loaded as
    # soon as the article is on screen so that the first edit does not wait.
    window.after_paint(_import_sqlite_utils_without_numpy)
    path = start_project(project_path)
    if path is not None:
        window.open_project(path)
    return window
