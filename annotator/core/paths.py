"""Where annotator keeps the user's data (backups, the record of checked files).

A module of its own, with nothing to import, because opening a project needs it
and the backup module, which also uses it, loads only after the window is shown.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def user_data_dir() -> Path:
    """Where annotator keeps the user's data: ``$ANNOTATOR_DATA_DIR`` or the platform's."""
    explicit = os.environ.get("ANNOTATOR_DATA_DIR")
    if explicit:
        return Path(explicit)
    home = Path.home()
    if sys.platform == "win32":  # pragma: no cover - platform specific
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA")
        return Path(base) / "annotator" if base else home / "AppData" / "Local" / "annotator"
    if sys.platform == "darwin":  # pragma: no cover - platform specific
        return home / "Library" / "Application Support" / "annotator"
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base / "annotator"
