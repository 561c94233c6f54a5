"""The transfer pages: proposing a transfer of a case (or asking to take one), the list of
transfers an organisation takes part in, one transfer with its decision, and ending the former
organisation's read-only access.

Transfers are reached only through opennrm.cases.access (`transfers_of`, `get_transfer`: the
coordinators of the two organisations, 404 for anyone else); state changes only through the
actions of opennrm.cases.transfer.
"""

from functools import partial
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.audit.trail import record
from opennrm.cases import transfer as transfers
from opennrm.cases.access import (
    get_case_for_member,
    get_transfer,
    transfers_of,
)
from opennrm.cases.enums import ShareReason, TransferKind, TransferStatus
from opennrm.cases.models import Case, CaseShare, CaseTransfer
from opennrm.core.models import Territory
from opennrm.web.acting import ActingRequest
from opennrm.web.cases.views import form_labels
from opennrm.web.formtools import posted, submit, submit_button
from opennrm.web.transfers.forms import (
    AcceptForm,
    AcceptRequestForm,
    DeclineForm,
    ProposeForm,
    RequestForm,
)

DECIDED_SHOWN = 50  # the latest decided transfers listed


def _target_territory(case: Case, organisation: Any, chosen: Territory | None) -> Territory:
    return chosen if chosen is not None else transfers.default_territory(case, organisation)


# Proposing or asking ---------------------------------------------------------------------------


def case_transfer(request: ActingRequest, reference: str) -> HttpResponse:
    """The responsible organisation's coordinator proposes a transfer; the coordinator of an
    organisation linked to the case asks to take it. 404 for anyone else."""
    case = get_case_for_member(request.actor, reference)  # audited: case.read
    proposing = transfers.may_propose(request.actor, case)
    if not proposing and not transfers.may_request(request.actor, case):
        raise Http404
    pending = CaseTransfer.objects.pending().filter(case=case).first()
    refusal = transfers.transfer_refusal(case)
    organisation = request.actor.organisation_acted_for()
    form: ProposeForm | RequestForm
    if proposing:
        form = propose_form = ProposeForm(
            posted(request),
            case=case,
            organisations=transfers.receiving_candidates(case),
            territories=transfers.territory_choices(),
        )

        def act(**data: Any) -> CaseTransfer:
            receiving = data["to_organisation"]
            return transfers.propose_transfer(
                case,
                actor=request.actor,
                to_organisation=receiving,
                to_territory=_target_territory(case, receiving, data["to_territory"]),
                reason=data["reason"],
                explanation=data["explanation"],
                agreement=propose_form.agreement(),
            )

        success = _("The transfer is proposed: the receiving organisation decides.")
    else:
        form = RequestForm(posted(request), territories=transfers.territory_choices(organisation))

        def act(**data: Any) -> CaseTransfer:
            return transfers.request_transfer(
                case,
                actor=request.actor,
                to_territory=_target_territory(case, organisation, data["to_territory"]),
                reason=data["reason"],
                explanation=data["explanation"],
            )

        success = _("Your request is sent: the responsible organisation decides.")
    if refusal is None and (done := submit(request, form, act, success)):
        return redirect("web:transfer", pk=done.result.pk)
    return render(
        request,
        "web/transfers/propose.html",
        {
            "case": case,
            "form": form,
            "proposing": proposing,
            "pending": pending,
            "refusal": refusal,
        },
    )


# The list -----------------------------------------------------------------------------------


def transfer_list(request: ActingRequest) -> HttpResponse:
    """The transfers the organisation takes part in: those waiting for its decision first."""
    transfers_seen = transfers_of(request.actor).select_related(
        "case", "from_organisation", "to_organisation", "from_territory", "to_territory"
    )
    organisation_id = request.actor.organisation_id
    pending = list(transfers_seen.pending().order_by("asked_at", "pk"))
    awaiting = [t for t in pending if t.deciding_organisation_id == organisation_id]
    asked = [t for t in pending if t.asking_organisation_id == organisation_id]
    decided = list(
        transfers_seen.exclude(status=TransferStatus.PENDING).order_by("-decided_at", "-pk")[
            :DECIDED_SHOWN
        ]
    )
    record(
        "transfer.list",
        actor=request.actor,
        details={"awaiting": len(awaiting), "asked": len(asked), "decided": len(decided)},
    )
    return render(
        request,
        "web/transfers/list.html",
        {"awaiting": awaiting, "asked": asked, "decided": decided},
    )


# One transfer ------------------------------------------------------------------------------


def _summary(transfer: CaseTransfer) -> dict[str, Any]:
    """What either side reads of the case before it changes hands: no identity, no story."""
    labels = form_labels()
    return {"forms": [labels.get(code, code) for code in transfer.case.forms]}


def transfer_detail(request: ActingRequest, pk: int) -> HttpResponse:
    transfer = get_transfer(request.actor, pk)  # audited: transfer.read
    may_decide = transfer.is_pending and transfers.may_decide(request.actor, transfer)
    former_share = transfers.former_share_in_force(transfer)
    case_visible = request.actor.organisation_id == transfer.case.owner_id or (
        CaseShare.objects.filter(
            case_id=transfer.case_id,
            organisation_id=request.actor.organisation_id or 0,
            revoked_at__isnull=True,
        )
        .exclude(reason=ShareReason.ORIENTATION)
        .exists()
    )
    return render(
        request,
        "web/transfers/detail.html",
        {
            "transfer": transfer,
            "case": transfer.case,
            **_summary(transfer),
            "may_decide": may_decide,
            "decline_form": DeclineForm() if may_decide else None,
            "may_withdraw": transfer.is_pending and transfers.may_withdraw(request.actor, transfer),
            "former_share": former_share,
            "may_end_former_access": former_share is not None
            and transfers.may_end_former_access(request.actor, transfer),
            "case_visible": case_visible,
            "is_request": transfer.kind == TransferKind.REQUEST,
        },
    )


def _decidable(request: ActingRequest, pk: int) -> CaseTransfer:
    transfer = get_transfer(request.actor, pk)
    if not transfers.may_decide(request.actor, transfer):
        raise Http404
    return transfer


def transfer_accept(request: ActingRequest, pk: int) -> HttpResponse:
    """Confirmation, then the acceptance: the case changes hands. For a request, the
    responsible organisation records the person's agreement here."""
    transfer = _decidable(request, pk)
    if not transfer.is_pending:
        return redirect("web:transfer", pk=transfer.pk)
    form: AcceptForm | AcceptRequestForm
    if transfer.kind == TransferKind.REQUEST:
        form = request_form = AcceptRequestForm(posted(request), case=transfer.case)

        def act(**_data: Any) -> CaseTransfer:
            return transfers.accept_transfer(
                transfer,
                actor=request.actor,
                agreement=request_form.agreement(),
            )

    else:
        form = AcceptForm(posted(request))

        def act(**_data: Any) -> CaseTransfer:
            return transfers.accept_transfer(transfer, actor=request.actor)

    done = submit(
        request,
        form,
        act,
        _("The transfer is accepted: %(organisation)s is now responsible for the case.")
        % {"organisation": transfer.to_organisation.name},
    )
    if done:
        if transfer.kind == TransferKind.PROPOSAL:
            return redirect("web:case", reference=transfer.case.reference)
        return redirect("web:transfer", pk=transfer.pk)
    return render(
        request,
        "web/transfers/accept.html",
        {"transfer": transfer, "case": transfer.case, "form": form, **_summary(transfer)},
    )


@require_POST
def transfer_decline(request: ActingRequest, pk: int) -> HttpResponse:
    transfer = _decidable(request, pk)
    form = DeclineForm(request.POST)

    def act(note: str) -> CaseTransfer:
        return transfers.decline_transfer(transfer, actor=request.actor, note=note)

    submit_button(request, form, act, _("The transfer is declined."))
    return redirect("web:transfer", pk=transfer.pk)


@require_POST
def transfer_withdraw(request: ActingRequest, pk: int) -> HttpResponse:
    transfer = get_transfer(request.actor, pk)
    if not transfers.may_withdraw(request.actor, transfer):
        raise Http404
    submit_button(
        request,
        None,
        partial(transfers.withdraw_transfer, transfer, actor=request.actor),
        _("The transfer is withdrawn."),
    )
    return redirect("web:transfer", pk=transfer.pk)


@require_POST
def transfer_end_former_access(request: ActingRequest, pk: int) -> HttpResponse:
    """End the former organisation's read-only access at once."""
    transfer = get_transfer(request.actor, pk)
    if not transfers.may_end_former_access(request.actor, transfer):
        raise Http404
    submit_button(
        request,
        None,
        partial(transfers.end_former_access, transfer, actor=request.actor),
        _("The former organisation's access to the case has ended."),
    )
    if request.actor.organisation_id == transfer.case.owner_id:
        return redirect("web:case", reference=transfer.case.reference)
    return redirect("web:transfer", pk=transfer.pk)
