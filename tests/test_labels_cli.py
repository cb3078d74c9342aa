"""`annotator labels` for relation types, deleting and moving labels; `annotator
guidelines`; `annotator stats --plot/--csv`; what `handout` carries to each coder."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from click.testing import CliRunner
from conftest import SAMPLE

from annotator.cli import cli
from annotator.core import Project


def run(*args: str | Path, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) is ok, result.output
    assert "Traceback" not in result.output
    return result.output


def sample(tmp_path: Path) -> Path:
    project = tmp_path / "study.annotator"
    run("new", project)
    run("add", project, SAMPLE)
    return project


def tag(project: Path, words: str, label: str, annotator: str | None = None) -> int:
    with Project.open(project, annotator=annotator) as opened:
        document = next(opened.documents())
        start = document.text.index(words)
        return opened.add_span(document.id, start, start + len(words), label).id


def test_relation_types_are_listed_added_renamed_recoloured_given_ends_and_removed(tmp_path):
    project = sample(tmp_path)
    listed = run("labels", project)
    assert "relation types" in listed
    assert "said-by" in listed and "QUOTE > PERSON" in listed
    out = run(
        "labels",
        project,
        "--add-relation",
        "said-to:QUOTE>PERSON:#123456:t",
        "--relation-ends",
        "said-to",
        "QUOTE|HEDGE",
        "*",
        "--rename-relation",
        "hedges",
        "qualifies",
        "--relation-colour",
        "qualifies",
        "#aa0000",
        "--describe-relation",
        "said-to",
        "Who a quote was addressed to.",
    )
    assert "said-to     #123456  t  QUOTE|HEDGE > *" in out
    assert "Who a quote was addressed to." in out
    assert "qualifies   #AA0000" in out and "hedges " not in out
    with Project.open(project) as opened:
        said_to = opened.relation_type_store.get("said-to")
        assert said_to.head_labels == ("QUOTE", "HEDGE") and said_to.child_labels == ()
        # A relation of the renamed type follows its name.
        document = next(opened.documents())
        text = document.text
        hedge = opened.add_span(document.id, 0, 3, "HEDGE")
        quote_at = text.index("Kim Jong Un")
        quote = opened.add_span(document.id, quote_at, quote_at + 11, "QUOTE")
        opened.add_relation(hedge.id, quote.id, "qualifies")
    removed = CliRunner().invoke(cli, ["labels", str(project), "--remove-relation", "qualifies"])
    assert removed.exit_code == 0
    assert "Removed relation type qualifies and its 1 relation" in removed.output
    with Project.open(project, read_only=True) as opened:
        assert "qualifies" not in [t.name for t in opened.relation_types()]
        assert opened.relations(next(opened.documents()).id) == []


def test_bad_relation_specs_change_nothing(tmp_path):
    project = sample(tmp_path)
    before = project.read_bytes()
    assert "names labels the project does not have: ORG" in run(
        "labels", project, "--add-relation", "works-for:PERSON>ORG", ok=False
    )
    assert "NAME:HEAD>CHILD" in run("labels", project, "--add-relation", "said-to", ok=False)
    assert "another relation type has that key" in run(
        "labels", project, "--relation-hotkey", "hedges", "s", ok=False
    )
    assert "no relation type 'nope' (the project has: said-by, hedges, located-in)" in run(
        "labels", project, "--remove-relation", "nope", ok=False
    )
    with Project.open(project, read_only=True) as opened:
        assert [t.name for t in opened.relation_types()] == ["said-by", "hedges", "located-in"]
    assert project.read_bytes() == before


def test_deleting_a_label_counts_its_spans_and_keeps_a_backup(tmp_path):
    project = sample(tmp_path)
    tag(project, "Kim Jong Un", "PERSON")
    tag(project, "Putin", "PERSON", annotator="olga")
    tag(project, "Russia", "PLACE")
    result = CliRunner().invoke(cli, ["labels", str(project), "--delete", "PERSON"])
    assert result.exit_code == 0, result.output
    assert "Deleted label PERSON and its 2 spans" in result.output
    assert "Relation type said-by still names PERSON" in result.output
    backup = Path(result.output.split("kept as ")[1].split(")")[0])
    with Project.open(backup, read_only=True) as before:
        assert before.labels[0].name == "PERSON"
        assert len(before.spans(next(before.documents()).id)) == 3
    with Project.open(project, read_only=True) as opened:
        assert [label.name for label in opened.labels] == ["PLACE", "QUOTE", "HEDGE"]
        assert [s.label for s in opened.spans(next(opened.documents()).id)] == ["PLACE"]
    assert "unknown label 'ORG'" in run("labels", project, "--delete", "ORG", ok=False)


def test_moving_a_label_moves_its_digit(tmp_path):
    project = sample(tmp_path)
    out = run("labels", project, "--move", "HEDGE", "1")
    assert out.splitlines()[0].startswith("HEDGE       #CC79A7  1/h")
    assert out.splitlines()[1].startswith("PERSON      #0072B2  2/p")
    assert "no position 9" in run("labels", project, "--move", "HEDGE", "9", ok=False)
    assert "the position is a number" in run("labels", project, "--move", "HEDGE", "x", ok=False)


def test_guidelines_are_stored_and_shown(tmp_path):
    project = sample(tmp_path)
    assert "has no guidelines yet" in run("guidelines", project)
    guide = tmp_path / "guide.md"
    text = "# Coding guide\n\nTag **PERSON** for people — «Ким» too. [PARC](https://example.org)\n"
    guide.write_text(text, encoding="utf-8")
    run("guidelines", project, "--set", guide)
    assert run("guidelines", project, "--show") == text
    latin1 = tmp_path / "old.md"
    latin1.write_bytes("caf\xe9".encode("latin-1"))
    assert "old.md: not UTF-8 text; nothing was stored" in run(
        "guidelines", project, "--set", latin1, ok=False
    )
    assert "missing.md: cannot read it" in run(
        "guidelines", project, "--set", tmp_path / "missing.md", ok=False
    )
    assert run("guidelines", project, "--show") == text


def test_handout_gives_each_coder_the_guidelines_and_relation_types(tmp_path):
    project = sample(tmp_path)
    guide = tmp_path / "guide.md"
    guide.write_text("# Guide\n\nQuotes include their marks.\n", encoding="utf-8")
    run("guidelines", project, "--set", guide)
    run("labels", project, "--add-relation", "said-to:QUOTE>PERSON:#123456:t")
    run("handout", project, "--to", "maria,olga", "-o", tmp_path / "out")
    for coder in ("maria", "olga"):
        with Project.open(tmp_path / "out" / f"{coder}.annotator", read_only=True) as handed:
            assert handed.guidelines == guide.read_text(encoding="utf-8")
            assert "said-to" in [t.name for t in handed.relation_types()]


def test_stats_plot_and_csv_hold_the_figures(tmp_path):
    project = sample(tmp_path)
    tag(project, "Kim Jong Un", "PERSON")
    tag(project, "Russia", "PLACE")
    tag(project, "Putin", "PERSON", annotator="olga")
    with Project.open(project) as opened:
        second = opened.add_document("Peskov spoke in Moscow.", name="second")
        assert second is not None
        opened.add_span(second.id, 0, 6, "PERSON")
        opened.add_span(second.id, 16, 22, "PLACE")
        opened.set_status(second.id, "done")
        opened.annotator = "olga"
        opened.set_status(second.id, "done")
        opened.set_status(next(opened.documents()).id, "done")
        # Two days with a quiet day between them.
        opened.conn.execute(
            "UPDATE document_status SET updated = '2026-03-01T10:00:00+00:00'"
            " WHERE document_id = ?",
            (second.id,),
        )
        opened.conn.execute(
            "UPDATE document_status SET updated = '2026-03-03T09:00:00+00:00'"
            " WHERE document_id != ?",
            (second.id,),
        )
        opened.conn.commit()
        spans = [s for d in opened.documents() for s in opened.spans(d.id)]
    png, table = tmp_path / "stats.png", tmp_path / "stats.csv"
    run("stats", project, "--plot", png, "--csv", table)
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    by_chart: dict[str, dict[str, int]] = {}
    for row in rows:
        key = (
            row["key"]
            if row["chart"] != "label mix per document"
            else row["key"] + "/" + row["label"]
        )
        by_chart.setdefault(row["chart"], {})[key] = int(row["value"])
    assert by_chart["spans per label"] == {
        "PERSON": Counter(s.label for s in spans)["PERSON"],
        "PLACE": 2,
        "QUOTE": 0,
        "HEDGE": 0,
    }
    assert by_chart["spans per annotator"] == dict(Counter(s.annotator for s in spans))
    assert by_chart["documents done per day"] == {"2026-03-01": 2, "2026-03-02": 0, "2026-03-03": 1}
    assert by_chart["label mix per document"] == {
        "kim-train-to-russia/PERSON": 2,
        "kim-train-to-russia/PLACE": 1,
        "second/PERSON": 1,
        "second/PLACE": 1,
    }
    from PySide6.QtGui import QColor, QImage

    image = QImage(str(png))
    assert (image.width(), image.height()) == (1400, 900)
    colours = {
        QColor(image.pixel(x, y)).name().upper()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    }
    assert {"#0072B2", "#009E73"} <= colours  # PERSON's and PLACE's bars
    assert "folder does not exist" in run(
        "stats", project, "--plot", tmp_path / "nowhere" / "x.png", ok=False
    )
