"""Notifications (#13 point 2): one registry of kinds; every kind that asks a person to act is
produced by its domain action, for the right people (the persona cast); each person's e-mail
choice per kind is saved and respected."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from opennrm.audit.models import AuditEntry
from opennrm.cases import transfer as transfers
from opennrm.cases.enums import ConsentMethod, DetectionChannel
from opennrm.core import notification_kinds
from opennrm.core.acting import Actor
from opennrm.core.models import Notification, NotificationPreference, Territory
from opennrm.core.notification_kinds import EmailMode
from opennrm.detection import actions as detection
from opennrm.detection.tasks import send_triage_reminders
from opennrm.identification import actions as identification
from opennrm.identification.models import Route
from opennrm.support.models import Orientation, Urgency
from opennrm.support.tasks import send_orientation_reminders
from tests.acting import actor_for
from tests.factories import CaseFactory
from tests.identification.conftest import platform93, presumed_case, referred
from tests.support.conftest import make_presumed, sent, service

__all__ = ["platform93"]

pytestmark = pytest.mark.django_db

# What the domain actions of the issue must produce.
ASKED_BY_THE_ISSUE = {
    "detection.concern_to_triage",
    "support.orientation_received",
    "identification.referred",
    "identification.question",
    "identification.decision",
    "consent.withdrawn",
    "identification.reminder",
    "detection.triage_due",
    "support.orientation_due",
    "transfer.proposed",
}


def recipients(kind: str) -> set[str]:
    return {
        note.recipient.full_name
        for note in Notification.objects.filter(kind=kind).select_related("recipient")
    }


def supported(cast):
    """An adult presumed victim of Association 93 who needs shelter."""
    return make_presumed(CaseFactory(owner=cast.association), cast.amina, shelter=True)


def public_concern():
    return detection.submit_concern(
        Actor.public(),
        channel=DetectionChannel.PUBLIC_REPORT,
        territory=Territory.objects.get(code="93"),
        commune="Fictional town",
        place_type="shop",
        sector="unknown",
        description="Fictional description of what was seen.",
        signs=["cannot_leave"],
        child_involved="no",
    )


# The registry ----------------------------------------------------------------------------------


def test_the_registry_holds_every_kind_once_with_a_label_in_both_languages():
    codes = [kind.code for kind in notification_kinds.KINDS]
    assert len(codes) == len(set(codes))
    assert set(codes) >= ASKED_BY_THE_ISSUE
    for kind in notification_kinds.KINDS:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", kind.code)
        assert kind.default_email in EmailMode.VALUES
        with override("fr"):
            french = str(kind.label)
        with override("en"):
            english = str(kind.label)
        assert french != english, kind.code  # translated
    # Urgent ones are e-mailed at once by default; the rest wait for the digest.
    assert notification_kinds.mode_for("support.orientation_received", None, urgent=True) == (
        EmailMode.IMMEDIATE
    )
    assert notification_kinds.mode_for("support.orientation_received", None) == EmailMode.DIGEST
    assert notification_kinds.mode_for("identification.referred", None) == EmailMode.DIGEST
    # A person who wants no e-mail gets none, urgent or not.
    assert (
        notification_kinds.mode_for("support.orientation_received", EmailMode.NONE, urgent=True)
        == EmailMode.NONE
    )


def test_send_refuses_a_kind_nobody_registered(cast):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        Notification.send([cast.louis], kind="made.up", message="Fictional.")
    assert not Notification.objects.exists()


def test_every_kind_the_code_sends_is_registered():
    """The kinds written by the domain modules (literal codes) are all in the registry."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "opennrm"
    written: set[str] = set()
    pattern = re.compile(r'(?:kind=|_KIND = |REMINDER_KIND = )"([a-z]+\.[a-z_]+)"')
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or "demo" in path.parts:
            continue
        text = path.read_text()
        if "Notification" not in text and "remind_daily" not in text and "_notify" not in text:
            continue
        written |= set(pattern.findall(text))
    transfer_events = {"transfer.declined", "transfer.withdrawn"}  # passed as the event
    assert written, "the pattern found nothing"
    for code in written | transfer_events:
        if code.startswith(("account.", "transfer.", "identification.", "detection.")) or (
            code.startswith(("support.", "consent."))
        ):
            assert notification_kinds.is_known(code), code


# Each kind from its domain action -----------------------------------------------------------


def test_a_concern_tells_the_local_coordinator_of_its_departement(cast):
    concern = public_concern()
    note = Notification.objects.get(kind="detection.concern_to_triage")
    assert note.recipient == cast.louis  # the coordinator of 93, no one else
    assert note.link == reverse("web:concern", args=[concern.reference])
    assert concern.reference in note.text
    assert "Fictional" not in note.text


def test_an_orientation_received_tells_the_provider_urgent_ones_marked(cast):
    case = supported(cast)
    shelter = service(cast.accommodation, name="Shelter 93 — house A")
    urgent = sent(case, shelter, cast.amina, urgency=Urgency.URGENT)
    note = Notification.objects.get(kind="support.orientation_received")
    assert note.recipient == cast.ines
    assert note.urgent
    assert note.link == reverse("web:orientation_received", args=[urgent.pk])
    assert case.person.pseudonym not in note.text
    Notification.objects.all().delete()
    Orientation.objects.filter(pk=urgent.pk).update(status="declined")
    routine = service(cast.accommodation, name="Shelter 93 — house B")
    sent(case, routine, cast.amina, urgency=Urgency.ROUTINE)
    assert not Notification.objects.get(kind="support.orientation_received").urgent


def test_a_referral_received_a_question_and_a_decision_tell_who_must_act(cast, platform93):
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    assert "Louis" in recipients("identification.referred")  # the chair
    assert "Paul" in recipients("identification.referred")  # a seat of the platform
    assert "Amina" not in recipients("identification.referred")
    identification.request_information(
        referral, question="Fictional question?", actor=platform93.actor("louis")
    )
    assert recipients("identification.question") == {"Amina", "Hugo"}  # the referrer's staff
    judicial = referred(cast, presumed_case(cast), Route.JUDICIAL)
    identification.record_statement(
        judicial,
        kind="complaint",
        recorded_on=timezone.localdate(),
        service="Fictional unit",
        offence="Traite des êtres humains",
        procedure_reference="PV-FICT-1",
        actor=actor_for(cast.claire),
    )
    identification.record_judicial_decision(
        judicial, outcome="identified", reasons="Fictional reasons.", actor=actor_for(cast.claire)
    )
    assert recipients("identification.decision") == {"Amina", "Hugo"}


def test_a_consent_withdrawn_tells_the_owner_and_who_lost_access(cast):
    case = supported(cast)
    orientation = sent(case, service(cast.accommodation, name="Shelter"), cast.amina)
    Notification.objects.all().delete()
    orientation.consent.withdraw(actor=actor_for(cast.amina))
    notes = Notification.objects.filter(kind="consent.withdrawn").select_related("recipient")
    by_name = {note.recipient.full_name: note for note in notes}
    assert set(by_name) == {"Hugo", "Ines"}  # not Amina, who recorded it
    assert by_name["Hugo"].link == reverse("web:case", args=[case.reference])
    assert by_name["Ines"].link == ""  # the provider may no longer open it


def test_a_transfer_proposed_tells_the_receiving_coordinators(cast):
    case = supported(cast)
    transfers.propose_transfer(
        case,
        actor=actor_for(cast.amina),
        to_organisation=cast.other_association,
        to_territory=Territory.objects.get(code="13"),
        reason="person_moves",
        agreement=transfers.Agreement(person_consents=True, method=ConsentMethod.ORAL),
    )
    assert recipients("transfer.proposed") == {"Yasmine"}


def test_deadlines_near_or_missed_are_reminded_once_a_day(cast):
    concern = public_concern()
    case = supported(cast)
    orientation = sent(case, service(cast.accommodation, name="Shelter"), cast.amina)
    today = timezone.localdate()
    type(concern).objects.filter(pk=concern.pk).update(triage_due=today - datetime.timedelta(1))
    Orientation.objects.filter(pk=orientation.pk).update(response_due=today)
    assert send_triage_reminders.enqueue(today=today.isoformat()).return_value == 1
    assert send_orientation_reminders.enqueue(today=today.isoformat()).return_value == 1
    assert recipients("detection.triage_due") == {"Louis"}
    assert recipients("support.orientation_due") == {"Ines"}
    assert Notification.objects.get(kind="support.orientation_due").params == {"count": 1}
    # Run again the same day: nobody reminded twice.
    assert send_triage_reminders.enqueue(today=today.isoformat()).return_value == 0
    assert send_orientation_reminders.enqueue(today=today.isoformat()).return_value == 0
    # Not yet due: no reminder.
    later = today - datetime.timedelta(days=5)
    assert send_orientation_reminders.enqueue(today=later.isoformat()).return_value == 0


# Preferences -------------------------------------------------------------------------------


def test_preferences_are_saved_from_their_page_and_respected(cast, settings):
    settings.OPENNRM_BASE_URL = "https://opennrm.test.invalid"
    client = cast.client_for(cast.louis)
    page = client.get(reverse("web:notification_preferences"))
    assert page.status_code == 200
    assert "A concern to triage" in page.content.decode() or "Un signalement" in (
        page.content.decode()
    )
    # Reachable from the notifications page and the header.
    listing = client.get(reverse("web:notifications")).content.decode()
    assert reverse("web:notification_preferences") in listing
    data = {
        f"kind_{kind.code.replace('.', '__')}": kind.default_email
        for kind in notification_kinds.KINDS
    }
    data["kind_detection__concern_to_triage"] = EmailMode.IMMEDIATE
    response = client.post(reverse("web:notification_preferences"), data)
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=cast.louis).kind == (
        "detection.concern_to_triage"
    )  # the defaults need no row
    entry = AuditEntry.objects.get(action="notifications.preferences_changed")
    assert entry.details == {"changes": {"detection.concern_to_triage": "immediate"}}
    mail.outbox.clear()
    public_concern()
    assert [message.to for message in mail.outbox] == [[cast.louis.email]]
    body = mail.outbox[0].body
    assert "https://opennrm.test.invalid/notifications/" in body
    # Now no e-mail at all.
    data["kind_detection__concern_to_triage"] = EmailMode.NONE
    client.post(reverse("web:notification_preferences"), data)
    mail.outbox.clear()
    public_concern()
    assert mail.outbox == []
    assert Notification.objects.filter(kind="detection.concern_to_triage").count() == 2
    # A mode that does not exist is refused.
    data["kind_detection__concern_to_triage"] = "hourly"
    assert client.post(reverse("web:notification_preferences"), data).status_code == 200
    assert NotificationPreference.objects.get(user=cast.louis).email == EmailMode.NONE


def test_the_preferences_page_needs_a_signed_in_user(client):
    response = client.get(reverse("web:notification_preferences"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_notifications_page_marks_urgent_ones_and_says_their_kind(cast):
    Notification.send(
        [cast.ines],
        kind="support.orientation_received",
        message="Fictional.",
        urgent=True,
    )
    client = cast.client_for(cast.ines)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("web:notifications")).content.decode()
    assert "opennrm-urgent" in page
    assert "An orientation received" in page
