"""Use cases of the core that touch several models or send messages; one transaction each.

An invitation's e-mail leaves after the membership is committed, and a failed send loses
nothing: the membership stays, the outcome is returned (and audited) for the page to say so, and
the administrator can resend it. Removing access never leaves an organisation without an
administrator, and an administrator does not remove their own access.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.core.links import absolute_url
from opennrm.core.models import Membership, MembershipQuerySet, Organisation, TrainingRecord, User
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile

logger = logging.getLogger(__name__)


class InvitationError(ValueError):
    """The invitation cannot be made (the message says why, for the user)."""


class DeactivationError(ValueError):
    """The access cannot be removed (the message says why, for the user); nothing changed."""


@dataclass
class Invitation:
    """A membership just created, and whether its e-mail left: True, False (the send failed:
    the membership stays, resend it), None while the database transaction around the
    invitation is still open (the e-mail leaves when it commits)."""

    membership: Membership
    new_account: bool
    sent: bool | None = None


def invite_member(
    actor: Actor, organisation: Organisation, *, email: str, full_name: str, role: str
) -> Invitation:
    """Add a member to an organisation; a new account gets a link to choose its password.

    The e-mail is sent once the membership is committed; a failed send is reported in
    `Invitation.sent`, never raised."""
    email = email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        created = user is None
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=full_name)
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
            raise InvitationError(_("This person already has this role in the organisation."))
        membership = Membership(user=user, organisation=organisation, role=role)
        try:
            membership.full_clean()
        except ValidationError as error:
            raise InvitationError(" ".join(error.messages)) from error
        membership.save()
        record(
            "organisation.invite",
            target=membership,
            actor=actor,
            details={"role": role, "new_account": created},
        )
        invitation = Invitation(membership=membership, new_account=created)

        def deliver() -> None:
            invitation.sent = _deliver_invitation(actor, membership)

        transaction.on_commit(deliver)
    return invitation


def resend_invitation(actor: Actor, membership: Membership) -> bool:
    """Send the invitation e-mail again (after a failed send, or a lost message). Audited with
    its outcome; returns whether the e-mail left. Only for an access still in force."""
    if not membership.is_active or not membership.user.is_active:
        raise InvitationError(_("This access was removed: invite the person again."))
    sent = _deliver_invitation(actor, membership)
    record(
        "organisation.resend_invitation",
        target=membership,
        actor=actor,
        details={"sent": sent, "choose_password": _needs_password(membership.user)},
    )
    return sent


def _needs_password(user: User) -> bool:
    """An account whose owner has not chosen a password yet gets the link to choose it."""
    return not user.has_usable_password()


def _deliver_invitation(actor: Actor, membership: Membership) -> bool:
    """Send the invitation e-mail; False (logged and audited, nothing raised) when the mail
    server cannot be reached or refuses it. No address or name goes to the log."""
    try:
        _send_invitation(actor, membership, _needs_password(membership.user))
    except (smtplib.SMTPException, OSError) as error:
        logger.warning(
            "Invitation e-mail for membership %s not sent: %s",
            membership.pk,
            type(error).__name__,
        )
        record(
            "organisation.invitation_not_sent",
            target=membership,
            actor=actor,
            details={"error": type(error).__name__},
        )
        return False
    return True


def _send_invitation(actor: Actor, membership: Membership, new_account: bool) -> None:
    user = membership.user
    link = absolute_url(reverse("account_login"))
    if new_account:
        key = default_token_generator.make_token(user)
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
        )
        link = absolute_url(path)
    # No personal data of victims ever goes in an e-mail; this one names only the organisation.
    body = render_to_string(
        "web/email/invitation.txt",
        {"organisation": membership.organisation, "link": link, "new_account": new_account},
    )
    send_mail(
        _("Your OpenNRM access"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


def add_training_record(
    actor: Actor,
    membership: Membership,
    *,
    course: str,
    provider: str,
    completed_on: datetime.date,
    expires_on: datetime.date | None,
) -> TrainingRecord:
    with transaction.atomic():
        training = TrainingRecord(
            user=membership.user,
            course=course,
            provider=provider,
            completed_on=completed_on,
            expires_on=expires_on,
        )
        training.full_clean()
        training.save()
        record("training.add", target=training, actor=actor, details={"user": membership.user_id})
    return training


def administrators(organisation_id: int) -> MembershipQuerySet:
    """The organisation's memberships in force that administer it (the administrator flag, or
    a role of the profile that gives the right)."""
    roles = [
        role.code
        for role in active_profile().roles
        if Capability.ADMINISTER_ORGANISATION in role.capabilities
    ]
    return (
        Membership.objects.active()
        .filter(organisation_id=organisation_id)
        .filter(Q(is_admin=True) | Q(role__in=roles))
    )


def deactivation_refusal(actor: Actor, membership: Membership) -> str | None:
    """Why this access cannot be removed by the acting user, or None when it can."""
    if membership.user_id == getattr(actor.user, "pk", None):
        return _(
            "You cannot remove your own access. Ask another administrator of the "
            "organisation to do it."
        )
    if membership.is_active and membership.can(Capability.ADMINISTER_ORGANISATION):
        others = administrators(membership.organisation_id).exclude(pk=membership.pk)
        if not others.exists():
            return _(
                "This is the organisation's last administrator: make another member "
                "administrator first."
            )
    return None


def deactivate_membership(actor: Actor, membership: Membership) -> None:
    """Remove a member's access. Refused (DeactivationError, nothing changed) for one's own
    access and for the organisation's last administrator; the organisation's row is locked so
    that two administrators removing each other at the same moment cannot both succeed."""
    with transaction.atomic():
        Organisation.objects.select_for_update(of=("self",)).filter(
            pk=membership.organisation_id
        ).first()
        current = Membership.objects.select_related("user").get(pk=membership.pk)
        refusal = deactivation_refusal(actor, current)
        if refusal:
            raise DeactivationError(refusal)
        Membership.objects.filter(pk=membership.pk).update(is_active=False)
        record("organisation.deactivate_member", target=membership, actor=actor)


def set_notification_preferences(actor: Actor, choices: dict[str, str]) -> int:
    """The signed-in person's e-mail mode per kind of notification (`notification_kinds`):
    a row for each kind, whose mode is checked. Returns how many kinds changed; audited with
    the kinds' codes and modes only."""
    from opennrm.core import notification_kinds
    from opennrm.core.models import NotificationPreference

    user = actor.signed_in_user()
    for code, mode in choices.items():
        if not notification_kinds.is_known(code) or mode not in notification_kinds.EmailMode.VALUES:
            raise ValidationError(_("Choose one of the e-mail options for each notification."))
    with transaction.atomic():
        current = {
            row.kind: row
            for row in NotificationPreference.objects.select_for_update().filter(user=user)
        }
        changed: dict[str, str] = {}
        for code, mode in sorted(choices.items()):
            before = current.get(code)
            if before is None:
                if mode == notification_kinds.get(code).default_email:
                    continue  # the default: no row needed
                NotificationPreference.objects.create(user=user, kind=code, email=mode)
            elif before.email != mode:
                before.email = mode
                before.save(update_fields=["email"])
            else:
                continue
            changed[code] = mode
        if changed:
            record(
                "notifications.preferences_changed",
                actor=actor,
                object_type="core.notification_preference",
                details={"changes": changed},
            )
    return len(changed)
