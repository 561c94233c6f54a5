"""Linking cases that name the same employer or exploiter, without decrypting anything
(ADR 0008, the rule of opennrm.cases.duplicates).

Each workplace's name and SIREN (the first nine digits of its SIRET: the company, whichever
establishment), and each exploiter's name of two words or more, are kept as blind-index tokens
(`LinkToken`, HMAC under OPENNRM_INDEX_KEY, opennrm.crypto.blind). The database finds two
records that share a token; nobody reads the other record.

Company names are normalised so that spellings of one employer meet: case, accents, scripts and
punctuation as for persons (`blind.normalise`); letters written apart joined (``S.A.R.L.`` →
``sarl``); legal forms and their noise left out (SARL, SAS, EURL, SA, SCI, SCEA, GAEC, EARL,
"Ets", "Établissements", "Société"…) and articles and small words (le, la, les, du, des, et…);
a plural ``s`` or ``x`` dropped; the words sorted, so that word order does not count:
"SARL Les Vergers du Sud", "les vergers du sud" and "Vergers du Sud (Les), SARL" give one token.

What is disclosed is what a possible duplicate person discloses: that another organisation
holds a matching record, and which organisation to contact (its name, functional e-mail and
telephone). Nothing of the other case crosses: no reference, no person, no content of the
record. The other organisation's field staff are told (an in-app notification naming their own
case) and see the same notice on their own case, with this organisation to contact.
"""

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from opennrm.cases.duplicates import OrganisationToContact, contact_of
from opennrm.cases.models import Case
from opennrm.core.models import Membership, Notification, Organisation, User
from opennrm.crypto import blind
from opennrm.detection.models import Exploiter, LinkToken, Workplace, siret_digits
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile

COMPANY = "company"
SIREN = "siren"
EXPLOITER = "exploiter"
SIREN_LENGTH = 9

# Legal forms and other words that say what kind of body, not which one (French and a few
# common foreign ones), and small words.
LEGAL_FORMS = frozenset(
    {
        "sarl", "sas", "sasu", "eurl", "sa", "sci", "snc", "scs", "sca", "scop", "scic", "scp",
        "scea", "gaec", "earl", "sel", "selarl", "gie", "ei", "eirl", "ets", "etablissement",
        "etablissements", "ste", "societe", "cie", "compagnie", "entreprise", "ent", "groupe",
        "holding", "ltd", "limited", "llc", "inc", "gmbh", "srl", "spa", "bv", "sl", "sro",
        "eood", "ood", "sp", "zoo",
    }
)  # fmt: skip
SMALL_WORDS = frozenset(
    {
        "le", "la", "les", "l", "un", "une", "du", "de", "des", "d", "au", "aux", "a", "et",
        "en", "sur", "sous", "chez", "par", "pour", "the", "and", "of", "y",
    }
)  # fmt: skip
SINGLE_LETTERS = re.compile(r"\b(?:[a-z0-9] ){1,}[a-z0-9]\b")
PLURAL_MIN_LENGTH = 4  # "bus" and "gaz" keep their s


def _join_letters(text: str) -> str:
    """Letters written apart make one word: "s a r l" → "sarl"."""
    return SINGLE_LETTERS.sub(lambda run: run.group().replace(" ", ""), text)


def _singular(word: str) -> str:
    if len(word) >= PLURAL_MIN_LENGTH and word[-1] in "sx":
        return word[:-1]
    return word


def company_words(name: str) -> list[str]:
    """The words that name a company, normalised and sorted (noise left out)."""
    words = _join_letters(blind.normalise(name)).split()
    kept = [word for word in words if word not in LEGAL_FORMS and word not in SMALL_WORDS]
    return sorted(_singular(word) for word in kept)


def company_key(name: str) -> str:
    """One company's name, normalised, as one string ("" when nothing names it)."""
    return " ".join(company_words(name))


def siren_of(siret: str) -> str:
    digits = siret_digits(siret or "")
    return digits[:SIREN_LENGTH] if len(digits) >= SIREN_LENGTH and digits.isdigit() else ""


def exploiter_key(name: str) -> str:
    """An exploiter's name of two significant words or more, sorted ("" otherwise: a first
    name or a nickname alone is shared by too many people to link two cases)."""
    tokens = blind.significant(blind.name_tokens(name or ""))
    return " ".join(tokens) if len(tokens) >= 2 else ""


def workplace_tokens(workplace: Workplace) -> set[tuple[str, str]]:
    """(kind, keyed token) of a workplace."""
    tokens = set()
    if key := company_key(workplace.name or ""):
        tokens.add((COMPANY, blind.keyed(COMPANY, key)))
    if siren := siren_of(workplace.siret or ""):
        tokens.add((SIREN, blind.keyed(SIREN, siren)))
    return tokens


def exploiter_tokens(exploiter: Exploiter) -> set[tuple[str, str]]:
    key = exploiter_key(exploiter.name or "")
    return {(EXPLOITER, blind.keyed(EXPLOITER, key))} if key else set()


def refresh_workplace(workplace: Workplace, case: Case) -> None:
    """Make the workplace's stored tokens those of its current name and SIRET."""
    LinkToken.objects.filter(workplace=workplace).delete()
    LinkToken.objects.bulk_create(
        LinkToken(case=case, workplace=workplace, kind=kind, token=token)
        for kind, token in workplace_tokens(workplace)
    )


def refresh_exploiter(exploiter: Exploiter, case: Case) -> None:
    LinkToken.objects.filter(exploiter=exploiter).delete()
    LinkToken.objects.bulk_create(
        LinkToken(case=case, exploiter=exploiter, kind=kind, token=token)
        for kind, token in exploiter_tokens(exploiter)
    )


def rebuild_link_index() -> int:
    """Every workplace's and exploiter's tokens again (after OPENNRM_INDEX_KEY changed).
    Returns how many tokens are stored."""
    LinkToken.objects.all().delete()
    rows = [
        LinkToken(case_id=w.account.case_id, workplace=w, kind=kind, token=token)
        for w in Workplace.objects.select_related("account").iterator()
        for kind, token in workplace_tokens(w)
    ] + [
        LinkToken(case_id=e.account.case_id, exploiter=e, kind=kind, token=token)
        for e in Exploiter.objects.select_related("account").iterator()
        for kind, token in exploiter_tokens(e)
    ]
    LinkToken.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# Matching ---------------------------------------------------------------------------------


@dataclass
class CaseLinks:
    """Whom to contact about each workplace and exploiter of a case (by the record's id), and
    the other cases found (server side only: for notifications, never shown)."""

    workplaces: dict[int, list[OrganisationToContact]] = field(default_factory=dict)
    exploiters: dict[int, list[OrganisationToContact]] = field(default_factory=dict)
    organisations: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.workplaces or self.exploiters)


def _matching_cases(
    case: Case, tokens: "Sequence[tuple[int | None, int | None, str]]"
) -> dict[str, set[tuple[int, int]]]:
    """token → {(other case id, its owner id)} for the cases of other organisations."""
    found: dict[str, set[tuple[int, int]]] = defaultdict(set)
    if not tokens:
        return found
    rows = (
        LinkToken.objects.filter(token__in={token for _w, _e, token in tokens})
        .exclude(case_id=case.pk)
        .exclude(case__owner_id=case.owner_id)
        .values_list("token", "case_id", "case__owner_id")
    )
    for token, case_id, owner_id in rows:
        found[token].add((case_id, owner_id))
    return found


def links_of_case(case: Case) -> CaseLinks:
    """For each workplace and exploiter of the case: the other organisations holding a case
    with a matching one (tokens only: nothing is decrypted)."""
    tokens = list(
        LinkToken.objects.filter(case_id=case.pk).values_list(
            "workplace_id", "exploiter_id", "token"
        )
    )
    found = _matching_cases(case, tokens)
    by_record: dict[tuple[str, int], set[int]] = defaultdict(set)
    for workplace_id, exploiter_id, token in tokens:
        for _case_id, owner_id in found.get(token, ()):
            if workplace_id is not None:
                by_record[("workplace", workplace_id)].add(owner_id)
            elif exploiter_id is not None:
                by_record[("exploiter", exploiter_id)].add(owner_id)
    owners = {owner for owner_ids in by_record.values() for owner in owner_ids}
    organisations = {
        organisation.pk: organisation
        for organisation in Organisation.objects.filter(pk__in=owners).order_by("name", "pk")
    }
    links = CaseLinks(organisations=set(organisations))
    for (kind, pk), owner_ids in sorted(by_record.items()):
        contacts = [
            contact_of(organisations[owner])
            for owner in sorted(owner_ids, key=lambda o: (organisations[o].name, o))
        ]
        target = links.workplaces if kind == "workplace" else links.exploiters
        target[pk] = contacts
    return links


def other_cases_matching(
    case: Case, *, workplace: Workplace | None = None, exploiter: Exploiter | None = None
) -> set[tuple[int, int]]:
    """(case id, owner id) of other organisations' cases matching this one record."""
    record_filter = {"workplace": workplace} if workplace is not None else {"exploiter": exploiter}
    tokens = list(
        LinkToken.objects.filter(**record_filter).values_list(
            "workplace_id", "exploiter_id", "token"
        )
    )
    return {pair for pairs in _matching_cases(case, tokens).values() for pair in pairs}


WORKPLACE_MATCH = gettext_noop(
    "A workplace recorded on case %(reference)s matches one recorded by another organisation: "
    "its exploiters and workplaces page says which organisation to contact."
)
EXPLOITER_MATCH = gettext_noop(
    "An exploiter recorded on case %(reference)s matches one recorded by another organisation: "
    "its exploiters and workplaces page says which organisation to contact."
)


def _field_staff(organisation_id: int) -> "list[User]":
    roles = [role.code for role in active_profile().roles if Capability.REPORT in role.capabilities]
    memberships = Membership.objects.active().filter(
        organisation_id=organisation_id, role__in=roles
    )
    return list(User.objects.filter(pk__in=memberships.values("user_id")).order_by("pk"))


def tell_the_other_organisations(new: set[tuple[int, int]], *, kind: str) -> int:
    """Notify the field staff of each other case newly matched (their own case's reference and
    a link to its page: nothing of this case). Returns how many notifications were sent."""
    from django.urls import NoReverseMatch, reverse

    sent = 0
    references = dict(
        Case.objects.filter(pk__in={case_id for case_id, _owner in new}).values_list(
            "pk", "reference"
        )
    )
    for case_id, owner_id in sorted(new):
        reference = references.get(case_id)
        if reference is None:
            continue
        try:
            link = reverse("web:account_parties", args=[reference])
        except NoReverseMatch:  # the web layer is not loaded (a command)
            link = ""
        sent += Notification.send(
            _field_staff(owner_id),
            kind=f"account.{kind}_match",
            message=WORKPLACE_MATCH if kind == "workplace" else EXPLOITER_MATCH,
            params={"reference": reference},
            link=link,
        )
    return sent
