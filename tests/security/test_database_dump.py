"""Acceptance: a database dump alone does not reveal any name or narrative.

Demo-like data is entered through the application's own actions (concerns, a case opened
directly, an assessment with notes and reasons, a child's guardian, immediate needs), then the
whole database is dumped — SQLite's iterdump, or pg_dump on PostgreSQL — and searched for every
name, alias and narrative typed in.
"""

import datetime
import os
import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from opennrm.cases.evidence import Upload, attach_evidence, storage
from opennrm.cases.models import Evidence, Person
from opennrm.cases.safe_contact import record_safe_contact
from opennrm.core.models import Territory
from opennrm.demo.documents import fictional_pdf
from opennrm.demo.personas import DEMO_CONCERNS, DEMO_PERSONS
from opennrm.detection import accounts, actions, facts
from opennrm.detection.enums import AssessmentConclusion
from opennrm.detection.models import Concern, Guardian
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.support import services as support
from tests.cases.conftest import actor_for

# Everything typed in below that must never appear in clear in a dump.
SECRETS = {
    "given name": "Zorabelle",
    "family name": "Vantablackova",
    "alias": "Nightjar",
    "gender identity": "Fictional-genderfluid",
    "date of birth": "1994-07-23",
    "child's given name": "Quillon",
    "child's family name": "Marchetti-Ozturk",
    "child's alias": "Little Q",
    "places": "Rue Fictive des Tanneurs",
    "concern description": "sleeping in the cellar of the fictional bakery",
    "reporter contact": "reporter.fictive@example.org",
    "closing note": "duplicate of an earlier fictional report",
    "assessment note": "her passport is held by the fictional landlord",
    "assessment reasons": "consistent account of debt bondage in the fictional bakery",
    "guardian name": "Maître Fictif Ombrelune",
    "guardian contact": "+33 6 12 34 56 78",
    "immediate needs": "needs insulin and a safe room away from the fictional bakery",
    "account background": "grew up in the fictional hill village of Zmeevo",
    "account recruitment": "an aunt promised work in a fictional patisserie",
    "account insight": "consistent fictional account of confiscated wages",
    "situation town": "Fictivebourg-les-Fours",
    "situation description": "kneading dough from four in the morning, fictional",
    "safe phone": "+33 7 98 76 54 32",
    "safe address": "3 allée des Fictifs Discrets",
    "safe other organisation": "her fictional cousin Ombeline at the bakery",
    "safe times": "fictional Thursdays after the market",
    "safe precautions": "the fictional landlord opens her post",
    "exploiter name": "Fictional Anselme Pétrichor",
    "exploiter notes": "collects the fictional rent in cash on Sundays",
    "workplace name": "SARL Fictive Boulangerie Pétrichor",
    "workplace address": "7 impasse des Fournils Fictifs",
    "workplace town": "Fictiveville-les-Pains",
    "workplace siret": "73282932000074",
    "evidence file name": "certificat_Zorabelle_Vantablackova.pdf",
    "evidence description": "bruises photographed at the fictional Clinique des Tanneurs",
    "evidence content": "Fictional medical certificate: fractured wrist, Zmeevo",
    "transfer explanation": "she moves to her fictional aunt in Aubagne",
    "transfer declined": "no fictional place before the Aubagne spring",
}


def _seed(cast) -> list[Person]:
    amina = actor_for(cast.amina)
    t93 = Territory.objects.get(code="93")
    concern = actions.submit_concern(
        amina,
        channel="hotline",
        territory=t93,
        place_type="shop",
        description=f"A young woman is {SECRETS['concern description']}.",
        signs=["housed_at_work"],
        contact=SECRETS["reporter contact"],
    )
    other = actions.submit_concern(
        amina,
        channel="hotline",
        territory=t93,
        place_type="shop",
        description="Fictional second report of the same situation.",
    )
    actions.close_concern(
        other,
        reason="duplicate",
        note=SECRETS["closing note"],
        actor=actor_for(cast.louis),
    )
    adult = actions.open_case_directly(
        amina,
        person=Person(
            given_names=SECRETS["given name"],
            family_name=SECRETS["family name"],
            aliases=SECRETS["alias"],
            date_of_birth=datetime.date.fromisoformat(SECRETS["date of birth"]),
            gender_identity=SECRETS["gender identity"],
            sex="female",
            nationalities=["NG"],
            languages=["en"],
        ),
        territory=t93,
        forms=["forced_labour"],
        sector="hospitality",
        places=SECRETS["places"],
        detected_on=timezone.localdate(),
    )
    actions.attach_concern(concern, case=adult, actor=actor_for(cast.louis))
    catalogue = latest_catalogue()
    assessment = actions.start_assessment(
        adult, set_code="adults_labour", version=catalogue.version, actor=amina
    )
    code = catalogue.indicator_set("adults_labour").all_indicators()[0].code
    actions.save_answers(
        assessment, {code: {"answer": "yes", "note": SECRETS["assessment note"]}}, actor=amina
    )
    actions.conclude_assessment(
        assessment,
        conclusion=AssessmentConclusion.PRESUMED_VICTIM,
        reasons=SECRETS["assessment reasons"],
        engine_outcome=AssessmentConclusion.PRESUMED_VICTIM,
        engine_summary={},
        actor=amina,
    )
    support.record_immediate_needs(
        adult, actor=amina, shelter=True, medical=True, notes=SECRETS["immediate needs"]
    )
    for section, field, secret in (
        ("background", "background", "account background"),
        ("recruitment", "recruitment", "account recruitment"),
        ("interview", "insight", "account insight"),
    ):
        accounts.save_section(adult, section, {field: SECRETS[secret]}, actor=amina)
    accounts.add_situation(
        adult,
        {"commune": SECRETS["situation town"], "description": SECRETS["situation description"]},
        actor=amina,
    )
    facts.save_facts(
        adult, {"recruitment_methods": ["family"], "sectors": ["manufacturing"]}, actor=amina
    )
    facts.add_exploiter(
        adult,
        {"name": SECRETS["exploiter name"], "notes": SECRETS["exploiter notes"]},
        actor=amina,
    )
    facts.add_workplace(
        adult,
        {
            "name": SECRETS["workplace name"],
            "address": SECRETS["workplace address"],
            "commune": SECRETS["workplace town"],
            "siret": SECRETS["workplace siret"],
        },
        actor=amina,
    )
    record_safe_contact(
        adult,
        {
            "phone": SECRETS["safe phone"],
            "address": SECRETS["safe address"],
            "through_organisation": True,
            "contact_organisation_other": SECRETS["safe other organisation"],
            "safe_times": SECRETS["safe times"],
            "do_not_write": True,
            "precautions": SECRETS["safe precautions"],
        },
        actor=amina,
    )
    # A document attached to the case: its name and description in the database, its content
    # (written uncompressed into the PDF) in the evidence storage.
    attach_evidence(
        adult,
        Upload(
            fictional_pdf(["FICTIONAL"]) + f"% {SECRETS['evidence content']}\n".encode(),
            "pdf",
            SECRETS["evidence file name"],
        ),
        kind="medical_certificate",
        description=SECRETS["evidence description"],
        actor=amina,
    )
    # A transfer proposed, declined, then proposed again and accepted (issue #12, point 7).
    from opennrm.cases import transfer as transfers

    agreement = transfers.Agreement(person_consents=True, method="oral")
    moving = {
        "to_organisation": cast.other_association,
        "to_territory": Territory.objects.get(code="13"),
        "reason": "person_moves",
        "explanation": SECRETS["transfer explanation"],
        "agreement": agreement,
    }
    declined = transfers.propose_transfer(adult, actor=amina, **moving)
    yasmine = actor_for(cast.yasmine)
    transfers.decline_transfer(declined, actor=yasmine, note=SECRETS["transfer declined"])
    transfers.accept_transfer(
        transfers.propose_transfer(adult, actor=amina, **moving), actor=yasmine
    )
    child = actions.open_case_directly(
        amina,
        person=Person(
            given_names=SECRETS["child's given name"],
            family_name=SECRETS["child's family name"],
            aliases=SECRETS["child's alias"],
            estimated_age=15,
            sex="male",
        ),
        territory=t93,
        forms=["forced_begging"],
        detected_on=timezone.localdate(),
    )
    actions.record_guardian(
        child,
        actor=amina,
        kind=Guardian.Kind.AD_HOC,
        name=SECRETS["guardian name"],
        contact=SECRETS["guardian contact"],
    )
    # The application itself still reads everything.
    assert Person.objects.get(pk=adult.person_id).family_name == SECRETS["family name"]
    assert Concern.objects.get(pk=concern.pk).contact == SECRETS["reporter contact"]
    return [adult.person, child.person]


def _assert_nothing_in_clear(dump: str, persons: list[Person]) -> None:
    folded = dump.casefold()
    for person in persons:  # the dump does hold the data…
        assert person.pseudonym in dump
    assert "v1:test:" in dump
    leaked = [what for what, value in SECRETS.items() if value.casefold() in folded]
    assert leaked == [], f"found in clear in the dump: {leaked}"
    _assert_no_file_in_clear()


def _assert_no_file_in_clear() -> None:
    """The documents' files in the evidence storage hold no content, name or description in
    clear either (they are sealed with the field keys)."""
    documents = list(Evidence.objects.all())
    assert documents
    for document in documents:
        with storage().open(document.storage_name, "rb") as handle:
            sealed = handle.read().lower()
        assert sealed.startswith(b"opennrm-file-v1:")
        leaked = [what for what, value in SECRETS.items() if value.lower().encode() in sealed]
        assert leaked == [], f"found in clear in a stored file: {leaked}"
        assert b"%pdf" not in sealed


def _dump() -> str:
    """The whole database as SQL text: SQLite's iterdump, or pg_dump on PostgreSQL."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    pg_dump = shutil.which("pg_dump")
    if connection.vendor != "postgresql" or pg_dump is None:
        pytest.skip("needs SQLite, or PostgreSQL with pg_dump")
    settings = connection.settings_dict
    command = [pg_dump, "--no-owner", "-h", settings["HOST"] or "127.0.0.1"]
    if settings.get("PORT"):
        command += ["-p", str(settings["PORT"])]
    command += ["-U", settings["USER"] or "postgres", settings["NAME"]]
    password = {"PGPASSWORD": settings["PASSWORD"]} if settings.get("PASSWORD") else {}
    result = subprocess.run(  # noqa: S603 — fixed arguments
        command,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **password},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _without_table(dump: str, table: str) -> str:
    """The dump without the rows of one table (SQLite INSERTs or a pg_dump COPY block)."""
    kept, skipping = [], False
    for line in dump.splitlines():
        if skipping:
            skipping = line != "\\."
            continue
        if line.startswith(f"COPY public.{table} "):
            skipping = True
            continue
        if line.startswith(f'INSERT INTO "{table}"'):
            continue
        kept.append(line)
    return "\n".join(kept)


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_dump_reveals_no_name_or_narrative(cast):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite dump; see the PostgreSQL test")
    persons = _seed(cast)
    _assert_nothing_in_clear(_dump(), persons)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_dump_reveals_no_name_or_narrative(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    persons = _seed(cast)
    _assert_nothing_in_clear(_dump(), persons)


@pytest.mark.django_db(transaction=True)
def test_the_demo_data_leaves_no_name_or_narrative_in_a_dump(territories):
    """The seed_demo personas: their names, aliases, dates of birth and the concerns' stories."""
    with override_settings(DEMO_MODE=True):
        call_command("seed_demo", stdout=StringIO())
    assert Person.objects.count() >= len(DEMO_PERSONS)
    # Staff accounts ("Amina Fictive") are not the victims' data this is about.
    dump = _without_table(_dump(), "core_user")
    values = [concern.description for concern in DEMO_CONCERNS]
    for person in DEMO_PERSONS.values():
        values += [person.given_names, person.aliases, person.date_of_birth]
        # Family names are short words ("Fictive"): as whole words, case sensitive.
        assert not re.search(rf"\b{re.escape(person.family_name)}\b", dump), person.family_name
    leaked = [value for value in values if value and value in dump]
    assert leaked == []
