"""Notifications by e-mail: at once, or in a daily digest, as each person chose per kind.

An e-mail says how many notifications wait, of which kind (its label), and where to read them
(the notifications page, an absolute link built from `OPENNRM_BASE_URL`): never a name, a
pseudonym, a case reference or any other personal data, since e-mails leave the system.

Every e-mail goes through Django's mail API, hence the outbox (`opennrm.outbox`): it is written
in the caller's transaction (the notification and its e-mail, both or neither) and delivered by
the outbox worker once that transaction commits; a mail server that is down delays it, never
loses it.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opennrm.core import notification_kinds
from opennrm.core.links import absolute_url, base_url
from opennrm.core.notification_kinds import EmailMode
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from opennrm.core.models import Notification, Organisation, Territory, User

logger = logging.getLogger(__name__)

DIGEST_PROCESS = "notification_digests"
# A first digest (or one after a long silence) counts no further back than this.
DIGEST_LOOKBACK = datetime.timedelta(days=1)


def holders(
    capabilities: Iterable[Capability],
    *,
    organisations: "Iterable[Organisation] | QuerySet[Organisation] | None" = None,
    covering: "Territory | None" = None,
    exclude: int | None = None,
) -> "QuerySet[User]":
    """Active users holding one of these capabilities (roles are data: the profile's) in one
    of these organisations, or in the organisations covering this territory directly."""
    from opennrm.core.models import Membership, User

    wanted = set(capabilities)
    roles = [role.code for role in active_profile().roles if wanted & set(role.capabilities)]
    memberships = Membership.objects.active().filter(role__in=roles)
    if organisations is not None:
        memberships = memberships.filter(organisation__in=list(organisations))
    if covering is not None:
        memberships = memberships.filter(organisation__territories=covering)
    users = User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)
    if exclude:
        users = users.exclude(pk=exclude)
    return users.order_by("pk")


def email_language(user: "User") -> str:
    """The language a person's e-mails are written in: the profile's (users have no language
    of their own yet)."""
    return active_profile().default_language


def app_path(name: str, *args: object) -> str:
    """A path in OpenNRM for a notification's link, or nothing when the web layer is not loaded
    (a command) or the page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def notifications_url() -> str:
    try:
        return absolute_url(reverse("web:notifications"))
    except NoReverseMatch:  # the web layer is not loaded (a command)
        return base_url()


def preferences_of(user_ids: Iterable[int], kind: str | None = None) -> dict[tuple[int, str], str]:
    """(user id, kind) → the e-mail mode chosen, for the rows that exist."""
    from opennrm.core.models import NotificationPreference

    rows = NotificationPreference.objects.filter(user_id__in=list(user_ids))
    if kind is not None:
        rows = rows.filter(kind=kind)
    return {(row.user_id, row.kind): row.email for row in rows}


def mode_of(user: "User", kind: str, *, urgent: bool = False) -> str:
    """The e-mail mode that applies to this person for this kind."""
    chosen = preferences_of([user.pk], kind).get((user.pk, kind))
    return notification_kinds.mode_for(kind, chosen, urgent=urgent)


def _footer() -> str:
    return _("This message contains no personal data. Do not reply to it.")


def immediate_email(user: "User", kind: str, *, urgent: bool, key: str) -> EmailMessage:
    """The e-mail of one notification: its kind and a link, in the person's language."""
    with translation.override(email_language(user)):
        label = notification_kinds.label(kind)
        if urgent:
            subject = _("OpenNRM: urgent — %(kind)s") % {"kind": label}
            lead = _("An urgent notification awaits you in OpenNRM: %(kind)s.") % {"kind": label}
        else:
            subject = _("OpenNRM: %(kind)s") % {"kind": label}
            lead = _("A notification awaits you in OpenNRM: %(kind)s.") % {"kind": label}
        body = "\n\n".join(
            [
                _("Hello,"),
                lead,
                _("Read it in OpenNRM (sign-in required):") + "\n" + notifications_url(),
                _footer(),
            ]
        )
    return EmailMessage(
        subject,
        body + "\n",
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={"X-Outbox-Key": key} if key else {},
    )


def email_at_once(rows: "Sequence[Notification]", *, once: str = "") -> int:
    """Queue the e-mail of each new notification whose recipient wants its kind at once.
    Returns how many were queued."""
    if not rows:
        return 0
    chosen = preferences_of({row.recipient_id for row in rows})
    messages = []
    for row in rows:
        user = row.recipient
        if not user.email or not user.is_active:
            continue
        mode = notification_kinds.mode_for(
            row.kind, chosen.get((user.pk, row.kind)), urgent=row.urgent
        )
        if mode != EmailMode.IMMEDIATE:
            continue
        if once:
            key = f"notification:{once}:{user.pk}"
        elif row.pk:
            key = f"notification:{row.pk}"
        else:  # a database that returns no ids from a bulk insert: no key
            key = ""
        messages.append(immediate_email(user, row.kind, urgent=row.urgent, key=key))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def digest_email(user: "User", counts: dict[str, int], *, day: datetime.date) -> EmailMessage:
    """One person's digest: how many notifications of each kind, and a link."""
    with translation.override(email_language(user)):
        total = sum(counts.values())
        lines = [
            f"- {notification_kinds.label(kind)}: {count}"
            for kind, count in sorted(counts.items(), key=lambda item: str(item[0]))
        ]
        body = "\n\n".join(
            [
                _("Hello,"),
                ngettext(
                    "%(count)s new notification awaits you in OpenNRM:",
                    "%(count)s new notifications await you in OpenNRM:",
                    total,
                )
                % {"count": total},
                "\n".join(lines),
                _("Read them in OpenNRM (sign-in required):") + "\n" + notifications_url(),
                _footer(),
            ]
        )
        subject = _("OpenNRM: your daily digest")
    return EmailMessage(
        subject,
        body + "\n",
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={"X-Outbox-Key": f"notifications.digest:{day.isoformat()}:{user.pk}"},
    )


def digest_counts(
    user: "User", since: datetime.datetime, until: datetime.datetime
) -> dict[str, int]:
    """Kind → how many unread notifications created in (since, until] that this person wants
    in the digest (not those e-mailed at once, nor those they want no e-mail of)."""
    from opennrm.core.models import Notification

    chosen = preferences_of([user.pk])
    counts: dict[str, int] = defaultdict(int)
    rows = (
        Notification.objects.unread()
        .filter(recipient=user, created_at__gt=since, created_at__lte=until)
        .values("kind", "urgent")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        kind = row["kind"]
        if not notification_kinds.is_known(kind):
            continue
        mode = notification_kinds.mode_for(kind, chosen.get((user.pk, kind)), urgent=row["urgent"])
        if mode == EmailMode.DIGEST:
            counts[kind] += row["n"]
    return dict(counts)


def send_digests(day: datetime.date, now: datetime.datetime | None = None) -> int:
    """Send each person their digest for `day`: one e-mail listing, per kind, the unread
    notifications created since their last digest. Idempotent: the digest is recorded
    (`NotificationDigest`, unique per person and day) in the transaction that queues its
    e-mail (also keyed per person and day), so the job run twice sends each digest once.
    Returns how many digests were sent."""
    from opennrm.audit.trail import record
    from opennrm.core.acting import Actor
    from opennrm.core.models import Notification, NotificationDigest, User

    until = now or timezone.now()
    floor = until - DIGEST_LOOKBACK
    done = set(NotificationDigest.objects.filter(day=day).values_list("user_id", flat=True))
    waiting = (
        Notification.objects.unread()
        .filter(created_at__gt=floor, created_at__lte=until)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    users = (
        User.objects.filter(pk__in=waiting, is_active=True)
        .exclude(pk__in=done)
        .exclude(email="")
        .order_by("pk")
    )
    sent = 0
    for user in users:
        last = NotificationDigest.objects.filter(user=user).order_by("-until").first()
        since = max(last.until, floor) if last is not None else floor
        counts = digest_counts(user, since, until)
        if not counts:
            continue
        try:
            with transaction.atomic():
                NotificationDigest.objects.create(
                    user=user, day=day, until=until, count=sum(counts.values())
                )
                digest_email(user, counts, day=day).send()
        except IntegrityError:  # another run sent it meanwhile
            continue
        sent += 1
    record(
        "notifications.digests_sent",
        object_type="core.notification_digest",
        actor=Actor.system(DIGEST_PROCESS),
        details={"day": day.isoformat(), "people": sent},
    )
    logger.info("Notification digests: %s sent", sent)
    return sent


def remind_daily(
    *,
    kind: str,
    message: str,
    waiting: dict[int, int],
    link: str,
    day: datetime.date,
    process: str,
) -> int:
    """A daily reminder of deadlines near or missed: for each user id of `waiting`, one
    notification saying how many (a count and a link, nothing else), e-mailed as the person
    chose. Idempotent: a person already reminded of this kind that day is not reminded again,
    and the e-mail is keyed per kind, day and person. Returns how many people were reminded."""
    from opennrm.audit.trail import record
    from opennrm.core.acting import Actor
    from opennrm.core.models import Notification, User

    already = set(
        Notification.objects.filter(
            kind=kind, created_at__date=day, recipient_id__in=list(waiting)
        ).values_list("recipient_id", flat=True)
    )
    users = User.objects.filter(
        pk__in=[pk for pk in waiting if pk not in already], is_active=True
    ).order_by("pk")
    reminded = 0
    for user in users:
        with transaction.atomic():  # the notification and its e-mail: both or neither
            reminded += Notification.send(
                [user],
                kind=kind,
                message=message,
                params={"count": waiting[user.pk]},
                link=link,
                once=f"{kind}:{day.isoformat()}",
            )
    record(
        "notifications.reminders_sent",
        object_type="core.notification",
        actor=Actor.system(process),
        details={"kind": kind, "day": day.isoformat(), "people": reminded},
    )
    return reminded
