"""Where the window keeps its settings and the sample project.

Tests and portable installs point these at folders of their choosing with
ANNOTATOR_CONFIG_DIR and ANNOTATOR_DATA_DIR; otherwise the platform's usual places.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from annotator.core.paths import path_key, user_data_dir

SETTINGS_VERSION = 2
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
    if _as_int(version) == 1:
        _rekey_projects(store)
    elif version is not None and _as_int(version) != SETTINGS_VERSION:
        # Settings of another version may not mean the same: start afresh.
        store.clear()
    if _as_int(version) != SETTINGS_VERSION:
        # Written only when it changes: a write makes Qt save (and fsync) the file
        # from the event loop, which a start would otherwise wait for before painting.
        store.setValue("settings_version", SETTINGS_VERSION)
    return store


def project_key(path: Path, name: str) -> str:
    """The settings key of ``name`` for the project file at ``path``."""
    return f"{name}/{path_key(path)}"


# The settings version 1 kept per project, each under the SHA-1 of the project's path.
_VERSION_1_PROJECT_KEYS = ("last_document", "shown_layers", "suggestions/letters_said")


def _rekey_projects(store: QSettings) -> None:
    """Version 1's per-project settings, moved once under project_key, for the projects
    it remembers."""
    import hashlib

    paths = {*recent_projects(store), str(store.value("last_project") or "")} - {""}
    for text in paths:
        digest = hashlib.sha1(str(Path(text).resolve()).encode()).hexdigest()[:16]
        for name in _VERSION_1_PROJECT_KEYS:
            value = store.value(f"{name}/{digest}")
            if value is not None:
                store.setValue(project_key(Path(text), name), value)
                store.remove(f"{name}/{digest}")


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
