"""Who may vote on a case put to a platform, who chairs it, and whether the votes make a valid
decision.

Counted: active members who voted, minus those who declared a conflict of interest for the case
and, for a reconsideration, minus the members who took the decision being reconsidered (its
voters and its chair, all along the chain of reconsiderations).

Chaired (ADR 0010): by the platform's chairs (the chair capability: the local coordinator) who
are not excluded from the case; when every chair is excluded, or none sits, by the deputy
chairs the chair designated, under the same exclusions. When nobody remains, nobody can record
the decision, ask the referring organisation a question or designate interviewers until the
chair designates a deputy who did not take part: `chairless` finds those cases.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import ngettext

from opennrm.identification.models import (
    CompositionSector,
    ConflictDeclaration,
    IdentificationDecision,
    PlatformMember,
    Referral,
    Vote,
)
from opennrm.profiles.loader import active_profile


def first_decision_member_ids(referral: Referral) -> set[int]:
    """Members who took the decision(s) this referral reconsiders: they may not take part."""
    excluded: set[int] = set()
    decision_id = referral.reconsideration_of_id
    seen: set[int] = set()
    while decision_id is not None and decision_id not in seen:
        seen.add(decision_id)
        decision = IdentificationDecision.objects.select_related("referral").get(pk=decision_id)
        excluded.update(decision.voters.values_list("pk", flat=True))
        if decision.chair_id is not None:
            excluded.add(decision.chair_id)
        decision_id = decision.referral.reconsideration_of_id
    return excluded


def conflicted_member_ids(referral: Referral) -> set[int]:
    return set(referral.conflicts.values_list("member_id", flat=True))


def excluded_member_ids(referral: Referral) -> set[int]:
    return conflicted_member_ids(referral) | first_decision_member_ids(referral)


def _chairing_seats(territory_id: int) -> list[PlatformMember]:
    """Active seats of the département's platform that hold the chair or a deputy's flag."""
    seats = (
        PlatformMember.objects.active()
        .filter(platform__territory_id=territory_id)
        .select_related("membership__organisation", "membership__user")
        .order_by("pk")
    )
    return [seat for seat in seats if seat.is_chair or seat.is_deputy_chair]


def _acting(seats: Iterable[PlatformMember], excluded: set[int]) -> list[PlatformMember]:
    seats = list(seats)
    chairs = [seat for seat in seats if seat.is_chair and seat.pk not in excluded]
    if chairs:
        return chairs
    return [seat for seat in seats if seat.is_deputy and seat.pk not in excluded]


def acting_chairs(referral: Referral, excluded: set[int] | None = None) -> list[PlatformMember]:
    """The seats that may act as the chair on this case: its chairs not excluded from it, or,
    when there is none, its deputy chairs not excluded from it. Empty: nobody can chair it."""
    if excluded is None:
        excluded = excluded_member_ids(referral)
    return _acting(_chairing_seats(referral.case.territory_id), excluded)


def acting_chair_ids(referral: Referral, excluded: set[int] | None = None) -> set[int]:
    return {seat.pk for seat in acting_chairs(referral, excluded)}


def chairless(referrals: Iterable[Referral]) -> list[Referral]:
    """The cases among these (pending, before a platform) that nobody can chair. The conflicts
    are read in one query: a constant number of queries however many cases are pending."""
    referrals = list(referrals)
    conflicts: dict[int, set[int]] = {referral.pk: set() for referral in referrals}
    for referral_id, member_id in ConflictDeclaration.objects.filter(
        referral__in=[referral.pk for referral in referrals]
    ).values_list("referral_id", "member_id"):
        conflicts[referral_id].add(member_id)
    result = []
    seats_by_territory: dict[int, list[PlatformMember]] = {}
    for referral in referrals:
        territory_id = referral.case.territory_id
        if territory_id not in seats_by_territory:
            seats_by_territory[territory_id] = _chairing_seats(territory_id)
        excluded = conflicts[referral.pk] | first_decision_member_ids(referral)
        if not _acting(seats_by_territory[territory_id], excluded):
            result.append(referral)
    return result


def could_be_deputies(referral: Referral) -> list[PlatformMember]:
    """Members the chair could designate deputy chair for this case: active seats of its
    platform, not chairs, not excluded from it."""
    excluded = excluded_member_ids(referral)
    seats = (
        PlatformMember.objects.active()
        .filter(platform__territory_id=referral.case.territory_id)
        .exclude(pk__in=excluded)
        .select_related("membership__organisation", "membership__user")
        .order_by("membership__user__full_name", "pk")
    )
    return [seat for seat in seats if not seat.is_chair]


@dataclass(frozen=True)
class Composition:
    """The votes that count for one case, and what the profile's rules still miss."""

    votes: tuple[Vote, ...]
    quorum: int
    min_institutional: int
    min_civil_society: int
    excluded: frozenset[int] = field(default_factory=frozenset)

    @property
    def voters(self) -> tuple[PlatformMember, ...]:
        return tuple(vote.member for vote in self.votes)

    @property
    def institutional(self) -> int:
        return sum(1 for vote in self.votes if vote.sector == CompositionSector.INSTITUTION)

    @property
    def civil_society(self) -> int:
        return sum(1 for vote in self.votes if vote.sector == CompositionSector.CIVIL_SOCIETY)

    @property
    def tally(self) -> dict[str, int]:
        counts = Counter(vote.choice for vote in self.votes)
        return {
            **{choice: counts[choice] for choice in sorted(counts)},
            "voters": len(self.votes),
            "institutional": self.institutional,
            "civil_society": self.civil_society,
        }

    def missing(self) -> list[str]:
        """What prevents a valid decision, in words the chair can act on; empty when valid."""
        problems = []
        count = len(self.votes)
        if count < self.quorum:
            problems.append(
                ngettext(
                    "quorum not reached: %(count)s member without a conflict of interest has "
                    "voted, %(quorum)s are needed (%(more)s more)",
                    "quorum not reached: %(count)s members without a conflict of interest have "
                    "voted, %(quorum)s are needed (%(more)s more)",
                    count,
                )
                % {"count": count, "quorum": self.quorum, "more": self.quorum - count}
            )
        if self.institutional < self.min_institutional:
            problems.append(
                ngettext(
                    "not enough institutional members: %(count)s has voted, at least %(minimum)s "
                    "are needed",
                    "not enough institutional members: %(count)s have voted, at least %(minimum)s "
                    "are needed",
                    self.institutional,
                )
                % {"count": self.institutional, "minimum": self.min_institutional}
            )
        if self.civil_society < self.min_civil_society:
            problems.append(
                ngettext(
                    "not enough civil society members: %(count)s has voted, at least %(minimum)s "
                    "are needed",
                    "not enough civil society members: %(count)s have voted, at least %(minimum)s "
                    "are needed",
                    self.civil_society,
                )
                % {"count": self.civil_society, "minimum": self.min_civil_society}
            )
        return problems

    @property
    def is_valid(self) -> bool:
        return not self.missing()


def composition(referral: Referral, *, rules: Any = None) -> Composition:
    """The counted votes of a case: active members, no conflict, not excluded."""
    rules = rules or active_profile().platform
    excluded = excluded_member_ids(referral)
    votes = tuple(
        vote
        for vote in referral.votes.select_related(
            "member__membership__organisation", "member__membership__user"
        ).order_by("cast_at", "pk")
        if vote.member_id not in excluded and vote.member.is_active
    )
    return Composition(
        votes=votes,
        quorum=rules.quorum,
        min_institutional=rules.min_institutional,
        min_civil_society=rules.min_civil_society,
        excluded=frozenset(excluded),
    )
