"""An organisation's private pages: its members, invitations, training records."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.audit.trail import record
from opennrm.core import actions
from opennrm.core.access import (
    get_membership_for_admin,
    get_organisation_for_admin,
    get_organisation_for_member,
)
from opennrm.core.models import Membership, TrainingRecord
from opennrm.profiles.capabilities import Capability
from opennrm.web.acting import ActingRequest
from opennrm.web.organisations.forms import InvitationForm, TrainingRecordForm


def organisation(request: ActingRequest, pk: int) -> HttpResponse:
    org = get_organisation_for_member(request.actor, pk)
    members = list(
        Membership.objects.active()
        .filter(organisation=org)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__training_records", queryset=TrainingRecord.objects.order_by("-completed_on")
            )
        )
        .order_by("user__full_name")
    )
    is_admin = any(
        m.organisation_id == org.pk and m.can(Capability.ADMINISTER_ORGANISATION)
        for m in request.memberships
    )
    # Access that cannot be removed here: one's own, and the last administrator's.
    admins = [m.pk for m in members if m.can(Capability.ADMINISTER_ORGANISATION)]
    kept = {m.pk for m in members if m.user_id == request.user.pk or admins == [m.pk]}
    record("organisation.view_members", target=org, actor=request.actor)
    return render(
        request,
        "web/organisations/detail.html",
        {
            "organisation": org,
            "members": members,
            "is_admin": is_admin,
            "kept": kept,
            "today": timezone.localdate(),
        },
    )


def invite(request: ActingRequest, pk: int) -> HttpResponse:
    org = get_organisation_for_admin(request.actor, pk)
    form = InvitationForm(request.POST or None, organisation_type=org.kind)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = actions.invite_member(request.actor, org, **form.cleaned_data)
        except actions.InvitationError as error:
            form.add_error(None, str(error))
        else:
            _say_invitation_outcome(request, invitation.sent)
            return redirect("web:organisation", pk=org.pk)
    return render(request, "web/organisations/invite.html", {"organisation": org, "form": form})


def _say_invitation_outcome(request: ActingRequest, sent: bool | None) -> None:
    if sent is False:
        messages.warning(
            request,
            _(
                "The member was added, but the invitation e-mail could not be sent. Use "
                "“Resend the invitation” on their row once e-mail works again."
            ),
        )
    elif sent is None:
        messages.success(request, _("Member added. The invitation e-mail is on its way."))
    else:
        messages.success(request, _("Invitation sent."))


@require_POST
def resend_invitation(request: ActingRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Send a member's invitation e-mail again (organisation administrators only; audited)."""
    org = get_organisation_for_admin(request.actor, pk)
    member = get_membership_for_admin(request.actor, org, membership_pk)
    try:
        sent = actions.resend_invitation(request.actor, member)
    except actions.InvitationError as error:
        messages.error(request, str(error))
    else:
        if sent:
            messages.success(request, _("Invitation sent again."))
        else:
            messages.warning(
                request,
                _("The invitation e-mail could not be sent. Try again once e-mail works again."),
            )
    return redirect("web:organisation", pk=org.pk)


def add_training(request: ActingRequest, pk: int, membership_pk: int) -> HttpResponse:
    org = get_organisation_for_admin(request.actor, pk)
    member = get_membership_for_admin(request.actor, org, membership_pk)
    form = TrainingRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_training_record(request.actor, member, **form.cleaned_data)
        messages.success(request, _("Training record added."))
        return redirect("web:organisation", pk=org.pk)
    return render(
        request,
        "web/organisations/training.html",
        {"organisation": org, "member": member, "form": form},
    )


def deactivate(request: ActingRequest, pk: int, membership_pk: int) -> HttpResponse:
    org = get_organisation_for_admin(request.actor, pk)
    member = get_membership_for_admin(request.actor, org, membership_pk)
    if request.method == "POST":
        try:
            actions.deactivate_membership(request.actor, member)
        except actions.DeactivationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Access removed."))
        return redirect("web:organisation", pk=org.pk)
    return render(
        request,
        "web/organisations/deactivate.html",
        {
            "organisation": org,
            "member": member,
            "refusal": actions.deactivation_refusal(request.actor, member),
        },
    )
