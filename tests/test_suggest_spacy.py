"""``spacy:NAME``: a pipeline trained here, saved to a folder, its entities mapped to ours."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from annotator.core.suggest import SuggestError
from annotator.core.suggest.spacy import SpacySource, load_pipeline

PEOPLE = ["Maria Okafor", "Kwame Mensah", "Olga Petrov", "José Álvarez"]
PLACES = ["Lagos", "Kraków", "Seoul", "São Paulo"]
SITES = ["Khasan station", "Lisbon airport"]
ORGS = ["Reuters", "the Kremlin"]


def _examples(rng: random.Random, count: int) -> list[tuple[str, list[tuple[int, int, str]]]]:
    out = []
    for _ in range(count):
        person, place, site, org = (rng.choice(x) for x in (PEOPLE, PLACES, SITES, ORGS))
        parts = [(person, "PERSON"), (" travelled to ", None), (place, "GPE"), (" via ", None)]
        parts += [(site, "FAC"), (", ", None), (org, "ORG"), (" reported.", None)]
        text, ents, pos = "", [], 0
        for piece, label in parts:
            if label:
                ents.append((pos, pos + len(piece), label))
            text += piece
            pos += len(piece)
        out.append((text, ents))
    return out


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blank English pipeline with an NER component, trained a few rounds on synthetic news."""
    rng = random.Random(7)
    spacy.util.fix_random_seed(7)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    data = _examples(rng, 24)
    for label in ("PERSON", "GPE", "FAC", "ORG"):
        ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": e}) for t, e in data]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(15):
        rng.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=8):
            nlp.update(batch, sgd=optimizer, drop=0.0)
    folder = tmp_path_factory.mktemp("model") / "news_ner"
    nlp.to_disk(folder)
    return folder


def test_entities_of_a_saved_pipeline_become_our_labels(pipeline_dir: Path) -> None:
    source = SpacySource(pipeline_dir)
    assert source.source == "spacy:news_ner"
    text = "Olga Petrov travelled to Kraków via Khasan station, Reuters reported."
    found = source.run(text)
    # The pipeline's own entities, mapped: PERSON stays, GPE and FAC become PLACE,
    # ORG has no label of ours and is left out.
    own = [(e.start_char, e.end_char, e.label_) for e in spacy.load(pipeline_dir)(text).ents]
    mapping = {"PERSON": "PERSON", "GPE": "PLACE", "FAC": "PLACE"}
    assert [(s.start, s.end, s.label) for s in found] == [
        (start, end, mapping[label]) for start, end, label in own if label in mapping
    ]
    assert {(text[s.start : s.end], s.label) for s in found} == {
        ("Olga Petrov", "PERSON"),
        ("Kraków", "PLACE"),
        ("Khasan station", "PLACE"),
    }
    assert any(label == "ORG" for _, _, label in own)
    other = "Kwame Mensah travelled to Seoul via Lisbon airport, the Kremlin reported."
    many = list(source.run_many([text, other, text]))
    assert many == [found, source.run(other), found]
    assert many[1] != found


def test_the_mapping_can_be_set(pipeline_dir: Path) -> None:
    source = SpacySource(pipeline_dir, mapping={"ORG": "SOURCE", "GPE": "PLACE"})
    text = "Maria Okafor travelled to Lagos via Lisbon airport, Reuters reported."
    assert [(text[s.start : s.end], s.label) for s in source.run(text)] == [
        ("Lagos", "PLACE"),
        ("Reuters", "SOURCE"),
    ]


def test_nothing_is_downloaded_an_unknown_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SuggestError, match=r"no spaCy pipeline 'xx_no_such_model'.*pip install"):
        load_pipeline("xx_no_such_model")
    with pytest.raises(SuggestError, match=r"not a spaCy pipeline folder"):
        load_pipeline(tmp_path)


def test_without_spacy_one_line_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, pipeline_dir: Path
) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)  # import spacy now fails
    with pytest.raises(SuggestError) as raised:
        SpacySource(pipeline_dir)
    assert str(raised.value) == (
        "the spacy source needs spaCy, which is not installed: pip install 'annotator[spacy]'"
    )
