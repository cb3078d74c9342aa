"""Label Studio JSON: annotations and predictions in, one annotation a task out,
other kinds of task refused with the file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core import Project
from annotator.core.errors import InputError
from annotator.core.formats import read_inputs, write_output
from annotator.core.incoming import NewDocument

DATA = Path(__file__).parent / "data" / "formats"


def test_reads_annotations_predictions_relations_and_choices(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annotator") as project:
        report = project.add_documents(read_inputs([DATA / "labelstudio_text.json"]))
        documents = list(project.iter_annotated(layers=project.layers()))
    assert (report.added, report.spans, report.relations) == (2, 3, 1)
    (document, spans, relations), (untouched, none, _) = documents
    assert document.statuses == {"ann@example.org": "done"}
    assert untouched.statuses == {} and none == []
    # The annotator's spans in their layer; the model's prediction in a suggestion layer.
    assert {(s.text, s.label, s.annotator) for s in spans} == {
        ("Kim", "PERSON", "ann@example.org"),
        ("Moon", "PERSON", "ann@example.org"),
        ("Seoul", "PLACE", "suggest:ner-v1"),
    }
    by_id = {s.id: s.text for s in spans}
    assert [(by_id[r.head], by_id[r.child], r.label) for r in relations] == [("Kim", "Moon", "met")]
    assert document.meta == {
        "source": "wire",
        "batch": 2,
        "label_studio": {"topic": {"choices": ["politics"]}},
    }


def test_image_task_is_refused_with_file_and_line(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annotator") as project:
        with pytest.raises(InputError) as caught:
            project.add_documents(read_inputs([DATA / "labelstudio_image.json"], "label-studio"))
        assert project.count_documents() == 0
    assert str(caught.value).startswith(f"{DATA / 'labelstudio_image.json'}, line 2: ")
    assert "not a text-labelling task" in str(caught.value)


def test_bounding_boxes_in_a_later_task_import_nothing(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annotator") as project:
        with pytest.raises(
            InputError, match=r"labelstudio_mixed\.json, line 29: holds 'rectanglelabels'"
        ):
            project.add_documents(read_inputs([DATA / "labelstudio_mixed.json"]))
        assert project.count_documents() == 0


def test_utf16_offsets_are_recognised_by_the_region_text(tmp_path: Path) -> None:
    text = "Kim 😀 met Moon."
    task = {
        "data": {"text": text},
        "annotations": [
            {
                "result": [
                    {
                        "id": "a",
                        "type": "labels",
                        "value": {"start": 11, "end": 15, "text": "Moon", "labels": ["PERSON"]},
                    }
                ]
            }
        ],
    }
    source = tmp_path / "ls.json"
    source.write_text(json.dumps([task]))
    with Project.create(tmp_path / "p.annotator") as project:
        project.add_documents(read_inputs([source]))
        ((_, spans, _),) = list(project.iter_annotated())
    assert [(s.start, s.end, s.text) for s in spans] == [(10, 14, "Moon")]
    with pytest.raises(InputError, match=r"ls\.json, line 1: region 'a' \(11-15\) says 'Moon'"):
        list(read_inputs([source], offsets="codepoints"))


def test_export_gives_each_task_one_annotation(tmp_path: Path) -> None:
    text = "Kim 😀 met Moon."
    with Project.create(tmp_path / "p.annotator") as project:
        project.add_documents(
            [
                NewDocument(
                    text=text,
                    status="done",
                    spans=[
                        {"id": "k", "start": 0, "end": 3, "label": "PERSON", "note": "leader"},
                        {"id": "m", "start": 10, "end": 14, "label": "PERSON"},
                    ],
                    relations=[{"head": "k", "child": "m", "label": "met"}],
                ),
                NewDocument(text="Skipped one.", status="skipped"),
                NewDocument(
                    text="To do, pre-labelled.", spans=[{"start": 0, "end": 5, "label": "HEDGE"}]
                ),
            ]
        )
        report = write_output(project, tmp_path / "out.json")
    assert (report.documents, report.spans, report.relations, report.lost) == (3, 3, 1, {})
    done, skipped, todo = json.loads((tmp_path / "out.json").read_text())
    (annotation,) = done["annotations"]
    regions = [r for r in annotation["result"] if r["type"] == "labels"]
    assert [r["value"] for r in regions] == [
        {"start": 0, "end": 3, "text": "Kim", "labels": ["PERSON"]},
        {"start": 10, "end": 14, "text": "Moon", "labels": ["PERSON"]},
    ]
    (relation,) = [r for r in annotation["result"] if r["type"] == "relation"]
    assert (relation["from_id"], relation["to_id"]) == (regions[0]["id"], regions[1]["id"])
    assert skipped["annotations"][0]["was_cancelled"] is True
    # A person's spans stay theirs whatever the status: never turned into predictions.
    (pending,) = todo["annotations"]
    assert pending["completed_by"] == {"username": "tester"}
    assert pending["annotator_status"] == "todo" and pending["was_cancelled"] is False
    assert pending["result"][0]["value"]["text"] == "To do" and "predictions" not in todo
