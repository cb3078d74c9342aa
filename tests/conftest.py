"""Shared fixtures. Qt runs offscreen; settings and the data folder live in tmp_path."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ANNOTATOR_NAME"] = "tester"

# The guard. For the whole run, the "real" user folders and the system temporary
# folder are fresh folders of their own: each test gets its own folders on top
# (_isolated_user_folders), so anything that lands in these came from a test that
# escaped its isolation (a monkeypatch.undo(), a subprocess, a hard-coded path) or
# left files behind. pytest_sessionfinish fails the run naming them. The user's
# real data folder is never reached, even by a test that escapes.
_RUN = Path(tempfile.mkdtemp(prefix="annotator-tests-"))
REAL_HOME = _RUN / "home"
RUN_TMP = _RUN / "tmp"
REAL_HOME.mkdir()
RUN_TMP.mkdir()
for _name, _value in {
    "ANNOTATOR_DATA_DIR": REAL_HOME / "data",
    "ANNOTATOR_CONFIG_DIR": REAL_HOME / "config",
    "XDG_DATA_HOME": REAL_HOME / "share",
    "XDG_CONFIG_HOME": REAL_HOME / "config",
    "TMPDIR": RUN_TMP,
}.items():
    os.environ[_name] = str(_value)
tempfile.tempdir = str(RUN_TMP)


def _left_behind() -> list[str]:
    """Files in the run's user folders, and what the temporary folder holds beyond
    pytest's own folders (its tmp_path folders, kept on purpose)."""
    written = [str(p) for p in REAL_HOME.rglob("*") if not p.is_dir()]
    left = [str(p) for p in RUN_TMP.iterdir() if not p.name.startswith("pytest-of-")]
    return written + left


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    found = _left_behind()
    if found:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        listing = "\n  ".join(found[:20])
        print(
            "\nFAILED (test isolation): written outside the tests' own folders, into the"
            f" user's folders or the temporary folder:\n  {listing}"
        )
    shutil.rmtree(_RUN, ignore_errors=True)


SAMPLE = Path(__file__).resolve().parents[1] / "projects" / "kim-train-to-russia.txt"


@pytest.fixture(autouse=True)
def _isolated_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user's settings or data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "study.annotator"


@pytest.fixture
def project(project_path: Path):
    from annotator.core import Project

    with Project.create(project_path) as created:
        yield created


@pytest.fixture
def sample_project(project_path: Path):
    """A project holding the sample article."""
    from annotator.core import Project
    from annotator.core.importing import read_documents

    with Project.create(project_path) as created:
        created.add_documents(read_documents([SAMPLE]))
        yield created
