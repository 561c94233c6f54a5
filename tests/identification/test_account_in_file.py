"""The person's account travels with the referral (DESIGN §1.5, "tell your story once"): the
platform members and the judicial service read it in the file, within the person's consent;
each read is audited."""

from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ConsentScope
from opennrm.detection import accounts
from opennrm.detection.access import account_in_referred_file
from opennrm.identification.services import reads_referred_file
from tests.acting import actor_for
from tests.identification.conftest import client_as

STORY = "Fictional: promised a job in a restaurant, worked in a field for no pay."


def _write(cast, case):
    actor = actor_for(cast.amina)
    accounts.save_section(case, "recruitment", {"recruitment": STORY}, actor=actor)
    accounts.add_situation(case, {"sector": "agriculture", "commune": "Fictionville"}, actor=actor)


def test_the_platform_members_read_the_account_in_the_file(cast, platform_referral):
    _write(cast, platform_referral.case)
    url = reverse("web:platform_case", args=[platform_referral.pk])
    page = client_as(cast, cast.paul).get(url).content.decode()
    assert STORY in page
    assert "Fictionville" in page and "Situation 1" in page
    assert "2 of 10 sections filled" in page
    read = AuditEntry.objects.filter(action="account.read").latest("pk")
    assert read.details["via"] == "referral" and read.details["case"] == platform_referral.case_id


def test_the_judicial_service_reads_it_and_nobody_else_through_the_file(cast, judicial_referral):
    case = judicial_referral.case
    _write(cast, case)
    page = client_as(cast, cast.claire).get(
        reverse("web:judicial_referral", args=[judicial_referral.pk])
    )
    assert STORY in page.content.decode()
    for name in ("paul", "louis", "ines", "yasmine", "hugo"):
        assert not reads_referred_file(actor_for(getattr(cast, name)), case), name


def test_a_file_without_account_says_so(cast, judicial_referral):
    page = client_as(cast, cast.claire).get(
        reverse("web:judicial_referral", args=[judicial_referral.pk])
    )
    assert "No account was recorded during preliminary identification." in page.content.decode()


def test_withdrawn_consent_ends_the_reading(cast, judicial_referral):
    case = judicial_referral.case
    _write(cast, case)
    claire = actor_for(cast.claire)
    assert account_in_referred_file(claire, case) is not None
    case.active_consent(ConsentScope.REFERRAL).withdraw(actor=actor_for(cast.amina))
    assert not reads_referred_file(claire, case)
    url = reverse("web:judicial_referral", args=[judicial_referral.pk])
    assert client_as(cast, cast.claire).get(url).status_code == 404
