"""The project's store: labels, spans, relations, the undo history, reopening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core import Change, Project, SpanError
from annotator.core.relation_types import relation_type

TEXT = "President Vladimir Putin met Kim Jong Un in Vladivostok, reportedly on Tuesday."


def _doc(project: Project, text: str = TEXT) -> int:
    document = project.add_document(text, name="meeting")
    assert document is not None
    return document.id


def _at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_new_project_has_the_four_labels_with_distinct_colours_and_hotkeys(
    project: Project,
) -> None:
    labels = project.labels
    assert [label.name for label in labels] == ["PERSON", "PLACE", "QUOTE", "HEDGE"]
    assert [label.hotkey for label in labels] == ["p", "l", "q", "h"]
    assert len({label.colour for label in labels}) == 4
    assert all(label.description for label in labels)


def test_reopen_after_close_keeps_everything(project_path: Path) -> None:
    with Project.create(project_path) as project:
        doc = _doc(project)
        span = project.add_span(doc, *_at(TEXT, "Vladimir Putin"), "PERSON", note="president")
        project.set_status(doc, "done")
    with Project.open(project_path) as reopened:
        [stored] = reopened.spans(doc)
        assert (stored.id, stored.text, stored.note, stored.annotator) == (
            span.id,
            "Vladimir Putin",
            "president",
            "tester",
        )
        assert reopened.document(doc).status == "done"


def test_span_text_comes_from_the_document(project: Project) -> None:
    doc = _doc(project)
    span = project.add_span(doc, *_at(TEXT, "Kim Jong Un"), "PERSON")
    assert span.text == "Kim Jong Un"
    assert TEXT[span.start : span.end] == span.text


@pytest.mark.parametrize(
    ("start", "end", "label", "text", "message"),
    [
        (5, 5, "PERSON", None, "empty"),
        (-1, 4, "PERSON", None, "outside"),
        (70, 500, "PERSON", None, "outside"),
        (0, 9, "PERSON", "Chairman!", "says"),
        (0, 9, "ORG", None, "unknown label"),
        (9, 3, "PERSON", None, "after its end"),
    ],
)
def test_store_refuses_bad_spans(
    project: Project, start: int, end: int, label: str, text: str | None, message: str
) -> None:
    doc = _doc(project)
    with pytest.raises(SpanError, match=message):
        project.add_span(doc, start, end, label, text=text)
    assert project.spans(doc) == []
    assert not project.history.can_undo


def test_overlapping_and_nested_spans_are_kept_but_exact_duplicates_are_not(
    project: Project,
) -> None:
    doc = _doc(project)
    outer = project.add_span(doc, *_at(TEXT, "President Vladimir Putin"), "PERSON")
    inner = project.add_span(doc, *_at(TEXT, "Vladimir Putin"), "PERSON")
    same_extent = project.add_span(doc, *_at(TEXT, "Vladimir Putin"), "QUOTE")
    again = project.add_span(doc, *_at(TEXT, "Vladimir Putin"), "PERSON")
    assert again.id == inner.id
    assert [s.id for s in project.spans(doc)] == [outer.id, inner.id, same_extent.id]


def _extents_of_spans(project: Project, doc: int) -> list[tuple[int, int, int, str]]:
    return [(s.id, s.start, s.end, s.label) for s in project.spans(doc)]


def test_span_extents_are_the_spans_without_their_details_in_the_same_order(
    project: Project,
) -> None:
    doc = _doc(project)
    for part, label in (
        ("Vladivostok", "PLACE"),
        ("Vladimir Putin", "QUOTE"),
        ("President Vladimir Putin", "PERSON"),
        ("Vladimir Putin", "PERSON"),
        ("reportedly", "HEDGE"),
    ):
        project.add_span(doc, *_at(TEXT, part), label, note="checked")
    extents = project.span_extents(doc)
    assert extents == _extents_of_spans(project, doc)
    assert [(e.label, TEXT[e.start : e.end]) for e in extents[:3]] == [
        ("PERSON", "President Vladimir Putin"),
        ("PERSON", "Vladimir Putin"),
        ("QUOTE", "Vladimir Putin"),
    ]
    assert all(project.span(e.id).extent() == e for e in extents)
    assert project.span_extents(_doc(project, "Nothing to label here.")) == []


def test_span_extents_follow_the_label_order_when_it_is_not_the_id_order(
    project_path: Path,
) -> None:
    with Project.create(project_path) as project:
        doc = _doc(project)
        for label in ("PERSON", "QUOTE", "HEDGE"):
            project.add_span(doc, *_at(TEXT, "Vladimir Putin"), label)
    with sqlite3.connect(project_path) as conn:  # a file whose labels were reordered
        conn.execute("UPDATE labels SET position = 3 - position")
    conn.close()
    with Project.open(project_path) as reopened:
        assert reopened.labels[0].name == "HEDGE"
        extents = reopened.span_extents(doc)
        assert [e.label for e in extents] == ["HEDGE", "QUOTE", "PERSON"]
        assert extents == _extents_of_spans(reopened, doc)


def test_undo_and_redo_every_kind_of_edit(project: Project) -> None:
    doc = _doc(project)
    span = project.add_span(doc, *_at(TEXT, "Putin"), "PERSON")
    assert project.history.undo_text == "add PERSON 'Putin'"
    project.resize_span(span.id, *_at(TEXT, "Vladimir Putin"))
    project.relabel_span(span.id, "PLACE")
    project.set_note(span.id, "wrong label on purpose")
    project.delete_span(span.id)
    assert project.spans(doc) == []

    project.undo()  # delete
    assert project.span(span.id).note == "wrong label on purpose"
    project.undo()  # note
    assert project.span(span.id).note == ""
    project.undo()  # relabel
    assert project.span(span.id).label == "PERSON"
    project.undo()  # resize
    assert project.span(span.id).text == "Putin"
    assert project.history.redo_text.startswith("resize PERSON")
    project.undo()  # add
    assert project.spans(doc) == []
    assert not project.history.can_undo

    for _ in range(5):
        project.redo()
    assert project.spans(doc) == []
    project.undo()
    restored = project.span(span.id)
    assert (restored.text, restored.label) == ("Vladimir Putin", "PLACE")


def test_a_new_edit_after_undo_drops_the_redo_branch(project: Project) -> None:
    doc = _doc(project)
    project.add_span(doc, *_at(TEXT, "Putin"), "PERSON")
    project.undo()
    project.add_span(doc, *_at(TEXT, "Vladivostok"), "PLACE")
    assert not project.history.can_redo


def test_undo_survives_in_the_file_not_only_in_memory(project_path: Path) -> None:
    with Project.create(project_path) as project:
        doc = _doc(project)
        span = project.add_span(doc, *_at(TEXT, "Putin"), "PERSON")
        project.delete_span(span.id)
        project.undo()
    with Project.open(project_path) as reopened:
        assert [s.text for s in reopened.spans(doc)] == ["Putin"]


def test_relations_are_stored_undone_and_restored_with_their_spans(project: Project) -> None:
    doc = _doc(project)
    quote = project.add_span(doc, *_at(TEXT, "met Kim Jong Un"), "QUOTE")
    person = project.add_span(doc, *_at(TEXT, "Vladimir Putin"), "PERSON")
    project.add_relation_type(relation_type("said", "#404040", ["PERSON"], ["QUOTE"]))
    relation = project.add_relation(person.id, quote.id, "said")
    assert project.relations(doc) == [relation]
    project.delete_span(person.id)
    assert project.relations(doc) == []
    project.undo()
    assert project.relations(doc) == [relation]
    project.undo()  # delete -> undone above; now the relation itself
    assert project.relations(doc) == []


def test_renaming_a_label_carries_its_spans(project: Project) -> None:
    doc = _doc(project)
    project.add_span(doc, *_at(TEXT, "Vladivostok"), "PLACE")
    project.rename_label("PLACE", "LOCATION")
    project.recolour_label("LOCATION", "#D55E00")
    assert [s.label for s in project.spans(doc)] == ["LOCATION"]
    assert project.label("LOCATION").colour == "#D55E00"
    added = project.add_label("ORG", description="An organisation")
    assert added.hotkey == "o"
    assert added.colour not in {label.colour for label in project.labels[:-1]}
    with pytest.raises(ValueError, match="exists"):
        project.add_label("ORG")


def test_listeners_hear_the_region_an_edit_touched(project: Project) -> None:
    doc = _doc(project)
    heard: list[Change] = []
    project.subscribe(heard.append)
    span = project.add_span(doc, *_at(TEXT, "Putin"), "PERSON")
    project.resize_span(span.id, *_at(TEXT, "Vladimir Putin"))
    assert [(c.kind, c.start, c.end) for c in heard] == [
        ("spans", span.start, span.end),
        ("spans", TEXT.index("Vladimir"), span.end),
    ]


def test_documents_iterate_lazily_in_order_and_status_navigation(project: Project) -> None:
    ids = [_doc(project, f"Article number {i}.") for i in range(5)]
    assert [d.id for d in project.documents()] == ids
    assert [d.id for d in project.documents(batch=2)] == ids
    project.set_status(ids[1], "done")
    assert project.next_document(ids[0]) == ids[2]
    assert project.next_document(ids[4]) == ids[0]
    assert project.neighbour(ids[2], -1) == ids[1]
    assert project.neighbour(ids[4], +1) is None
    assert project.count_documents("done") == 1
    assert project.document_ids("done") == [ids[1]]
    assert [s.span_count for s in project.summaries(ids[:2])] == [0, 0]


def test_duplicate_documents_are_skipped(project: Project) -> None:
    assert project.add_document(TEXT) is not None
    assert project.add_document(TEXT) is None
    assert project.count_documents() == 1


def test_search_finds_names_across_documents(project: Project) -> None:
    first = _doc(project)
    _doc(project, "Nothing to see here.")
    third = _doc(project, "Putin's spokesman declined to comment.")
    assert project.search("Putin") == [first, third]
    assert project.search("Kim Jong") == [first]


def test_read_only_project_refuses_edits(project_path: Path) -> None:
    from annotator.core import ReadOnlyProject

    with Project.create(project_path) as project:
        doc = _doc(project)
    with Project.open(project_path, read_only=True) as viewer:
        with pytest.raises(ReadOnlyProject):
            viewer.add_span(doc, 0, 9, "PERSON")
        assert viewer.spans(doc) == []
