"""`annotator add --format` and `annotator export --format`: guessing, options,
losses on standard error, and clear refusals with nothing imported."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core import Project

DATA = Path(__file__).parent / "data" / "formats"


def run(*args: str | Path, ok: bool = True) -> tuple[str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) is ok, result.output
    assert "Traceback" not in result.output
    return result.stdout, result.stderr


def _documents(project: Path) -> int:
    with Project.open(project, read_only=True) as opened:
        return opened.count_documents()


def test_conll_announced_as_jsonl_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("new", project)
    _, err = run("add", project, DATA / "sample.conll", "--format", "jsonl", ok=False)
    assert f"{DATA / 'sample.conll'}, line 1: not a JSON object" in err
    assert "is it the right --format?" in err
    assert _documents(project) == 0


def test_formats_are_guessed_and_losses_reported(tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("new", project)
    out, _ = run("add", project, DATA / "brat")  # a folder holding .ann files
    assert "Added 1 document, 6 spans and 2 relations." in out
    out, _ = run(
        "add", project, DATA / "doccano_utf16.jsonl", "--format", "doccano", "--offsets", "utf16"
    )
    assert "Added 3 documents, 5 spans and 0 relations." in out
    _, err = run("export", project, "-o", tmp_path / "ner.conll", "--layer", "PERSON,PLACE")
    assert "1 nested or overlapping spans left out of CoNLL" not in err  # nothing nested here
    assert "2 relations left out (tags cannot hold them)" in err
    assert "Wrote 4 documents" in err
    _, err = run("export", project, "-o", tmp_path / "out.jsonl", "--format", "doccano")
    assert "2 relations left out of doccano's plain variant (use doccano-relations)" in err
    lines = (tmp_path / "out.jsonl").read_bytes().splitlines()
    assert len(lines) == 4 and "label" in orjson.loads(lines[0])
    run("export", project, "-o", tmp_path / "out.json")  # Label Studio, by extension
    run("export", project, "-o", tmp_path / "brat-out", "--format", "brat")
    assert len(list((tmp_path / "brat-out").glob("*.ann"))) == 4


def test_options_that_do_not_apply_are_refused(tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("new", project)
    _, err = run("export", project, "-o", tmp_path / "x.conll", "--offsets", "utf16", ok=False)
    assert "--offsets does not apply to the conll format" in err
    _, err = run(
        "export",
        project,
        "-o",
        tmp_path / "x.jsonl",
        "--format",
        "conll",
        "--layer",
        "NOPE",
        ok=False,
    )
    assert "NOPE" in err
    _, err = run("export", project, "-o", tmp_path / "x.unknown", ok=False)
    assert "name one with --format" in err
    _, err = run("add", project, DATA / "sample.conll", ok=False)
    assert "cannot tell the format from '.conll'" in err
    assert not (tmp_path / "x.conll").exists()
