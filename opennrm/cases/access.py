"""The one way the web layer reaches cases and persons. Outsiders get 404; reads are audited.

Archived and anonymised cases leave every organisation's view; the national coordinator and the
data protection officer reach a case only under an exceptional access in force, and each read
then says so in the audit trail. Both come from the access policy that data protection registers
(`opennrm.cases.hooks`; opennrm.privacy.retention and opennrm.privacy.breakglass).
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from opennrm.audit.trail import record
from opennrm.cases.enums import ShareReason
from opennrm.cases.hooks import access_policy
from opennrm.cases.models import (
    Case,
    CaseQuerySet,
    CaseTransfer,
    CaseTransferQuerySet,
    Evidence,
    Person,
    SafeContact,
)
from opennrm.cases.safe_contact import SafeContactNotice
from opennrm.cases.transfer import is_coordinator
from opennrm.core.acting import Actor
from opennrm.core.models import Membership
from opennrm.profiles.capabilities import Capability


def _membership(actor: Actor) -> Membership | None:
    membership: Membership | None = actor.membership
    return membership


def visible_cases(actor: Actor) -> CaseQuerySet:
    """Cases the organisation the user acts for may see (created, or shared and not revoked,
    and not retired), and those opened to the user by an exceptional access in force."""
    membership = _membership(actor)
    if membership is None:
        return Case.objects.none()
    policy = access_policy()
    cases = _not_retired(Case.objects.visible_to(membership.organisation))
    granted = policy.granted_case_ids(actor)
    if granted is None:
        return cases
    return cases | Case.objects.filter(pk__in=granted)


def _not_retired(cases: CaseQuerySet) -> CaseQuerySet:
    retired = access_policy().retired_case_ids()
    if retired is None:
        return cases
    # An anti-join, row by row through the index, rather than NOT IN over every retired case.
    return cases.filter(~Exists(retired.filter(case_id=OuterRef("pk"))))


Refine = Callable[[CaseQuerySet], CaseQuerySet]


class VisibleCaseList:
    """The cases an actor may see, newest first, read a page at a time (a Paginator's object
    list): the same cases as `visible_cases`, at a cost that does not grow with their number.

    Each way of seeing a case — owned, shared, under an exceptional access — is a separate,
    disjoint source read in order through its own index (`cases_case_owner_opened`;
    `cases_share_org_opened` on the shares, which carry their case's opening), only as far as
    the page asked for; the sources are merged here and the page's cases read by primary key
    with `shape` (related rows, columns, annotations). Counts are the sum of the sources'
    counts, each an index range read at most up to COUNT_CAP + 1 rows.
    """

    def __init__(self, actor: Actor, *, refine: Refine | None = None, shape: Refine | None = None):
        self.sources = _visibility_sources(actor)
        self.refine = refine or (lambda cases: cases)
        self.shape = shape or (lambda cases: cases)
        self._count: int | None = None

    # Past this, "more than 1,000": filters narrow the list. Counting reads up to this many
    # rows of each source (times the share reasons for shares), so it bounds the page's cost.
    COUNT_CAP = 1_000

    def count(self) -> int:
        """How many cases, counted up to COUNT_CAP + 1 (see `capped`)."""
        if self._count is None:
            total = sum(source.count(self.refine, self.COUNT_CAP) for source in self.sources)
            self._count = min(total, self.COUNT_CAP + 1)
        return self._count

    @property
    def capped(self) -> bool:
        return self.count() > self.COUNT_CAP

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Case]:
        raise TypeError("VisibleCaseList is read a page at a time, never whole.")

    @overload
    def __getitem__(self, index: int) -> Case: ...

    @overload
    def __getitem__(self, index: slice) -> list[Case]: ...

    def __getitem__(self, index: int | slice) -> Case | list[Case]:
        if isinstance(index, int):
            one = self[index : index + 1]
            if not one:
                raise IndexError(index)
            return one[0]
        if index.step is not None:
            raise TypeError("VisibleCaseList is read by pages (slices without a step).")
        start, stop = index.start or 0, index.stop
        if stop is None or stop <= start:
            return []
        heads: list[tuple[datetime.datetime, int]] = []
        for source in self.sources:
            heads += source.head(self.refine, stop)
        heads.sort(reverse=True)
        wanted = [pk for _, pk in heads[start:stop]]
        if not wanted:
            return []
        found = {case.pk: case for case in self.shape(Case.objects.filter(pk__in=wanted))}
        return [found[pk] for pk in wanted if pk in found]


@dataclass(frozen=True)
class _Source:
    """Cases seen one way, and the column that orders them by opening (on the case, or on the
    share that opens it: a case shared for several reasons then comes once per reason, at most
    `repeats` times)."""

    cases: CaseQuerySet
    opened: str = "opened_at"
    repeats: int = 1

    def _ordered(self, refine: Refine) -> Any:
        return refine(self.cases).order_by(f"-{self.opened}", "-pk")

    def count(self, refine: Refine, cap: int) -> int:
        """How many, up to cap + 1, read through the same index as the head: bounded whatever
        the number. Shares: the distinct cases among the first (cap + 1) × repeats rows, which
        hold at least cap + 1 cases when there are that many (a DISTINCT over every share
        would read them all)."""
        if self.repeats > 1:
            rows = self._ordered(refine).values("pk")[: (cap + 1) * self.repeats]
            return int(Case.objects.filter(pk__in=rows).count())
        cases: Any = refine(self.cases).order_by().values("pk")
        return int(cases[: cap + 1].count())

    def head(self, refine: Refine, stop: int) -> list[tuple[datetime.datetime, int]]:
        """The newest `stop` cases (opening, id), in one query read in the index's order: the
        first stop × repeats rows hold them (a DISTINCT would sort every share first)."""
        rows = self._ordered(refine).values_list(self.opened, "pk")
        if self.repeats == 1:
            return list(rows[:stop])
        first: dict[int, datetime.datetime] = {}
        for opened, pk in rows[: stop * self.repeats]:
            first.setdefault(pk, opened)
        return [(opened, pk) for pk, opened in first.items()][:stop]


def count_visible_cases(actor: Actor, refine: Refine, *, cap: int, owned_only: bool = False) -> int:
    """How many of the cases `VisibleCaseList(actor, refine=refine)` lists, counted up to
    cap + 1 (a dashboard shows "99+"): one bounded index read per source of visibility. With
    `owned_only`, the cases the organisation is responsible for only (the first source: what
    the list shows filtered on the organisation as owner)."""
    sources = _visibility_sources(actor)
    if owned_only:
        sources = sources[:1]
    return min(sum(source.count(refine, cap) for source in sources), cap + 1)


def _visibility_sources(actor: Actor) -> list[_Source]:
    """Disjoint sources whose union is `visible_cases(actor)`."""
    membership = _membership(actor)
    if membership is None:
        return []
    organisation = membership.organisation
    shared = Case.objects.shared_with(organisation)
    reasons = [r for r in ShareReason.values if r != ShareReason.ORIENTATION]
    through_shares = Case.objects.filter(
        shares__organisation=organisation,
        shares__revoked_at__isnull=True,
        shares__reason__in=reasons,
    ).exclude(owner=organisation)
    sources = [
        _Source(_not_retired(Case.objects.filter(owner=organisation))),
        # One share in force per case, organisation and reason (Case.share_with).
        _Source(_not_retired(through_shares), "shares__case_opened_at", repeats=len(reasons)),
    ]
    granted = access_policy().granted_case_ids(actor)
    if granted is not None:
        # Granted cases not already seen through the two sources above.
        retired = access_policy().retired_case_ids()
        seen = Q(owner=organisation) | Q(pk__in=shared)
        if retired is not None:
            seen = Q(seen, ~Exists(retired.filter(case_id=OuterRef("pk"))))
        sources.append(_Source(Case.objects.filter(pk__in=granted).exclude(seen)))
    return sources


def get_case_for_member(actor: Actor, reference: str) -> Case:
    """A case the user may see, or 404. Each read is audited."""
    case = (
        visible_cases(actor)
        .select_related("person", "owner", "territory", "detected_by")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404
    details = access_policy().read_details(actor, case)  # says when the read is exceptional
    record("case.read", target=case, actor=actor, details=details)
    return case


def get_case_for_owner(actor: Actor, reference: str) -> Case:
    """A case the user's organisation is responsible for (to assess, inform, refer), or 404."""
    case = get_case_for_member(actor, reference)
    membership = _membership(actor)
    if membership is None or case.owner_id != membership.organisation_id:
        raise Http404
    return case


def transfers_of(actor: Actor) -> CaseTransferQuerySet:
    """The transfers the acting organisation takes part in (it gives or would take the case),
    for its coordinators; 404 for anyone else. Transfers of retired cases are gone."""
    membership = _membership(actor)
    if membership is None or not is_coordinator(membership):
        raise Http404
    transfers = CaseTransfer.objects.involving(membership.organisation)
    retired = access_policy().retired_case_ids()
    if retired is not None:
        transfers = transfers.filter(~Exists(retired.filter(case_id=OuterRef("case_id"))))
    return transfers


def get_transfer(actor: Actor, pk: int) -> CaseTransfer:
    """One transfer, for the coordinators of the two organisations, or 404. What it shows of
    the case is pseudonymised (the receiving side does not see the case before accepting).
    Each read is audited (`transfer.read`)."""
    transfer = (
        transfers_of(actor)
        .select_related(
            "case",
            "case__person",
            "case__territory",
            "from_organisation",
            "to_organisation",
            "from_territory",
            "to_territory",
            "asked_by",
            "decided_by",
            "consent",
        )
        .filter(pk=pk)
        .first()
    )
    if transfer is None:
        raise Http404
    record("transfer.read", target=transfer, actor=actor, details={"case": transfer.case_id})
    return transfer


def transfers_awaiting(actor: Actor) -> int:
    """How many transfers wait for the acting organisation's decision (its coordinators only;
    0 for anyone else): a count, no personal data, not audited."""
    membership = _membership(actor)
    if membership is None or not is_coordinator(membership):
        return 0
    return CaseTransfer.objects.awaiting(membership.organisation).count()


def can_see_identity(actor: Actor, case: Case) -> bool:
    """Identity is for the responsible organisation's field staff and for shares that need it."""
    membership = _membership(actor)
    if membership is None:
        return False
    if case.owner_id == membership.organisation_id:
        return membership.can(Capability.REPORT) or membership.can(Capability.TRIAGE)
    if access_policy().allows_identity(actor, case):
        return True
    return case.shares.filter(
        organisation_id=membership.organisation_id, revoked_at__isnull=True, identity=True
    ).exists()


def get_identity(actor: Actor, case: Case) -> Person:
    """The person's identity fields, for those who need them; audited. 404 for the others."""
    if not can_see_identity(actor, case):
        raise Http404
    details = {"case": case.pk, **access_policy().read_details(actor, case)}
    record("person.read_identity", target=case.person, actor=actor, details=details)
    return case.person


def get_safe_contact(
    actor: Actor, case: Case, *, via: str = "case", coordinates: bool = True
) -> SafeContactNotice | None:
    """How to reach the person safely, for those who may see the identity (the owner's field
    staff and coordinators, a share that carries the identity — the judicial service the case
    was referred to —, an exceptional access with the identity); None for anyone else and
    while nothing is recorded. `coordinates=False` leaves out the telephone and the address
    (a pseudonymised page: the precautions only). Each read is audited (`safe_contact.read`)."""
    if not can_see_identity(actor, case):
        return None
    contact = (
        SafeContact.objects.filter(case_id=case.pk)
        .select_related("contact_organisation", "organisation")
        .first()
    )
    if contact is None:
        return None
    details = {
        "case": case.pk,
        "via": via,
        "coordinates": coordinates,
        **access_policy().read_details(actor, case),
    }
    record("safe_contact.read", target=contact, actor=actor, details=details)
    return SafeContactNotice.of(contact, coordinates=coordinates)


# Evidence: documents attached to the case ---------------------------------------------------


def may_read_evidence(actor: Actor, case: Case) -> bool:
    """The documents attached to a case are for the responsible organisation's field staff
    (who add them) and coordinators (who read the account); those who decide on its referral
    read them in the referred file (opennrm.detection.access.evidence_in_referred_file)."""
    membership = _membership(actor)
    return (
        membership is not None
        and membership.organisation_id == case.owner_id
        and (membership.can(Capability.REPORT) or membership.can(Capability.TRIAGE))
    )


def evidence_of_case(actor: Actor, case: Case, *, via: str = "case") -> list[Evidence]:
    """The case's documents (type, date, description, file name), for those who may read
    them; 404 for anyone else. Shown, they are an audited read (`evidence.read`, their ids)."""
    if not may_read_evidence(actor, case):
        raise Http404
    items = list(
        Evidence.objects.filter(case_id=case.pk).select_related("organisation", "uploaded_by")
    )
    for item in items:
        item.case = case
    if items:
        details = {
            "case": case.pk,
            "via": via,
            "evidence": [item.pk for item in items],
            **access_policy().read_details(actor, case),
        }
        record("evidence.read", target=case, actor=actor, details=details)
    return items


def get_evidence_for_member(actor: Actor, reference: str, pk: int) -> Evidence:
    """One document of a case the user may see and whose documents they may read, or 404
    (an unknown id, another case's document, anyone else). Audited (`evidence.read`)."""
    case = get_case_for_member(actor, reference)  # audited: case.read
    if not may_read_evidence(actor, case):
        raise Http404
    evidence = Evidence.objects.filter(case_id=case.pk, pk=pk).first()
    if evidence is None:
        raise Http404
    evidence.case = case
    details = {
        "case": case.pk,
        "evidence": [evidence.pk],
        **access_policy().read_details(actor, case),
    }
    record("evidence.read", target=case, actor=actor, details=details)
    return evidence


def evidence_content(actor: Actor, evidence: Evidence, *, via: str = "case") -> bytes:
    """The bytes of a document reached through an access function above (or the referred
    file's), decrypted; every download is audited (`evidence.download`)."""
    from opennrm.cases.evidence import read_content

    details = {
        "case": evidence.case_id,
        "via": via,
        "kind": evidence.kind,
        **access_policy().read_details(actor, evidence.case),
    }
    record("evidence.download", target=evidence, actor=actor, details=details)
    return read_content(evidence)
