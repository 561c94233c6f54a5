"""The national synthetic dataset: made in bulk, fictional, realistic enough to measure pages
with, the same for the same seed, made once, and refused outside demo mode and the test
settings. One dataset is generated for the tests of `TestDataset` (rolled back afterwards)."""

import datetime
import io
import statistics
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from opennrm.audit.models import AuditBatch, AuditEntry
from opennrm.audit.trail import verify_chain
from opennrm.cases.access import visible_cases
from opennrm.cases.duplicates import find_possible_matches, organisations_holding
from opennrm.cases.enums import IdentificationStatus
from opennrm.cases.models import Case, CaseEvent, Person, PersonIndexToken, PossibleMatch
from opennrm.cases.reference_data import invalid_countries, invalid_languages
from opennrm.core.acting import Actor
from opennrm.core.models import Membership, Organisation, User
from opennrm.crypto import blind
from opennrm.demo.national import reference
from opennrm.demo.national.generator import (
    MARKER,
    Refused,
    fingerprint,
    generate,
    present,
    refusal,
)
from opennrm.demo.national.stories import PROCESS
from opennrm.demo.personas import AMINA, LOUIS
from opennrm.detection.models import Concern
from opennrm.identification.models import IdentificationDecision, Referral
from opennrm.support.models import Orientation, SupportClosure, SupportRecord

CASES = 1000
SEED = 5
ANCHOR = datetime.date(2026, 6, 1)
PREFIX = "C-NAT-"


@pytest.fixture(scope="class")
def dataset(django_db_setup, django_db_blocker):
    """One dataset for the class, made by the command, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command(
            "generate_national_dataset",
            "--cases",
            str(CASES),
            "--seed",
            str(SEED),
            "--anchor",
            ANCHOR.isoformat(),
            stdout=out,
        )
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.mark.usefixtures("dataset")
@pytest.mark.django_db
class TestDataset:
    def test_the_command_reports_progress_and_timings(self, dataset):
        assert f"{CASES:,} / {CASES:,} cases (100%)" in dataset
        assert "Timings per stage:" in dataset
        assert "organisations, staff, platforms, services" in dataset
        assert "cases_personindextoken" in dataset
        assert f"National dataset ready: {CASES:,} fictional cases, seed {SEED}" in dataset

    def test_counts(self):
        cases = Case.objects.filter(reference__startswith=PREFIX)
        assert cases.count() == CASES
        assert Person.objects.filter(pseudonym__startswith="P-NAT-").count() == CASES
        assert present() is not None and present().cases == CASES
        events = Counter(CaseEvent.objects.filter(case__in=cases).values_list("case", flat=True))
        assert len(events) == CASES  # every case has its timeline
        assert 9 <= statistics.mean(events.values()) <= 14  # about ten events a case
        entries = AuditEntry.objects.filter(process=PROCESS).exclude(action=MARKER).count()
        assert 3 * CASES <= entries <= 8 * CASES  # a few audit entries a case
        assert Concern.objects.filter(reference__startswith="S-NAT-").exists()

    def test_every_status_and_step_of_the_mechanism(self):
        cases = Case.objects.filter(reference__startswith=PREFIX)
        statuses = Counter(cases.values_list("status", flat=True))
        assert set(statuses) == set(IdentificationStatus.values)
        # Old cases are decided or closed, recent ones still move: most are past assessment.
        assert statuses[IdentificationStatus.PRELIMINARY_ASSESSMENT] < CASES * 0.1
        assert statuses[IdentificationStatus.IDENTIFIED_VICTIM] > CASES * 0.25
        referrals = Referral.objects.filter(case__in=cases)
        assert set(referrals.values_list("route", flat=True)) == {"judicial", "platform"}
        assert set(referrals.values_list("status", flat=True)) >= {"decided", "sent"}
        assert referrals.filter(reconsideration_of__isnull=False).exists()
        decisions = IdentificationDecision.objects.filter(case__in=cases)
        assert set(decisions.values_list("outcome", flat=True)) == {"identified", "not_identified"}
        platform = decisions.filter(route="platform").first()
        assert platform.chair is not None and platform.voters.count() == 5
        assert set(
            SupportRecord.objects.filter(case__in=cases).values_list("status", flat=True)
        ) == {
            "open",
            "closed",
        }
        assert SupportClosure.objects.filter(case__in=cases).exists()
        assert cases.filter(closures__isnull=False).exists()  # closed before support
        orientation_statuses = set(
            Orientation.objects.filter(case__in=cases).values_list("status", flat=True)
        )
        assert {"completed", "declined"} <= orientation_statuses
        assert cases.filter(child=True).count() > CASES * 0.05  # some children

    def test_distributions_roughly_as_intended(self):
        cases = Case.objects.filter(reference__startswith=PREFIX)
        forms = Counter(
            form for case_forms in cases.values_list("forms", flat=True) for form in case_forms
        )
        assert forms.most_common(1)[0][0] == "sexual_exploitation"
        units = Counter(cases.values_list("territory__code", flat=True))
        assert len(units) > 50  # spread over the country
        assert units["75"] > units["48"]  # Paris sees more than Lozère
        sexes = Counter(cases.values_list("person__sex", flat=True))
        assert sexes["female"] > sexes["male"] > 0
        nationalities = [
            n for ns in cases.values_list("person__nationalities", flat=True) for n in ns
        ]
        assert not invalid_countries(nationalities)
        languages = [
            code for ls in cases.values_list("person__languages", flat=True) for code in ls
        ]
        assert not invalid_languages(languages)
        channels = set(cases.values_list("channel", flat=True))
        assert channels == set(reference.CHANNELS)

    def test_persona_organisations_own_their_share(self):
        amina = Membership.objects.get(user__email=AMINA, role="field_worker")
        owned = Case.objects.filter(reference__startswith=PREFIX, owner=amina.organisation)
        share = owned.count() / CASES
        assert 0.005 <= share <= 0.02  # about 1 %
        assert set(owned.values_list("territory__code", flat=True)) == {"93"}
        mine = visible_cases(Actor.for_membership(amina))
        assert mine.filter(reference__startswith=PREFIX).count() >= owned.count()

    def test_the_coordination_of_93_sees_its_departement(self):
        louis = Membership.objects.get(user__email=LOUIS, role="local_coordinator")
        seen = visible_cases(Actor.for_membership(louis)).filter(reference__startswith=PREFIX)
        assert seen.exists()
        assert set(seen.values_list("territory__code", flat=True)) == {"93"}
        in_93 = Case.objects.filter(reference__startswith=PREFIX, territory__code="93").count()
        assert seen.count() < in_93  # shared with it (concerns, platform referrals), not all

    def test_identities_are_encrypted_and_decrypt(self):
        persons = Person.objects.filter(pseudonym__startswith="P-NAT-").order_by("pk")
        person = next(person for person in persons if person.given_names)
        assert person.given_names and "(" not in person.given_names
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT given_names, family_name, date_of_birth FROM cases_person WHERE id = %s",
                [person.pk],
            )
            given, family, born = cursor.fetchone()
        assert given.startswith("v1:") and family.startswith("v1:")
        assert born is None or born.startswith("v1:")
        case = person.cases.get()
        with connection.cursor() as cursor:
            cursor.execute("SELECT places FROM cases_case WHERE id = %s", [case.pk])
            assert cursor.fetchone()[0].startswith("v1:")
        assert case.places.startswith("Fictional")

    def test_blind_index_tokens_are_those_person_save_stores(self):
        persons = Person.objects.filter(pseudonym__startswith="P-NAT-").order_by("pk")
        for person in persons[:25]:
            expected = {
                (entry.kind, entry.token)
                for entry in blind.index_entries(
                    given_names=person.given_names,
                    family_name=person.family_name,
                    aliases=person.aliases,
                    date_of_birth=person.date_of_birth,
                )
            }
            stored = set(person.index_tokens.values_list("kind", "token"))
            assert stored == expected
        assert PersonIndexToken.objects.filter(person__in=persons).count() > 10 * persons.count()

    def test_a_person_met_again_is_found_through_the_blind_index(self):
        match = PossibleMatch.objects.filter(case__reference__startswith=PREFIX).first()
        assert match is not None
        case = match.case
        matches = find_possible_matches(case.person)
        assert matches
        holding = organisations_holding(matches, exclude={case.owner_id})
        assert match.organisation in holding

    def test_the_audit_trail_verifies_and_is_sealed(self):
        checked, broken = verify_chain()
        assert broken is None
        assert checked >= AuditEntry.objects.filter(process=PROCESS).count()
        assert not AuditEntry.objects.filter(process=PROCESS, batch__isnull=True).exists()
        assert AuditBatch.objects.exists()
        entry = AuditEntry.objects.filter(process=PROCESS, action="case.create").first()
        assert entry.compute_hash() == entry.entry_hash
        assert entry.channel == "command" and entry.actor is not None

    def test_everything_added_says_it_is_fictional(self):
        added = Organisation.objects.filter(email__endswith="@national.opennrm.invalid")
        assert added.exists()
        assert all(name.endswith("(fictional)") for name in added.values_list("name", flat=True))
        staff = User.objects.filter(email__endswith="@national.opennrm.invalid")
        assert staff.exists() and not any(user.has_usable_password() for user in staff[:20])
        assert all(
            name.endswith("(fictional)") for name in staff.values_list("full_name", flat=True)
        )
        reasons = IdentificationDecision.objects.filter(case__reference__startswith=PREFIX)[0]
        assert reasons.reasons.startswith("Fictional")

    def test_a_second_run_does_nothing_and_other_parameters_are_refused(self):
        before = Case.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count()
        report = generate(CASES, SEED, anchor=ANCHOR)
        assert report.skipped
        assert (
            Case.objects.count(),
            CaseEvent.objects.count(),
            AuditEntry.objects.count(),
        ) == before
        with pytest.raises(Refused, match="already present"):
            generate(CASES, SEED + 1, anchor=ANCHOR)
        with pytest.raises(CommandError, match="already present"):
            call_command("generate_national_dataset", "--cases", "10", stdout=io.StringIO())


def _generate_and_fingerprint(cases: int, seed: int) -> str:
    with transaction.atomic():
        generate(cases, seed, anchor=ANCHOR)
        digest = fingerprint()
        transaction.set_rollback(True)
    return digest


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data():
    first = _generate_and_fingerprint(150, 11)
    assert _generate_and_fingerprint(150, 11) == first
    assert _generate_and_fingerprint(150, 12) != first
    assert not Case.objects.filter(reference__startswith=PREFIX).exists()


# _settings_note: pytest-django's `settings` makes one override per attribute set, and an
# override shows SETTINGS_MODULE as None unless it sets it: SETTINGS_MODULE is set last.


@pytest.mark.django_db
@pytest.mark.parametrize("module", ["config.settings.production", "config.settings.elsewhere"])
def test_refused_outside_demo_mode_and_the_test_settings(settings, module):
    settings.DEMO_MODE = False
    settings.SETTINGS_MODULE = module  # set last (see _settings_note)
    assert refusal() is not None
    with pytest.raises(CommandError, match=r"demo mode|production"):
        call_command("generate_national_dataset", "--cases", "10", stdout=io.StringIO())
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_refused_with_the_production_settings_even_in_demo_mode(settings):
    settings.DEMO_MODE = True
    settings.SETTINGS_MODULE = "config.settings.production"  # set last (see _settings_note)
    assert "production" in refusal()


@pytest.mark.django_db
def test_allowed_in_demo_mode(settings):
    settings.DEMO_MODE = True
    settings.SETTINGS_MODULE = "config.settings.demo"  # set last (see _settings_note)
    assert refusal() is None


requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY, index rebuild and workers: PostgreSQL only"
)


@pytest.mark.django_db
@pytest.mark.postgres
@requires_postgres
def test_large_dataset_path_on_postgres():
    """What a large dataset uses: worker processes, indexes dropped and built again, foreign
    keys checked at the end. The same data as in this process, every index back."""

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
            return {row[0] for row in cursor.fetchall()}

    before = indexes()
    with transaction.atomic():
        report = generate(120, 11, anchor=ANCHOR, workers=2, rebuild_indexes=True)
        assert "secondary indexes built" in report.stages
        assert "foreign keys checked" in report.stages
        assert indexes() == before
        assert verify_chain()[1] is None
        parallel = fingerprint()
        transaction.set_rollback(True)
    assert _generate_and_fingerprint(120, 11) == parallel


def test_the_largest_tables_copy_lines_are_the_generic_ones():
    from opennrm.demo.national import tables
    from opennrm.demo.national.writer import copy_line

    at = datetime.datetime(2026, 3, 1, 9, 30, 12, 345678, tzinfo=datetime.UTC)
    details = '{"organisation": 3, "note": "tab\\there, back\\\\slash"}'
    rows = {
        tables.TOKEN: [(1, 2, "trigram", "0123456789abcdef0123456789abcdef")],
        tables.EVENT: [
            (1, 2, at, "status.presumed_victim", "preliminary_assessment", "presumed_victim",
             "v1:k:AbC+/=", details, 4, 5),
            (2, 2, at, "case.opened", "", "", "", "{}", None, None),
        ],
        tables.AUDIT: [
            (1, at, 4, 5, "case.create", "cases.case", "2", None, "command", "p", details, "",
             "ff" * 32, 9),
            (2, at, None, None, "case.create", "cases.case", "2", None, "command", "p", "{}", "",
             "ff" * 32, None),
        ],
    }  # fmt: skip
    for table, sample in rows.items():
        for row in sample:
            assert table.line(row) == copy_line(row)


@pytest.mark.django_db
def test_refused_with_another_jurisdiction_profile(settings):
    settings.OPENNRM_PROFILE = "osce"
    settings.SETTINGS_MODULE = "config.settings.test"  # set last (see _settings_note)
    with pytest.raises(Refused, match="'fr' profile"):
        generate(10, 1, anchor=ANCHOR)
