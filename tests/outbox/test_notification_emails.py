"""Notifications by e-mail (#13 point 2) through the outbox, against the local SMTP server:
at once for who chose so (urgent orientations by default), in one daily digest otherwise, sent
once even when the job runs twice, never with personal data, and never lost when the mail
server is down."""

import datetime

import pytest
from django.utils import timezone, translation

from opennrm.cases.enums import DetectionChannel
from opennrm.core import notification_kinds
from opennrm.core.acting import Actor
from opennrm.core.models import Notification, NotificationDigest, NotificationPreference
from opennrm.core.tasks import send_notification_digests
from opennrm.detection import actions as detection
from opennrm.outbox.delivery import deliver_due
from opennrm.outbox.models import OutgoingEmail
from opennrm.profiles.loader import active_profile
from opennrm.support.models import Urgency
from tests.factories import CaseFactory
from tests.outbox.conftest import mail_server_down
from tests.support.conftest import make_presumed, sent, service

ACTOR = Actor.system("outbox")
LATER = datetime.timedelta(hours=2)  # past any back-off of the first attempts
BASE = "https://opennrm.test.invalid"


def supported(cast):
    case = CaseFactory(owner=cast.association)
    return make_presumed(case, cast.amina, shelter=True)


def concern():
    from opennrm.core.models import Territory

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


def secrets_of(cast, case=None) -> list[str]:
    """What no e-mail may say: the people's names, the person's identity and pseudonym, the
    case's reference."""
    found = [user.full_name for user in (cast.louis, cast.ines, cast.amina, cast.hugo)]
    if case is not None:
        person = case.person
        found += [person.given_names, person.family_name, person.pseudonym, case.reference]
    return found


def assert_no_personal_data(mails, secrets):
    assert mails
    for received in mails:
        for secret in secrets:
            assert secret not in received.content, secret
            assert secret not in received.body, secret


@pytest.mark.django_db(transaction=True)  # the e-mail leaves once its transaction commits
def test_an_urgent_orientation_is_e_mailed_at_once_without_personal_data(
    cast, outbox_mail, settings
):
    settings.OPENNRM_BASE_URL = BASE
    case = supported(cast)
    shelter = service(cast.accommodation, name="Shelter 93 — house A")
    sent(case, shelter, cast.amina, urgency=Urgency.IMMEDIATE)
    mails = [mail for mail in outbox_mail if cast.ines.email in mail.recipients]
    assert len(mails) == 1
    body = mails[0].body
    assert f"{BASE}/notifications/" in body
    with translation.override(active_profile().default_language):
        label = str(notification_kinds.get("support.orientation_received").label)
    assert label in mails[0].content
    assert_no_personal_data(mails, [*secrets_of(cast, case), "Shelter 93"])
    assert {row.status for row in OutgoingEmail.objects.all()} == {OutgoingEmail.SENT}
    # Who wants no e-mail of this kind gets none, urgent or not.
    NotificationPreference.objects.create(
        user=cast.ines, kind="support.orientation_received", email="none"
    )
    outbox_mail.clear()
    sent(case, service(cast.accommodation, name="Shelter 93 — house B"), cast.amina)
    assert outbox_mail == []
    assert Notification.objects.filter(recipient=cast.ines, urgent=True).count() == 2


@pytest.mark.django_db
def test_a_mail_server_that_is_down_loses_no_notification_e_mail(cast, outbox_mail, settings):
    case = supported(cast)
    with mail_server_down(settings):
        sent(case, service(cast.accommodation, name="Shelter"), cast.amina)
        row = OutgoingEmail.objects.get()
        assert row.status == OutgoingEmail.PENDING
        assert deliver_due(ACTOR).retrying == 1
        row.refresh_from_db()
        assert (row.status, row.last_error) == (OutgoingEmail.PENDING, "ConnectionRefusedError")
        assert outbox_mail == []
    # The server is back: the outbox worker sends it, once.
    assert deliver_due(ACTOR, now=timezone.now() + LATER).sent == 1
    assert deliver_due(ACTOR, now=timezone.now() + 2 * LATER).sent == 0
    assert [mail.recipients for mail in outbox_mail] == [[cast.ines.email]]
    assert_no_personal_data(outbox_mail, secrets_of(cast, case))


@pytest.mark.django_db
def test_the_daily_digest_counts_per_kind_and_is_sent_once(cast, outbox_mail, settings):
    settings.OPENNRM_BASE_URL = BASE
    first, second = concern(), concern()  # two concerns to triage for Louis (digest: default)
    assert not OutgoingEmail.objects.exists()  # nothing at once
    today = timezone.localdate()
    assert send_notification_digests.enqueue(today=today.isoformat()).return_value == 1
    # The job run again (a retry, a second scheduler): no second digest.
    assert send_notification_digests.enqueue(today=today.isoformat()).return_value == 0
    assert NotificationDigest.objects.get().user == cast.louis
    assert deliver_due(ACTOR).sent == 1
    assert len(outbox_mail) == 1
    digest = outbox_mail[0]
    assert digest.recipients == [cast.louis.email]
    with translation.override(active_profile().default_language):
        label = str(notification_kinds.get("detection.concern_to_triage").label)
    assert f"- {label}: 2" in digest.content
    assert f"{BASE}/notifications/" in digest.body
    assert_no_personal_data(
        outbox_mail, [*secrets_of(cast), first.reference, second.reference, "Fictional"]
    )
    # The next day, nothing new: no digest. A new one counts only what came since.
    tomorrow = today + datetime.timedelta(days=1)
    assert send_notification_digests.enqueue(today=tomorrow.isoformat()).return_value == 0
    concern()
    assert send_notification_digests.enqueue(today=tomorrow.isoformat()).return_value == 1
    deliver_due(ACTOR)
    assert f"- {label}: 1" in outbox_mail[-1].content
    # What was read, or what the person wants no e-mail of, is not in a digest.
    Notification.objects.update(read_at=timezone.now())
    concern()
    NotificationPreference.objects.create(
        user=cast.louis, kind="detection.concern_to_triage", email="none"
    )
    concern()
    after = tomorrow + datetime.timedelta(days=1)
    assert send_notification_digests.enqueue(today=after.isoformat()).return_value == 0
