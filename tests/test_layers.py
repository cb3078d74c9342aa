"""Layers: several annotators' spans kept apart, status per layer, the v2 upgrade."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core import NewDocument, Project, ProjectError, SpanError
from annotator.core.backup import Backups
from annotator.core.check import check_file
from annotator.core.importing import jsonl_documents
from annotator.core.relation_types import relation_type

V2 = Path(__file__).parent / "data" / "v2-project.annotator"
TEXT = "Kim Jong Un met Vladimir Putin in Vladivostok."


def test_two_annotators_identical_spans_are_two_rows(project_path: Path) -> None:
    with Project.create(project_path, annotator="maria") as project:
        document = project.add_document(TEXT)
        assert document is not None
        mine = project.add_span(document.id, 0, 11, "PERSON")
        theirs = project.add_span(document.id, 0, 11, "PERSON", annotator="olga")
        again = project.add_span(document.id, 0, 11, "PERSON")
        assert mine.id != theirs.id and again.id == mine.id
        assert [(s.annotator, s.text) for s in project.spans(document.id)] == [
            ("maria", "Kim Jong Un"),
            ("olga", "Kim Jong Un"),
        ]
        # The window reads one layer: the current annotator's.
        assert [s.id for s in project.span_extents(document.id)] == [mine.id]
        assert [s.id for s in project.span_extents(document.id, "olga")] == [theirs.id]


def test_status_is_per_annotator(project_path: Path) -> None:
    with Project.create(project_path, annotator="maria") as project:
        document = project.add_document(TEXT)
        assert document is not None
        project.set_status(document.id, "done")
        assert project.status(document.id) == "done"
        assert project.status(document.id, "olga") == "todo"
        assert project.count_documents("done") == 1
        project.annotator = "olga"
        assert project.document(document.id).status == "todo"
        assert project.count_documents("done") == 0 and project.document_ids("todo") == [
            document.id
        ]
        assert project.next_document(None) == document.id


def test_a_relation_joins_spans_of_one_layer(project_path: Path) -> None:
    with Project.create(project_path, annotator="maria") as project:
        document = project.add_document(TEXT)
        assert document is not None
        kim = project.add_span(document.id, 0, 11, "PERSON")
        putin = project.add_span(document.id, 16, 30, "PERSON", annotator="olga")
        project.add_relation_type(relation_type("met", "#404040"))
        with pytest.raises(SpanError, match="one layer"):
            project.add_relation(kim.id, putin.id, "met")


def test_importing_a_text_already_there_adds_its_spans(project_path: Path, tmp_path: Path) -> None:
    colleague = tmp_path / "olga.jsonl"
    colleague.write_text(
        json.dumps(
            {
                "text": TEXT,
                "status": "done",
                "spans": [
                    {"start": 0, "end": 11, "label": "PERSON", "annotator": "olga"},
                    {"start": 16, "end": 30, "label": "PERSON", "annotator": "olga"},
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    with Project.create(project_path, annotator="maria") as project:
        document = project.add_document(TEXT)
        assert document is not None
        project.add_span(document.id, 0, 11, "PERSON")
        report = project.add_documents(jsonl_documents(colleague))
        assert (report.added, report.matched, report.spans, report.spans_existing) == (0, 1, 2, 0)
        again = project.add_documents(jsonl_documents(colleague))
        assert (again.matched, again.spans, again.spans_existing) == (1, 0, 2)
        assert project.status(document.id, "olga") == "done"
        assert project.status(document.id, "maria") == "todo"
        assert sorted((s.annotator, s.start) for s in project.spans(document.id)) == [
            ("maria", 0),
            ("olga", 0),
            ("olga", 16),
        ]


def test_spans_that_name_no_annotator_go_to_the_layer_given(project_path: Path) -> None:
    with Project.create(project_path, annotator="maria") as project:
        report = project.add_documents(
            [NewDocument(text=TEXT, spans=[{"start": 0, "end": 3, "label": "PERSON"}])],
            as_layer="model-run-1",
        )
        assert report.layers == ["model-run-1"]
        assert project.layers() == ["model-run-1"]


def test_undo_after_a_label_is_renamed(project_path: Path) -> None:
    with Project.create(project_path) as project:
        document = project.add_document(TEXT)
        assert document is not None
        span = project.add_span(document.id, 0, 11, "PERSON")
        project.relabel_span(span.id, "PLACE")
        project.rename_label("PERSON", "PER")
        project.undo()  # back from PLACE to what was PERSON, now PER
        assert project.span(span.id).label == "PER"
        project.undo()  # the span goes
        project.redo()  # and comes back, labelled by id
        assert project.span(span.id).label == "PER"


def test_a_reader_follows_labels_the_writer_adds(project_path: Path) -> None:
    with Project.create(project_path) as writer:
        document = writer.add_document(TEXT)
        assert document is not None
        with Project.open(project_path, read_only=True) as reader:
            assert [s.label for s in reader.span_extents(document.id)] == []
            writer.add_label("ORG")
            writer.add_span(document.id, 0, 11, "ORG")
            assert [s.label for s in reader.span_extents(document.id)] == ["ORG"]
            assert "ORG" in [label.name for label in reader.labels]


def test_a_span_outside_its_text_is_reported_and_opens(project_path: Path) -> None:
    with Project.create(project_path) as project:
        document = project.add_document("Short.")
        assert document is not None
        span = project.add_span(document.id, 0, 5, "PERSON")
    conn = sqlite3.connect(project_path)
    with conn:
        conn.execute('UPDATE spans SET "end" = 99 WHERE id = ?', (span.id,))
    conn.close()
    problems = [str(p) for p in check_file(project_path)]
    assert problems == [
        f"span {span.id} (document {document.id}): offsets 0-99 lie outside the text (length 6)"
    ]
    with Project.open(project_path) as project:
        assert [s.end for s in project.spans(document.id)] == [99]


# --- the upgrade from schema 2 ---------------------------------------------------------------


def _v2_copy(tmp_path: Path) -> Path:
    path = tmp_path / "old.annotator"
    shutil.copyfile(V2, path)
    return path


def test_a_v2_project_upgrades_and_loses_nothing(tmp_path: Path) -> None:
    path = _v2_copy(tmp_path)
    before = sqlite3.connect(path)
    spans_before = before.execute(
        'SELECT id, document_id, start, "end", text, annotator, note FROM spans ORDER BY id'
    ).fetchall()
    statuses_before = dict(before.execute("SELECT name, status FROM documents").fetchall())
    relations_before = before.execute(
        "SELECT id, head_id, child_id, label FROM relations"
    ).fetchall()
    before.close()
    assert before and len(spans_before) == 9 and len(relations_before) == 1

    with Project.open(path, annotator="chen") as project:
        ids = {project.document(i).name: i for i in project.document_ids()}
        after = {
            (s.id, s.document_id, s.start, s.end, s.text, s.annotator, s.note)
            for i in ids.values()
            for s in project.spans(i)
        }
        assert after == set(spans_before)
        relations = [(r.id, r.head, r.child, r.label) for r in project.relations(ids["kim-putin"])]
        assert relations == relations_before
        assert project.layers() == ["maria", "olga", "chen"]
        # A v2 status belonged to whoever labelled the document; to the upgrader if nobody did.
        assert project.statuses(ids["kim-putin"]) == {"maria": "done", "olga": "done"}
        assert project.statuses(ids["seoul"]) == {"maria": statuses_before["seoul"]}
        assert project.statuses(ids["empty"]) == {"chen": "done"}
    header = sqlite3.connect(path)
    assert header.execute("PRAGMA user_version").fetchone() == (3,)
    header.close()
    assert check_file(path) == []
    # A copy of the project as it was came first.
    (backup,) = Backups(path).list()
    assert "before-upgrade" in backup.path.name
    copy = sqlite3.connect(backup.path)
    assert copy.execute("PRAGMA user_version").fetchone() == (2,)
    copy.close()


def test_a_v2_project_is_not_upgraded_read_only(tmp_path: Path) -> None:
    path = _v2_copy(tmp_path)
    original = path.read_bytes()
    with pytest.raises(ProjectError, match="older project"):
        Project.open(path, read_only=True)
    assert path.read_bytes() == original


def test_a_backup_from_before_the_upgrade_can_be_restored(tmp_path: Path) -> None:
    path = _v2_copy(tmp_path)
    Project.open(path).close()
    backups = Backups(path)
    (old,) = backups.list()
    with Project.open(path) as project:
        document_id = project.document_ids()[0]
        project.add_span(document_id, 34, 45, "PERSON")
    backups.restore(old.path)
    with Project.open(path) as project:  # upgraded again on open
        spans = project.spans(project.document_ids()[0])
        assert ("PERSON", 34) not in [(s.label, s.start) for s in spans]
        assert len(spans) == 6


# --- the command line ----------------------------------------------------------------------


def _run(*args: str | Path, ok: bool = True) -> str:
    from click.testing import CliRunner

    from annotator.cli import cli

    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) is ok, result.output
    assert "Traceback" not in result.output
    return result.output


def _two_coders(path: Path) -> None:
    with Project.create(path, annotator="maria") as project:
        document = project.add_document(TEXT, name="kim")
        assert document is not None
        project.add_span(document.id, 0, 11, "PERSON")
        project.add_span(document.id, 0, 11, "PERSON", annotator="olga")
        project.add_span(document.id, 16, 30, "PERSON", annotator="olga")
        project.set_status(document.id, "done", "olga")


def test_export_chooses_annotators_and_names_each_span_s(tmp_path: Path) -> None:
    import orjson

    path = tmp_path / "p.annotator"
    _two_coders(path)
    out = tmp_path / "all.jsonl"
    _run("export", path, "-o", out)
    (record,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [(s["annotator"], s["text"]) for s in record["spans"]] == [
        ("maria", "Kim Jong Un"),
        ("olga", "Kim Jong Un"),
        ("olga", "Vladimir Putin"),
    ]
    assert record["status"] == "todo" and record["statuses"] == {"olga": "done"}
    _run("export", path, "-o", out, "--annotator", "olga")
    (record,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert record["status"] == "done" and {s["annotator"] for s in record["spans"]} == {"olga"}
    assert "no annotator 'chen'" in _run("export", path, "-o", out, "--annotator", "chen", ok=False)
    # CoNLL cannot say whose a tag is: one annotator must be chosen.
    refused = _run("export", path, "-o", tmp_path / "x.conll", ok=False)
    assert "choose one with --annotator" in refused and not (tmp_path / "x.conll").exists()
    _run("export", path, "-o", tmp_path / "x.conll", "--annotator", "olga")


def test_list_and_stats_show_each_annotator_s_status(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    _two_coders(path)
    assert "todo" in _run("list", path, "--annotator", "maria")
    assert "done" in _run("list", path, "--annotator", "olga")
    stats = _run("stats", path)
    assert "maria" in stats and "olga" in stats
    olga_row = next(line for line in stats.splitlines() if line.strip().startswith("olga"))
    assert olga_row.split() == ["olga", "2", "1", "0", "0"]


def test_add_as_puts_unnamed_spans_in_one_layer(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"text": TEXT, "spans": [{"start": 0, "end": 11, "label": "PERSON"}]}) + "\n",
        encoding="utf-8",
    )
    _run("new", path)
    out = _run("add", path, source, "--as", "suggest:model")
    assert "Annotators: suggest:model" in out
    with Project.open(path) as project:
        assert project.layers() == ["suggest:model"]


def test_a_read_command_upgrades_an_older_project_after_a_backup(tmp_path: Path) -> None:
    path = _v2_copy(tmp_path)
    out = _run("stats", path)
    assert "Upgraded" in out and "9 spans" in out
    assert [b.note for b in Backups(path).list()] == ["before-upgrade"]


def test_relation_types_follow_a_renamed_label_in_its_transaction(project_path: Path) -> None:
    with Project.create(project_path) as project:
        project.rename_label("PERSON", "PER")
        said_by = next(t for t in project.relation_types() if t.name == "said-by")
        assert said_by.child_labels == ("PER",)
    # A reader of the file sees both changes at once, never one without the other.
    with Project.open(project_path, read_only=True) as reader:
        said_by = next(t for t in reader.relation_types() if t.name == "said-by")
        assert said_by.child_labels == ("PER",) and "PER" in [x.name for x in reader.labels]
