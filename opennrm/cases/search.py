"""Searching cases within what the actor may see (never more), and finding a person by name or
date of birth through the blind index, never by decrypting anyone (ADR 0008, ADR 0017).

Every restriction here narrows `access.visible_cases` (or its page-at-a-time reading,
`access.VisibleCaseList`): a search never widens what the organisation sees.

A search by identity (names, date of birth) is for those who may read identities
(`may_search_identity`, the rule of `access.can_see_identity`), and reaches only the cases
whose identity they may read: those their organisation is responsible for, if they are its
field staff or coordinators, and those shared with it with the identity. Cases opened by an
exceptional access are left out of it (their identity is read case by case, under the grant).
A typed name is turned into blind tokens as a new person's are (`crypto.blind`: accents,
case, word order, transliteration of every script), each of its names found exactly or by
sound; the typed name and date of birth never reach the audit trail, the logs or an address
(the page sends them by POST).
"""

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Exists, Q

from opennrm.audit.trail import record
from opennrm.cases.access import VisibleCaseList
from opennrm.cases.models import Case, CaseQuerySet, CaseShare, PersonIndexToken
from opennrm.core.acting import Actor
from opennrm.core.models import Membership, Organisation
from opennrm.crypto import blind
from opennrm.profiles.capabilities import Capability

Refine = Callable[[CaseQuerySet], CaseQuerySet]

MAX_NAME_TOKENS = 6  # more typed names than this add nothing but cost
PICKER_LIMIT = 10


def _membership(actor: Actor) -> Membership | None:
    membership: Membership | None = actor.membership
    return membership


def _reads_owned_identities(membership: Membership) -> bool:
    """The rule of `access.can_see_identity` for the organisation's own cases."""
    return membership.can(Capability.REPORT) or membership.can(Capability.TRIAGE)


def _identity_shares(membership: Membership) -> Any:
    return CaseShare.objects.filter(
        organisation_id=membership.organisation_id, revoked_at__isnull=True, identity=True
    )


def owner_choices(actor: Actor) -> list[tuple[int, str]]:
    """The responsible organisations offered as a filter: the authorised reporters working in
    the territories of the actor's organisation, and that organisation; every authorised
    reporter for an organisation covering no territory (the national coordination). Read in
    one query: a national instance counts about a thousand reporters, which a field worker
    of one département has no use for."""
    membership = _membership(actor)
    if membership is None:
        return []
    covered = Organisation.territories.through.objects.filter(
        organisation_id=membership.organisation_id
    )
    # The territories covered and the units within them (a region's départements).
    working_there = Organisation.territories.through.objects.filter(
        Q(territory_id__in=covered.values("territory_id"))
        | Q(territory__parent_id__in=covered.values("territory_id"))
    ).values("organisation_id")
    reporters = Organisation.objects.filter(
        Q(pk=membership.organisation_id)
        | Q(authorised_reporter=True, pk__in=working_there)
        | Q(Q(authorised_reporter=True), ~Exists(covered))
    )
    return list(reporters.order_by("name", "pk").values_list("pk", "name"))


def may_search_identity(actor: Actor) -> bool:
    """Whether the actor may search by name or date of birth: they read the identity of the
    cases their organisation is responsible for (field staff, coordinators), or their
    organisation holds shares that carry the identity."""
    membership = _membership(actor)
    if membership is None:
        return False
    if _reads_owned_identities(membership):
        return True
    return bool(_identity_shares(membership).exists())


def identity_scope(actor: Actor) -> Q:
    """The cases whose identity the actor may read (see the module's docstring)."""
    membership = _membership(actor)
    if membership is None:
        return Q(pk__in=[])
    shared = Q(pk__in=_identity_shares(membership).values("case_id"))
    if _reads_owned_identities(membership):
        return Q(owner_id=membership.organisation_id) | shared
    return shared


def name_token_groups(name: str) -> list[set[str]]:
    """For each significant name typed (normalised as the index is: accents, case, scripts),
    the blind tokens that hold it: the name exactly, or its phonetic key when selective."""
    groups: list[set[str]] = []
    for token in blind.significant(blind.name_tokens(name))[:MAX_NAME_TOKENS]:
        tokens = {blind.keyed(blind.NAME, token)}
        key = blind.phonetic_key(token)
        if len(key) >= blind.SELECTIVE_PHONETIC:
            tokens.add(blind.keyed(blind.PHONETIC, key))
        groups.append(tokens)
    return groups


def identity_refine(
    actor: Actor, *, name: str = "", date_of_birth: datetime.date | None = None
) -> Refine:
    """Narrow cases to those of a person holding every name typed (exactly or by sound) and the
    date of birth, among the cases whose identity the actor may read. Refused (ValueError) to
    those who may not search by identity: the caller checks `may_search_identity` first."""
    if not may_search_identity(actor):
        raise ValueError("This actor may not search by identity.")
    groups = name_token_groups(name)
    if date_of_birth is not None:
        groups.append({blind.keyed(blind.DOB, date_of_birth.isoformat())})
    scope = identity_scope(actor)
    persons = _holders_of_every_group(groups)

    def refine(cases: CaseQuerySet) -> CaseQuerySet:
        if not persons:
            return cases.none()
        return cases.filter(scope).filter(person_id__in=persons)

    return refine


def _holders_of_every_group(groups: list[set[str]]) -> list[int]:
    """The people holding a token of every group, read first through the token index (one
    query) and at most COUNT_CAP + 1 of them: with them as a list, PostgreSQL reads their cases
    through the person index, whatever the number of cases seen. As subqueries beside the
    visibility filters, it scanned every case (150 ms at 1,000,000). Past the cap the list
    shows "more than 1,000", as it does for any search, and asks for more names."""
    if not groups:
        return []
    holders = PersonIndexToken.objects.filter(token__in=sorted(groups[0]))
    for tokens in groups[1:]:
        holders = holders.filter(
            person_id__in=PersonIndexToken.objects.filter(token__in=sorted(tokens)).values(
                "person_id"
            )
        )
    found = holders.order_by().values_list("person_id", flat=True).distinct()
    return list(found[: VisibleCaseList.COUNT_CAP + 1])


def has_searchable_name(name: str) -> bool:
    """Whether a typed name holds at least one name the index keeps (not only initials or
    particles)."""
    return bool(name_token_groups(name))


# What a reference or a pseudonym is written with (opennrm.cases.models.new_reference: Crockford's
# base 32, a letter, dashes). Anything else typed there is refused, so that a name typed in the
# wrong field never reaches the audit trail.
REFERENCE_TEXT = re.compile(r"^[0-9A-HJKMNP-TV-Z-]*$")


def is_reference_text(text: str) -> bool:
    return bool(REFERENCE_TEXT.match(reference_prefix(text)))


def reference_prefix(text: str) -> str:
    """A typed case reference, as stored: upper case, spaces left out."""
    return "".join(text.split()).upper()


def pseudonym_prefix(text: str) -> str:
    """A typed pseudonym, as stored (P-XXXX-XXXX): upper case, the P- added when left out."""
    typed = "".join(text.split()).upper()
    if not typed or typed.startswith("P-") or "P-".startswith(typed):
        return typed
    return f"P-{typed}"


def with_form_of_exploitation(cases: CaseQuerySet, code: str) -> CaseQuerySet:
    """Cases whose forms of exploitation include `code` (JSON containment on PostgreSQL; the
    JSON text on SQLite, which has no containment: codes are quoted words, none inside
    another)."""
    if connection.vendor == "postgresql":
        return cases.filter(forms__contains=[code])
    return cases.filter(forms__icontains=f'"{code}"')


def record_search(
    actor: Actor,
    *,
    filters: dict[str, Any],
    identity: bool,
    results: int,
    capped: bool = False,
    where: str = "cases",
) -> None:
    """Audit a search: the filters used (codes, ids, prefixes; never a name or a date of birth:
    only that the search was by identity) and how many results it gave."""
    record(
        "case.search",
        actor=actor,
        details={
            "where": where,
            "filters": filters,
            "identity_search": identity,
            "results": results,
            "capped": capped,
        },
    )


def picker_cases(actor: Actor, text: str, *, narrow: Refine | None = None) -> list[Case]:
    """Up to PICKER_LIMIT cases the actor may see (and among those `narrow` keeps, when given:
    a set already narrowed by the caller, such as the cases of the concern's département),
    newest first, whose reference or pseudonym starts with the text typed. Pseudonymised: no
    identity is read. Read like the case list (`VisibleCaseList`): each source of visibility
    through its index of openings, only as far as ten matches, whatever the number of cases
    seen; ordered by reference, a short prefix would have PostgreSQL sort every match."""
    typed = reference_prefix(text)
    if not is_reference_text(typed):  # not a reference: nothing typed reaches the audit trail
        record_search(
            actor,
            filters={"text": "not_a_reference"},
            identity=False,
            results=0,
            where="picker",
        )
        return []
    if len(typed) < 2:
        return []
    if typed.startswith("C-"):  # a case reference; pseudonyms begin with P-
        matches = Q(reference__startswith=typed)
    elif typed.startswith("P-"):
        matches = Q(person__pseudonym__startswith=typed)
    else:
        matches = (
            Q(reference__startswith=typed)
            | Q(person__pseudonym__startswith=typed)
            | Q(reference__startswith=f"C-{typed}")
            | Q(person__pseudonym__startswith=pseudonym_prefix(typed))
        )
    keep = narrow or (lambda cases: cases)
    found = VisibleCaseList(
        actor,
        refine=lambda cases: keep(cases).filter(matches),
        shape=lambda cases: cases.select_related("person", "territory").only(
            "reference", "status", "person__pseudonym", "territory__code", "territory__name"
        ),
    )[:PICKER_LIMIT]
    record_search(
        actor,
        filters={"text_prefix": typed[:16]},
        identity=False,
        results=len(found),
        where="picker",
    )
    return found
