"""The one way the web layer reaches concerns and persons' accounts. Outsiders get 404, never
403.

Who sees a concern:

- the local coordinator (capability ``triage``) of an organisation covering the concern's
  département: to triage it;
- the organisation that entered it (a concern received by phone or in person), for its members
  who report or triage: read only, to follow what became of it;
- the organisation responsible for the case opened from the concern or that the concern was
  attached to, for its members who report or triage, while the case is in its view: read only,
  so that what was seen reaches those who meet the person (issue #12, point 5). The case page
  shows the same content (`concerns_of_case`).

Nobody else: not another département's coordinator, not the national view, not the other
members of the entering organisation (a platform member of an association, say).

How to contact the reporter stays with those who could see it before: the coordinators who
triage the concern and the organisation that entered it (the reporter gave it to them). A
public reporter agrees to be contacted, not to have their contact passed on: the responsible
organisation is told that a contact was left and asks the coordinator.

Who reads a person's account (opennrm.detection.accounts):

- the responsible organisation's field staff (who report) and coordinators (who triage), on
  the account's page: its field staff write it there;
- those who decide on the case's referral to formal identification (the platform members of
  the département, the judicial service the case was referred to), in the file they read, as
  long as the referral is in force (an adult's consent withdrawn ends it).

Nobody else: not the organisations the case is shared with for coordination or orientation.
Every read is audited (`account.read`).

The facts in standard terms and the exploiters and workplaces (opennrm.detection.facts) follow
the account: the same readers, on their own pages and in the referred file, each read audited
(`facts.read`, `exploiters.read`). Which other organisations hold a matching workplace or
exploiter (opennrm.detection.links) is for the responsible organisation's field staff and
coordinators only, never for the referred file's readers.

The documents attached to the case (opennrm.cases.evidence) follow the account: the owner's
staff through opennrm.cases.access, those who decide on the referral in force through
`evidence_in_referred_file` and `get_evidence_in_referred_file` below (a download is then
`opennrm.cases.access.evidence_content(..., via="referral")`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404

from opennrm.audit.trail import record
from opennrm.cases.access import get_case_for_member, visible_cases
from opennrm.cases.enums import FileItem
from opennrm.cases.hooks import access_policy
from opennrm.cases.models import Case, CaseQuerySet, Evidence
from opennrm.core.acting import Actor
from opennrm.core.models import Membership, Organisation
from opennrm.detection.accounts import Completeness, filled_sections, may_write
from opennrm.detection.links import CaseLinks, links_of_case
from opennrm.detection.models import (
    AccountFacts,
    Concern,
    ConcernQuerySet,
    Exploiter,
    PersonAccount,
    Workplace,
)
from opennrm.identification.services import parts_read, reads_referred_file
from opennrm.profiles.capabilities import Capability


def _membership(actor: Actor) -> Membership | None:
    membership: Membership | None = actor.membership
    return membership


def can_triage(actor: Actor) -> bool:
    membership = _membership(actor)
    return membership is not None and membership.can(Capability.TRIAGE)


def can_enter_concerns(actor: Actor) -> bool:
    """Staff who receive concerns by phone or in person: field staff and coordinators."""
    membership = _membership(actor)
    return membership is not None and (
        membership.can(Capability.REPORT) or membership.can(Capability.TRIAGE)
    )


def _triage_scope(organisation: Organisation) -> Q:
    return Q(territory__in=organisation.territories.all())


def concerns_for_triage(actor: Actor) -> ConcernQuerySet:
    """The concerns of the départements the coordinator's organisation covers, or 404."""
    membership = _membership(actor)
    if membership is None or not membership.can(Capability.TRIAGE):
        raise Http404
    return Concern.objects.filter(_triage_scope(membership.organisation))


def concerns_entered(actor: Actor) -> ConcernQuerySet:
    """The concerns the user's organisation entered (staff entry), or 404."""
    if not can_enter_concerns(actor):
        raise Http404
    membership = _membership(actor)
    assert membership is not None  # noqa: S101 (can_enter_concerns checked it)
    return Concern.objects.filter(created_for=membership.organisation)


def get_concern_for_triage(actor: Actor, reference: str) -> Concern:
    """A concern this coordinator may triage, or 404 (anyone else, any unknown reference)."""
    concern = (
        concerns_for_triage(actor)
        .select_related("territory", "case", "triaged_by", "created_for")
        .filter(reference=reference)
        .first()
    )
    if concern is None:
        raise Http404
    return concern


def may_triage(actor: Actor, concern: Concern) -> bool:
    """Whether the user may triage this concern (they may already read it)."""
    membership = _membership(actor)
    if membership is None or not membership.can(Capability.TRIAGE):
        return False
    return membership.organisation.territories.filter(pk=concern.territory_id).exists()


def get_concern_for_member(actor: Actor, reference: str) -> Concern:
    """A concern the user may read: triage scope, or entered by their organisation; else 404.

    The caller audits the read when it shows the concern.
    """
    membership = _membership(actor)
    if membership is None:
        raise Http404
    scopes = []
    if membership.can(Capability.TRIAGE):
        scopes.append(_triage_scope(membership.organisation))
    if can_enter_concerns(actor):
        scopes.append(Q(created_for=membership.organisation))
        scopes.append(Q(case__in=_owned_cases(actor)))
    if not scopes:
        raise Http404
    scope = scopes[0]
    for other in scopes[1:]:
        scope |= other
    concern = (
        Concern.objects.filter(scope, reference=reference)
        .select_related("territory", "case", "triaged_by", "created_for")
        .first()
    )
    if concern is None:
        raise Http404
    return concern


def _owned_cases(actor: Actor) -> CaseQuerySet:
    """The cases in the actor's view that its organisation is responsible for."""
    membership = _membership(actor)
    if membership is None:
        return Case.objects.none()
    return visible_cases(actor).filter(owner_id=membership.organisation_id)


def may_see_reporter_contact(actor: Actor, concern: Concern) -> bool:
    """How to contact the reporter: for the coordinators who triage the concern and the
    organisation that entered it, as before the case; not for the case's owner as such."""
    membership = _membership(actor)
    if membership is None:
        return False
    if concern.created_for_id is not None and concern.created_for_id == membership.organisation_id:
        return can_enter_concerns(actor)
    return may_triage(actor, concern)


def concerns_of_case(actor: Actor, case: Case) -> list[Concern]:
    """The concerns the case was opened from or attached to, with what was seen, where and the
    signs, for the responsible organisation's field staff and coordinators (who may read the
    account); [] for anyone else. Each concern shown is an audited read (`concern.read`)."""
    if not may_read_account(actor, case):
        return []
    concerns = list(
        Concern.objects.filter(case_id=case.pk)
        .select_related("territory")
        .order_by("received_at", "pk")
    )
    if concerns:  # one entry for the page, whatever the number of concerns
        details = {
            "case": case.pk,
            "via": "case",
            "concerns": [concern.pk for concern in concerns],
            **access_policy().read_details(actor, case),
        }
        record("concern.read", target=case, actor=actor, details=details)
    return concerns


def owner_choices(actor: Actor, concern: Concern) -> "QuerySet[Organisation]":
    """Who may be given the case: authorised reporters covering the concern's département,
    and the coordinator's own organisation."""
    membership = _membership(actor)
    if membership is None:
        return Organisation.objects.none()
    reporters = Organisation.objects.filter(
        authorised_reporter=True, territories=concern.territory
    ).values("pk")
    return Organisation.objects.filter(
        Q(pk__in=reporters) | Q(pk=membership.organisation_id)
    ).order_by("name")


def attachable_cases(actor: Actor, concern: Concern) -> CaseQuerySet:
    """Cases of the concern's département that the coordinator's organisation can see."""
    membership = _membership(actor)
    if membership is None:
        return Case.objects.none()
    return attachable_narrowing(concern)(Case.objects.visible_to(membership.organisation))


def attachable_narrowing(concern: Concern) -> Callable[[CaseQuerySet], CaseQuerySet]:
    """What `attachable_cases` keeps of the cases seen, for a search that reads them its own
    way (`cases.search.picker_cases`): those of the concern's département."""
    return lambda cases: cases.filter(territory=concern.territory)


# The person's account ---------------------------------------------------------------------


def may_read_account(actor: Actor, case: Case) -> bool:
    """The responsible organisation's field staff and coordinators."""
    membership = _membership(actor)
    return (
        membership is not None
        and membership.organisation_id == case.owner_id
        and (membership.can(Capability.REPORT) or membership.can(Capability.TRIAGE))
    )


def may_write_account(actor: Actor, case: Case) -> bool:
    return may_write(actor, case)


def account_progress(actor: Actor, case: Case) -> Completeness | None:
    """How complete the case's account is (sections filled; no content leaves this function),
    for those who may read it; None for the others and before its first save."""
    if not may_read_account(actor, case):
        return None
    account = (
        PersonAccount.objects.filter(case_id=case.pk)
        .annotate(situation_count=Count("situations"))
        .first()
    )
    if account is None:
        return None
    return filled_sections(account, account.situation_count)


def _account_of(case: Case) -> PersonAccount | None:
    account: PersonAccount | None = (
        PersonAccount.objects.filter(case_id=case.pk)
        .select_related("organisation")
        .prefetch_related("situations__territory")
        .first()
    )
    if account is not None:
        account.case = case
    return account


def _audit_read(actor: Actor, account: PersonAccount | None, case: Case, via: str) -> None:
    if account is not None:
        details = {"case": case.pk, "via": via, **access_policy().read_details(actor, case)}
        record("account.read", target=account, actor=actor, details=details)


def get_account_for_member(actor: Actor, reference: str) -> tuple[Case, PersonAccount | None]:
    """The case and its account (None before its first save) for the responsible
    organisation's field staff and coordinators; 404 for anyone else. Audited."""
    case = get_case_for_member(actor, reference)  # audited: case.read
    if not may_read_account(actor, case):
        raise Http404
    account = _account_of(case)
    _audit_read(actor, account, case, "case")
    return case, account


def account_in_referred_file(actor: Actor, case: Case) -> PersonAccount | None:
    """The account as part of the file put to formal identification, for those who decide on
    the case's referral in force (opennrm.identification.services); 404 for anyone else."""
    if not reads_referred_file(actor, case):
        raise Http404
    account = _account_of(case)
    _audit_read(actor, account, case, "referral")
    return account


def account_for_referral_check(actor: Actor, case: Case) -> PersonAccount | None:
    """The account as it will travel, for the responsible organisation's staff checking a
    referral before sending it; 404 for anyone else. Audited."""
    if not may_read_account(actor, case):
        raise Http404
    account = _account_of(case)
    _audit_read(actor, account, case, "referral_check")
    return account


# Facts, exploiters and workplaces ---------------------------------------------------------


def _facts_of(case: Case) -> AccountFacts | None:
    facts: AccountFacts | None = (
        AccountFacts.objects.filter(account__case_id=case.pk).select_related("account").first()
    )
    return facts


def _audit(action: str, actor: Actor, case: Case, target: Model | None, via: str) -> None:
    details = {"case": case.pk, "via": via, **access_policy().read_details(actor, case)}
    record(action, target=target, actor=actor, details=details)


def get_facts_for_member(
    actor: Actor, reference: str
) -> tuple[Case, PersonAccount | None, AccountFacts | None]:
    """The case, its account and the account's facts (None before their first save), for the
    account's readers; 404 for anyone else. Audited (`facts.read`) once the facts exist."""
    case = get_case_for_member(actor, reference)  # audited: case.read
    if not may_read_account(actor, case):
        raise Http404
    account: PersonAccount | None = PersonAccount.objects.filter(case_id=case.pk).first()
    facts = _facts_of(case) if account is not None else None
    if facts is not None:
        _audit("facts.read", actor, case, facts, "case")
    return case, account, facts


def facts_in_referred_file(actor: Actor, case: Case) -> AccountFacts | None:
    """The facts as part of the file put to formal identification, for those who decide on
    the case's referral in force; 404 for anyone else. Audited."""
    if not reads_referred_file(actor, case):
        raise Http404
    facts = _facts_of(case)
    if facts is not None:
        _audit("facts.read", actor, case, facts, "referral")
    return facts


@dataclass
class ExploitersAndWorkplaces:
    """The exploiters and workplaces of a case's account, in the order they were recorded."""

    account: PersonAccount | None
    exploiters: list[Exploiter]
    workplaces: list[Workplace]

    def __bool__(self) -> bool:
        return bool(self.exploiters or self.workplaces)


def _parties_of(case: Case) -> ExploitersAndWorkplaces:
    account: PersonAccount | None = PersonAccount.objects.filter(case_id=case.pk).first()
    if account is None:
        return ExploitersAndWorkplaces(None, [], [])
    account.case = case
    return ExploitersAndWorkplaces(
        account,
        list(Exploiter.objects.filter(account=account).order_by("pk")),
        list(Workplace.objects.filter(account=account).select_related("territory").order_by("pk")),
    )


def _audit_parties(actor: Actor, case: Case, parties: ExploitersAndWorkplaces, via: str) -> None:
    if parties:
        _audit("exploiters.read", actor, case, parties.account, via)


def get_exploiters_for_member(actor: Actor, reference: str) -> tuple[Case, ExploitersAndWorkplaces]:
    """The case and the exploiters and workplaces of its account, for the account's readers;
    404 for anyone else. Audited (`exploiters.read`) when there is something to read."""
    case = get_case_for_member(actor, reference)  # audited: case.read
    if not may_read_account(actor, case):
        raise Http404
    parties = _parties_of(case)
    _audit_parties(actor, case, parties, "case")
    return case, parties


def exploiters_and_workplaces_in_referred_file(actor: Actor, case: Case) -> ExploitersAndWorkplaces:
    """The exploiters and workplaces as part of the file put to formal identification, for
    those who decide on the case's referral in force; 404 for anyone else. Audited."""
    if not reads_referred_file(actor, case):
        raise Http404
    parties = _parties_of(case)
    _audit_parties(actor, case, parties, "referral")
    return parties


def links_for_member(actor: Actor, case: Case) -> CaseLinks:
    """Which other organisations hold a workplace or an exploiter matching one of this case's,
    and how to contact them (nothing of their cases): for the responsible organisation's field
    staff and coordinators; nothing for anyone else. What is shown is audited
    (`account.links_shown`, organisation ids only)."""
    if not may_read_account(actor, case):
        return CaseLinks()
    found = links_of_case(case)
    if found:
        record(
            "account.links_shown",
            target=case,
            actor=actor,
            details={"case": case.pk, "organisations": sorted(found.organisations)},
        )
    return found


def facts_for_referral_check(
    actor: Actor, case: Case
) -> tuple[AccountFacts | None, ExploitersAndWorkplaces]:
    """The facts, exploiters and workplaces as they will travel, for the responsible
    organisation's staff checking a referral before sending it; 404 for anyone else. Audited."""
    if not may_read_account(actor, case):
        raise Http404
    facts = _facts_of(case)
    if facts is not None:
        _audit("facts.read", actor, case, facts, "referral_check")
    parties = _parties_of(case)
    _audit_parties(actor, case, parties, "referral_check")
    return facts, parties


# The documents attached to the case, in the referred file ------------------------------------


def evidence_in_referred_file(actor: Actor, case: Case) -> list[Evidence]:
    """The case's documents as part of the file put to formal identification, for those who
    decide on its referral in force (opennrm.identification.services); 404 for anyone else.
    Shown, they are an audited read (`evidence.read`, via the referral)."""
    if not reads_referred_file(actor, case):
        raise Http404
    parts, withheld = parts_read(actor, case)
    if FileItem.EVIDENCE not in parts:
        return []
    items = list(
        Evidence.objects.filter(case_id=case.pk)
        .exclude(pk__in=withheld)
        .select_related("organisation")
    )
    for item in items:
        item.case = case
    if items:
        details = {
            "case": case.pk,
            "via": "referral",
            "evidence": [item.pk for item in items],
            **access_policy().read_details(actor, case),
        }
        record("evidence.read", target=case, actor=actor, details=details)
    return items


def get_evidence_in_referred_file(actor: Actor, pk: int) -> Evidence:
    """One document of a case whose referral in force the user decides on, to download it
    (`opennrm.cases.access.evidence_content(actor, evidence, via="referral")`); 404 for an
    unknown id, a case that left every view, and anyone else."""
    evidence = Evidence.objects.select_related("case").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    retired = access_policy().retired_case_ids()
    if retired is not None and retired.filter(case_id=evidence.case_id).exists():
        raise Http404
    parts, withheld = parts_read(actor, evidence.case)
    if FileItem.EVIDENCE not in parts or evidence.pk in withheld:
        raise Http404  # also: not deciding on a referral in force (no parts)
    return evidence
