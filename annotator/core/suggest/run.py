"""Filling a project's suggestion layers: what ``annotator suggest`` runs.

One run is one transaction: every document's suggestions are stored, or none.
Propagation over the whole project reads only the documents that the full-text
index says hold a seed (:func:`candidate_documents`); the other sources read
every document in scope. A project may carry its own hedge lexicon and spaCy
label mapping (kept in its settings), so a copy or a handout takes them along.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from annotator.core.layers import is_human, suggestion_layer
from annotator.core.suggest.hedges import (
    HedgeLexicon,
    default_lexicon,
    parse_lexicon,
    read_lexicon,
)
from annotator.core.suggest.model import SuggestError, Suggestion
from annotator.core.suggest.propagate import Propagator, candidate_documents
from annotator.core.suggest.quotes import suggest_quotes

if TYPE_CHECKING:
    from annotator.core.project import Project

LEXICON_KEY = "hedges"  # the project's own hedge lexicon, as text
SPACY_MAPPING_KEY = "spacy_mapping"  # JSON object: spaCy's entity label -> ours
RULE_SOURCES = ("propagate", "quotes", "hedges")


class Source(Protocol):
    def run(self, text: str) -> list[Suggestion]: ...


def parse_sources(value: str) -> list[str]:
    """``propagate,quotes,spacy:en_core_web_sm`` -> the names, checked, in order."""
    names = list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    if not names:
        raise SuggestError("name at least one source: propagate, quotes, hedges, spacy:NAME")
    for name in names:
        if name not in RULE_SOURCES and not (name.startswith("spacy:") and name[6:]):
            raise SuggestError(
                f"unknown source {name!r}: choose from propagate, quotes, hedges, spacy:NAME"
            )
    return names


# --- what a project carries ---------------------------------------------------------


def project_lexicon(project: Project) -> HedgeLexicon:
    """The project's own hedge lexicon, or else ``resources/hedges.txt``."""
    text = project.settings.get(LEXICON_KEY)
    if not text:
        return default_lexicon()
    return HedgeLexicon(parse_lexicon(text, f"{project.path} (its hedge lexicon)"))


def store_lexicon(project: Project, path: Path) -> int:
    """Keep the lexicon file's text in the project (after checking every line); how
    many entries it expands to."""
    entries = read_lexicon(path)
    project.settings.set(LEXICON_KEY, path.read_text(encoding="utf-8"))
    return len(entries)


def parse_mapping(value: str, labels: Iterable[str]) -> dict[str, str]:
    """``GPE=PLACE,PERSON=PERSON`` -> a mapping onto the project's ``labels``."""
    known = set(labels)
    mapping: dict[str, str] = {}
    for part in value.split(","):
        if not part.strip():
            continue
        theirs, sep, ours = part.partition("=")
        theirs, ours = theirs.strip(), ours.strip()
        if not sep or not theirs or not ours:
            raise SuggestError(f"cannot read {part.strip()!r}: write SPACY_LABEL=OUR_LABEL")
        if ours not in known:
            raise SuggestError(
                f"no label {ours!r} in this project (it has {', '.join(sorted(known))})"
            )
        mapping[theirs] = ours
    if not mapping:
        raise SuggestError("an empty mapping: write SPACY_LABEL=OUR_LABEL, comma separated")
    return mapping


def project_mapping(project: Project) -> dict[str, str] | None:
    """The project's spaCy label mapping, or None for the default one."""
    text = project.settings.get(SPACY_MAPPING_KEY)
    return dict(json.loads(text)) if text else None


def store_mapping(project: Project, mapping: Mapping[str, str]) -> None:
    project.settings.set(SPACY_MAPPING_KEY, json.dumps(dict(mapping), ensure_ascii=False))


# --- the run ------------------------------------------------------------------------


@dataclass
class RunReport:
    """What a run stored: new suggestions by (source, label), and documents read."""

    documents: int = 0
    added: Counter[tuple[str, str]] = field(default_factory=Counter)
    cleared: int = 0  # documents whose earlier suggestions --replace dropped, none new


class SuggestRun:
    """The sources of one run, ready (lexicon read, pipeline loaded), and the
    documents they will read; :meth:`fill` stores their proposals."""

    def __init__(
        self,
        project: Project,
        sources: Iterable[str],
        *,
        status: str | None = None,
        replace: bool = False,
    ) -> None:
        self.project = project
        self.replace = replace
        self.runners: dict[str, Source] = {}
        sources = list(sources)
        for name in sources:
            if name == "quotes":
                self.runners[name] = _Quotes()
            elif name == "hedges":
                self.runners[name] = project_lexicon(project)
            elif name.startswith("spacy:"):
                from annotator.core.suggest.spacy import SpacySource

                runner = SpacySource(name.removeprefix("spacy:"), mapping=project_mapping(project))
                self.runners[runner.source] = runner  # spacy:NAME, a folder by its own name
        scope = project.document_ids(status)
        self.candidates: set[int] = set()
        self.propagator: Propagator | None = None
        self.human = project.human_layers()
        if "propagate" in sources:
            seeds = _seeds(project)
            self.propagator = Propagator(seeds)
            if seeds:
                self.candidates = set(
                    candidate_documents(project.conn, dict.fromkeys(p for p, _ in seeds))
                )
        wanted = set(scope) if self.runners else set(self.candidates)
        if replace:  # documents whose earlier suggestions are to go, whatever is found now
            wanted |= _holding(project, [*self.runners, *(["propagate"] * bool(self.propagator))])
        in_scope = set(scope)
        self.document_ids = [i for i in scope if i in wanted and i in in_scope]

    def fill(self, document_ids: Iterable[int]) -> RunReport:
        """Run every source over ``document_ids`` and store what they propose, in one
        transaction (nothing is stored if any document fails)."""
        report = RunReport()
        project = self.project
        with project.store.transaction():
            for document_id in document_ids:
                text = project.document_text(document_id)
                report.documents += 1
                found: dict[str, list[Suggestion]] = {}
                if self.propagator is not None:
                    found["propagate"] = []
                    if document_id in self.candidates:
                        spans = project.spans(document_id, self.human)
                        found["propagate"] = self.propagator.run(
                            text, [(s.start, s.end, s.label) for s in spans]
                        )
                for name, runner in self.runners.items():
                    found[name] = runner.run(text)
                for name, suggestions in found.items():
                    self._store(document_id, name, suggestions, report)
        return report

    def _store(
        self, document_id: int, source: str, suggestions: list[Suggestion], report: RunReport
    ) -> None:
        by_label: dict[str, list[tuple[int, int, str]]] = {}
        for s in suggestions:
            by_label.setdefault(s.label, []).append((s.start, s.end, s.label))
        if not by_label:
            if self.replace and source in _sources_here(self.project, document_id):
                self.project.fill_suggestions(document_id, source, [], replace=True)
                report.cleared += 1
            return
        replace = self.replace
        for label, proposals in by_label.items():
            added = self.project.fill_suggestions(document_id, source, proposals, replace=replace)
            replace = False
            if added:
                report.added[(source, label)] += added


class _Quotes:
    def run(self, text: str) -> list[Suggestion]:
        return suggest_quotes(text)


def _seeds(project: Project) -> list[tuple[str, str]]:
    """Distinct (text, label) of every span people made (their layers and gold)."""
    rows = project.conn.execute(
        "SELECT DISTINCT s.text, l.name, y.name FROM spans s JOIN labels l ON l.id = s.label_id"
        " JOIN layers y ON y.id = s.layer_id"
    )
    return list(dict.fromkeys((text, label) for text, label, layer in rows if is_human(layer)))


def _holding(project: Project, sources: Iterable[str]) -> set[int]:
    """Documents that hold suggestions of any of ``sources``."""
    ids = project.layer_store.ids(suggestion_layer(s) for s in sources)
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    return {
        row[0]
        for row in project.conn.execute(
            f"SELECT DISTINCT document_id FROM spans WHERE layer_id IN ({marks})", ids
        )
    }


def _sources_here(project: Project, document_id: int) -> set[str]:
    return {
        name.removeprefix("suggest:")
        for (name,) in project.conn.execute(
            "SELECT DISTINCT y.name FROM spans s JOIN layers y ON y.id = s.layer_id"
            " WHERE s.document_id = ? AND y.name LIKE 'suggest:%'",
            (document_id,),
        )
    }
