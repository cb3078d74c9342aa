"""Span extents kept as columns: the same spans, in the same order, as the spans themselves."""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import NewDocument, Project
from annotator.core.model import SpanExtent
from annotator.core.spancolumns import SpanColumns, SpansById
from annotator.core.spanindex import SpanIndex

LABELS = ["PERSON", "PLACE", "QUOTE", "HEDGE"]
TEXT = "Maria Okafor said in Lagos that the talks would reportedly resume on Monday."

# Extents crowded into a short text, so that many share a start or an extent.
extent = st.tuples(st.integers(0, 20), st.integers(1, 12), st.sampled_from(LABELS)).map(
    lambda t: {"start": t[0], "end": t[0] + t[1], "label": t[2]}
)
layered = st.lists(
    st.tuples(st.sampled_from(["me", "olga", "gold"]), extent), min_size=0, max_size=40
)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory):
    """One project for every example; the label order is not the label id order."""
    path = tmp_path_factory.mktemp("columns") / "p.annotator"
    Project.create(path, annotator="me").close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE labels SET position = (id * 7) % 5")
    conn.close()
    with Project.open(path) as project:
        yield project, itertools.count()


def _expected(project: Project, document_id: int, layer: str) -> list[tuple[int, int, int, str]]:
    """Reading order computed here from the spans themselves and the label positions."""
    position = {label.name: label.position for label in project.labels}
    spans = project.spans(document_id, [layer])
    spans.sort(key=lambda s: (s.start, -s.end, position[s.label], s.id))
    return [(s.id, s.start, s.end, s.label) for s in spans]


@settings(max_examples=60, deadline=None)
@given(items=layered)
def test_span_extents_are_each_layers_spans_in_reading_order(shared, items) -> None:
    project, counter = shared
    spans = [{**spec, "annotator": layer} for layer, spec in items]
    [document_id] = project.add_documents(
        [NewDocument(text=f"{TEXT} {next(counter)}", spans=spans)]
    ).document_ids
    for layer in ("me", "olga", "gold", "nobody"):
        columns = project.span_extents(document_id, layer)
        assert [tuple(e) for e in columns] == _expected(project, document_id, layer)
        assert columns == _expected(project, document_id, layer)
        assert columns.label_counts() == Counter(label for *_, label in columns)
    assert project.span_extents(document_id) == project.span_extents(document_id, project.annotator)


@settings(max_examples=60, deadline=None)
@given(items=layered, position=st.integers(0, 40), data=st.data())
def test_an_index_of_columns_answers_as_an_index_of_spans(shared, items, position, data) -> None:
    project, counter = shared
    spans = [{**spec, "annotator": layer} for layer, spec in items]
    [document_id] = project.add_documents(
        [NewDocument(text=f"{TEXT} {next(counter)}", spans=spans)]
    ).document_ids
    order = {label.name: label.position for label in project.labels}
    columns = project.span_extents(document_id, "olga")
    of_columns = SpanIndex(columns, order)
    of_spans = SpanIndex([SpanExtent(*e) for e in columns], order)
    assert [(e.id, e.track) for e in of_columns.at(position)] == [
        (e.id, e.track) for e in of_spans.at(position)
    ]
    removed = data.draw(st.lists(st.sampled_from(list(columns.ids) or [0]), max_size=3))
    added = [SpanExtent(10_000 + i, s, s + 2, "QUOTE") for i, s in enumerate(range(0, 30, 7))]
    assert of_columns.update(removed, added) == of_spans.update(removed, added)
    assert [(e.id, e.start, e.end, e.label, e.track) for e in of_columns.entries()] == [
        (e.id, e.start, e.end, e.label, e.track) for e in of_spans.entries()
    ]
    assert len(columns) == len(project.span_extents(document_id, "olga"))  # not changed


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 5)), max_size=20, unique_by=lambda t: t),
    st.lists(st.tuples(st.booleans(), st.integers(0, 40)), max_size=30),
)
def test_spans_by_id_behaves_as_a_dict(starts, operations) -> None:
    extents = [SpanExtent(i, s, s + n, LABELS[i % 4]) for i, (s, n) in enumerate(starts)]
    model = {e.id: e for e in extents}
    mapping = SpansById(SpanColumns.from_extents(extents))
    for put, span_id in operations:
        if put:
            span = SpanExtent(span_id, span_id, span_id + 1, "PLACE")
            model[span_id] = mapping[span_id] = span
        else:
            assert mapping.pop(span_id, None) == model.pop(span_id, None)
        assert (span_id in mapping) == (span_id in model)
    assert dict(mapping) == model
    assert len(mapping) == len(model)


def test_columns_read_from_a_file_whose_labels_changed_since(project_path: Path) -> None:
    """A label added by another connection is named, not a KeyError."""
    with Project.create(project_path, annotator="me") as project:
        [document_id] = project.add_documents([NewDocument(text=TEXT)]).document_ids
        said = project.add_span(document_id, 13, 17, "QUOTE")
        assert [e.label for e in project.span_extents(document_id)] == ["QUOTE"]
        with sqlite3.connect(project_path) as other:
            other.execute(
                "INSERT INTO labels (name, colour, description, position)"
                " VALUES ('ORG', '#123456', '', 9)"
            )
            label_id, layer_id = other.execute(
                "SELECT (SELECT id FROM labels WHERE name = 'ORG'), (SELECT id FROM layers"
                " WHERE name = 'me')"
            ).fetchone()
            other.execute(
                'INSERT INTO spans (document_id, layer_id, start, "end", label_id, text,'
                " created, updated) VALUES (?, ?, 0, 5, ?, 'Maria', '', '')",
                (document_id, layer_id, label_id),
            )
        other.close()
        assert [(e.start, e.end, e.label) for e in project.span_extents(document_id)] == [
            (0, 5, "ORG"),
            (said.start, said.end, "QUOTE"),
        ]


@given(st.lists(st.integers(-(1 << 40), 1 << 40), unique=True, max_size=30), st.integers())
def test_row_of_finds_an_id_where_a_list_would(ids, wanted) -> None:
    columns = SpanColumns.from_extents(SpanExtent(i, 0, 1, "PLACE") for i in ids)
    for span_id in [*ids, wanted, 256, 1 << 70]:
        expected = ids.index(span_id) if span_id in ids else None
        assert columns.row_of(span_id) == expected
