"""Label Studio's annotations and predictions go into layers, and come back the same.

The four files are tasks in the shape Label Studio 1.23.2 exports them (its
standard JSON export: ``completed_by`` a user number, ``predictions`` listed
by number; an annotation made from a prediction reusing its region ids).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core import Project
from annotator.core.formats import read_inputs, write_output

CASES = Path(__file__).parent / "data" / "formats" / "labelstudio_cases"
TEXT = "Kim met Putin in Moscow."


def _contents(project: Project) -> tuple[set[tuple[str, str, str]], dict[str, str], set[str]]:
    (document_id,) = project.document_ids()
    spans = project.spans(document_id)
    by_id = {s.id: s for s in spans}
    relations = {
        f"{by_id[r.head].annotator}:{by_id[r.head].text}-{r.label}-{by_id[r.child].text}"
        for r in project.relations(document_id)
    }
    return (
        {(s.annotator, s.text, s.label) for s in spans},
        project.statuses(document_id),
        relations,
    )


EXPECTED = {
    "1-annotation-from-prediction.json": (
        {
            ("maria@example.org", "Kim", "PERSON"),
            ("maria@example.org", "Putin", "PERSON"),
            ("maria@example.org", "Moscow", "PLACE"),
            ("suggest:ner-v1", "Kim", "PERSON"),
            ("suggest:ner-v1", "Putin", "PERSON"),
        },
        {"maria@example.org": "done"},
        {"maria@example.org:Kim-met-Putin", "suggest:ner-v1:Kim-met-Putin"},
    ),
    "2-predictions-by-number.json": (
        {
            ("label-studio-user-1", "Kim", "PERSON"),
            ("label-studio-user-1", "Putin", "PERSON"),
            ("label-studio-user-1", "Moscow", "PLACE"),
        },
        {"label-studio-user-1": "done"},
        {"label-studio-user-1:Kim-met-Putin"},
    ),
    "3-cancelled-with-spans.json": (
        {("label-studio-user-1", "Kim", "PERSON"), ("label-studio-user-1", "Putin", "PERSON")},
        {"label-studio-user-1": "skipped"},
        set(),
    ),
    "4-prediction-deleted.json": (
        {
            ("label-studio-user-1", "Kim", "PERSON"),
            ("label-studio-user-1", "Moscow", "PLACE"),
            ("suggest:ner-v1", "Kim", "PERSON"),
            ("suggest:ner-v1", "Putin", "PERSON"),
        },
        {"label-studio-user-1": "done"},
        {"suggest:ner-v1:Kim-met-Putin"},
    ),
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_case_imports_into_layers_and_goes_round_trip(tmp_path: Path, case: str) -> None:
    with Project.create(tmp_path / "first.annotator", annotator="tester") as first:
        first.add_documents(read_inputs([CASES / case], "label-studio"))
        assert _contents(first) == EXPECTED[case]
        write_output(first, tmp_path / "out.json", "label-studio")
    with Project.create(tmp_path / "second.annotator", annotator="tester") as second:
        second.add_documents(read_inputs([tmp_path / "out.json"], "label-studio"))
        assert _contents(second) == EXPECTED[case]


def test_our_jsonl_of_a_skipped_document_keeps_its_spans_through_label_studio(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps(
            {
                "text": TEXT,
                "status": "skipped",
                "spans": [
                    {"start": 0, "end": 3, "label": "PERSON"},
                    {"start": 8, "end": 13, "label": "PERSON"},
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    with Project.create(tmp_path / "a.annotator", annotator="maria") as first:
        first.add_documents(read_inputs([source]))
        write_output(first, tmp_path / "out.json", "label-studio")
    with Project.create(tmp_path / "b.annotator", annotator="olga") as second:
        second.add_documents(read_inputs([tmp_path / "out.json"], "label-studio"))
        assert _contents(second)[:2] == (
            {("maria", "Kim", "PERSON"), ("maria", "Putin", "PERSON")},
            {"maria": "skipped"},
        )


def test_a_to_do_layer_comes_back_as_its_annotator_s_spans(tmp_path: Path) -> None:
    with Project.create(tmp_path / "a.annotator", annotator="maria") as first:
        document = first.add_document(TEXT)
        assert document is not None
        first.add_span(document.id, 0, 3, "PERSON")
        first.add_span(document.id, 8, 13, "PERSON", annotator="olga")
        first.set_status(document.id, "done", "olga")
        write_output(first, tmp_path / "out.json", "label-studio")
    with Project.create(tmp_path / "b.annotator", annotator="chen") as second:
        second.add_documents(read_inputs([tmp_path / "out.json"], "label-studio"))
        spans, statuses, _ = _contents(second)
        assert spans == {("maria", "Kim", "PERSON"), ("olga", "Putin", "PERSON")}
        assert statuses == {"olga": "done"}
