"""Background jobs of formal identification (django-tasks): reminders of decisions due.

A reminder says how many decisions are due soon or overdue, with a link, and nothing else:
no name, no pseudonym, no case reference — e-mails leave the system.
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.core.links import base_url
from opennrm.core.models import Membership, Notification, User
from opennrm.core.notification_kinds import EmailMode
from opennrm.core.notifying import app_path as link
from opennrm.core.notifying import mode_of
from opennrm.identification.composition import acting_chairs, excluded_member_ids
from opennrm.identification.deadlines import DUE_SOON_DAYS
from opennrm.identification.models import PlatformMember, Referral, Route
from opennrm.identification.notifications import REMINDER, roles_with
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile

logger = logging.getLogger(__name__)

REMINDER_KIND = "identification.reminder"
REMINDERS_PROCESS = "identification_reminders"


def reminder_recipients(today: datetime.date) -> dict[int, set[int]]:
    """User id → ids of the referrals due soon or overdue that await them."""
    due = (
        Referral.objects.running()
        .filter(decision_due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .select_related("case")
    )
    waiting: dict[int, set[int]] = defaultdict(set)
    judicial_roles = roles_with(Capability.JUDICIAL_IDENTIFICATION)
    chair_roles = roles_with(Capability.CHAIR_PLATFORM)
    for referral in due:
        if referral.route == Route.JUDICIAL:
            users = Membership.objects.active().filter(
                organisation_id=referral.target_id, role__in=judicial_roles
            )
            for user_id in users.values_list("user_id", flat=True):
                waiting[user_id].add(referral.pk)
            continue
        excluded = excluded_member_ids(referral)
        seats = (
            PlatformMember.objects.active()
            .filter(platform__territory_id=referral.case.territory_id)
            .exclude(pk__in=excluded)
            .exclude(votes__referral=referral)  # those who voted wait for the chair only
        )
        for user_id in seats.values_list("membership__user_id", flat=True):
            waiting[user_id].add(referral.pk)
        chairs = Membership.objects.active().filter(
            Q(organisation__territories=referral.case.territory_id)
            | Q(organisation__territories__children=referral.case.territory_id),
            role__in=chair_roles,
        )
        for user_id in chairs.values_list("user_id", flat=True):
            waiting[user_id].add(referral.pk)
        for seat in acting_chairs(referral, excluded):  # a deputy chairing it, who voted
            waiting[seat.membership.user_id].add(referral.pk)
    return waiting


@task()
def send_decision_reminders(today: str | None = None) -> int:
    """Remind each person concerned, once a day, in the app and by e-mail. Returns how many
    people were reminded."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    waiting = reminder_recipients(day)
    already = set(
        Notification.objects.filter(
            kind=REMINDER_KIND, created_at__date=day, recipient_id__in=list(waiting)
        ).values_list("recipient_id", flat=True)
    )
    users = User.objects.filter(pk__in=[pk for pk in waiting if pk not in already], is_active=True)
    path = link("web:identification_deadlines")
    url = f"{base_url()}{path}" if path else base_url()
    language = active_profile().default_language
    emails = 0
    reminded = 0
    for user in users.order_by("pk"):
        count = len(waiting[user.pk])
        # The notification and the e-mail (a row of the outbox, delivered by the worker) are
        # written together: both or neither, so a run cut short, or run again, reminds each
        # person once (ADR 0015).
        with transaction.atomic():
            Notification.send(
                [user],
                kind=REMINDER_KIND,
                message=REMINDER,
                params={"count": count},
                link=path,
                email=False,  # the reminder's own e-mail below says more (the days)
            )
            reminded += 1
            # As the person chose: at once (the default), in the daily digest, or not at all.
            if not user.email or mode_of(user, REMINDER_KIND) != EmailMode.IMMEDIATE:
                continue
            with translation.override(language):
                subject = _("OpenNRM: identification decisions due")
                body = render_to_string(
                    "identification/email/reminder.txt",
                    {"count": count, "days": DUE_SOON_DAYS, "url": url},
                )
            # Queued once per person and day, whoever runs the job (opennrm.outbox.backend).
            once = f"{REMINDER_KIND}:{day.isoformat()}:{user.pk}"
            EmailMessage(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
                headers={"X-Outbox-Key": once},
            ).send()
            emails += 1
    record(
        "identification.reminders_sent",
        object_type="identification.reminder",
        actor=Actor.system(REMINDERS_PROCESS),
        details={"day": day.isoformat(), "people": reminded, "emails": emails},
    )
    logger.info("Identification reminders: %s people, %s e-mails", reminded, emails)
    return reminded
