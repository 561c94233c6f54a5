"""Fictional names, made of random syllables: no list of real people's names is used.

Each style strings together syllables that sound vaguely of a region, so that the blind index
meets the variety it meets in real life (short and long names, particles, transliterations),
but the names are invented. Given names and family names are drawn from pools with a Zipf-like
frequency: a few names are common, most are rare, as in a real population.
"""

import random
from dataclasses import dataclass
from itertools import accumulate

# (syllables of given names, syllables of family names, endings of family names, particles)
STYLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "latin": (
        ("ma", "ri", "lo", "ve", "na", "to", "si", "ra", "el", "an", "do", "lu", "ca", "mi"),
        ("bel", "dor", "fa", "gar", "ri", "mon", "ta", "vel", "cor", "sa", "ber", "nal", "lan"),
        ("", "et", "ier", "and", "eau", "ez", "ini", "os"),
        ("de", "da", "di"),
    ),
    "eastern": (
        ("ko", "va", "lin", "ro", "sla", "mir", "ne", "ta", "vi", "dra", "ka", "le", "go", "ru"),
        ("pet", "vol", "ka", "dro", "zan", "mi", "tor", "bra", "ne", "sko", "lu", "gra", "ve"),
        ("ova", "enko", "escu", "ic", "ski", "ev", "ar", "u"),
        (),
    ),
    "eastern_asian": (
        ("lin", "mei", "xu", "an", "hua", "jing", "tao", "yu", "wen", "li", "ping", "qi", "ren"),
        ("zhou", "wu", "tan", "ho", "lam", "nguy", "tr", "pha", "dang", "le", "vo", "quan"),
        ("", "ang", "en", "an", "ong"),
        (),
    ),
    "north": (
        ("sa", "mir", "ha", "li", "ka", "rim", "na", "dir", "fa", "ti", "ma", "ya", "zi", "ne"),
        ("bou", "ha", "mad", "zer", "kal", "sa", "ri", "ta", "lem", "dja", "fer", "ab"),
        ("i", "a", "ani", "oui", "ine", "ar"),
        ("ben", "el", "al"),
    ),
    "western": (
        ("a", "de", "o", "la", "chi", "ke", "bu", "mo", "ye", "nwa", "e", "ka", "ji", "fo"),
        ("ade", "ok", "on", "we", "ba", "ko", "tun", "ma", "gu", "ny", "ndi", "so", "di"),
        ("", "o", "e", "u", "wa", "ye"),
        (),
    ),
}
GIVEN_POOL = 400  # given names per style and sex
FAMILY_POOL = 6000  # family names per style
FEMALE_ENDINGS = ("a", "ia", "ine", "e")
MALE_ENDINGS = ("", "o", "u", "an", "el")


@dataclass(frozen=True)
class Pool:
    names: tuple[str, ...]
    cumulative: tuple[float, ...]

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self.cumulative)[0]


def _pool(names: list[str]) -> Pool:
    # Zipf-like: the k-th name is drawn in proportion to 1 / (k + 5).
    weights = [1 / (rank + 5) for rank in range(len(names))]
    return Pool(tuple(names), tuple(accumulate(weights)))


def _word(rng: random.Random, syllables: tuple[str, ...], count: int) -> str:
    return "".join(rng.choice(syllables) for _ in range(count))


def _unique(rng: random.Random, size: int, make: "_Maker") -> list[str]:
    seen: dict[str, None] = {}
    attempts = 0
    while len(seen) < size and attempts < size * 50:
        attempts += 1
        name = make(rng)
        if len(name) >= 3:
            seen.setdefault(name.capitalize(), None)
    return list(seen)


class _Maker:
    def __init__(self, syllables: tuple[str, ...], endings: tuple[str, ...], counts: range):
        self.syllables, self.endings, self.counts = syllables, endings, counts

    def __call__(self, rng: random.Random) -> str:
        word = _word(rng, self.syllables, rng.choice(self.counts))
        return word + rng.choice(self.endings)


class NameBook:
    """Pools of fictional names per style, drawn from a seed: the same seed, the same names."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"names:{seed}")  # noqa: S311 - fictional data, reproducible
        self.given: dict[tuple[str, str], Pool] = {}
        self.family: dict[str, Pool] = {}
        self.particles: dict[str, tuple[str, ...]] = {}
        for style, (given, family, endings, particles) in STYLES.items():
            for sex, sex_endings in (("female", FEMALE_ENDINGS), ("male", MALE_ENDINGS)):
                maker = _Maker(given, sex_endings, range(1, 4))
                self.given[(style, sex)] = _pool(_unique(rng, GIVEN_POOL, maker))
            self.family[style] = _pool(
                _unique(rng, FAMILY_POOL, _Maker(family, endings, range(2, 4)))
            )
            self.particles[style] = particles

    def person(self, rng: random.Random, style: str, sex: str) -> tuple[str, str]:
        """(given names, family name): one given name, sometimes two; sometimes a particle."""
        if sex not in ("female", "male"):
            sex = rng.choice(("female", "male"))
        given_pool = self.given[(style, sex)]
        given = given_pool.draw(rng)
        if rng.random() < 0.15:
            second = given_pool.draw(rng)
            if second != given:
                given = f"{given} {second}" if style != "latin" else f"{given}-{second}"
        family = self.family[style].draw(rng)
        particles = self.particles[style]
        if particles and rng.random() < 0.1:
            family = f"{rng.choice(particles)} {family}"
        return given, family

    def alias(self, rng: random.Random, style: str) -> str:
        """A nickname, as written in a file."""
        return f"« {self.given[(style, rng.choice(('female', 'male')))].draw(rng)} »"


def variant(rng: random.Random, given: str, family: str) -> tuple[str, str]:
    """How another organisation may write the same person's name: identical, in capitals,
    family name first, or with one letter typed wrong."""
    roll = rng.random()
    if roll < 0.5:
        return given, family
    if roll < 0.7:
        return given.upper(), family.upper()
    if roll < 0.85:
        return family, given
    letters = list(family)
    position = rng.randrange(1, len(letters)) if len(letters) > 1 else 0
    letters[position] = rng.choice("aeiourlnst")
    return given, "".join(letters)
