"""Where annotator keeps the user's data (backups, the record of checked files).

A module of its own, with little to import, because opening a project needs it
and the backup module, which also uses it, loads only after the window is shown.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path


def user_data_dir() -> Path:
    """Where annotator keeps the user's data: ``$ANNOTATOR_DATA_DIR``, else the
    platform's data folder as ``platformdirs`` knows it (XDG on Linux, Application
    Support on macOS, Local AppData on Windows)."""
    explicit = os.environ.get("ANNOTATOR_DATA_DIR")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_data_dir("annotator", appauthor=False))


def path_key(path: Path) -> str:
    """A short name that stays the same for a file at the same place: its resolved
    path's CRC-32 and length. Used to name what is kept per project (settings, the
    record of a sound close); zlib is loaded anyway, where hashlib would load OpenSSL,
    3 ms of every start."""
    text = str(Path(path).resolve())
    return f"{zlib.crc32(text.encode('utf-8', 'surrogatepass')):08x}{len(text):04x}"
