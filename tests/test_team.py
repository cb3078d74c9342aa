"""Hand documents out to coders, label in their own files, merge them back."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.core import NewDocument, Project
from annotator.core.team import split


def run(*args: str | Path, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) is ok, result.output
    assert "Traceback" not in result.output
    return result.output


def _source(path: Path, count: int = 10) -> None:
    with Project.create(path, annotator="lead") as project:
        project.add_documents(
            NewDocument(text=f"Article {n}: Kim met Putin in Moscow.", name=f"a{n}")
            for n in range(count)
        )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_split_shares_the_overlap_and_deals_out_the_rest() -> None:
    plan = split(list(range(1, 11)), ["maria", "olga", "chen"], 0.25, seed=7)
    assert len(plan.shared) == 3  # 2.5 rounds to the nearest whole document, up
    for coder in ("maria", "olga", "chen"):
        assert set(plan.shared) <= set(plan.by_coder[coder])
    own = [set(ids) - set(plan.shared) for ids in plan.by_coder.values()]
    assert sorted(len(x) for x in own) == [2, 2, 3]
    assert set().union(*own) | set(plan.shared) == set(range(1, 11))
    assert not own[0] & own[1] and not own[1] & own[2]
    assert split(list(range(1, 11)), ["maria", "olga", "chen"], 0.25, seed=7) == plan
    assert split(list(range(1, 11)), ["maria", "olga", "chen"], 0.25, seed=8) != plan


def test_handout_writes_a_file_per_coder_and_leaves_the_source(tmp_path: Path) -> None:
    source = tmp_path / "study.annotator"
    _source(source)
    before = _digest(source)
    out = run("handout", source, "--to", "maria,olga", "--overlap", "0.2", "-o", tmp_path / "team")
    assert "2 documents go to every coder" in out
    assert _digest(source) == before
    counts = {}
    for coder in ("maria", "olga"):
        with Project.open(tmp_path / "team" / f"{coder}.annotator") as mine:
            counts[coder] = mine.count_documents()
            assert [label.name for label in mine.labels] == ["PERSON", "PLACE", "QUOTE", "HEDGE"]
    assert counts == {"maria": 6, "olga": 6}
    assert (tmp_path / "team" / "handout.json").exists()
    again = run("handout", source, "--to", "maria", "-o", tmp_path / "team", ok=False)
    assert "exists already" in again


def test_merge_keeps_each_coder_s_layer_and_adds_nothing_twice(tmp_path: Path) -> None:
    source = tmp_path / "study.annotator"
    _source(source, 4)
    run("handout", source, "--to", "maria,olga", "--overlap", "1", "-o", tmp_path / "team")
    maria, olga = tmp_path / "team" / "maria.annotator", tmp_path / "team" / "olga.annotator"
    for path, coder, extent in ((maria, "maria", (11, 14)), (olga, "olga", (11, 24))):
        with Project.open(path, annotator=coder) as project:
            for document_id in project.document_ids():
                project.add_span(document_id, *extent, "PERSON")
                project.set_status(document_id, "done")
    inputs_before = (_digest(maria), _digest(olga))
    merged = tmp_path / "merged.annotator"
    out = run("merge", maria, olga, "-o", merged)
    assert "4 documents added, 4 matched, 8 spans added (0 already there)" in out
    assert (_digest(maria), _digest(olga)) == inputs_before
    again = run("merge", olga, "-o", merged)
    assert "0 documents added, 4 matched, 0 spans added (4 already there)" in again
    with Project.open(merged) as project:
        document_id = project.document_ids()[0]
        assert sorted((s.annotator, s.text) for s in project.spans(document_id)) == [
            ("maria", "Kim"),
            ("olga", "Kim met Putin"),
        ]
        assert project.statuses(document_id) == {"maria": "done", "olga": "done"}


def test_merge_refuses_one_annotator_s_different_spans_unless_renamed(tmp_path: Path) -> None:
    one, two = tmp_path / "one.annotator", tmp_path / "two.annotator"
    for path, extent in ((one, (0, 3)), (two, (8, 13))):
        with Project.create(path, annotator="maria") as project:
            document = project.add_document("Kim met Putin.", name="kim")
            assert document is not None
            project.add_span(document.id, *extent, "PERSON")
    merged = tmp_path / "merged.annotator"
    refused = run("merge", one, two, "-o", merged, ok=False)
    assert "annotator 'maria' has other spans in document 'kim'" in refused
    assert not merged.exists()
    out = run("merge", one, two, "-o", merged, "--rename")
    assert "Renamed two.annotator: maria to maria@two" in out
    with Project.open(merged) as project:
        assert project.layers() == ["maria", "maria@two"]


def test_merge_refuses_files_whose_labels_differ(tmp_path: Path) -> None:
    one, two = tmp_path / "one.annotator", tmp_path / "two.annotator"
    Project.create(one).close()
    Project.create(two, [{"name": "PERSON"}, {"name": "ORG"}]).close()
    refused = run("merge", one, two, "-o", tmp_path / "m.annotator", ok=False)
    assert "labels differ" in refused and "two.annotator has ORG" in refused
