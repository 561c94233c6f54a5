"""Blind indexes: normalisation, phonetic keys, keyed tokens kept in step with the person, and
duplicate detection under transliteration, word order, accents and typing errors."""

import datetime
import io

import pytest
from django.test import override_settings

from opennrm.cases.duplicates import find_possible_matches, refresh_index
from opennrm.cases.models import Person, PersonIndexToken
from opennrm.crypto import blind
from tests.factories import PersonFactory

# A second index key, for the test that tokens depend on the key.
OTHER_INDEX_KEY = "3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


@pytest.mark.parametrize(
    ("raw", "tokens"),
    [
        ("Наталья Иванова", ["ivanova", "natalya"]),
        ("Ivanova  NATALIA", ["ivanova", "natalia"]),
        ("José Núñez", ["jose", "nunez"]),
        ("Jose Nunez", ["jose", "nunez"]),
        ("Popescu Maria", ["maria", "popescu"]),
        ("O'Brien-Smith", ["obrien", "smith"]),
        ("Ελένη Παπαδοπούλου", ["eleni", "papadopoulou"]),
        ("Søren Straße", ["soren", "strasse"]),
        ("Łukasz Wałęsa", ["lukasz", "walesa"]),
        ("محمد", ["mhmd"]),
    ],
)
def test_names_are_normalised_and_sorted(raw, tokens):
    assert blind.name_tokens(raw) == tokens


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("natalia", "natalya"),
        ("ivanova", "iwanowa"),
        ("elena", "yelena"),
        ("yelena", "jelena"),
        ("yuri", "iouri"),
        ("mohammed", "mhmd"),
        ("mahmoud", "mhmud"),
        ("aleksei", "alexei"),
        ("philippe", "filipe"),
        # Cyrillic х and Greek χ for an h; a first w, q or c; x as ks
        ("hozhouquanang", "khozhoukuanang"),
        ("hozhouquanang", "chozchooukouanang"),
        ("wulenguyang", "voulengouiang"),
        ("quantrdangan", "kuantrdangan"),
        ("corrinaleau", "korrinaleaou"),
        ("xuhuao", "ksukhuao"),
        # Greek ντ and μπ, read as d and b, written nt and mp on Greek passports
        ("ntinos", "dinos"),
        ("mpampis", "babis"),
    ],
)
def test_phonetic_keys_meet_across_transliterations(first, second):
    assert blind.phonetic_key(first) == blind.phonetic_key(second) != ""


@pytest.mark.parametrize(("first", "second"), [("popescu", "ionescu"), ("dupont", "dupuis")])
def test_phonetic_keys_keep_different_names_apart(first, second):
    assert blind.phonetic_key(first) != blind.phonetic_key(second)


def test_tokens_are_keyed_and_hold_no_plaintext():
    entries = blind.index_entries(
        given_names="Natalia", family_name="Ivanova", date_of_birth=datetime.date(1990, 5, 1)
    )
    kinds = {entry.kind for entry in entries}
    assert kinds == {
        blind.NAME,
        blind.FULL_NAME,
        blind.PHONETIC,
        blind.PAIR,
        blind.ANCHOR,
        blind.DELETION,
        blind.TRIGRAM,
        blind.DOB,
    }
    for entry in entries:
        assert len(entry.token) == 32 and int(entry.token, 16) >= 0
        assert "ivanova" not in entry.token and "1990" not in entry.token
    with override_settings(OPENNRM_INDEX_KEY=OTHER_INDEX_KEY):
        others = blind.index_entries(given_names="Natalia", family_name="Ivanova")
    assert not {entry.token for entry in others} & {entry.token for entry in entries}


@pytest.mark.django_db
def test_tokens_follow_every_save(territories):
    person = PersonFactory(given_names="Natalia", family_name="Ivanova", aliases="")
    first = set(PersonIndexToken.objects.filter(person=person).values_list("kind", "token"))
    expected = blind.index_entries(given_names="Natalia", family_name="Ivanova")
    assert first == {(entry.kind, entry.token) for entry in expected}
    person.family_name = "Petrova"
    person.date_of_birth = datetime.date(1991, 3, 3)
    person.save()
    second = set(PersonIndexToken.objects.filter(person=person).values_list("kind", "token"))
    assert second != first
    assert (blind.DOB, blind.keyed(blind.DOB, "1991-03-03")) in second
    assert (blind.NAME, blind.keyed(blind.NAME, "ivanova")) not in second
    # A save of other fields leaves the tokens alone; a rebuild gives the same tokens.
    person.save(update_fields=["estimated_age"])
    refresh_index(person)
    assert set(PersonIndexToken.objects.filter(person=person).values_list("kind", "token")) == (
        second
    )


def _person(names: str, *, family: str = "", aliases: str = "", dob=None) -> Person:
    return PersonFactory(given_names=names, family_name=family, aliases=aliases, date_of_birth=dob)


def _matches(new: Person) -> dict[int, str]:
    return {match.person_id: match.reason for match in find_possible_matches(new)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("held", "new", "reason"),
    [
        # transliterated and reordered
        (("Ivanova", "Natalia"), ("Наталья", "Иванова"), "similar_name"),
        # reordered only: the same full name
        (("Maria", "Popescu"), ("Popescu", "Maria"), "same_name"),
        # accents
        (("José", "Núñez"), ("Jose", "Nunez"), "same_name"),
        # Greek
        (("Eleni", "Papadopoulou"), ("Ελένη", "Παπαδοπούλου"), "same_name"),
        # Greek letters for the b, d, g, j of other languages: μπ, ντ, γκ, τζ
        (("Dimitri", "Bekas"), ("Ντιμίτρι", "Μπέκας"), "same_name"),
        (("John", "Gary"), ("Τζον", "Γκάρι"), "similar_name"),
        # a typing error that changes the phonetic key: trigrams still meet
        (("Alexandra", "Dumitrescu"), ("Alexandra", "Dumittescu"), "similar_name"),
        # a dropped letter
        (("Alexandra", "Dumitrescu"), ("Alexandra", "Dumitrscu"), "similar_name"),
        # a middle name the other record lacks
        (("Maria", "Popescu"), ("Maria Elena", "Popescu"), "similar_name"),
        (("Maria Elena", "Popescu"), ("Maria", "Popescu"), "similar_name"),
        # Polish spelling of a Russian name
        (("Natalia", "Ivanova"), ("Natalja", "Iwanowa"), "similar_name"),
        # Tigrinya (Ge'ez script) and its Latin spelling
        (("Tesfaye", "Gebremariam"), ("ተስፋዬ", "ገብረማርያም"), "similar_name"),
        # Chinese, given and family names in their own fields, and in pinyin
        (("Xiaoming", "Wang"), ("小明", "王"), "same_name"),
        # Korean (Hangul) and its revised romanisation
        (("Minjun", "Gim"), ("민준", "김"), "same_name"),
        # Japanese kana, voicing marks kept
        (("Taro", "Yamada"), ("たろう", "やまだ"), "similar_name"),
        # letter by letter in Cyrillic and Greek: only the sound of the names is left, and a
        # distinctive phonetic key (a letter and three consonants) is evidence enough
        (("Wenyu", "Wulenguyang"), ("Βενιου", "Βουλενγουιανγ"), "similar_name"),
        (("Pingyua", "Votrnguyan"), ("Πινγιουα", "Βοτρνγουιαν"), "similar_name"),
        (("Qixurenan", "Hozhouwu"), ("Киксуренан", "Хожоуву"), "similar_name"),
    ],
)
def test_possible_matches(territories, held, new, reason):
    other = _person(held[0], family=held[1])
    _person("Unrelated", family="Somebody")
    mine = _person(new[0], family=new[1])
    assert _matches(mine).get(other.pk) == reason


@pytest.mark.django_db
def test_a_hangul_name_meets_its_usual_spelling_with_the_date_of_birth(territories):
    """김 is Gim in the revised romanisation, Kim as usually written: the given name and the
    phonetic key meet, and the same date of birth makes it a possible match."""
    born = datetime.date(1994, 3, 2)
    other = _person("Minjun", family="Kim", dob=born)
    mine = _person("민준", family="김", dob=born)
    assert other.pk in _matches(mine)


@pytest.mark.django_db
def test_phonetic_only_names_match_with_the_same_date_of_birth(territories):
    born = datetime.date(1990, 5, 1)
    other = _person("Natalia", family="Ivanova", dob=born)
    mine = _person("Natalja", family="Iwanowa", dob=born)
    assert _matches(mine) == {other.pk: "same_date_of_birth"}


@pytest.mark.django_db
def test_an_alias_is_matched(territories):
    other = _person("Blessing", family="Okafor", aliases="Joy Okoro; Bella")
    mine = _person("Okoro", family="Joy")
    assert _matches(mine) == {other.pk: "same_name"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("held", "new"),
    [
        (("Maria", "Popescu"), ("Maria", "Ionescu")),
        (("Alexandra", "Dumitrescu"), ("Alexandra", "Dumitru")),
        (("Mohamed", "Ali"), ("Mohamed", "Alami")),
        (("Marie", "Dupont"), ("Marie", "Dupuis")),
        (("Jean-Pierre", "Martin"), ("Jean-Paul", "Martin")),
        (("Natalia", "Ivanova"), ("Natalia", "Ivanenko")),
        (("Maria", "de la Cruz"), ("Juan", "de la Vega")),
        # names that only sound alike by short keys (a letter and a digit or two) stay apart
        (("Anna", "Tao"), ("Ine", "Tua")),
    ],
)
def test_different_people_do_not_match(territories, held, new):
    _person(held[0], family=held[1])
    assert _matches(_person(new[0], family=new[1])) == {}


@pytest.mark.django_db
def test_a_different_date_of_birth_rules_out_a_merely_similar_name(territories):
    _person("Alexandra", family="Dumitrescu", dob=datetime.date(1990, 1, 1))
    mine = _person("Alexandra", family="Dumittescu", dob=datetime.date(1985, 6, 6))
    assert _matches(mine) == {}
    # …but not the very same name: dates of birth are often unknown or false.
    same = _person("Dumitrescu", family="Alexandra", dob=datetime.date(1985, 7, 7))
    assert set(_matches(same).values()) == {"same_name"}


@pytest.mark.django_db
def test_a_person_without_names_matches_nobody(territories):
    _person("", family="")
    assert _matches(_person("", family="")) == {}


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("ተስፋዬ ገብረሚካኤል", "tesfaye gebremikael"),  # Tigrinya, Amharic (Ge'ez)
        ("王小明", "wang xiaoming"),  # a Han name written whole: family name, then given name
        ("小明 王", "xiaoming wang"),  # given and family names apart
        ("김민준", "gim minjun"),  # Hangul, not decomposed into jamo
        ("やまだ たろう", "yamada tarou"),  # kana voicing marks are not accents
        ("สมชาย", "smchay"),  # Thai
        ("Məmmədov", "memmedov"),  # Latin letters with no decomposition
        ("Наталья Núñez", "natalya nunez"),  # the tables and accents as before
    ],
)
def test_every_script_is_romanised(raw, normalised):
    assert blind.normalise(raw) == normalised


@pytest.mark.django_db
def test_rebuilding_the_index_after_a_key_change_finds_duplicates_again(territories):
    from django.core.management import call_command

    held = [_person(f"Natalia{n}", family="Ivanova") for n in range(7)]
    held.append(_person("Natalia", family="Ivanova", aliases="Natasha Ivanova"))
    with override_settings(OPENNRM_INDEX_KEY=OTHER_INDEX_KEY):
        new = Person(given_names="Natalia", family_name="Ivanova")
        assert find_possible_matches(new) == []  # the stored tokens are of the old key
        call_command("rebuild_person_index", "--batch-size", "3", stdout=io.StringIO())
        assert {match.person_id for match in find_possible_matches(new)} >= {held[-1].pk}
        for person in held:
            stored = set(
                PersonIndexToken.objects.filter(person=person).values_list("kind", "token")
            )
            expected = blind.index_entries(
                given_names=person.given_names,
                family_name=person.family_name,
                aliases=person.aliases,
                date_of_birth=person.date_of_birth,
            )
            assert stored == {(entry.kind, entry.token) for entry in expected}
