"""Use cases of the core that touch several models or send messages; one transaction each."""

import datetime

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.core.models import Membership, Organisation, TrainingRecord, User


class InvitationError(ValueError):
    """The invitation cannot be made (the message says why, for the user)."""


def invite_member(
    request: HttpRequest, organisation: Organisation, *, email: str, full_name: str, role: str
) -> Membership:
    """Add a member to an organisation; a new account gets a link to choose its password."""
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
            request=request,
            details={"role": role, "new_account": created},
        )
        transaction.on_commit(lambda: _send_invitation(request, membership, created))
    return membership


def _send_invitation(request: HttpRequest, membership: Membership, new_account: bool) -> None:
    user = membership.user
    link = request.build_absolute_uri(reverse("account_login"))
    if new_account:
        key = default_token_generator.make_token(user)
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
        )
        link = request.build_absolute_uri(path)
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
    request: HttpRequest,
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
        record(
            "training.add", target=training, request=request, details={"user": membership.user_id}
        )
    return training


def deactivate_membership(request: HttpRequest, membership: Membership) -> None:
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(is_active=False)
        record("organisation.deactivate_member", target=membership, request=request)
