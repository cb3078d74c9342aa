"""Errors a researcher can read: each names the file (and line) that caused it."""

from __future__ import annotations

from pathlib import Path


class AnnotatorError(Exception):
    """Any refusal of the core. Its message is meant to be shown as it is."""


class ProjectError(AnnotatorError):
    """A file that cannot be opened as a project (not ours, too new, damaged, locked)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ProjectLocked(ProjectError):
    """Another live process holds the project open for editing."""


class ReadOnlyProject(AnnotatorError):
    """An edit was attempted on a project opened read-only."""


class SpanError(AnnotatorError):
    """A span the store refuses: empty, out of range, text mismatch, unknown label."""


class LabelError(AnnotatorError, ValueError):
    """A label name, colour or hotkey that cannot be used."""


class InputError(AnnotatorError):
    """Bad input file: the message names the file and, where there is one, the line."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.reason = reason
        where = str(path) if line is None else f"{path}, line {line}"
        super().__init__(f"{where}: {reason}")


class OutputError(AnnotatorError):
    """An output that cannot or must not be written: the message names it and says what to do."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def cannot_write(path: str | Path, exc: OSError) -> OutputError:
    """An OSError met while writing ``path``, in words a researcher can act on."""
    import errno

    folder = Path(path).parent
    if exc.errno == errno.ENOENT:
        reason = f"cannot be written: the folder {folder} does not exist; create it first"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = f"cannot be written: no permission to write in {folder}; choose another folder"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "cannot be written: the disk is full; free some space or write elsewhere"
    elif exc.errno == errno.ENOTDIR:
        reason = f"cannot be written: {folder} is not a folder"
    elif exc.errno == errno.EISDIR:
        reason = "is a folder: name a file to write"
    else:
        reason = f"cannot be written ({exc.strerror or exc}); choose another place"
    return OutputError(path, reason)
