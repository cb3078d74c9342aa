"""brat standoff: what a published brat parser reads from our files, the .ann
features we import, and the archives we refuse."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from annotator.core import Project
from annotator.core.errors import InputError
from annotator.core.formats import brat, read_inputs, write_output
from annotator.core.incoming import NewDocument

DATA = Path(__file__).parent / "data" / "formats"
TEXT = "Moon Jae-in 👍🏽 met Kim in 🇰🇷 Seoul.\r\nCafe\u0301 𠀋 owner Lee spoke\nlater."


def _spans(*pieces: tuple[str, str]) -> list[dict]:
    out = []
    for sub, label in pieces:
        start = TEXT.index(sub)
        out.append({"id": sub, "start": start, "end": start + len(sub), "label": label})
    return out


@pytest.fixture
def project(tmp_path: Path):
    with Project.create(tmp_path / "p.annotator") as created:
        created.add_label("ORG / GOV", colour="#000000")
        created.add_documents(
            [
                NewDocument(
                    text=TEXT,
                    name="Summit: day 1",
                    spans=[
                        *_spans(
                            ("Moon Jae-in", "PERSON"),
                            ("👍🏽", "HEDGE"),
                            ("🇰🇷 Seoul", "PLACE"),
                            ("Seoul.\r\nCafe\u0301 𠀋", "QUOTE"),
                            ("Lee spoke\nlater", "QUOTE"),
                            ("owner", "ORG / GOV"),
                        ),
                        {**_spans(("Kim", "PERSON"))[0], "note": "the leader\nof the North"},
                    ],
                    relations=[{"head": "Moon Jae-in", "child": "Kim", "label": "met with"}],
                )
            ]
        )
        yield created


def test_a_published_brat_parser_reads_our_files(project: Project, tmp_path: Path) -> None:
    from bratly import EntityAnnotation, NoteAnnotation, RelationAnnotation
    from bratly.io import read_and_load_ann_file, read_from_file

    report = write_output(project, tmp_path / "brat", "brat")
    assert report.documents == 1 and report.spans == 7 and report.relations == 1
    (ann,) = (tmp_path / "brat").glob("*.ann")
    text = read_from_file(str(ann.with_suffix(".txt")))
    assert text == TEXT  # byte for byte: CRLF kept, so offsets stay code points
    collection = read_and_load_ann_file(str(ann), sorting=False, renumerotize=False)
    entities = [a for a in collection.annotations if isinstance(a, EntityAnnotation)]
    read = set()
    for entity in entities:
        fragments = [text[f.start : f.end] for f in entity.fragments]
        assert " ".join(fragments) == entity.content
        read.add((text[entity.fragments[0].start : entity.fragments[-1].end], entity.label))
    ours = {(s.text, s.label.replace(" / ", "_")) for s in project.spans(1)}
    assert read == ours and len(entities) == 7
    (relation,) = [a for a in collection.annotations if isinstance(a, RelationAnnotation)]
    assert relation.label == "met_with"
    assert (relation.argument1[1].content, relation.argument2[1].content) == ("Moon Jae-in", "Kim")
    (note,) = [a for a in collection.annotations if isinstance(a, NoteAnnotation)]
    assert note.value == "the leader of the North"


def test_export_writes_configuration_and_reports_changes(project: Project, tmp_path: Path) -> None:
    report = write_output(project, tmp_path / "brat", "brat")
    assert report.lost == {
        "line breaks in notes written as spaces": 1,
        "label 'ORG / GOV' renamed 'ORG_GOV' to suit brat": 1,
        "label 'met with' renamed 'met_with' to suit brat": 1,
    }
    conf = (tmp_path / "brat" / "annotation.conf").read_text()
    assert "[entities]\nPERSON\nPLACE\nQUOTE\nHEDGE\nORG_GOV\n" in conf
    assert "met_with\tArg1:<ENTITY>, Arg2:<ENTITY>" in conf
    visual = (tmp_path / "brat" / "visual.conf").read_text()
    assert (
        "PERSON\tbgColor:#0072B2" in visual and "ORG_GOV\tbgColor:#000000, fgColor:white" in visual
    )
    ann = next((tmp_path / "brat").glob("*.ann")).read_text(encoding="utf-8")
    start = TEXT.index("Seoul.")
    assert f"QUOTE {start} {start + 6};{start + 8} {start + 15}\tSeoul. Cafe\u0301 𠀋" in ann
    with pytest.raises(InputError, match="is not an empty folder"):
        write_output(project, tmp_path / "brat", "brat")


def test_reads_discontinuous_spans_attributes_notes_and_events(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annotator") as project:
        report = project.add_documents(read_inputs([DATA / "brat"]))  # a folder with .ann: brat
        ((document, spans, relations),) = list(project.iter_annotated())
    assert report.added == 1
    assert document.text == (DATA / "brat" / "news.txt").read_bytes().decode("utf-8")
    got = {(s.text, s.label, s.note) for s in spans}
    assert got == {
        ("Kim", "PERSON", "the leader\nConfidence=High"),
        ("Moon", "PERSON", "Negated"),
        ("in\r\nSeoul", "PLACE", ""),  # fragments across a line break: one span
        ("New", "PLACE", ""),  # fragments with words between: two spans and a relation
        ("office", "PLACE", ""),
        ("👍🏽", "HEDGE", ""),
    }
    by_id = {s.id: s.text for s in spans}
    assert {(by_id[r.head], by_id[r.child], r.label) for r in relations} == {
        ("Kim", "Moon", "met"),
        ("New", "office", "fragment"),
    }
    assert document.meta["brat_unsupported"] == ["E1\tMeet:T5 Agent:T1"]


def test_round_trip_through_a_zip(project: Project, tmp_path: Path) -> None:
    write_output(project, tmp_path / "out.zip")  # the extension names the format
    with Project.create(tmp_path / "back.annotator") as back:
        back.add_documents(read_inputs([tmp_path / "out.zip"]))
        assert {(s.start, s.end, s.text) for s in back.spans(1)} == {
            (s.start, s.end, s.text) for s in project.spans(1)
        }


def test_span_past_the_text_names_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(DATA / "brat", folder)
    (folder / "a-good.txt").write_text("Kim met Moon.")
    (folder / "a-good.ann").write_text("T1\tPERSON 0 3\tKim\n")
    (folder / "news.ann").write_text(
        "T1\tPERSON 0 3\tKim\nT2\tPLACE 60 200\tnowhere\n", encoding="utf-8"
    )
    with Project.create(tmp_path / "p.annotator") as project:
        with pytest.raises(InputError) as caught:
            project.add_documents(read_inputs([folder], "brat"))
        assert project.count_documents() == 0
    assert str(caught.value).startswith(
        f"{folder / 'news.ann'}, line 2: T2 (60-200) points outside"
    )


def test_text_mismatch_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "d.txt").write_bytes(b"Kim\r\nmet Moon.")
    # Offsets made by a tool that counted CRLF as one character.
    (folder / "d.ann").write_text("T1\tPERSON 8 12\tMoon\n")
    with pytest.raises(
        InputError, match=r"d\.ann, line 1: T1 says 'Moon' .* CRLF as one character"
    ):
        list(read_inputs([folder], "brat"))


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_with_climbing_paths_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "evil.zip", {"ok.txt": b"Kim.", "../../etc/x.txt": b"Kim."})
    with pytest.raises(InputError, match="leads outside the archive"):
        list(read_inputs([archive]))


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bomb.zip", {"big.txt": b"\0" * (20 << 20), "big.ann": b""})
    assert archive.stat().st_size < 100_000
    with pytest.raises(InputError, match="compressed more than 100:1"):
        list(read_inputs([archive]))


def test_zip_over_the_size_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(brat, "MAX_TOTAL_BYTES", 1000)
    archive = _zip(tmp_path / "big.zip", {f"d{i}.txt": bytes(range(256)) * 2 for i in range(3)})
    with pytest.raises(InputError, match="would unpack to more than"):
        list(read_inputs([archive]))


def test_a_single_ann_file_and_bad_targets(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("Kim met Moon.")
    (tmp_path / "one.ann").write_text("T1\tPERSON 0 3\tKim\nT2\tPERSON 8 12\tMoon\n")
    (document,) = read_inputs([tmp_path / "one.ann"])
    assert document.name == "one" and [s["label"] for s in document.spans] == ["PERSON", "PERSON"]
    (tmp_path / "lost.ann").write_text("T1\tPERSON 0 3\tKim\n")
    with pytest.raises(InputError, match=r"lost\.txt: cannot be read"):
        list(read_inputs([tmp_path / "lost.ann"]))
    with (
        Project.create(tmp_path / "p.annotator") as project,
        pytest.raises(InputError, match=r"go in a folder or a \.zip"),
    ):
        write_output(project, tmp_path / "out.ann", "brat")
