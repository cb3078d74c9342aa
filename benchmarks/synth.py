"""Synthetic news for the benchmarks: seeded, so every run measures the same data.

Articles are made of sentences about people and places, with quotes and
hedges. Every mention is a candidate span (PERSON, PLACE, QUOTE, HEDGE); a
quote may hold a person or a place, which gives nested spans.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

FIRST = [
    "Maria",
    "Anna",
    "Kwame",
    "Li",
    "Wei",
    "Olga",
    "Pedro",
    "Aiko",
    "Fatima",
    "Jonas",
    "Ingrid",
    "Rahul",
    "Sofia",
    "Tomasz",
    "Amara",
    "Yusuf",
    "Elena",
    "Hiroshi",
    "Nadia",
    "Carlos",
    "Mei",
    "Ibrahim",
    "Greta",
    "Dmitri",
    "Leila",
    "Samuel",
    "Chloe",
    "Arjun",
    "Zainab",
    "Mateo",
    "Hana",
    "Viktor",
    "Amina",
    "Lucas",
    "Priya",
    "Felix",
    "Ayesha",
    "Oskar",
    "Naledi",
    "Diego",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Novak",
    "Haddad",
    "Petrov",
    "Mensah",
    "Kowalski",
    "Ferreira",
    "Nakamura",
    "Rossi",
    "Abara",
    "Jensen",
    "Castillo",
    "Ivanova",
    "Chen",
    "Dubois",
    "Osei",
    "Sato",
    "Kaur",
    "Bauer",
    "Silva",
    "Yilmaz",
    "Andersson",
    "Mbeki",
    "Horvat",
    "Romero",
    "Park",
    "Schmidt",
    "Nguyen",
    "Costa",
    "Alvarez",
    "Kimura",
    "Laine",
    "Ahmed",
    "Brennan",
    "Vargas",
    "Kovacs",
    "Takahashi",
]
PLACES = [
    "Vladivostok",
    "Pyongyang",
    "Seoul",
    "Lagos",
    "Lisbon",
    "Nairobi",
    "Krakow",
    "Osaka",
    "Montevideo",
    "Tbilisi",
    "Accra",
    "Helsinki",
    "Cartagena",
    "Da Nang",
    "Marseille",
    "Kraków Old Town",
    "Primorsky",
    "Rotterdam",
    "Cape Town",
    "Kyiv",
    "Busan",
    "Valparaíso",
    "Antwerp",
    "Izmir",
    "Dakar",
    "Tromsø",
    "São Paulo",
    "Hanoi",
]
TITLES = ("President", "Minister", "Dr", "General", "Senator", "Mayor", "Ambassador", "")
HEDGES = (
    "reportedly",
    "allegedly",
    "is believed to have",
    "according to people familiar with the matter",
    "it is understood that",
    "may have",
    "appears to have",
    "sources suggest that",
)
VERBS = ("travelled to", "arrived in", "left", "met officials in", "spoke in", "returned to")
SAID = ("said", "told reporters", "stated", "added", "insisted", "wrote")
FILLER = (
    "The talks lasted well into the evening.",
    "Officials declined to comment on the details.",
    "Markets were little changed on Tuesday.",
    "The statement gave no timetable.",
    "Photographs showed crowds along the route.",
    "Further meetings are expected next week.",
    "The ministry did not respond to requests for comment.",
)
QUOTE_WORDS = [
    "we",
    "will",
    "not",
    "accept",
    "any",
    "delay",
    "and",
    "the",
    "people",
    "of",
    "{place}",
    "deserve",
    "better",
    "than",
    "this",
    "the",
    "agreement",
    "is",
    "a",
    "first",
    "step",
    "and",
    "{person}",
    "has",
    "our",
    "full",
    "support",
    "for",
    "what",
    "comes",
    "next",
]


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    label: str
    parent: int | None = None  # index of the quote that holds it


def _cumulative(count: int, skew: float = 1.1) -> list[float]:
    # A few names are common, most are rare: like news.
    total, out = 0.0, []
    for i in range(count):
        total += 1 / (i + 1) ** skew
        out.append(total)
    return out


_FIRST_CUM = _cumulative(len(FIRST))
_LAST_CUM = _cumulative(len(LAST))


def person(rng: random.Random) -> str:
    first = FIRST[bisect.bisect(_FIRST_CUM, rng.random() * _FIRST_CUM[-1])]
    last = LAST[bisect.bisect(_LAST_CUM, rng.random() * _LAST_CUM[-1])]
    return f"{first} {last}"


def common_names(count: int = 5) -> list[str]:
    """Names to search for: from the most common to rarer ones."""
    picks = [(0, 0), (1, 0), (0, 3), (4, 7), (10, 20)]
    return [f"{FIRST[a]} {LAST[b]}" for a, b in picks[:count]]


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.mentions: list[Mention] = []

    def put(self, text: str, label: str | None = None, parent: int | None = None) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        if label:
            self.mentions.append(Mention(start, self.length, label, parent))
            return len(self.mentions) - 1
        return -1

    def text(self) -> str:
        return "".join(self.parts)


def _sentence(rng: random.Random, out: _Writer) -> None:
    kind = rng.random()
    if kind < 0.35:
        title = rng.choice(TITLES)
        if title:
            out.put(title + " ")
        out.put(person(rng), "PERSON")
        out.put(" ")
        if rng.random() < 0.5:
            out.put(rng.choice(HEDGES), "HEDGE")
            out.put(" ")
        out.put(rng.choice(VERBS) + " ")
        out.put(rng.choice(PLACES), "PLACE")
        out.put(" on " + rng.choice(("Monday", "Tuesday", "Friday", "the weekend")) + ". ")
    elif kind < 0.75:
        # "…", PERSON said, with a person or place inside the quote.
        quote_start = out.length
        out.put("\u201c")
        first = rng.randrange(len(QUOTE_WORDS) - 14)
        words = QUOTE_WORDS[first : first + rng.randint(6, 14)]
        pending: list[tuple[int, int, str]] = []
        for i, word in enumerate(words):
            if i:
                out.put(" ")
            if word == "{place}":
                s = out.length
                out.put(rng.choice(PLACES))
                pending.append((s, out.length, "PLACE"))
            elif word == "{person}":
                s = out.length
                out.put(person(rng))
                pending.append((s, out.length, "PERSON"))
            else:
                out.put(word)
        out.put("\u201d")
        out.mentions.append(Mention(quote_start, out.length, "QUOTE"))
        parent = len(out.mentions) - 1
        for s, e, label in pending:
            out.mentions.append(Mention(s, e, label, parent))
        out.put(", ")
        out.put(person(rng), "PERSON")
        out.put(f" {rng.choice(SAID)}. ")
    elif kind < 0.9:
        out.put("Officials in ")
        out.put(rng.choice(PLACES), "PLACE")
        out.put(" ")
        out.put(rng.choice(HEDGES), "HEDGE")
        out.put(" met ")
        out.put(person(rng), "PERSON")
        out.put(". ")
    else:
        out.put(rng.choice(FILLER) + " ")
    if rng.random() < 0.12:
        out.put("\n\n")


def article(
    rng: random.Random, chars: int, spans: int, nested: float = 0.1
) -> tuple[str, list[dict[str, object]]]:
    """About ``chars`` characters with ``spans`` spans, ``nested`` of them inside a quote."""
    out = _Writer()
    while True:
        _sentence(rng, out)
        if out.length >= chars:
            top = [i for i, m in enumerate(out.mentions) if m.parent is None]
            inner = [i for i, m in enumerate(out.mentions) if m.parent is not None]
            want_inner = min(round(spans * nested), len(inner))
            if len(top) + want_inner >= spans:
                break
    chosen_inner = rng.sample(inner, want_inner)
    need = {out.mentions[i].parent for i in chosen_inner}
    others = [i for i in top if i not in need]
    fill = spans - want_inner - len(need)
    chosen = list(need) + rng.sample(others, max(0, min(fill, len(others)))) + chosen_inner
    text = out.text()
    picked = sorted((out.mentions[i] for i in chosen), key=lambda m: (m.start, -m.end))
    return text, [
        {"start": m.start, "end": m.end, "label": m.label, "text": text[m.start : m.end]}
        for m in picked
    ]


def long_article(
    seed: int = 1, chars: int = 1_000_000, spans: int = 10_000
) -> tuple[str, list[dict]]:
    """The "long article" of the window figures: 1 MB, 10,000 spans, 10% nested."""
    return article(random.Random(seed), chars, spans)


def records(
    seed: int, documents: int, spans_per_document: int = 10, chars: int = 700
) -> Iterator[dict]:
    """JSONL records of a project: ``documents`` articles, ``spans_per_document`` spans each."""
    rng = random.Random(seed)
    for n in range(documents):
        size = int(chars * rng.uniform(0.6, 1.4))
        text, spans = article(rng, size, spans_per_document)
        yield {
            "name": f"Article {n + 1}",
            "text": text,
            "meta": {"source": "Synthetic Wire", "date": f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}"},
            "spans": spans,
        }


def write_jsonl(path: Path, seed: int, documents: int, spans_per_document: int = 10) -> int:
    """Write the project's records to ``path``; returns the number of spans."""
    count = 0
    with open(path, "wb") as handle:
        for record in records(seed, documents, spans_per_document):
            count += len(record["spans"])
            handle.write(orjson.dumps(record))
            handle.write(b"\n")
    return count


def gold_records(seed: int, documents: int, chars: int = 700) -> Iterator[dict]:
    """Articles with every mention labelled, nested ones too: a gold set for measuring
    the suggestion sources (``records`` keeps only a sample of each article's mentions)."""
    rng = random.Random(seed)
    for n in range(documents):
        size = int(chars * rng.uniform(0.6, 1.4))
        out = _Writer()
        while out.length < size:
            _sentence(rng, out)
        text = out.text()
        mentions = sorted(out.mentions, key=lambda m: (m.start, -m.end))
        yield {
            "name": f"Article {n + 1}",
            "text": text,
            "spans": [
                {"start": m.start, "end": m.end, "label": m.label, "text": text[m.start : m.end]}
                for m in mentions
            ],
        }
