"""Blind indexes: keyed tokens of normalised names and dates of birth (ADR 0008).

A token is HMAC-SHA256(OPENNRM_INDEX_KEY, kind ‖ value), truncated to 128 bits. Equal inputs
give equal tokens, so the database can find records that share a name or a date of birth
without holding either: without the key, a token cannot be reversed or recomputed from a guess.

Normalisation (`name_tokens`) makes different spellings of one name meet:

1. Unicode compatibility forms folded and case folded (``ß`` → ``ss``);
2. accents removed (NFKD, combining marks dropped): ``Núñez`` → ``nunez``;
3. letters without decomposition folded (``ø`` → ``o``, ``ł`` → ``l``, ``æ`` → ``ae``…);
4. Cyrillic, Greek and Arabic transliterated with the small tables below (a simple, common
   romanisation: ``Наталья`` → ``natalya``; Arabic short vowels are not written, so Arabic
   names meet their Latin forms mostly through the phonetic key); every other script (Ge'ez for
   Tigrinya and Amharic, Han, Hangul, Thai, Devanagari, kana…) with `anyascii`: ``ተስፋዬ`` →
   ``tesfaye``. Han and Hangul names, written without spaces, are read as pinyin and
   revised romanisation write them: the first syllable (the family name) apart, the others
   joined: ``王小明`` → ``wang xiaoming``;
5. apostrophes removed (``O'Brien`` → ``obrien``), every other non-letter a separator;
6. tokens sorted, so word order does not count (``Popescu Maria`` = ``Maria Popescu``).

Kinds of tokens, per name (the given and family names together, then each alias):

- ``name``: each name token (particles such as *de*, *van*, *al* and single letters left out);
- ``full_name``: all tokens of the name, sorted and joined (names of two tokens or more);
- ``phonetic``: the phonetic key of each name token (`phonetic_key`);
- ``trigram``: the character trigrams of each name token, padded as PostgreSQL's pg_trgm does
  (two spaces before, one after) and tagged with the token's length, for near matches such as
  typing errors (a token is compared with tokens of its length and one letter longer or
  shorter, so that a long shared given name cannot make two different family names "near");
- ``dob``: the date of birth, ISO.

`probe` and `PersonProbe.assess` score another record from the tokens it shares with a person,
never from its data: see `PersonProbe.assess` for the rules.
"""

import datetime
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

from opennrm.crypto.keys import index_key

NAME = "name"
FULL_NAME = "full_name"
PHONETIC = "phonetic"
# Two names of one record, by their phonetic keys (sorted): a record whose two names sound the
# same as two of another's, in one selective lookup, whatever the spelling or the script.
PAIR = "pair"
# One name exactly and the outline of another (its first letter and length): a typo in one name
# of the two keeps it, and it is selective enough to look up on its own.
ANCHOR = "anchor"
# The name and the name with one letter left out, each way (as SymSpell does): two names one
# letter apart (a letter changed, added, dropped or two swapped) share one of these, however
# short they are; trigrams miss that in short names.
DELETION = "deletion"
DELETION_MIN_LENGTH = 4  # shorter names are too alike with a letter left out
TRIGRAM = "trigram"
DOB = "dob"
KINDS = (NAME, FULL_NAME, PHONETIC, PAIR, ANCHOR, DELETION, TRIGRAM, DOB)
TOKEN_HEX = 32  # 128 bits

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "й": "y", "ј": "j", "к": "k", "л": "l",
    "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "ћ": "c", "ђ": "dj", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "џ": "dz", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ѕ": "dz",
}  # fmt: skip
GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o",
}  # fmt: skip
ARABIC = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d",
    "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t",
    "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "و": "u", "ي": "y", "ى": "a", "ة": "a", "ء": "", "پ": "p",
    "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ی": "y",
}  # fmt: skip
# Latin letters that do not decompose into a base letter and a mark.
LATIN = {
    "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ı": "i",
    "ŀ": "l", "ħ": "h", "ŧ": "t", "ŋ": "ng", "ſ": "s", "ĳ": "ij",
}  # fmt: skip
TRANSLITERATION = {**CYRILLIC, **GREEK, **ARABIC, **LATIN}
# Greek vowel pairs read as one sound (after accents are removed).
GREEK_DIGRAPHS = (("ου", "ou"), ("αυ", "av"), ("ευ", "ev"))
# Greek writes the b, d, g and j of other languages with two letters: μπ and ντ for b and d
# (also for mb and nd: Άντερσον; b and d are the more frequent in names), γκ for g at the start
# of a word and ng inside one (Αγκόλα), τζ for j.
GREEK_INITIAL = re.compile(r"(?<![^\W\d_])γκ")
GREEK_INITIAL_SOUNDS = {"γκ": "g"}
GREEK_CLUSTERS = (("τζ", "j"), ("μπ", "b"), ("ντ", "d"), ("γκ", "ng"))
APOSTROPHES = re.compile(r"['’ʼ`´ʻ]")
# Left out of single-token kinds: shared by too many unrelated names to count as evidence.
PARTICLES = frozenset(
    {"de", "da", "das", "do", "dos", "di", "del", "della", "der", "den", "des", "du", "la",
     "le", "van", "von", "ten", "ter", "al", "el", "bin", "ben", "ibn", "bint", "abu", "y"}
)  # fmt: skip
ALIAS_SEPARATORS = re.compile(r"[,;/|\n]+")
# Scripts read by the tables and the accent folding below (Latin, Greek, Cyrillic, Arabic, and
# their combining marks); a run of any other script goes to anyascii first, marks included (a
# Devanagari vowel sign or a kana voicing mark is not an accent).
OTHER_SCRIPT_RUN = re.compile(
    "[^\\s\x00-\u036f\u0370-\u03ff\u0400-\u052f\u0600-\u06ff\u0750-\u077f"
    "\u08a0-\u08ff\u1e00-\u1eff\u1f00-\u1fff\u2de0-\u2dff\ua640-\ua69f\ufb50-\ufdff"
    "\ufe70-\ufeff]+"
)
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# anyascii writes each Han or Hangul syllable capitalised: WangXiaoMing.
SYLLABLES = re.compile(r"[A-Z][a-z']*")


def _romanise_run(run: str, whole_name: bool) -> str:
    """A run of another script in Latin letters. Han and Hangul syllables of a run that is the
    whole name are read as family name then given name (see 4. above); those of a run beside
    other words are one name."""
    latin = anyascii(run)
    syllables = SYLLABLES.findall(latin)
    if len(syllables) > 1 and "".join(syllables) == latin:
        if whole_name:
            return f" {syllables[0]} {''.join(syllables[1:])} "
        return "".join(syllables)
    return latin


def _romanise_other_scripts(text: str) -> str:
    whole_name = len(text.split()) == 1
    return OTHER_SCRIPT_RUN.sub(lambda run: _romanise_run(run.group(), whole_name), text)


def normalise(text: str) -> str:
    """Fold case, accents, scripts and punctuation; keep the word order."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _romanise_other_scripts(text).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    for source, target in GREEK_DIGRAPHS:
        text = text.replace(source, target)
    text = GREEK_INITIAL.sub(lambda cluster: GREEK_INITIAL_SOUNDS[cluster.group()], text)
    for source, target in GREEK_CLUSTERS:
        text = text.replace(source, target)
    text = "".join(TRANSLITERATION.get(char, char) for char in text)
    text = NON_ASCII_RUN.sub(lambda run: anyascii(run.group()), text).casefold()
    text = APOSTROPHES.sub("", text)
    text = "".join(char if char.isalnum() else " " for char in text)
    return " ".join(text.split())


def name_tokens(text: str) -> list[str]:
    """The normalised tokens of a name, sorted (word order does not count)."""
    return sorted(normalise(text).split())


# Phonetic key ------------------------------------------------------------------------------

_REWRITES = (
    ("x", "ks"),
    ("kh", "h"),
    ("ch", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("dzh", "j"),
    ("dj", "j"),
    ("tz", "c"),
    ("ts", "c"),
    ("nt", "d"),
    ("nd", "d"),
    ("mp", "b"),
    ("mb", "b"),
)
# First letters that transliterations write differently for one sound.
_HEADS = {"w": "v", "q": "k", "c": "k"}
_CODES = {
    **dict.fromkeys("bfpvw", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}
_VOWELS = frozenset("aeiouy")
PHONETIC_DIGITS = 5


def phonetic_key(token: str) -> str:
    """A Soundex variant, tuned for names that reach us through several transliterations.

    Like American Soundex: keep the first letter, code the following consonants (b f p v → 1;
    c g j k q s x z → 2; d t → 3; l → 4; m n → 5; r → 6), drop vowels, and write a run of one
    code once. Differences, each for transliteration variants:

    - first rewrite ``x`` → ``ks``, ``kh``/``ch`` → ``h`` (Cyrillic х and Greek χ write the h
      of other languages), ``ph`` → ``f``, ``ck`` → ``k``, ``dzh``/``dj`` → ``j``,
      ``ts``/``tz`` → ``c``, ``nt``/``nd`` → ``d`` and ``mp``/``mb`` → ``b`` (Greek writes d
      and b as ντ and μπ, and its passports write those back as nt and mp: *Ντίνος* is
      *Ntinos*), and treat ``w`` as ``v`` (Polish and German spellings: *Iwanowa* = *Ivanova*);
    - a first ``w``, ``q`` or ``c`` is written ``V``, ``K``, ``K``: the first letter is where
      transliterations differ most (*Wen* = *Вен*, *Quan* = *Куан*, *Carla* = *Κάρλα*);
    - a first vowel, ``y`` or ``j`` before a vowel is written ``A`` (*Elena* = *Yelena* =
      *Jelena*, *Iouri* = *Yuri*);
    - ``h`` separates like a vowel (Soundex lets it join two equal codes): *Mohammed* and the
      unvoweled *mhmd* of محمد give the same key;
    - up to 5 digits rather than 3, fewer collisions between long names.

    Tokens that hold no Latin letter (a script without a table) have no key.
    """
    letters = "".join(char for char in token if "a" <= char <= "z")
    if not letters:
        return ""
    for source, target in _REWRITES:
        letters = letters.replace(source, target)
    first = letters[0]
    if first in _VOWELS or (first == "j" and len(letters) > 1 and letters[1] in _VOWELS):
        head = "A"
        previous = ""
    else:
        head = _HEADS.get(first, first).upper()
        previous = _CODES.get(first, "")
    digits: list[str] = []
    for char in letters[1:]:
        code = _CODES.get(char)
        if code is None:  # vowels, y, h separate
            previous = ""
            continue
        if code != previous:
            digits.append(code)
            if len(digits) == PHONETIC_DIGITS:
                break
        previous = code
    return head + "".join(digits)


def deletions(token: str) -> set[str]:
    """The token and the token with each letter left out in turn (none for short tokens)."""
    if len(token) < DELETION_MIN_LENGTH:
        return set()
    return {token} | {token[:i] + token[i + 1 :] for i in range(len(token))}


def trigrams(token: str) -> set[str]:
    padded = f"  {token} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


# Tokens ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexEntry:
    """One token to store: its kind and the keyed value."""

    kind: str
    token: str


def keyed(kind: str, value: str, key: bytes | None = None) -> str:
    """The blind token of one normalised value."""
    message = f"{kind}\x1f{value}".encode()
    return hmac.new(key or index_key(), message, hashlib.sha256).hexdigest()[:TOKEN_HEX]


def _trigram_value(length: int, gram: str) -> str:
    return f"{length}:{gram}"


def name_variants(given_names: str, family_name: str, aliases: str) -> list[list[str]]:
    """The sorted token lists of the person's names: given and family names together, then
    each alias (aliases are separated by commas, semicolons, slashes or new lines)."""
    variants = [name_tokens(f"{given_names} {family_name}")]
    variants += [name_tokens(alias) for alias in ALIAS_SEPARATORS.split(aliases or "")]
    return [tokens for tokens in variants if tokens]


def _anchor_value(name: str, other: str, length: int) -> str:
    return f"{name}|{other[0]}{length}"


SELECTIVE_PHONETIC = 3  # a shorter key (a letter and a digit) is shared by too many names
# A key of a letter and four consonants or more (V36525) tells a name as well as a near
# spelling does: names written in another script often meet their Latin form only by sound.
DISTINCTIVE_PHONETIC = 4


def _anchors(name: str) -> list[str]:
    """How a name is held in an anchor: exactly, and by its phonetic key (marked ~) when that
    key is long enough to tell names apart."""
    key = phonetic_key(name)
    return [name, f"~{key}"] if len(key) >= SELECTIVE_PHONETIC else [name]


def anchor_values(tokens: list[str]) -> set[str]:
    """For each ordered pair of significant tokens: the first, exactly or by sound, with the
    outline of the second."""
    names = significant(tokens)
    return {
        _anchor_value(held, other, len(other))
        for name in names
        for other in names
        if other != name
        for held in _anchors(name)
    }


def pair_values(tokens: list[str]) -> set[str]:
    """The phonetic keys of each two significant tokens, sorted and joined."""
    keys = sorted({key for token in significant(tokens) if (key := phonetic_key(token))})
    return {f"{a}|{b}" for i, a in enumerate(keys) for b in keys[i + 1 :]}


def significant(tokens: list[str]) -> list[str]:
    """The tokens that count as evidence on their own (no particle, no initial)."""
    return [token for token in tokens if len(token) >= 2 and token not in PARTICLES]


def plain_entries(
    *,
    given_names: str = "",
    family_name: str = "",
    aliases: str = "",
    date_of_birth: datetime.date | None = None,
) -> set[tuple[str, str]]:
    """(kind, normalised value) before keying. Never stored: only the keyed tokens are."""
    entries: set[tuple[str, str]] = set()
    for tokens in name_variants(given_names, family_name, aliases):
        if len(tokens) >= 2:
            entries.add((FULL_NAME, " ".join(tokens)))
        entries.update((ANCHOR, value) for value in anchor_values(tokens))
        entries.update((PAIR, value) for value in pair_values(tokens))
        for token in significant(tokens):
            entries.add((NAME, token))
            if key := phonetic_key(token):
                entries.add((PHONETIC, key))
            entries.update((TRIGRAM, _trigram_value(len(token), g)) for g in trigrams(token))
            entries.update((DELETION, value) for value in deletions(token))
    if date_of_birth is not None:
        entries.add((DOB, date_of_birth.isoformat()))
    return entries


def index_entries(
    *,
    given_names: str = "",
    family_name: str = "",
    aliases: str = "",
    date_of_birth: datetime.date | None = None,
    key: bytes | None = None,
) -> set[IndexEntry]:
    """The keyed tokens to store for a person."""
    key = key or index_key()
    plain = plain_entries(
        given_names=given_names,
        family_name=family_name,
        aliases=aliases,
        date_of_birth=date_of_birth,
    )
    return {IndexEntry(kind, keyed(kind, value, key)) for kind, value in plain}


# Matching ----------------------------------------------------------------------------------

NEAR_SHARE = 0.6  # share of a token's trigrams found in a token of the other record


@dataclass(frozen=True)
class TokenProbe:
    """What to look for to recognise one name token in another record."""

    exact: str
    phonetic: str | None
    # Keyed trigrams of the token as they would be stored for tokens one letter shorter, of
    # the same length and one letter longer: an inserted or dropped letter still meets.
    trigrams_by_length: tuple[frozenset[str], ...]
    trigram_count: int
    deletions: frozenset[str] = frozenset()  # keyed DELETION tokens: one letter apart
    # The phonetic key has enough consonants to tell names apart on its own (see assess).
    distinctive_sound: bool = False

    def accounted(self, found: frozenset[str] | set[str]) -> str | None:
        """How the other record holds this token: "exact", "near", "sound" (a distinctive
        phonetic key), "phonetic" or None."""
        if self.exact in found:
            return "exact"
        if self.deletions & found:
            return "near"
        if any(
            len(grams & found) >= NEAR_SHARE * self.trigram_count
            for grams in self.trigrams_by_length
        ):
            return "near"
        if self.phonetic is not None and self.phonetic in found:
            return "sound" if self.distinctive_sound else "phonetic"
        return None


@dataclass(frozen=True)
class PersonProbe:
    """The keyed tokens of a new or changed person, arranged to score other records."""

    variants: tuple[tuple[TokenProbe, ...], ...]
    full_names: frozenset[str]
    dob: str | None
    anchors: frozenset[str] = frozenset()  # one name exact, another nearly (ANCHOR)
    pairs: frozenset[str] = frozenset()  # two names that sound alike (PAIR)

    def first_pass_tokens(self) -> set[str]:
        """Tokens a candidate must share at least one of: names, phonetic keys, full names,
        date of birth (indexed equality; trigrams are looked up for these candidates only)."""
        tokens = set(self.full_names)
        for variant in self.variants:
            for probe in variant:
                tokens.add(probe.exact)
                if probe.phonetic is not None:
                    tokens.add(probe.phonetic)
        if self.dob is not None:
            tokens.add(self.dob)
        return tokens

    def key_tokens(self) -> set[str]:
        """Tokens that are enough on their own to score a candidate, each selective: full
        names, the birth date, one name with the outline of another, two names that sound
        alike."""
        tokens = set(self.full_names) | set(self.anchors) | set(self.pairs)
        return tokens | ({self.dob} if self.dob is not None else set())

    def trigram_tokens(self) -> set[str]:
        """Trigram and deletion tokens: what tells a near name."""
        return {
            token for variant in self.variants for probe in variant for token in probe.deletions
        } | {
            gram
            for variant in self.variants
            for probe in variant
            for grams in probe.trigrams_by_length
            for gram in grams
        }

    def is_empty(self) -> bool:
        return not self.variants and self.dob is None

    def assess(self, found: set[str], *, has_other_dob: bool, other_names: int) -> str | None:
        """Why the candidate whose stored tokens include `found` may be the same person, or None.

        `has_other_dob`: the candidate has a date of birth that differs from this one's;
        `other_names`: how many distinct name tokens the candidate has (all names together).

        - "same_name": the same full name (all tokens equal once normalised and sorted). This
          holds even when dates of birth differ: they are often unknown or given falsely.
        - "same_date_of_birth": the same date of birth, and one name token exact, near or
          phonetic.
        - "similar_name": a name of two tokens or more (particles aside) whose every token is
          held exactly, nearly or phonetically, at least one of them exactly, nearly or by a
          distinctive phonetic key (a letter and three consonants or more: a name written in
          another script often keeps only its sound, *Βουλενγουιανγ* for *Wulenguyang*); or, from
          three tokens, all but one when the candidate has no other name token (a middle name
          it lacks, not a different one: *Jean-Paul Martin* is not *Jean-Pierre Martin*); not
          when the dates of birth differ.
        """
        if self.full_names & found:
            return "same_name"
        accounts = [[probe.accounted(found) for probe in variant] for variant in self.variants]
        similar = any(how is not None for variant in accounts for how in variant)
        if self.dob is not None and self.dob in found and similar:
            return "same_date_of_birth"
        if has_other_dob:
            return None
        for variant in accounts:
            if len(variant) < 2:
                continue
            held = [how for how in variant if how is not None]
            enough = len(held) == len(variant) or (
                len(variant) >= 3 and len(held) == len(variant) - 1 and other_names <= len(held)
            )
            if enough and any(how in {"exact", "near", "sound"} for how in held):
                return "similar_name"
        return None


def probe(
    *,
    given_names: str = "",
    family_name: str = "",
    aliases: str = "",
    date_of_birth: datetime.date | None = None,
    key: bytes | None = None,
) -> PersonProbe:
    key = key or index_key()
    variants: list[tuple[TokenProbe, ...]] = []
    full_names: set[str] = set()
    anchors: set[str] = set()
    pairs: set[str] = set()
    for tokens in name_variants(given_names, family_name, aliases):
        pairs.update(keyed(PAIR, value, key) for value in pair_values(tokens))
        if len(tokens) >= 2:
            full_names.add(keyed(FULL_NAME, " ".join(tokens), key))
        names = significant(tokens)
        anchors.update(
            keyed(ANCHOR, _anchor_value(held, other, length), key)
            for name in names
            for other in names
            if other != name
            for held in _anchors(name)
            for length in (len(other) - 1, len(other), len(other) + 1)
        )
        probes = []
        for token in significant(tokens):
            grams = trigrams(token)
            phonetic = phonetic_key(token)
            probes.append(
                TokenProbe(
                    exact=keyed(NAME, token, key),
                    phonetic=keyed(PHONETIC, phonetic, key) if phonetic else None,
                    trigrams_by_length=tuple(
                        frozenset(keyed(TRIGRAM, _trigram_value(length, g), key) for g in grams)
                        for length in (len(token) - 1, len(token), len(token) + 1)
                    ),
                    trigram_count=len(grams),
                    deletions=frozenset(keyed(DELETION, value, key) for value in deletions(token)),
                    distinctive_sound=len(phonetic) >= DISTINCTIVE_PHONETIC,
                )
            )
        if probes:
            variants.append(tuple(probes))
    dob = keyed(DOB, date_of_birth.isoformat(), key) if date_of_birth is not None else None
    return PersonProbe(
        tuple(variants), frozenset(full_names), dob, frozenset(anchors), frozenset(pairs)
    )
