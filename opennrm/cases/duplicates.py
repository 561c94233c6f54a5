"""Duplicate detection across organisations, without decrypting anyone's identity (ADR 0008).

Each person's names and date of birth are kept as blind-index tokens (`PersonIndexToken`,
computed by opennrm.crypto.blind on every save). A new or corrected person is compared with the
others through those tokens only: the database finds who shares a token, and the scoring reads
tokens, never another person's fields.

When another organisation may hold the same person, the user learns that a possible match
exists and which organisation to contact: its name and functional e-mail address and telephone.
Nothing of the other record crosses (no reference, no pseudonym, no name); the two
organisations talk, and data moves only with the person's consent.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import models, transaction

from opennrm.audit.trail import record
from opennrm.cases.models import Case, Person, PersonIndexToken, PossibleMatch
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation
from opennrm.crypto import blind


def _entries(person: Person) -> set[blind.IndexEntry]:
    return blind.index_entries(
        given_names=person.given_names or "",
        family_name=person.family_name or "",
        aliases=person.aliases or "",
        date_of_birth=person.date_of_birth,
    )


def refresh_index(person: Person) -> None:
    """Make the person's stored tokens those of their current names and date of birth."""
    wanted = {(entry.kind, entry.token) for entry in _entries(person)}
    stored = {
        (kind, token): pk
        for pk, kind, token in PersonIndexToken.objects.filter(person=person).values_list(
            "pk", "kind", "token"
        )
    }
    stale = [pk for key, pk in stored.items() if key not in wanted]
    if stale:
        PersonIndexToken.objects.filter(pk__in=stale).delete()
    missing = wanted - stored.keys()
    if missing:
        PersonIndexToken.objects.bulk_create(
            PersonIndexToken(person=person, kind=kind, token=token) for kind, token in missing
        )


def refresh_indexes(persons: list[Person]) -> int:
    """`refresh_index` for many persons at once (three queries, whatever their number): what
    a rebuild of the whole index runs, batch by batch. Returns how many tokens changed."""
    wanted = {
        person.pk: {(entry.kind, entry.token) for entry in _entries(person)} for person in persons
    }
    stored: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    for pk, person_id, kind, token in PersonIndexToken.objects.filter(
        person_id__in=list(wanted)
    ).values_list("pk", "person_id", "kind", "token"):
        stored[person_id][(kind, token)] = pk
    stale = [
        pk
        for person_id, tokens in stored.items()
        for key, pk in tokens.items()
        if key not in wanted[person_id]
    ]
    missing = [
        PersonIndexToken(person_id=person_id, kind=kind, token=token)
        for person_id, tokens in wanted.items()
        for kind, token in tokens - stored[person_id].keys()
    ]
    if stale:
        PersonIndexToken.objects.filter(pk__in=stale).delete()
    PersonIndexToken.objects.bulk_create(missing, batch_size=2000)
    return len(stale) + len(missing)


@dataclass(frozen=True)
class Match:
    """Another person who may be the same. Server side only: never shown or sent."""

    person_id: int
    reason: str  # "same_name", "same_date_of_birth" or "similar_name" (blind.PersonProbe)


MAX_CANDIDATES = 200  # more than this many close records is a name too common to tell apart


def _candidates(probe: blind.PersonProbe, *, exclude: int | None) -> list[int]:
    """Persons worth scoring, found through selective tokens only: the same full name or date
    of birth, one name exactly with the outline of another, two names that sound alike. A
    common given name alone does not bring every person who bears it forward."""
    rows = PersonIndexToken.objects.filter(token__in=probe.key_tokens())
    if exclude is not None:
        rows = rows.exclude(person_id=exclude)
    # Read whole, capped here: with DISTINCT and LIMIT the planner walks the (person, token)
    # index in person order looking for these few tokens: seconds at 45 million rows. Those
    # sharing the most of these tokens come first.
    hits: dict[int, int] = defaultdict(int)
    for person_id in rows.order_by().values_list("person_id", flat=True):
        hits[person_id] += 1
    return sorted(hits, key=lambda person_id: (-hits[person_id], person_id))[:MAX_CANDIDATES]


def find_possible_matches(person: Person) -> list[Match]:
    """Other persons who may be this one, found and scored from blind-index tokens only."""
    probe = blind.probe(
        given_names=person.given_names or "",
        family_name=person.family_name or "",
        aliases=person.aliases or "",
        date_of_birth=person.date_of_birth,
    )
    if probe.is_empty():
        return []
    candidates = _candidates(probe, exclude=person.pk)
    if not candidates:
        return []
    found: dict[int, set[str]] = defaultdict(set)
    # Second pass, for these candidates only: their trigrams that meet this person's, whether
    # they have a date of birth (a different one argues against a match) and how many name
    # tokens they have (tokens only: nothing is decrypted).
    other_dob: set[int] = set()
    other_names: dict[int, int] = defaultdict(int)
    for person_id, kind, token in PersonIndexToken.objects.filter(
        models.Q(token__in=probe.first_pass_tokens() | probe.trigram_tokens())
        | models.Q(kind__in=[blind.DOB, blind.NAME]),
        person_id__in=candidates,
    ).values_list("person_id", "kind", "token"):
        if kind == blind.DOB:
            if probe.dob is not None and token != probe.dob:
                other_dob.add(person_id)
            else:
                found[person_id].add(token)
        elif kind == blind.NAME:
            other_names[person_id] += 1
            found[person_id].add(token)
        else:
            found[person_id].add(token)
    matches = []
    for person_id, tokens in sorted(found.items()):
        reason = probe.assess(
            tokens, has_other_dob=person_id in other_dob, other_names=other_names[person_id]
        )
        if reason is not None:
            matches.append(Match(person_id, reason))
    return matches


@dataclass(frozen=True)
class OrganisationToContact:
    """All a user may learn of a possible match: whom to call."""

    name: str
    email: str
    phone: str


def organisations_holding(matches: list[Match], *, exclude: set[int]) -> list[Organisation]:
    """The organisations responsible for a case of a matched person, except `exclude` (ids)."""
    owners = (
        Case.objects.filter(person_id__in=[match.person_id for match in matches])
        .exclude(owner_id__in=exclude)
        .values_list("owner_id", flat=True)
        .distinct()
    )
    return list(Organisation.objects.filter(pk__in=list(owners)).order_by("name", "pk"))


def contact_of(organisation: Organisation) -> OrganisationToContact:
    return OrganisationToContact(organisation.name, organisation.email, organisation.phone)


def check_for_duplicates(case: Case, *, actor: Actor) -> list[OrganisationToContact]:
    """After a case is opened or its person corrected: record which other organisations may
    hold the same person, audit it (organisation ids only) and return whom to contact."""
    acting = getattr(actor.membership, "organisation_id", None)
    exclude = {case.owner_id} | ({acting} if acting is not None else set())
    matches = find_possible_matches(case.person)
    if not matches:
        return []
    organisations = organisations_holding(matches, exclude=exclude)
    if not organisations:
        return []
    with transaction.atomic():
        for organisation in organisations:
            PossibleMatch.objects.get_or_create(case=case, organisation=organisation)
        record(
            "person.possible_match",
            target=case,
            actor=actor,
            details={"organisations": [organisation.pk for organisation in organisations]},
        )
    return [contact_of(organisation) for organisation in organisations]


def possible_matches(case: Case) -> list[OrganisationToContact]:
    """The organisations to contact recorded for a case, for its page."""
    return [
        contact_of(match.organisation)
        for match in case.possible_matches.select_related("organisation")
    ]
