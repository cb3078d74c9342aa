"""Where the window keeps its settings and the sample project.

Tests and portable installs point these at folders of their choosing with
ANNOTATOR_CONFIG_DIR and ANNOTATOR_DATA_DIR; otherwise the platform's usual places.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from annotator.core.paths import user_data_dir

SETTINGS_VERSION = 1
MAX_RECENT = 10


def settings() -> QSettings:
    """The window's settings; an ini file in ANNOTATOR_CONFIG_DIR when that is set."""
    folder = os.environ.get("ANNOTATOR_CONFIG_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        store = QSettings(str(Path(folder) / "annotator.ini"), QSettings.Format.IniFormat)
    else:
        store = QSettings("annotator", "annotator")
    version = store.value("settings_version")
    if version is not None and _as_int(version) != SETTINGS_VERSION:
        # Settings of another version may not mean the same: start afresh.
        store.clear()
    if _as_int(version) != SETTINGS_VERSION:
        # Written only when it changes: a write makes Qt save (and fsync) the file
        # from the event loop, which a start would otherwise wait for before painting.
        store.setValue("settings_version", SETTINGS_VERSION)
    return store


def data_dir() -> Path:
    """The user's data folder (never the installed package nor the repository): the same
    one the core keeps backups in."""
    path = user_data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def recent_projects(store: QSettings) -> list[str]:
    value = store.value("recent_projects") or []
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value if v]


def remember_project(store: QSettings, path: Path) -> None:
    """Put ``path`` first in Open Recent and make it the one opened next time."""
    text = str(Path(path).resolve())
    before = recent_projects(store)
    recent = [text, *(p for p in before if p != text)][:MAX_RECENT]
    if recent != before:  # unchanged settings are not written (see settings())
        store.setValue("recent_projects", recent)
    if str(store.value("last_project") or "") != text:
        store.setValue("last_project", text)


def _as_int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
