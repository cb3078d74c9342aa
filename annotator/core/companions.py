"""The files SQLite keeps beside a project (``-wal``, ``-shm``, ``-journal``): the one
place that removes them, or leaves them as they were found."""

from __future__ import annotations

from pathlib import Path

COMPANIONS = ("-wal", "-shm", "-journal")


def companion(path: Path, suffix: str) -> Path:
    return Path(f"{path}{suffix}")


def remove_companions(path: Path, *, with_file: bool = False) -> None:
    """Remove the companions (and the file itself with ``with_file``: a project that
    was never finished, or whose WAL must not be replayed onto a restored file)."""
    for suffix in ("", *COMPANIONS) if with_file else COMPANIONS:
        companion(path, suffix).unlink(missing_ok=True)


def present(path: Path) -> dict[str, bool]:
    """Which companions exist now, to leave a refused file as it came."""
    return {suffix: companion(path, suffix).exists() for suffix in COMPANIONS}


def leave_as_found(path: Path, found: dict[str, bool]) -> None:
    """After a refusal: remove the empty -wal/-shm files our connection made.

    A read-only connection to a WAL file creates them and cannot remove them;
    a refused file is to be left exactly as it came. A WAL with content is
    never removed: it may hold someone's labels.
    """
    wal = companion(path, "-wal")
    if found["-wal"] or (wal.exists() and wal.stat().st_size > 0):
        return
    for suffix in ("-wal", "-shm"):
        if not found[suffix]:
            companion(path, suffix).unlink(missing_ok=True)
