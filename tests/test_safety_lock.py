"""One writer at a time; readers never locked out; a crash leaves no lock behind."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core import Project, ProjectError, ProjectLocked
from annotator.core.lock import ProjectLock, is_locked, lock_path, read_holder

HOLDER = textwrap.dedent(
    """
    import sys, time
    from annotator.core import Project
    project = Project.open(sys.argv[1])
    document = project.document_ids()[0]
    span = project.add_span(document, 0, 4, "PERSON")
    print("saved", span.id, flush=True)
    time.sleep(60)
    """
)


def _start_holder(path: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = child.stdout.readline() if child.stdout else ""
    assert line.startswith("saved"), child.stderr.read() if child.stderr else line
    return child


@pytest.fixture
def one_document(project_path: Path) -> Path:
    with Project.create(project_path) as project:
        project.add_document("Anna met Bo in Oslo.")
    return project_path


def test_lock_file_sits_beside_the_project(tmp_path: Path) -> None:
    assert lock_path(tmp_path / "study.annotator") == tmp_path / "study.annotator-lock"
    assert lock_path(tmp_path / "study.db") == tmp_path / "study.db.annotator-lock"


def test_second_writer_in_the_same_process_is_told_and_may_read(one_document: Path) -> None:
    with Project.open(one_document) as first:
        assert is_locked(one_document)
        holder = read_holder(one_document)
        assert holder and holder["pid"] == os.getpid()
        with pytest.raises(ProjectLocked, match=r"open for editing elsewhere.*read-only"):
            Project.open(one_document)
        with Project.open(one_document, read_only=True) as reader:
            first.add_span(first.document_ids()[0], 0, 4, "PERSON")
            assert [s.text for s in reader.spans(reader.document_ids()[0])] == ["Anna"]
    assert not is_locked(one_document)
    assert not lock_path(one_document).exists()
    Project.open(one_document).close()


def test_creating_takes_the_lock_too(project_path: Path) -> None:
    with Project.create(project_path), pytest.raises(ProjectLocked):
        Project.open(project_path)


def test_a_writer_in_another_process_locks_out_writers_but_not_readers(
    one_document: Path,
) -> None:
    child = _start_holder(one_document)
    try:
        with pytest.raises(ProjectLocked, match=f"process {child.pid}"):
            Project.open(one_document)
        runner = CliRunner()
        result = runner.invoke(cli, ["export", str(one_document), "-o", "-"])
        assert result.exit_code == 0, result.output
        record = json.loads(result.output.splitlines()[0])
        assert [s["text"] for s in record["spans"]] == ["Anna"]  # the saved edit is seen
        assert runner.invoke(cli, ["stats", str(one_document)]).exit_code == 0
        result = runner.invoke(cli, ["add", str(one_document), str(one_document)])
        assert result.exit_code == 1 and "open for editing elsewhere" in result.output
        assert "Traceback" not in result.output
    finally:
        child.kill()
        child.wait()


def test_a_killed_writer_leaves_a_stale_lock_file_that_blocks_no_one(one_document: Path) -> None:
    child = _start_holder(one_document)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert lock_path(one_document).exists()  # left behind by the crash ...
    assert read_holder(one_document)["pid"] == child.pid
    with Project.open(one_document) as project:  # ... and ignored
        assert [s.text for s in project.spans(project.document_ids()[0])] == ["Anna"]


def test_lock_released_when_opening_fails(tmp_path: Path, project_path: Path) -> None:
    Project.create(project_path).close()
    with ProjectLock.acquire(project_path) as lock:
        assert lock.held
    assert not lock.held
    lock.release()  # twice is harmless
    # Ours by its header, so the lock is taken; refused after, for a trigger.
    foreign = tmp_path / "foreign.annotator"
    Project.create(foreign).close()
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TRIGGER sneaky AFTER INSERT ON labels BEGIN SELECT 1; END")
    conn.close()
    with pytest.raises(ProjectError, match="carries a trigger 'sneaky'"):
        Project.open(foreign)
    assert not lock_path(foreign).exists()
    assert not is_locked(foreign)


def test_a_garbled_lock_file_blocks_no_one(one_document: Path) -> None:
    lock_path(one_document).write_bytes(b"\x00\xff not json")
    assert read_holder(one_document) is None
    with Project.open(one_document), pytest.raises(ProjectLocked) as refused:
        Project.open(one_document)
    assert "open for editing elsewhere" in str(refused.value)
