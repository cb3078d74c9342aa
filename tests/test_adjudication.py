"""Adjudication choices in the core: taking a side, taking neither, edits, undo, and
what a project remembers of them when it is opened again."""

from __future__ import annotations

from pathlib import Path

from annotator.core import Project
from annotator.core.adjudication import choose, compare, resolutions, take_neither
from annotator.core.layers import GOLD

TEXT = "Kim Jong Un met Vladimir Putin in Vostochny on Wednesday."


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def _project(path: Path) -> int:
    with Project.create(path, annotator="lead") as project:
        document = project.add_document(TEXT)
        assert document is not None
        project.add_span(document.id, *_at("Vladimir Putin"), "PERSON", annotator="maria")
        project.add_span(document.id, *_at("Putin"), "PERSON", annotator="olga")
        project.add_span(document.id, *_at("Wednesday"), "PLACE", annotator="olga")
        return document.id


def _gold(project: Project, document_id: int) -> set[tuple[str, str]]:
    return {(s.label, s.text) for s in project.spans(document_id, [GOLD])}


def test_neither_is_remembered_and_undone_and_a_swap_is_one_step(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    document_id = _project(path)
    with Project.open(path, annotator=GOLD) as project:
        comparison = compare(project, document_id, "maria", "olga")
        boundary, only_b = comparison.disagreements
        assert (boundary.kind, only_b.kind) == ("boundary", "only B")
        take_neither(project, only_b)
        assert resolutions(project, document_id, comparison) == [None, "neither"]
        choose(project, boundary, "B")
        choose(project, boundary, "A")  # the other side: B's span leaves gold
        assert _gold(project, document_id) == {("PERSON", "Vladimir Putin")}
        assert project.history.undo_text == "take A PERSON 'Vladimir Putin'"
        project.undo()
        assert _gold(project, document_id) == {("PERSON", "Putin")}
        project.redo()
        assert _gold(project, document_id) == {("PERSON", "Vladimir Putin")}
    with Project.open(path, annotator=GOLD) as project:
        comparison = compare(project, document_id, "maria", "olga")
        assert resolutions(project, document_id, comparison) == ["A", "neither"]
        # Taking neither on the boundary takes A's span out of gold again: one step.
        take_neither(project, comparison.disagreements[0])
        assert _gold(project, document_id) == set()
        assert resolutions(project, document_id, comparison) == ["neither", "neither"]
        project.undo()
        assert _gold(project, document_id) == {("PERSON", "Vladimir Putin")}
        assert resolutions(project, document_id, comparison) == ["A", "neither"]


def test_a_side_taken_and_then_resized_counts_as_edited(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    document_id = _project(path)
    with Project.open(path, annotator=GOLD) as project:
        comparison = compare(project, document_id, "maria", "olga")
        taken = choose(project, comparison.disagreements[0], "A")
        project.resize_span(taken.id, *_at("Vladimir"))
        assert resolutions(project, document_id, comparison) == ["edited", None]
        # A gold span over Wednesday with neither side's extent nor label is not an edit of it.
        project.add_span(document_id, *_at("on Wednesday"), "QUOTE")
        assert resolutions(project, document_id, comparison)[1] is None
