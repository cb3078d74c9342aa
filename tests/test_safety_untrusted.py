"""Project files from colleagues are untrusted: refused files are left exactly as they were."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core import Project, ProjectError
from annotator.core.schema import APPLICATION_ID, SCHEMA_VERSION


def _project_with_documents(path: Path, count: int = 40) -> Path:
    with Project.create(path) as project:
        for i in range(count):
            document = project.add_document(f"Article {i}: Anna Berg spoke in Oslo. " * 30)
            assert document is not None
            project.add_span(document.id, 0, 7, "PERSON")
    return path


def _raw(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def with_trigger(path: Path) -> str:
    _project_with_documents(path)
    _raw(
        path,
        "CREATE TRIGGER wipe AFTER INSERT ON spans BEGIN DELETE FROM documents; END",
    )
    return "trigger 'wipe'"


def with_view(path: Path) -> str:
    _project_with_documents(path)
    _raw(path, "CREATE VIEW everything AS SELECT * FROM documents")
    return "view 'everything'"


def with_corrupted_page(path: Path) -> str:
    _project_with_documents(path)
    _corrupt(path)
    return "damaged"


def _corrupt(path: Path) -> None:
    """Scramble the spans table's root page (which holds cells), keeping the file's size."""
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'spans'").fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    assert len(data) > root * page
    start = (root - 1) * page
    for offset in range(start + 8, start + page, 7):
        data[offset] = (data[offset] * 31 + 17) % 256
    path.write_bytes(bytes(data))


def with_our_header_but_other_tables(path: Path) -> str:
    _raw(
        path,
        f"PRAGMA application_id = {APPLICATION_ID}",
        f"PRAGMA user_version = {SCHEMA_VERSION}",
        "CREATE TABLE documents (x)",
        "CREATE TABLE labels (name)",
    )
    return "not a sound annotator project"


def with_truncated_file(path: Path) -> str:
    _project_with_documents(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return "damaged"


MAKERS: list[Callable[[Path], str]] = [
    with_trigger,
    with_view,
    with_corrupted_page,
    with_our_header_but_other_tables,
    with_truncated_file,
]


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("read_only", [False, True], ids=["edit", "read-only"])
def test_untrusted_file_is_refused_and_left_byte_for_byte(
    tmp_path: Path, make: Callable[[Path], str], read_only: bool
) -> None:
    path = tmp_path / "from-a-colleague.annotator"
    reason = make(path)
    before = path.read_bytes()
    with pytest.raises(ProjectError, match=reason) as refused:
        Project.open(path, read_only=read_only)
    assert str(path) in str(refused.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no -wal, -shm, lock


def test_corruption_is_found_by_check_even_when_opening_skips_verification(
    tmp_path: Path,
) -> None:
    from annotator.core.check import check_file

    path = tmp_path / "damaged.annotator"
    with_corrupted_page(path)
    problems = check_file(path)
    assert problems and all(p.where == "file" for p in problems)


def test_schema_functions_do_not_run(tmp_path: Path) -> None:
    """trusted_schema=OFF, the second line of defence behind refusing triggers and
    views: even one slipped into a file after the open checks runs no function."""
    path = tmp_path / "sneaky.annotator"
    Project.create(path).close()
    calls: list[object] = []
    with Project.open(path) as project:
        assert project.conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        project.conn.create_function("spy", 1, lambda value: calls.append(value) or 1)
        sneak = sqlite3.connect(path)
        sneak.create_function("spy", 1, lambda value: 1)
        sneak.execute("CREATE VIEW peek AS SELECT spy(name) FROM labels")
        sneak.execute(
            "CREATE TRIGGER tap AFTER INSERT ON documents BEGIN SELECT spy(new.text); END"
        )
        sneak.commit()
        sneak.close()
        with pytest.raises(sqlite3.OperationalError, match="unsafe use of spy"):
            project.conn.execute("SELECT * FROM peek").fetchall()
        with pytest.raises(sqlite3.OperationalError, match="unsafe use of spy"):
            project.add_document("Anna Berg spoke.")
        assert project.count_documents() == 0
    assert calls == []
    with pytest.raises(ProjectError, match=r"trigger 'tap'|view 'peek'"):
        Project.open(path)


def test_open_skips_quick_check_only_for_a_file_exactly_as_we_closed_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.core import project as project_module
    from annotator.core.check import known_sound

    path = _project_with_documents(tmp_path / "mine.annotator")
    assert known_sound(path)  # closed cleanly by us
    checks: list[Path] = []
    real = project_module._quick_check
    monkeypatch.setattr(project_module, "_quick_check", lambda p, c: (checks.append(p), real(p, c)))
    Project.open(path, read_only=True).close()
    assert checks == []
    copy = tmp_path / "copy.annotator"
    copy.write_bytes(path.read_bytes())  # a copy (another inode) is checked
    Project.open(copy).close()
    assert checks == [copy]
    _corrupt(path)  # a change in place, same size
    assert not known_sound(path)
    with pytest.raises(ProjectError, match="damaged"):
        Project.open(path)
    assert checks[-1] == path


def test_a_file_opened_without_the_check_is_not_sealed_as_sound(tmp_path: Path) -> None:
    from annotator.core.check import known_sound

    path = _project_with_documents(tmp_path / "unchecked.annotator", count=2)
    copy = tmp_path / "copy.annotator"
    copy.write_bytes(path.read_bytes())
    Project.open(copy, verify=False).close()
    assert not known_sound(copy)
    Project.open(copy).close()
    assert known_sound(copy)
