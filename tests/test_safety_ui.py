"""The window's safety dialogs: restore from backup, check project, backups while editing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.core import Project
from annotator.core.backup import Backups
from annotator.ui import safety


def _project(path: Path) -> Path:
    with Project.create(path) as project:
        project.add_document("Anna Berg spoke in Oslo.", name="doc1")
    return path


def _window(qtbot, path: Path):
    from annotator.app import create_window

    window = create_window(path)
    qtbot.addWidget(window)
    return window


def _spans(window) -> list[str]:
    return [s.text for s in window.project.spans(window.document_id, [window.project.annotator])]


def test_restore_from_backup_in_the_window(qtbot, project_path: Path, monkeypatch) -> None:
    window = _window(qtbot, _project(project_path))
    store = safety.start_backups(window)  # the backup on open, by a worker thread
    assert store is not None
    store.wait()
    assert len(store.list()) == 1
    window.select_range(0, 4)
    window.apply_label("PERSON")
    assert _spans(window) == ["Anna"]
    offered: list[int] = []

    def choose(_window, backups, _folder):
        offered.append(len(backups))
        return backups[-1]

    monkeypatch.setattr(safety, "ask_backup", choose)
    monkeypatch.setattr(safety, "ask_confirm_restore", lambda *args: True)
    assert safety.restore_from_backup(window) is True
    assert offered == [1]
    assert window.project is not None and not window.project.read_only
    assert _spans(window) == []  # back to the state on open
    assert "Restored" in window.statusBar().currentMessage()
    before = [b for b in Backups(project_path).list() if b.note == "before-restore"]
    assert len(before) == 1  # and the labelled state is kept
    with Project.open(before[0].path, read_only=True) as kept:
        assert [s.text for s in kept.spans(kept.document_ids()[0])] == ["Anna"]


def test_declining_the_restore_changes_nothing(qtbot, project_path: Path, monkeypatch) -> None:
    window = _window(qtbot, _project(project_path))
    Backups(project_path).take(window.project)
    window.select_range(0, 4)
    window.apply_label("PERSON")
    monkeypatch.setattr(safety, "ask_backup", lambda _w, backups, _f: backups[0])
    monkeypatch.setattr(safety, "ask_confirm_restore", lambda *args: False)
    assert safety.restore_from_backup(window) is False
    assert _spans(window) == ["Anna"]


def test_no_backups_yet_is_said_plainly(qtbot, project_path: Path, monkeypatch) -> None:
    window = _window(qtbot, _project(project_path))
    shown: list[str] = []
    monkeypatch.setattr(safety, "show_message", lambda _w, _t, text, **_k: shown.append(text))
    assert safety.restore_from_backup(window) is False
    assert shown and "no backups" in shown[0]


def test_check_project_reports_problems(qtbot, project_path: Path, monkeypatch) -> None:
    window = _window(qtbot, _project(project_path))
    shown: list[str] = []
    monkeypatch.setattr(safety, "show_message", lambda _w, _t, text, **_k: shown.append(text))
    assert safety.check_project(window) == []
    assert "no problems" in shown[-1]
    window.select_range(0, 4)
    window.apply_label("PERSON")
    raw = sqlite3.connect(project_path)
    raw.execute("UPDATE spans SET text = 'Zed'")
    raw.commit()
    raw.close()
    problems = safety.check_project(window)
    assert len(problems) == 1 and "says 'Zed'" in shown[-1]


def test_the_window_backs_up_on_open_and_offers_restore_and_check(
    qtbot, project_path: Path
) -> None:
    from ui_helpers import open_window

    from annotator.core.backup import Backups

    window = open_window(qtbot, _project(project_path))
    qtbot.waitUntil(lambda: len(Backups(project_path).list()) == 1)
    file_items = [a.text() for a in window.menus.file_menu.actions()]
    help_items = [a.text() for a in window.menus.help_menu.actions()]
    assert "Restore from &backup…" in file_items
    assert "&Check project" in help_items


def test_the_first_backup_is_copied_by_a_worker_with_its_own_connection(
    qtbot, project_path: Path, monkeypatch
) -> None:
    import threading

    from annotator.core import backup

    copied_by: list[tuple[str, object]] = []
    real_take = Backups.take

    def take(self, source, **options):
        copied_by.append((threading.current_thread().name, source))
        return real_take(self, source, **options)

    monkeypatch.setattr(Backups, "take", take)
    monkeypatch.setattr(backup, "STEP_PAGES", 1)  # many steps, as for a large project
    window = _window(qtbot, _project(project_path))
    store = safety.start_backups(window)
    assert store is not None
    store.wait()
    [(thread, source)] = copied_by
    assert thread == "annotator-backup" and thread != threading.main_thread().name
    assert source == store.project_path  # a path: the worker opens its own connection
    [made] = store.list()
    backup.verify_backup(made.path)
    with Project.open(made.path, read_only=True) as copy:
        assert copy.stats()["documents"] == 1


def test_closing_the_window_stops_a_running_backup_and_leaves_no_part(
    qtbot, project_path: Path, monkeypatch
) -> None:
    from annotator.core import backup

    started = []
    real_stopper = backup._stopper

    def stopper(stop):
        started.append(1)
        stop.set()  # as if the window closed during the first step
        return real_stopper(stop)

    monkeypatch.setattr(backup, "_stopper", stopper)
    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    window = _window(qtbot, _project(project_path))
    store = safety.start_backups(window)
    assert store is not None
    store.wait()
    assert started == [1]
    assert store.list() == []
    assert [p.name for p in store.folder.iterdir() if p.name.endswith(".partial")] == []
    store.note_closed(window.project)  # not recorded as backed up: the next open copies
    assert not (store.folder / "state.json").exists()
