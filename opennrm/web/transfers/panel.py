"""What the case page says of transfers (opennrm.web.cases.views.case_detail): a transfer
waiting, the way to propose one or to ask for the case, the former organisation's read-only
access and the way to end it."""

from dataclasses import dataclass

from django.urls import reverse

from opennrm.cases import transfer as transfers
from opennrm.cases.enums import ShareReason
from opennrm.cases.models import Case, CaseShare, CaseTransfer
from opennrm.web.acting import ActingRequest


@dataclass(frozen=True)
class CaseTransferPanel:
    """What the case page says of transfers: one waiting, the way to ask for one, the
    former organisation's read-only access."""

    pending: CaseTransfer | None
    pending_url: str | None  # for the coordinators of the two organisations
    ask_url: str | None
    proposing: bool
    former: CaseTransfer | None  # the accepted transfer whose read-only access is in force
    may_end: bool  # the viewer may end that access
    read_only: bool  # the viewer's organisation reads the case as its former owner


def case_panel(request: ActingRequest, case: Case) -> CaseTransferPanel:
    actor = request.actor
    organisation_id = actor.organisation_id
    pending = (
        CaseTransfer.objects.pending().filter(case=case).select_related("to_organisation").first()
    )
    involved = pending is not None and organisation_id in {
        pending.from_organisation_id,
        pending.to_organisation_id,
    }
    proposing = transfers.may_propose(actor, case)
    may_ask = proposing or transfers.may_request(actor, case)
    former = None
    read_only = False
    share = (
        CaseShare.objects.filter(
            case=case, reason=ShareReason.FORMER_OWNER, revoked_at__isnull=True
        )
        .select_related("organisation")
        .first()
    )
    if share is not None:
        former = (
            CaseTransfer.objects.filter(former_share=share)
            .select_related("from_organisation")
            .first()
        )
        read_only = share.organisation_id == organisation_id and case.owner_id != organisation_id
    return CaseTransferPanel(
        pending=pending if (involved or case.owner_id == organisation_id) else None,
        pending_url=reverse("web:transfer", args=[pending.pk])
        if pending is not None and involved and transfers.is_coordinator(actor.membership)
        else None,
        ask_url=reverse("web:case_transfer", args=[case.reference])
        if may_ask and pending is None
        else None,
        proposing=proposing,
        former=former if case.owner_id == organisation_id else None,
        may_end=former is not None and transfers.may_end_former_access(actor, former),
        read_only=read_only,
    )
