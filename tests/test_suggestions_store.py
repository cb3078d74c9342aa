"""Suggestions in their layers: pending, accepted, rejected (remembered), undone."""

from __future__ import annotations

from pathlib import Path

from annotator.core import Project
from annotator.core.importing import jsonl_documents

TEXT = "Kim met Putin. Later Kim left for Moscow."


def _project(path: Path) -> tuple[Project, int]:
    project = Project.create(path, annotator="maria")
    document = project.add_document(TEXT)
    assert document is not None
    project.fill_suggestions(
        document.id, "propagate", [(0, 3, "PERSON"), (21, 24, "PERSON"), (8, 13, "PERSON")]
    )
    project.fill_suggestions(document.id, "ner", [(0, 3, "PERSON"), (34, 40, "PLACE")])
    return project, document.id


def _pending(project: Project, document_id: int) -> list[tuple[str, str]]:
    return [(s.annotator, TEXT[s.start : s.end]) for s in project.suggestions(document_id)]


def test_pending_suggestions_in_reading_order_one_per_extent(tmp_path: Path) -> None:
    project, document_id = _project(tmp_path / "p.annotator")
    with project:
        assert _pending(project, document_id) == [
            ("suggest:propagate", "Kim"),
            ("suggest:propagate", "Putin"),
            ("suggest:propagate", "Kim"),
            ("suggest:ner", "Moscow"),
        ]
        assert project.suggestion_sources() == ["propagate", "ner"]
        # Never exported as a person's spans.
        ((_document, spans, _),) = list(project.iter_annotated())
        assert spans == []


def test_accept_reject_and_undo(tmp_path: Path) -> None:
    project, document_id = _project(tmp_path / "p.annotator")
    with project:
        kim, putin, _later, _moscow = project.suggestions(document_id)
        accepted = project.accept_suggestion(kim.id)
        assert (accepted.annotator, accepted.text) == ("maria", "Kim")
        project.reject_suggestion(putin.id)
        assert [t for _, t in _pending(project, document_id)] == ["Kim", "Moscow"]
        assert project.history.undo_text == "reject PERSON 'Putin'"
        project.undo()
        assert [t for _, t in _pending(project, document_id)] == ["Putin", "Kim", "Moscow"]
        project.redo()
        # A rejected proposal is not made again.
        assert project.fill_suggestions(document_id, "propagate", [(8, 13, "PERSON")]) == 0
        accepted_all = project.accept_all_suggestions(document_id, "propagate")
        assert [s.text for s in accepted_all] == ["Kim"]
        assert project.history.undo_text == "accept 1 suggestions of propagate"
        assert _pending(project, document_id) == [("suggest:ner", "Moscow")]
        project.undo()
        assert [t for _, t in _pending(project, document_id)] == ["Kim", "Moscow"]


def test_answers_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    project, document_id = _project(path)
    with project:
        kim, putin, *_ = project.suggestions(document_id)
        project.accept_suggestion(kim.id)
        project.reject_suggestion(putin.id)
    with Project.open(path, annotator="maria") as reopened:
        assert [t for _, t in _pending(reopened, document_id)] == ["Kim", "Moscow"]
        assert [s.text for s in reopened.spans(document_id, ["maria"])] == ["Kim"]
    with Project.open(path, annotator="olga") as other:
        # Olga has not accepted anything; the rejection holds for the project.
        assert [t for _, t in _pending(other, document_id)] == ["Kim", "Kim", "Moscow"]


def test_export_with_suggestions_and_import_them_back(tmp_path: Path) -> None:
    import orjson
    from click.testing import CliRunner

    from annotator.cli import cli

    project, document_id = _project(tmp_path / "p.annotator")
    with project:
        kim = project.suggestions(document_id)[0]
        project.accept_suggestion(kim.id)
    runner = CliRunner()
    plain, rich = tmp_path / "plain.jsonl", tmp_path / "rich.jsonl"
    for out, extra in ((plain, []), (rich, ["--suggestions"])):
        result = runner.invoke(
            cli, ["export", str(tmp_path / "p.annotator"), "-o", str(out), *extra]
        )
        assert result.exit_code == 0, result.output
    (line,) = [orjson.loads(x) for x in plain.read_bytes().splitlines()]
    assert "suggestions" not in line and [s["text"] for s in line["spans"]] == ["Kim"]
    (line,) = [orjson.loads(x) for x in rich.read_bytes().splitlines()]
    assert line["suggestions"] == [
        {"start": 8, "end": 13, "label": "PERSON", "text": "Putin", "source": "propagate"},
        {"start": 21, "end": 24, "label": "PERSON", "text": "Kim", "source": "propagate"},
        {"start": 34, "end": 40, "label": "PLACE", "text": "Moscow", "source": "ner"},
    ]
    with Project.create(tmp_path / "q.annotator", annotator="olga") as again:
        again.add_documents(jsonl_documents(rich))
        (doc_id,) = again.document_ids()
        assert [(s.annotator, s.text) for s in again.suggestions(doc_id)] == [
            ("suggest:propagate", "Putin"),
            ("suggest:propagate", "Kim"),
            ("suggest:ner", "Moscow"),
        ]
        assert [s.annotator for s in again.spans(doc_id, again.human_layers())] == ["maria"]


def test_list_counts_suggestions_apart(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from annotator.cli import cli

    project, document_id = _project(tmp_path / "p.annotator")
    with project:
        project.accept_suggestion(project.suggestions(document_id)[0].id)
    runner = CliRunner(env={"ANNOTATOR_NAME": "maria"})
    shown = runner.invoke(cli, ["list", str(tmp_path / "p.annotator")])
    assert shown.exit_code == 0, shown.output
    # One span of maria's; three pending: Putin, the second Kim, Moscow.
    assert shown.output.split()[2:3] == ["1"] and "(3 suggested)" in shown.output
    lines = runner.invoke(cli, ["list", str(tmp_path / "p.annotator"), "--json"]).output
    assert json.loads(lines)["suggestions"] == 3
