"""The command line on the sample article: what a researcher types and reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from conftest import SAMPLE

from annotator import __version__
from annotator.cli import cli


def run(*args: str | Path, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) is ok, result.output
    assert "Traceback" not in result.output
    return result.output


def test_new_add_stats_list_export_on_the_sample(tmp_path: Path) -> None:
    project = tmp_path / "study.annotator"
    assert "PERSON, PLACE, QUOTE, HEDGE" in run("new", project)
    assert "Added 1 document, 0 spans and 0 relations." in run("add", project, SAMPLE)
    again = run("add", project, SAMPLE.parent)
    assert "Added 0 documents, 0 spans and 0 relations." in again
    assert "Matched 1 document already in the project by their text" in again
    stats = run("stats", project)
    assert "1 document" in stats and "todo" in stats and "PERSON" in stats
    assert "kim-train-to-russia" in run("list", project)
    out = tmp_path / "out.jsonl"
    run("export", project, "-o", out)
    [record] = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert record["meta"]["date"] == "2023-09-12"
    assert record["text"].startswith("The South Korean")
    assert run("export", project, "-o", "-", "--status", "done") == ""


def test_custom_labels(tmp_path: Path) -> None:
    project = tmp_path / "orgs.annotator"
    out = run("new", project, "--labels", "PERSON,ORG:#D55E00:o,EVENT")
    assert "PERSON, ORG, EVENT" in out
    run("new", tmp_path / "bad.annotator", "--labels", "ORG:red", ok=False)


def test_import_of_a_bad_file_names_it_and_imports_nothing(tmp_path: Path) -> None:
    project = tmp_path / "study.annotator"
    run("new", project)
    bad = tmp_path / "z-latin1.txt"
    bad.write_bytes("Caf\u00e9".encode("latin-1"))
    out = run("add", project, SAMPLE, bad, ok=False)
    assert f"{bad}, line 1: is not UTF-8 text" in out
    assert "0 spans" in run("stats", project)
    assert "0 documents" in run("stats", project)


def test_opening_something_that_is_not_a_project(tmp_path: Path) -> None:
    out = run("stats", SAMPLE, ok=False)
    assert "not an annotator project" in out


@pytest.mark.parametrize(
    "command",
    [
        "new",
        "add",
        "export",
        "stats",
        "list",
        "open",
        "labels",
        "check",
        "backups",
        "restore",
        "status",
        "remove",
    ],
)
def test_every_command_has_help_with_an_example(command: str) -> None:
    assert "Example" in run(command, "--help")


def test_version_and_python_dash_m() -> None:
    assert __version__ in run("--version")
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in result.stdout


def test_labels_are_listed_added_renamed_and_recoloured(tmp_path: Path) -> None:
    project = tmp_path / "study.annotator"
    run("new", project)
    run("add", project, SAMPLE)
    from annotator.core import Project

    with Project.open(project) as opened:
        document = next(opened.documents())
        start = document.text.index("Russia")
        opened.add_span(document.id, start, start + 6, "PLACE")
    listed = run("labels", project)
    assert "PLACE       #009E73  2/l" in listed
    out = run(
        "labels",
        project,
        "--add",
        "ORG:#D55E00",
        "--rename",
        "PLACE",
        "LOCATION",
        "--colour",
        "PERSON",
        "#56B4E9",
        "--describe",
        "ORG",
        "A company or agency.",
    )
    assert "ORG         #D55E00  5/o   A company or agency." in out
    assert "PERSON      #56B4E9" in out
    exported = tmp_path / "out.jsonl"
    run("export", project, "-o", exported)
    [record] = [orjson.loads(line) for line in exported.read_bytes().splitlines()]
    assert [s["label"] for s in record["spans"]] == ["LOCATION"]
    assert "exists" in run("labels", project, "--add", "ORG", ok=False)
