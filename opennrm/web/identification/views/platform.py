"""The département platform: a member's workspace, a case's file with votes and decision, the
chair's management of members.

Every page goes through opennrm.identification.access: members of another département's
platform and outsiders get 404. Views validate a form and call an action; they never save.
"""

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.audit.trail import record
from opennrm.identification import actions
from opennrm.identification.access import (
    can_use_platform_workspace,
    chaired_territories,
    get_member_for_chair,
    get_platform_for_chair,
    get_platform_referral,
    member_seats,
    pending_cases_for_chair,
    platform_referrals,
)
from opennrm.identification.composition import (
    acting_chair_ids,
    chairless,
    composition,
    conflicted_member_ids,
    could_be_deputies,
    first_decision_member_ids,
)
from opennrm.identification.deadlines import DUE_SOON_DAYS
from opennrm.identification.models import (
    ConflictDeclaration,
    IdentificationDecision,
    PlatformMember,
    Referral,
    Vote,
)
from opennrm.profiles.loader import active_profile
from opennrm.web.acting import ActingRequest
from opennrm.web.formtools import submit, submit_button
from opennrm.web.identification.forms import (
    DesignateInterviewersForm,
    InterviewReportForm,
    PlatformDecisionForm,
    PlatformMemberForm,
    VoteForm,
    conflict_form,
    removal_form,
)
from opennrm.web.identification.views.file import file_context


def _unchaired(referrals: Iterable[Referral]) -> list[dict[str, Any]]:
    """The cases nobody can chair, each with the members who could be designated deputy chair
    for it (ADR 0010)."""
    return [
        {"referral": referral, "candidates": could_be_deputies(referral)}
        for referral in chairless(referrals)
    ]


# Workspace -------------------------------------------------------------------------------


def workspace(request: ActingRequest) -> HttpResponse:
    """Cases awaiting the member, cases awaiting the chair, paused ones, recent decisions."""
    if not can_use_platform_workspace(request.actor):
        raise Http404
    seats = list(member_seats(request.actor).select_related("platform__territory"))
    referrals = platform_referrals(request.actor).select_related("case", "case__territory")
    today = timezone.localdate()
    voted = Vote.objects.filter(referral=OuterRef("pk"), member__in=[s.pk for s in seats])
    conflicted = ConflictDeclaration.objects.filter(
        referral=OuterRef("pk"), member__in=[s.pk for s in seats]
    )
    pending = (
        referrals.pending()
        .annotate(voted=Exists(voted), conflicted=Exists(conflicted))
        .order_by("decision_due", "pk")
    )
    awaiting_me, awaiting_others, paused = [], [], []
    for referral in pending:
        if referral.is_paused:
            paused.append(referral)
        elif referral.voted or referral.conflicted:  # type: ignore[attr-defined]
            awaiting_others.append(referral)
        else:
            awaiting_me.append(referral)
    chaired = {seat.platform.territory_id for seat in seats if seat.is_chair}
    unchaired = _unchaired(r for r in pending if r.case.territory_id in chaired)
    decided = list(
        referrals.filter(decision__isnull=False)
        .select_related("decision")
        .order_by("-decision__decided_at")[:20]
    )
    record(
        "platform.workspace_read",
        actor=request.actor,
        object_type="identification.platform",
        details={
            "seats": [seat.pk for seat in seats],
            "pending": len(pending),
            "unchaired": [item["referral"].pk for item in unchaired],
        },
    )
    return render(
        request,
        "web/identification/platform_workspace.html",
        {
            "seats": seats,
            "awaiting_me": awaiting_me,
            "awaiting_others": awaiting_others,
            "paused": paused,
            "decided": decided,
            "today": today,
            "due_soon_days": DUE_SOON_DAYS,
            "chairs": any(seat.is_chair for seat in seats),
            "deputy": any(seat.is_deputy for seat in seats),
            "unchaired": unchaired,
        },
    )


# A case before the platform ---------------------------------------------------------------


def _votes(referral: Referral, excluded: set[int]) -> list[dict[str, Any]]:
    rows = []
    for vote in referral.votes.select_related(
        "member__membership__user", "member__membership__organisation"
    ).order_by("cast_at", "pk"):
        rows.append(
            {
                "vote": vote,
                "member": vote.member,
                "counted": vote.member_id not in excluded and vote.member.is_active,
            }
        )
    return rows


def _case_page(
    request: ActingRequest, referral: Referral, seat: PlatformMember, **forms: Any
) -> HttpResponse:
    conflicts = conflicted_member_ids(referral)
    first_deciders = first_decision_member_ids(referral)
    excluded = conflicts | first_deciders
    decision = getattr(referral, "decision", None)
    my_vote = referral.votes.filter(member=seat).first()
    eligible = (
        PlatformMember.objects.active()
        .filter(platform__territory_id=referral.case.territory_id)
        .exclude(pk__in=excluded)
        .select_related("membership__user", "membership__organisation")
    )
    interview = getattr(referral, "interview", None)
    is_interviewer = bool(interview and interview.interviewers.filter(pk=seat.pk).exists())
    open_question = referral.information_requests.filter(answered_at__isnull=True).first()
    counted = composition(referral)
    rules = active_profile().platform
    acting = acting_chair_ids(referral, excluded)
    vote_initial = {"choice": my_vote.choice, "reasons": my_vote.reasons} if my_vote else None
    context = {
        "posted_form": next(iter(forms.values()), None),  # its refusal shows at the top
        "referral": referral,
        "seat": seat,
        "decision": decision,
        "conflicted": seat.pk in conflicts,
        "first_decider": seat.pk in first_deciders,
        "can_chair": seat.pk in acting,
        "acting_as_deputy": seat.pk in acting and seat.is_deputy,
        "nobody_can_chair": not acting and decision is None and referral.is_pending,
        "excluded_count": len(excluded),
        "my_vote": my_vote,
        "votes": _votes(referral, excluded),
        "composition": counted,
        "missing": counted.missing(),
        "rules": rules,
        "open_question": open_question,
        "is_interviewer": is_interviewer,
        "own_referral": seat.membership.organisation_id == referral.referring_organisation_id,
        "vote_form": forms.get("vote_form") or VoteForm(initial=vote_initial),
        "decision_form": forms.get("decision_form") or PlatformDecisionForm(),
        "designate_form": forms.get("designate_form")
        or DesignateInterviewersForm(members=eligible),
        "report_form": forms.get("report_form") or InterviewReportForm(),
        "conflict_form": forms.get("conflict_form") or conflict_form(),
        **file_context(referral, request.actor),
    }
    return render(request, "web/identification/platform_case.html", context)


def case_file(request: ActingRequest, pk: int) -> HttpResponse:
    referral, seat = get_platform_referral(request.actor, pk)
    return _case_page(request, referral, seat)


def _case_form(
    request: ActingRequest,
    referral: Referral,
    seat: PlatformMember,
    key: str,
    form: Any,
    act: Callable[..., object],
    success: str | Callable[[Any], str],
) -> HttpResponse:
    """A form of the case page: done, a message and back to the case; refused, the page again
    with the form (`key` in its context) showing why."""
    if submit(request, form, act, success):
        return redirect("web:platform_case", pk=referral.pk)
    if form.is_bound and form.non_field_errors() and _decided(referral):
        # Refused because the decision was taken meanwhile (a late vote): the page no longer
        # shows the form, so the reason goes above the decision.
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("web:platform_case", pk=referral.pk)
    return _case_page(request, referral, seat, **{key: form})


def _decided(referral: Referral) -> bool:
    return IdentificationDecision.objects.filter(referral_id=referral.pk).exists()


@require_POST
def declare_conflict(request: ActingRequest, pk: int) -> HttpResponse:
    referral, seat = get_platform_referral(request.actor, pk)
    return _case_form(
        request,
        referral,
        seat,
        "conflict_form",
        conflict_form(request.POST),
        lambda **_confirmed: actions.declare_conflict(referral, actor=request.actor),
        _("Conflict of interest declared: you are excluded from this case."),
    )


@require_POST
def vote(request: ActingRequest, pk: int) -> HttpResponse:
    referral, seat = get_platform_referral(request.actor, pk)
    return _case_form(
        request,
        referral,
        seat,
        "vote_form",
        VoteForm(request.POST),
        partial(actions.cast_vote, referral, actor=request.actor),
        _("Your vote was recorded."),
    )


@require_POST
def designate_interviewers(request: ActingRequest, pk: int) -> HttpResponse:
    referral, seat = get_platform_referral(request.actor, pk)
    members = PlatformMember.objects.active().filter(
        platform__territory_id=referral.case.territory_id
    )
    return _case_form(
        request,
        referral,
        seat,
        "designate_form",
        DesignateInterviewersForm(request.POST, members=members),
        partial(actions.designate_interviewers, referral, actor=request.actor),
        _("Interviewers designated."),
    )


@require_POST
def interview_report(request: ActingRequest, pk: int) -> HttpResponse:
    referral, seat = get_platform_referral(request.actor, pk)
    return _case_form(
        request,
        referral,
        seat,
        "report_form",
        InterviewReportForm(request.POST),
        partial(actions.record_interview_report, referral, actor=request.actor),
        _("The interview report joined the file."),
    )


@require_POST
def decide(request: ActingRequest, pk: int) -> HttpResponse:
    referral, seat = get_platform_referral(request.actor, pk)

    def act(**data: Any) -> str:
        """Decide, or ask the referring organisation a question; what to tell the member."""
        if data["outcome"] == "more_information":
            actions.request_information(referral, question=data["question"], actor=request.actor)
            return _(
                "The question was sent to the referring organisation. The decision clock "
                "is paused until it answers."
            )
        actions.record_platform_decision(
            referral, outcome=data["outcome"], reasons=data["reasons"], actor=request.actor
        )
        return _("The platform's decision was recorded.")

    return _case_form(
        request,
        referral,
        seat,
        "decision_form",
        PlatformDecisionForm(request.POST),
        act,
        lambda told: told,
    )


# Members (the chair) ---------------------------------------------------------------------


def members(request: ActingRequest) -> HttpResponse:
    platform = get_platform_for_chair(request.actor, request.GET.get("territory"))
    eligible = actions.eligible_memberships(platform)
    form = PlatformMemberForm(request.POST or None, memberships=eligible)
    act = partial(actions.add_member, platform, actor=request.actor)
    if submit(request, form, act, _("The member was added to the platform.")):
        return redirect(f"{reverse('web:platform_members')}?territory={platform.territory.code}")
    seats = list(
        platform.members.active().select_related("membership__user", "membership__organisation")
    )
    unchaired = _unchaired(pending_cases_for_chair(request.actor, platform))
    rules = active_profile().platform
    institutional = sum(1 for seat in seats if seat.sector == "institution")
    civil = sum(1 for seat in seats if seat.sector == "civil_society")
    record(
        "platform.members_read",
        target=platform,
        actor=request.actor,
        details={"members": len(seats), "unchaired": [u["referral"].pk for u in unchaired]},
    )
    return render(
        request,
        "web/identification/platform_members.html",
        {
            "platform": platform,
            "territories": list(chaired_territories(request.actor)),
            "seats": seats,
            "form": form,
            "rules": rules,
            "institutional": institutional,
            "civil_society": civil,
            "unchaired": unchaired,
            "short": len(seats) < rules.quorum
            or institutional < rules.min_institutional
            or civil < rules.min_civil_society,
        },
    )


def _members_page(member: PlatformMember) -> HttpResponse:
    return redirect(f"{reverse('web:platform_members')}?territory={member.platform.territory.code}")


def _set_deputy(request: ActingRequest, pk: int, deputy: bool) -> HttpResponse:
    member = get_member_for_chair(request.actor, pk)
    name = member.membership.user.full_name
    act = actions.designate_deputy_chair if deputy else actions.end_deputy_chair
    done = (
        _("%(name)s is a deputy chair: they chair the cases every chair is excluded from.")
        if deputy
        else _("%(name)s is no longer a deputy chair.")
    )
    submit_button(request, None, partial(act, member, actor=request.actor), done % {"name": name})
    return _members_page(member)


@require_POST
def member_deputy(request: ActingRequest, pk: int) -> HttpResponse:
    """The chair designates a member deputy chair (ADR 0010)."""
    return _set_deputy(request, pk, deputy=True)


@require_POST
def member_deputy_end(request: ActingRequest, pk: int) -> HttpResponse:
    """The chair ends a deputy chair's designation; the seat stays."""
    return _set_deputy(request, pk, deputy=False)


def member_remove(request: ActingRequest, pk: int) -> HttpResponse:
    member = get_member_for_chair(request.actor, pk)
    form = removal_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act = partial(actions.remove_member, member, actor=request.actor)
        submit_button(request, None, act, _("The member left the platform."))
        return _members_page(member)
    return render(
        request,
        "web/identification/platform_member_remove.html",
        {"member": member, "form": form},
    )
