"""The reminder job (django-tasks) against a real SMTP server (aiosmtpd, see tests/conftest.py):
in-app and e-mail reminders, with no personal data in the e-mail."""

import datetime

import pytest
from django.utils import timezone

from opennrm.core.models import Notification
from opennrm.identification import actions
from opennrm.identification.models import Referral, Route
from opennrm.identification.tasks import send_decision_reminders
from tests.identification.conftest import (
    ALIAS,
    FAMILY_NAME,
    GIVEN_NAMES,
    presumed_case,
    referred,
)

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()


def due(referral, days):
    Referral.objects.filter(pk=referral.pk).update(
        decision_due=TODAY + datetime.timedelta(days=days)
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def waiting(cast, platform93):
    overdue = due(referred(cast, presumed_case(cast), Route.PLATFORM), -1)
    soon = due(referred(cast, presumed_case(cast), Route.PLATFORM), 2)
    due(referred(cast, presumed_case(cast), Route.PLATFORM), 30)  # not yet
    judicial = due(referred(cast, presumed_case(cast), Route.JUDICIAL), 1)
    # Lina declared a conflict on one case; Paul already voted on the other.
    actions.declare_conflict(overdue, actor=platform93.actor("lina"))
    actions.cast_vote(soon, choice="identified", reasons="x", actor=platform93.actor("paul"))
    return {"overdue": overdue, "soon": soon, "judicial": judicial}


def test_the_job_sends_reminders_without_personal_data(
    cast, platform93, waiting, smtp_server, settings
):
    settings.OPENNRM_BASE_URL = "https://opennrm.test.invalid"
    result = send_decision_reminders.enqueue()
    assert result.return_value > 0
    by_recipient = {mail.recipients[0]: mail for mail in smtp_server}
    assert cast.claire.email in by_recipient  # the judicial service
    assert cast.louis.email in by_recipient  # the chair
    assert cast.paul.email in by_recipient  # one case still awaits him
    assert cast.amina.email not in by_recipient  # field workers decide nothing
    # The count opens the second paragraph (the e-mail is in the profile's language).
    lina = by_recipient[platform93.users["lina"].email]
    assert "\n1 " in lina.body.replace("\r", "")  # the conflicted case is not hers
    louis = by_recipient[cast.louis.email]
    assert "\n2 " in louis.body.replace("\r", "")
    assert "https://opennrm.test.invalid/identification/deadlines/" in louis.body
    secrets = [GIVEN_NAMES, FAMILY_NAME, ALIAS]
    for referral in waiting.values():
        secrets += [referral.case.reference, referral.case.person.pseudonym]
    for mail in smtp_server:
        for secret in secrets:
            assert secret not in mail.content, secret
    # The same reminders in the app, with a link and a count only.
    note = Notification.objects.get(recipient=cast.louis, kind="identification.reminder")
    assert note.params == {"count": 2}
    assert note.link == "/identification/deadlines/"


def test_the_job_reminds_once_a_day(cast, platform93, waiting, smtp_server):
    send_decision_reminders.enqueue()
    sent = len(smtp_server)
    assert sent > 0
    send_decision_reminders.enqueue()
    assert len(smtp_server) == sent
    assert (
        Notification.objects.filter(recipient=cast.louis, kind="identification.reminder").count()
        == 1
    )


def test_a_paused_case_is_not_reminded(cast, platform93, smtp_server):
    referral = due(referred(cast, presumed_case(cast), Route.PLATFORM), -3)
    actions.request_information(referral, question="Fictional?", actor=platform93.actor("louis"))
    assert send_decision_reminders.enqueue().return_value == 0
    assert smtp_server == []


def test_the_management_command_queues_the_job(cast, platform93, waiting, smtp_server):
    from django.core.management import call_command

    call_command("send_identification_reminders", verbosity=0)
    assert smtp_server
