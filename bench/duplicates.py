"""Duplicate check for a new person: latency, and recall on a labelled set of true duplicates.

The labelled set is made from persons of the dataset: each is written again as a field worker
might write them at another organisation — a spelling variant, the names reordered, a typo,
the name in Cyrillic or Greek letters — and the check must find the original. Unrelated new
persons (fresh random names) measure the latency of the common case, nobody found.
"""

import os
import random
import statistics
import time
from dataclasses import dataclass

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
django.setup()

from opennrm.cases.duplicates import find_possible_matches  # noqa: E402
from opennrm.cases.models import Person  # noqa: E402

CYRILLIC = {
    "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "y": "й",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т",
    "u": "у", "f": "ф", "h": "х", "c": "ц", "j": "дж", "w": "в", "x": "кс", "q": "к",
}  # fmt: skip
GREEK = {
    "a": "α", "b": "μπ", "v": "β", "g": "γ", "d": "ντ", "e": "ε", "z": "ζ", "i": "ι", "y": "ι",
    "k": "κ", "l": "λ", "m": "μ", "n": "ν", "o": "ο", "p": "π", "r": "ρ", "s": "σ", "t": "τ",
    "u": "ου", "f": "φ", "h": "χ", "c": "κ", "j": "τζ", "w": "β", "x": "ξ", "q": "κ",
}  # fmt: skip
VARIANTS = ("spelling", "reordered", "typo", "cyrillic", "greek")


CYRILLIC_DIGRAPHS = {"ch": "ч", "sh": "ш", "zh": "ж", "kh": "х", "ts": "ц", "ya": "я", "yu": "ю"}
GREEK_DIGRAPHS = {"ch": "τσ", "sh": "σ", "th": "θ", "ph": "φ", "ts": "τσ", "ks": "ξ", "ps": "ψ"}


def _in_script(name: str, table: dict[str, str], digraphs: dict[str, str]) -> str:
    """The name as someone writing in that script would write it, letter by letter after the
    usual digraphs."""
    text, out, at = name.lower(), [], 0
    while at < len(text):
        pair = text[at : at + 2]
        if pair in digraphs:
            out.append(digraphs[pair])
            at += 2
        else:
            out.append(table.get(text[at], text[at]))
            at += 1
    return "".join(out)


def _spelling(name: str, rng: random.Random) -> str:
    """A doubled consonant, or a vowel written another way (ou/u, i/y, ph/f)."""
    for source, target in (("ou", "u"), ("y", "i"), ("f", "ph"), ("c", "k"), ("ei", "ey")):
        if source in name:
            return name.replace(source, target, 1)
    consonants = [i for i, char in enumerate(name) if char in "lmnrst"]
    if not consonants:
        return name + "e"
    at = rng.choice(consonants)
    return name[: at + 1] + name[at] + name[at + 1 :]


def _typo(name: str, rng: random.Random) -> str:
    """One letter changed in the longest word (not its first: people rarely miss that one)."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 4:
        return name
    at = rng.randrange(1, len(word))
    words[longest] = word[:at] + rng.choice("aeioulnrst".replace(word[at], "")) + word[at + 1 :]
    return " ".join(words)


def variant(person: Person, kind: str, rng: random.Random) -> Person:
    """The person as another organisation might record them; half of them without the date
    of birth (often unknown, or given differently, at first contact)."""
    given, family = person.given_names or "", person.family_name or ""
    if kind == "spelling":
        family = _spelling(family, rng)
    elif kind == "reordered":
        given, family = family, given
    elif kind == "typo":
        family = _typo(family, rng)
    elif kind == "cyrillic":
        given = _in_script(given, CYRILLIC, CYRILLIC_DIGRAPHS)
        family = _in_script(family, CYRILLIC, CYRILLIC_DIGRAPHS)
    elif kind == "greek":
        given = _in_script(given, GREEK, GREEK_DIGRAPHS)
        family = _in_script(family, GREEK, GREEK_DIGRAPHS)
    born = person.date_of_birth if rng.random() < 0.5 else None
    return Person(given_names=given, family_name=family, date_of_birth=born)


@dataclass
class DuplicateResult:
    p50: float
    p95: float
    probes: int
    recall: float
    recall_by_variant: dict[str, float]
    p95_no_match: float

    def as_dict(self) -> dict[str, object]:
        return {
            "label": "duplicate check for a new person",
            "p50_ms": round(self.p50, 2),
            "p95_ms": round(self.p95, 2),
            "probes": self.probes,
            "recall": round(self.recall, 3),
            "recall_by_variant": {k: round(v, 3) for k, v in self.recall_by_variant.items()},
            "p95_no_match_ms": round(self.p95_no_match, 2),
        }


def measure(sample: int = 200, seed: int = 7) -> DuplicateResult:
    rng = random.Random(seed)  # noqa: S311 (a reproducible sample, not a secret)
    last = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = rng.sample(range(1, last + 1), min(sample * 2, last))
    persons = [
        person
        for person in Person.objects.filter(pk__in=ids).order_by("pk")
        if person.given_names and person.family_name
    ][:sample]
    samples: list[float] = []
    found: dict[str, list[bool]] = {kind: [] for kind in VARIANTS}
    for person in persons:
        for kind in VARIANTS:
            probe = variant(person, kind, rng)
            start = time.perf_counter()
            matches = find_possible_matches(probe)
            samples.append((time.perf_counter() - start) * 1000)
            found[kind].append(any(match.person_id == person.pk for match in matches))
    fresh: list[float] = []
    for n in range(sample):
        probe = Person(given_names=f"Benchnew{n}", family_name=f"Nobodyknown{n}x")
        start = time.perf_counter()
        find_possible_matches(probe)
        fresh.append((time.perf_counter() - start) * 1000)
    every = [hit for hits in found.values() for hit in hits]
    ordered = sorted(samples)
    return DuplicateResult(
        p50=statistics.median(samples),
        p95=ordered[int(len(ordered) * 0.95) - 1],
        probes=len(samples),
        recall=sum(every) / len(every),
        recall_by_variant={kind: sum(hits) / len(hits) for kind, hits in found.items()},
        p95_no_match=sorted(fresh)[int(len(fresh) * 0.95) - 1],
    )
