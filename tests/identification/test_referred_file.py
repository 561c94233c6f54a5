"""The file that goes to formal identification (issue 12, point 4): assembled from what exists,
checked by the referring worker before it is sent, limited to what the person agreed to share,
and kept up to date for its readers, who are told of each later addition."""

import pytest
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import FileItem
from opennrm.core.models import Notification
from opennrm.detection import accounts, facts
from opennrm.detection.actions import record_rights_information
from opennrm.identification import actions
from opennrm.identification.models import Referral, Route
from opennrm.identification.services import refer
from opennrm.support.services import record_immediate_needs
from tests.acting import actor_for
from tests.cases.test_evidence import attach
from tests.identification.conftest import (
    FAMILY_NAME,
    client_as,
    presumed_case,
    vote_all,
)

STORY = "Fictional: recruited at a bus station with the promise of a kitchen job."
WORKPLACE = "Fictional Vineyards of the Checked File"
NEEDS_NOTE = "Fictional: needs a night shelter far from the employer, in another town."
ALL = [code for code, _label in FileItem.choices]


def _fill(cast, case):
    """An account section, rights information and immediate needs, as the field worker."""
    actor = actor_for(cast.amina)
    accounts.save_section(case, "recruitment", {"recruitment": STORY}, actor=actor)
    record_rights_information(
        case, actor=actor, given_on=case.detected_on, language="ro", leaflet_language="fr"
    )
    record_immediate_needs(case, actor=actor, shelter=True, notes=NEEDS_NOTE)
    facts.add_workplace(case, {"name": WORKPLACE}, actor=actor)


def _refer(cast, case, items, route=Route.PLATFORM):
    target = cast.police if route == Route.JUDICIAL else cast.coordination
    return refer(
        case,
        route=route,
        target=target,
        consent=case.active_consent("referral"),
        actor=actor_for(cast.amina),
        items=items,
    )


def _platform_page(cast, referral):
    response = client_as(cast, cast.paul).get(reverse("web:platform_case", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_worker_checks_the_whole_file_before_it_is_sent(cast, platform93):
    case = presumed_case(cast)
    _fill(cast, case)
    client = client_as(cast, cast.amina)
    url = reverse("web:refer", args=[case.reference])
    data = {
        "route": "platform",
        "target": cast.coordination.pk,
        "items": ["account", "facts", "rights"],
    }
    page = client.post(url, data).content.decode()
    # The check: exactly what the platform will read, nothing saved yet.
    assert "Check before sending" in page
    assert STORY in page and WORKPLACE in page
    assert "Informed on" in page
    assert NEEDS_NOTE not in page  # left out, as the person asked
    assert "Left out, as the person asked" in page and "The immediate needs" in page
    assert "The person's identity is not shared" in page
    assert FAMILY_NAME not in page
    assert not Referral.objects.exists()
    check = AuditEntry.objects.filter(action="account.read").latest("pk")
    assert check.details["via"] == "referral_check"
    # Changing one's mind goes back to the choices, still nothing saved.
    page = client.post(url, {**data, "edit": "1"}).content.decode()
    assert "Check before sending" not in page and "Check the file before sending" in page
    assert not Referral.objects.exists()
    # Sending stores what was checked.
    response = client.post(url, {**data, "send": "1"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.file_items == ["account", "facts", "rights"]
    entry = AuditEntry.objects.get(action="referral.create")
    assert entry.details["parts"] == ["account", "facts", "rights"]


def test_the_judicial_check_says_the_identity_goes_with_it(cast):
    case = presumed_case(cast)
    client = client_as(cast, cast.amina)
    page = client.post(
        reverse("web:refer", args=[case.reference]),
        {"route": "judicial", "target": cast.police.pk, "items": ALL},
    ).content.decode()
    assert "also receives the person's identity" in page
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("left_out", "absent", "says"),
    [
        ("account", STORY, "did not agree to share their account"),
        ("facts", WORKPLACE, "Not shared with this referral."),
        ("needs", NEEDS_NOTE, "Not shared with this referral."),
        ("rights", "Informed on", "Not shared with this referral."),
        ("timeline", 'id="file-timeline"', "Not shared with this referral."),
    ],
)
def test_what_the_person_did_not_agree_to_share_stays_off_the_file(
    cast, platform93, left_out, absent, says
):
    case = presumed_case(cast)
    _fill(cast, case)
    shared = _refer(cast, case, [code for code in ALL if code != left_out])
    page = _platform_page(cast, shared)
    assert absent not in page
    assert says in page
    # Everything else is there.
    for code, present in (
        ("account", STORY),
        ("facts", WORKPLACE),
        ("needs", NEEDS_NOTE),
        ("rights", "Informed on"),
        ("timeline", 'id="file-timeline"'),
    ):
        if code != left_out:
            assert present in page, code


def test_the_account_left_out_is_not_even_read(cast, platform93):
    case = presumed_case(cast)
    _fill(cast, case)
    before = AuditEntry.objects.filter(action="account.read").count()
    _platform_page(cast, _refer(cast, case, ["rights"]))
    assert AuditEntry.objects.filter(action="account.read").count() == before


def test_readers_are_told_of_later_additions_once_until_they_read(cast, platform93):
    case = presumed_case(cast)
    referral = _refer(cast, case, ["account", "needs"])
    Notification.objects.all().delete()
    actor = actor_for(cast.amina)
    accounts.save_section(case, "journey", {"journey": "Fictional: by coach."}, actor=actor)
    accounts.save_section(case, "background", {"background": "Fictional."}, actor=actor)
    told = Notification.objects.filter(kind="identification.file_updated")
    readers = set(told.values_list("recipient_id", flat=True))
    assert cast.paul.pk in readers and cast.louis.pk in readers
    assert cast.amina.pk not in readers
    assert told.filter(recipient=cast.paul).count() == 1  # not one per save
    notice = told.get(recipient=cast.paul)
    assert case.reference in notice.text and "account" in notice.text
    assert notice.link == reverse("web:platform_case", args=[referral.pk])
    # Rights information was not shared: its readers are not told of it.
    record_rights_information(case, actor=actor, given_on=case.detected_on, language="fr")
    assert not told.filter(params__part="rights").exists()
    # Facts were not shared either.
    facts.add_exploiter(case, {"name": "Fictional Unshared Exploiter"}, actor=actor)
    assert not told.filter(params__part="facts").exists()
    # Needs were shared: a second notice, of its own.
    record_immediate_needs(case, actor=actor, medical=True)
    assert told.filter(recipient=cast.paul, params__part="needs").count() == 1
    # Read, then changed again: told again.
    told.filter(recipient=cast.paul).update(read_at=case.opened_at)
    accounts.save_section(case, "journey", {"journey": "Fictional: by train."}, actor=actor)
    assert told.filter(recipient=cast.paul, params__part="account").count() == 2


def test_the_judicial_service_is_told_and_nobody_once_consent_is_withdrawn(cast):
    case = presumed_case(cast)
    _refer(cast, case, ALL, route=Route.JUDICIAL)
    Notification.objects.all().delete()
    actor = actor_for(cast.amina)
    accounts.save_section(case, "journey", {"journey": "Fictional: on foot."}, actor=actor)
    assert Notification.objects.filter(
        recipient=cast.claire, kind="identification.file_updated"
    ).exists()
    Notification.objects.all().delete()
    case.active_consent("referral").withdraw(actor=actor)
    accounts.save_section(case, "journey", {"journey": "Fictional: by boat."}, actor=actor)
    assert not Notification.objects.filter(kind="identification.file_updated").exists()


def test_a_reconsideration_carries_what_the_person_agreed_to_share(cast, platform93):
    case = presumed_case(cast)
    referral = _refer(cast, case, ["rights"])
    vote_all(platform93, referral, platform93.first, choice="not_identified")
    decision = actions.record_platform_decision(
        referral, outcome="not_identified", reasons="Fictional.", actor=platform93.actor("louis")
    )
    again = actions.request_reconsideration(
        decision, new_elements="Fictional: a new witness.", actor=actor_for(cast.amina)
    )
    assert again.file_items == ["rights"]


def test_documents_travel_as_the_person_chose_one_by_one(cast, platform93):
    case = presumed_case(cast)
    shared = attach(case, cast.amina, name="receipt-shared.pdf", kind="complaint_receipt")
    kept = attach(case, cast.amina, name="certificate-kept.pdf", kind="medical_certificate")
    client = client_as(cast, cast.amina)
    url = reverse("web:refer", args=[case.reference])
    data = {
        "route": "platform",
        "target": cast.coordination.pk,
        "items": ALL,
        "documents": [shared.pk],
    }
    page = client.post(url, data).content.decode()  # the check
    assert "receipt-shared.pdf" in page and "certificate-kept.pdf" not in page
    assert client.post(url, {**data, "send": "1"}).status_code == 302
    referral = Referral.objects.get()
    assert referral.withheld_evidence == [kept.pk]
    page = _platform_page(cast, referral)
    assert "receipt-shared.pdf" in page and "certificate-kept.pdf" not in page
    paul = client_as(cast, cast.paul)
    download = "web:referred_evidence_download"
    assert paul.get(reverse(download, args=[shared.pk])).status_code == 200
    assert paul.get(reverse(download, args=[kept.pk])).status_code == 404
    # A document added later travels, and the readers are told.
    Notification.objects.all().delete()
    later = attach(case, cast.amina, name="payslip-later.pdf", kind="other")
    assert paul.get(reverse(download, args=[later.pk])).status_code == 200
    assert Notification.objects.filter(recipient=cast.paul, params__part="evidence").exists()


def test_no_document_travels_when_the_person_shares_none(cast, platform93):
    case = presumed_case(cast)
    document = attach(case, cast.amina, name="receipt-private.pdf")
    referral = _refer(cast, case, [code for code in ALL if code != "evidence"])
    page = _platform_page(cast, referral)
    assert "receipt-private.pdf" not in page
    url = reverse("web:referred_evidence_download", args=[document.pk])
    assert client_as(cast, cast.paul).get(url).status_code == 404
    Notification.objects.all().delete()
    attach(case, cast.amina, name="another-private.pdf")
    assert not Notification.objects.filter(params__part="evidence").exists()
