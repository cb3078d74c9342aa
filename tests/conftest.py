"""Shared fixtures. Qt runs offscreen; settings and the data folder live in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ANNOTATOR_NAME"] = "tester"

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
