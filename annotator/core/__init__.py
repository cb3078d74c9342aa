"""The core: plain Python, no Qt. Everything a script or the command line can do."""

from annotator.core.errors import (
    AnnotatorError,
    InputError,
    ProjectError,
    ProjectLocked,
    ReadOnlyProject,
    SpanError,
)
from annotator.core.model import Document, DocumentSummary, Label, Relation, Span, SpanExtent
from annotator.core.offsets import ViewMap, snap_selection, widen_to_characters
from annotator.core.project import Change, ImportReport, NewDocument, Project

__all__ = [
    "AnnotatorError",
    "Change",
    "Document",
    "DocumentSummary",
    "ImportReport",
    "InputError",
    "Label",
    "NewDocument",
    "Project",
    "ProjectError",
    "ProjectLocked",
    "ReadOnlyProject",
    "Relation",
    "Span",
    "SpanError",
    "SpanExtent",
    "ViewMap",
    "snap_selection",
    "widen_to_characters",
]
