"""Backups: consistent, timed, rotated, restorable; and `annotator check`."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core import Project, ProjectError, ProjectLocked
from annotator.core.backup import Backup, BackupPolicy, Backups, keep_set, user_data_dir
from annotator.core.check import check_file


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _spans(path: Path) -> list[str]:
    with Project.open(path, read_only=True) as project:
        return [s.text for d in project.document_ids() for s in project.spans(d)]


def test_backups_live_in_the_user_data_folder(project_path: Path, tmp_path: Path) -> None:
    assert user_data_dir() == Path(os.environ["ANNOTATOR_DATA_DIR"])
    store = Backups(project_path)
    assert store.folder.parent == user_data_dir() / "backups"
    assert store.folder.name.startswith("study-")
    other = Backups(tmp_path / "elsewhere" / "study.annotator")
    assert other.folder != store.folder  # same name, other folder: other backups


def test_xdg_data_home_is_used_without_the_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANNOTATOR_DATA_DIR")
    assert user_data_dir() == Path(os.environ["XDG_DATA_HOME"]) / "annotator"


def test_backup_on_open_then_every_interval_only_when_edited(sample_project: Project) -> None:
    clock = Clock()
    store = Backups(sample_project.path, clock=clock)
    document = sample_project.document_ids()[0]
    first = store.maybe_backup(sample_project)  # on open
    assert first is not None and first.exists()
    sample_project.add_span(document, 0, 4, "PERSON")
    assert store.maybe_backup(sample_project) is None  # edited, but too soon
    clock.now += 29 * 60
    assert store.maybe_backup(sample_project) is None
    clock.now += 2 * 60
    second = store.maybe_backup(sample_project)
    assert second is not None
    clock.now += 3 * 3600
    assert store.maybe_backup(sample_project) is None  # nothing changed since
    assert len(store.list()) == 2
    # The backup is a sound project on its own: no WAL beside it, the edit in it.
    assert not Path(f"{second}-wal").exists()
    assert check_file(second) == []
    assert len(_spans(second)) == 1 and _spans(first) == []


def test_reopening_an_unchanged_project_takes_no_backup(project_path: Path) -> None:
    with Project.create(project_path) as project:
        project.add_document("Anna Berg spoke in Oslo.")
    store = Backups(project_path)
    with Project.open(project_path) as project:
        assert store.maybe_backup(project) is not None
    store.note_closed(project)
    again = Backups(project_path)
    with Project.open(project_path) as project:
        assert again.maybe_backup(project) is None
    with Project.open(project_path) as project:
        project.add_span(project.document_ids()[0], 0, 4, "PERSON")
    with Project.open(project_path) as project:
        assert Backups(project_path).maybe_backup(project) is not None


def test_rotation_keeps_last_ten_then_daily_then_weekly(tmp_path: Path) -> None:
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    backups = [Backup(tmp_path / f"b{i}", now - timedelta(hours=3 * i), 1) for i in range(24 * 20)]
    kept = keep_set(backups, now, BackupPolicy())
    newest_first = sorted(backups, key=lambda b: b.taken, reverse=True)
    assert {b.path for b in newest_first[:10]} <= kept
    older = [b for b in newest_first[10:] if b.path in kept]
    daily = [b for b in older if now - b.taken < timedelta(days=7)]
    weekly = [b for b in older if now - b.taken >= timedelta(days=7)]
    days_with_backups = {b.taken.date() for b in backups if now - b.taken < timedelta(days=7)}
    assert {b.taken.date() for b in daily} | {b.taken.date() for b in newest_first[:10]} == (
        days_with_backups
    )
    assert len({b.taken.date() for b in daily}) == len(daily)  # one a day
    assert len({b.taken.isocalendar()[:2] for b in weekly}) == len(weekly)  # one a week
    assert 3 <= len(weekly) <= 5
    assert all(now - b.taken < timedelta(weeks=5) for b in older)


def test_rotation_deletes_files_on_disk(sample_project: Project) -> None:
    store = Backups(sample_project.path)
    now = datetime.now(UTC)
    for days in range(60):
        store.take(sample_project, when=now - timedelta(days=days, minutes=1))
    names = {b.path.name for b in store.list()}
    assert 10 <= len(names) <= 22
    oldest = min(b.taken for b in store.list())
    assert now - oldest < timedelta(weeks=5)
    assert not list(store.folder.glob(".*partial"))


def test_restore_keeps_the_current_file_and_refuses_while_open(project_path: Path) -> None:
    with Project.create(project_path) as project:
        document = project.add_document("Anna Berg spoke in Oslo.")
        assert document is not None
        store = Backups(project_path)
        store.take(project)
        project.add_span(document.id, 0, 4, "PERSON")
        with pytest.raises(ProjectLocked):
            store.restore(store.find("latest"))
    assert _spans(project_path) == ["Anna"]
    kept = store.restore(store.find("1"))
    assert _spans(project_path) == []
    assert kept is not None and _spans(kept) == ["Anna"]
    assert not Path(f"{project_path}-wal").exists()
    with Project.open(project_path) as project:  # editable again
        project.add_span(project.document_ids()[0], 9, 13, "PERSON")


def test_restore_refuses_a_file_that_is_not_a_sound_project(project_path: Path) -> None:
    Project.create(project_path).close()
    bogus = project_path.with_name("bogus.annotator")
    bogus.write_bytes(b"not a database at all" * 10)
    before = project_path.read_bytes()
    with pytest.raises(ProjectError, match="not an annotator project"):
        Backups(project_path).restore(bogus)
    assert project_path.read_bytes() == before
    with pytest.raises(ProjectError, match="no backup number 3"):
        Backups(project_path).find("3")


def test_cli_backups_restore_and_check(sample_project: Project) -> None:
    path = sample_project.path
    document = sample_project.document_ids()[0]
    sample_project.add_span(document, 0, 4, "PERSON")
    runner = CliRunner()
    result = runner.invoke(cli, ["backups", str(path), "--now"])  # while open: reading is fine
    assert result.exit_code == 0, result.output
    assert "   1  " in result.output
    result = runner.invoke(cli, ["restore", str(path), "1"])
    assert result.exit_code == 1 and "open for editing elsewhere" in result.output
    sample_project.close()
    result = runner.invoke(cli, ["restore", str(path), "latest"])
    assert result.exit_code == 0, result.output
    assert "kept as" in result.output
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 0 and "no problems found" in result.output


def test_check_reports_each_broken_promise(sample_project: Project) -> None:
    path = sample_project.path
    document = sample_project.document_ids()[0]
    a = sample_project.add_span(document, 0, 4, "PERSON")
    b = sample_project.add_span(document, 5, 10, "PLACE")
    sample_project.add_relation(a.id, b.id, "located-in")
    sample_project.close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("UPDATE spans SET text = 'Zed' WHERE id = ?", (a.id,))
    raw.execute('UPDATE spans SET "end" = 10000000 WHERE id = ?', (b.id,))
    raw.execute("UPDATE spans SET label_id = 999 WHERE id = ?", (b.id,))
    raw.execute("INSERT INTO relations (head_id, child_id, label) VALUES (?, 777, 'x')", (a.id,))
    raw.commit()
    raw.close()
    problems = [str(p) for p in check_file(path)]
    text = "\n".join(problems)
    assert f"span {a.id}" in text and "says 'Zed'" in text
    assert "outside the text" in text
    assert "label id 999" in text
    assert "child span 777 does not exist" in text
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_check_names_a_file_that_is_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / "notes.annotator"
    path.write_text("hello")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1 and "not an annotator project" in result.output


def test_a_deleted_project_comes_back_from_its_backups(sample_project: Project) -> None:
    path = sample_project.path
    sample_project.add_span(sample_project.document_ids()[0], 0, 4, "PERSON")
    Backups(path).take(sample_project)
    sample_project.close()
    path.unlink()
    result = CliRunner().invoke(cli, ["restore", str(path), "latest"])
    assert result.exit_code == 0, result.output
    assert "kept as" not in result.output  # there was nothing to keep
    assert len(_spans(path)) == 1
