"""Exports never destroy: not the project, not a device, and a failed write is one line."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE

from annotator.cli import cli

EXPORTS = [
    ("jsonl", "out.jsonl"),
    ("prodigy", "out.jsonl"),
    ("doccano", "out.jsonl"),
    ("doccano-relations", "out.jsonl"),
    ("label-studio", "out.json"),
    ("conll", "out.conll"),
    ("hf-tokens", "out.jsonl"),
    ("spacy", "out.spacy"),
    ("brat", "corpus"),
    ("brat", "corpus.zip"),
]


def invoke(*args: str | Path) -> tuple[int, str]:
    """Runs a command as the console script does; an exception escaping it is a traceback."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {args}: {result.exception!r}") from result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def study(tmp_path: Path) -> Path:
    project = tmp_path / "study.annotator"
    assert invoke("new", project)[0] == 0
    assert invoke("add", project, SAMPLE)[0] == 0
    return project


def test_export_onto_the_project_itself_is_refused_and_leaves_it_whole(study: Path) -> None:
    before = study.read_bytes()
    code, out = invoke("export", study, "-o", study, "--format", "jsonl")
    assert code != 0
    assert f"{study}: is an annotator project; an export would replace it" in out
    assert study.read_bytes() == before


def test_export_onto_a_project_of_another_name_or_any_sqlite_file_is_refused(
    study: Path, tmp_path: Path
) -> None:
    disguised = tmp_path / "notes.txt"
    disguised.write_bytes(study.read_bytes())
    code, out = invoke("export", study, "-o", disguised, "--format", "jsonl")
    assert code != 0 and "is an annotator project" in out
    assert disguised.read_bytes() == study.read_bytes()
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    before = other.read_bytes()
    code, out = invoke("export", study, "-o", other, "--format", "jsonl")
    assert code != 0 and "is a SQLite database" in out
    assert other.read_bytes() == before


def test_export_to_a_fifo_writes_into_it_and_leaves_it_a_fifo(study: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, out = invoke("export", study, "-o", fifo, "--format", "jsonl")
    reader.join(timeout=10)
    if reader.is_alive() and stat.S_ISFIFO(fifo.stat().st_mode):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # the export never wrote into it
        reader.join(timeout=10)
    assert code == 0, out
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b'"kim-train-to-russia"' in received[0]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize(("fmt", "name"), [e for e in EXPORTS if e[0] != "brat"])
def test_export_to_a_full_disk_says_so_and_leaves_the_device(
    study: Path, fmt: str, name: str
) -> None:
    code, out = invoke("export", study, "-o", "/dev/full", "--format", fmt)
    assert code != 0
    assert "/dev/full: cannot be written: the disk is full" in out
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process may not write in (root may write anywhere but /sys)."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


@pytest.mark.parametrize(("fmt", "name"), EXPORTS)
def test_export_into_a_missing_or_unwritable_folder_is_one_line(
    study: Path, tmp_path: Path, fmt: str, name: str
) -> None:
    missing = tmp_path / "nosuchdir" / name
    code, out = invoke("export", study, "-o", missing, "--format", fmt)
    assert code != 0
    assert f"{missing}: cannot be written: the folder" in out and "does not exist" in out
    assert not missing.parent.exists()
    locked = _unwritable_folder(tmp_path) / name
    code, out = invoke("export", study, "-o", locked, "--format", fmt)
    assert code != 0
    assert f"{locked}: cannot be written: no permission to write in" in out


def _every_command(project: Path, other: Path) -> list[list[str | Path]]:
    return [
        ["new", project],
        ["add", project, SAMPLE],
        ["stats", project],
        ["stats", project, "--json"],
        ["list", project],
        ["list", project, "--json"],
        ["status", project, "1", "--set", "done"],
        ["remove", project, "1"],
        ["labels", project],
        ["labels", project, "--add", "ORG"],
        ["check", project],
        ["backups", project],
        ["backups", project, "--now"],
        ["restore", project, "latest"],
        ["restore", project, other],
        *(["export", project, "-o", other, "--format", fmt] for fmt, _ in EXPORTS),
    ]


def test_no_command_ends_in_a_traceback_for_a_missing_or_unwritable_folder_or_full_disk(
    study: Path, tmp_path: Path
) -> None:
    unwritable = _unwritable_folder(tmp_path)
    places = [
        (tmp_path / "nosuchdir" / "p.annotator", study),
        (unwritable / "p.annotator", study),
        (study, tmp_path / "nosuchdir" / "out"),
        (study, unwritable / "out"),
    ]
    if Path("/dev/full").exists():
        places += [(Path("/dev/full"), study), (study, Path("/dev/full"))]
    for project, other in places:
        for command in _every_command(project, other):
            invoke(*command)  # raises on a traceback
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode) if Path("/dev/full").exists() else True
