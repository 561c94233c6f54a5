"""An organisation's private pages: its members, invitations, training records."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.core import actions
from opennrm.core.access import (
    get_membership_for_admin,
    get_organisation_for_admin,
    get_organisation_for_member,
)
from opennrm.core.models import Membership, TrainingRecord
from opennrm.profiles.capabilities import Capability
from opennrm.web.forms import InvitationForm, TrainingRecordForm


def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for_member(request, pk)
    members = (
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
        for m in request.memberships  # type: ignore[attr-defined]
    )
    record("organisation.view_members", target=org, request=request)
    return render(
        request,
        "web/organisations/detail.html",
        {
            "organisation": org,
            "members": members,
            "is_admin": is_admin,
            "today": timezone.localdate(),
        },
    )


def invite(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for_admin(request, pk)
    form = InvitationForm(request.POST or None, organisation_type=org.kind)
    if request.method == "POST" and form.is_valid():
        try:
            actions.invite_member(request, org, **form.cleaned_data)
        except actions.InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("web:organisation", pk=org.pk)
    return render(request, "web/organisations/invite.html", {"organisation": org, "form": form})


def add_training(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    org = get_organisation_for_admin(request, pk)
    member = get_membership_for_admin(request, org, membership_pk)
    form = TrainingRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_training_record(request, member, **form.cleaned_data)
        messages.success(request, _("Training record added."))
        return redirect("web:organisation", pk=org.pk)
    return render(
        request,
        "web/organisations/training.html",
        {"organisation": org, "member": member, "form": form},
    )


def deactivate(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    org = get_organisation_for_admin(request, pk)
    member = get_membership_for_admin(request, org, membership_pk)
    if request.method == "POST":
        actions.deactivate_membership(request, member)
        messages.success(request, _("Access removed."))
        return redirect("web:organisation", pk=org.pk)
    return render(
        request, "web/organisations/deactivate.html", {"organisation": org, "member": member}
    )
