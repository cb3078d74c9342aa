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
