"""Bad input, everywhere: each file either imports or is refused with a clear message
naming it (and the line), never a traceback, a hang, a write outside its folder,
or half an import."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core import Project

Maker = Callable[[Path], Path]
GOOD_LINE = orjson.dumps({"text": "Anna Berg spoke in Oslo."}) + b"\n"


def zero_byte_text(folder: Path) -> Path:
    (path := folder / "empty.txt").write_bytes(b"")
    return path


def white_space_only(folder: Path) -> Path:
    (path := folder / "blank.md").write_bytes(b"\xef\xbb\xbf \r\n\t\n")
    return path


def binary_with_nul(folder: Path) -> Path:
    (path := folder / "photo.txt").write_bytes(bytes(range(256)) * 64)
    return path


def binary_without_nul(folder: Path) -> Path:
    (path := folder / "latin1.txt").write_bytes("line one\ncaf\xe9 au lait\n".encode("latin-1"))
    return path


def unknown_extension(folder: Path) -> Path:
    (path := folder / "article.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    return path


def article_of_100_mb(folder: Path) -> Path:
    path = folder / "huge.txt"
    with open(path, "wb") as handle:
        chunk = b"Anna Berg spoke in Oslo about the train. " * 25_000  # ~1 MB
        for _ in range(100):
            handle.write(chunk)
    return path


def jsonl_line_of_50_mb(folder: Path) -> Path:
    path = folder / "big.jsonl"
    text = "Anna Berg spoke in Oslo. " * (2 * 1024 * 1024)
    path.write_bytes(GOOD_LINE + orjson.dumps({"text": text}) + b"\n")
    return path


def jsonl_of_70_mb_without_a_newline(folder: Path) -> Path:
    path = folder / "endless.jsonl"
    with open(path, "wb") as handle:
        handle.write(b'{"text": "')
        for _ in range(70):
            handle.write(b"a" * (1 << 20))
    return path


def deeply_nested_json(folder: Path) -> Path:
    path = folder / "nested.jsonl"
    nested = b"[" * 100_000 + b"]" * 100_000
    path.write_bytes(GOOD_LINE + b'{"text": "x", "meta": ' + nested + b"}\n")
    return path


def nul_in_json_text(folder: Path) -> Path:
    path = folder / "nul.jsonl"
    path.write_bytes(GOOD_LINE + b'{"text": "Anna\\u0000Berg"}\n')
    return path


def lone_surrogate_in_json(folder: Path) -> Path:
    path = folder / "surrogate.jsonl"
    path.write_bytes(GOOD_LINE + b'{"text": "Anna \\ud800 Berg"}\n')
    return path


def lone_low_surrogate_in_a_label(folder: Path) -> Path:
    path = folder / "label.jsonl"
    path.write_bytes(
        GOOD_LINE
        + b'{"text": "Anna Berg", "spans": [{"start": 0, "end": 4, "label": "\\udc00"}]}\n'
    )
    return path


def invalid_utf8_in_jsonl(folder: Path) -> Path:
    path = folder / "bytes.jsonl"
    path.write_bytes(GOOD_LINE + b'{"text": "caf\xe9"}\n')
    return path


def json_that_is_not_an_object(folder: Path) -> Path:
    path = folder / "list.jsonl"
    path.write_bytes(GOOD_LINE + b'["text", "Anna"]\n')
    return path


def huge_offsets(folder: Path) -> Path:
    path = folder / "offsets.jsonl"
    path.write_bytes(
        GOOD_LINE
        + b'{"text": "Anna", "spans": [{"start": 0, "end": 99999999999999999999, "label": "X"}]}\n'
    )
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def zip_that_expands_far_beyond_its_size(folder: Path) -> Path:
    return _zip(folder / "bomb.zip", {"a.txt": b"Anna Berg. ", "b.txt": b"\x20" * (64 << 20)})


def zip_climbing_out_of_its_folder(folder: Path) -> Path:
    return _zip(folder / "climb.zip", {"a.txt": b"Anna Berg.", "../../evil.txt": b"gotcha"})


def zip_with_an_absolute_path(folder: Path) -> Path:
    return _zip(folder / "absolute.zip", {"a.txt": b"Anna Berg.", "/tmp/evil.txt": b"gotcha"})


def zip_that_is_not_a_zip(folder: Path) -> Path:
    (path := folder / "fake.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    return path


def folder_that_contains_itself(folder: Path) -> Path:
    inner = folder / "articles"
    inner.mkdir()
    (inner / "a.txt").write_text("Anna Berg spoke in Oslo.")
    os.symlink(inner, inner / "loop")
    return inner


# name -> (maker, fragments the refusal must carry; None = it must import)
CASES: dict[str, tuple[Maker, tuple[str, ...] | None]] = {
    "zero-byte file": (zero_byte_text, ("empty.txt", "no text")),
    "white space only": (white_space_only, ("blank.md", "no text")),
    "binary with NUL bytes": (binary_with_nul, ("photo.txt", "NUL")),
    "binary, not UTF-8": (binary_without_nul, ("latin1.txt, line 2", "not UTF-8")),
    "unknown extension": (unknown_extension, ("article.docx",)),
    "a 100 MB article": (article_of_100_mb, ("huge.txt", "MiB", "split")),
    "a 50 MB JSONL line": (jsonl_line_of_50_mb, ("big.jsonl, line 2", "characters")),
    "70 MB with no newline": (jsonl_of_70_mb_without_a_newline, ("endless.jsonl", "line 1")),
    "deeply nested JSON": (deeply_nested_json, ("nested.jsonl, line 2", "depth")),
    "NUL in JSON text": (nul_in_json_text, ("nul.jsonl, line 2", "NUL")),
    "lone surrogate": (lone_surrogate_in_json, ("surrogate.jsonl, line 2", "surrogate")),
    "lone surrogate label": (lone_low_surrogate_in_a_label, ("label.jsonl, line 2",)),
    "invalid UTF-8 in JSONL": (invalid_utf8_in_jsonl, ("bytes.jsonl, line 2", "UTF-8")),
    "JSON not an object": (json_that_is_not_an_object, ("list.jsonl, line 2",)),
    "huge offsets": (huge_offsets, ("offsets.jsonl, line 2",)),
    "zip bomb": (zip_that_expands_far_beyond_its_size, ("bomb.zip", "refused")),
    "zip with ../": (zip_climbing_out_of_its_folder, ("climb.zip", "outside")),
    "zip with /absolute": (zip_with_an_absolute_path, ("absolute.zip", "outside")),
    "not a zip": (zip_that_is_not_a_zip, ("fake.zip", "zip")),
    "folder containing itself": (folder_that_contains_itself, None),
}


def _snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_symlink()}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_imported_or_refused_clearly(tmp_path: Path, case: str) -> None:
    make, refusal = CASES[case]
    project_path = tmp_path / "work" / "study.annotator"
    project_path.parent.mkdir()
    Project.create(project_path).close()
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    source = make(inputs)
    before_tree = _snapshot(tmp_path)
    with Project.open(project_path, read_only=True) as project:
        labels_before = [label.name for label in project.labels]

    result = CliRunner().invoke(cli, ["add", str(project_path), str(source)])

    output = result.output
    assert "Traceback" not in output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    # Nothing written anywhere but the project's own files.
    written = _snapshot(tmp_path) - before_tree
    assert written <= {"work/study.annotator-wal", "work/study.annotator-shm"}, written
    assert not (tmp_path.parent / "evil.txt").exists()
    with Project.open(project_path, read_only=True) as project:
        documents = project.count_documents()
        if refusal is None:
            assert result.exit_code == 0, output
            assert documents >= 1
            return
        assert result.exit_code != 0, output
        assert documents == 0  # all or nothing: not even the good first line
        assert [label.name for label in project.labels] == labels_before
    message = output.strip().splitlines()[-1]
    assert message.startswith("Error: ")
    for fragment in refusal:
        assert fragment in message, message
    assert len(message) < 400


def test_a_project_path_that_is_no_project_is_refused_by_every_command(tmp_path: Path) -> None:
    runner = CliRunner()
    binary = tmp_path / "photo.annotator"
    binary.write_bytes(bytes(range(256)))
    empty = tmp_path / "empty.annotator"
    empty.write_bytes(b"")
    for path in (binary, empty):
        before = path.read_bytes()
        for args in (
            ["add", str(path), str(path)],
            ["export", str(path), "-o", "-"],
            ["stats", str(path)],
            ["list", str(path)],
            ["check", str(path)],
            ["backups", str(path), "--now"],
        ):
            result = runner.invoke(cli, args)
            assert result.exit_code == 1, (args, result.output)
            assert "Traceback" not in result.output
            assert str(path) in result.output
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.annotator", "photo.annotator"]


def test_restoring_a_binary_file_as_a_backup_is_refused(project_path: Path) -> None:
    Project.create(project_path).close()
    before = project_path.read_bytes()
    fake = project_path.with_name("fake-backup.annotator")
    fake.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    result = CliRunner().invoke(cli, ["restore", str(project_path), str(fake)])
    assert result.exit_code == 1 and "fake-backup.annotator" in result.output
    assert project_path.read_bytes() == before


def test_zip_member_names_never_become_paths_on_disk(tmp_path: Path) -> None:
    """Reading a zip unpacks nothing to disk: names are only labels for messages."""
    from annotator.core.formats import brat

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("docs/a.txt", "Anna Berg spoke.")
        archive.writestr("docs/a.ann", "T1\tPERSON 0 9\tAnna Berg\n")
    path = tmp_path / "corpus.zip"
    path.write_bytes(buffer.getvalue())
    before = _snapshot(tmp_path)
    documents = list(brat.read(path))
    assert [d.spans[0]["label"] for d in documents] == ["PERSON"]
    assert _snapshot(tmp_path) == before
