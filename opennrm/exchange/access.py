"""Who may export and import HTCDS files (need to know: 404 for anyone else).

- One case, for the partner the person agreed to share data with: the responsible
  organisation's field staff and coordinators (those who read the person's account), under an
  active consent of scope `share`; the identity only where the share resting on that consent
  carries it and the reader may see it.
- In bulk, pseudonymised: the national coordinator (every case in use), a local coordinator
  (the cases of their own organisation).
- Import: local and national coordinators, into a territory their organisation covers (any
  territory for the national coordinator).
"""

from django.db.models import Exists, OuterRef
from django.http import Http404

from opennrm.cases.access import get_identity, visible_cases
from opennrm.cases.enums import ConsentScope
from opennrm.cases.hooks import access_policy
from opennrm.cases.models import Case, CaseQuerySet, Consent, Person
from opennrm.core.acting import Actor
from opennrm.core.models import Territory
from opennrm.detection.access import may_read_account
from opennrm.profiles.capabilities import Capability


def _coordinator(actor: Actor) -> bool:
    return actor.can(Capability.TRIAGE) or actor.can(Capability.NATIONAL_OVERSIGHT)


def share_consents(actor: Actor, case: Case) -> list[Consent]:
    """The active consents to share data under which this reader may export the case."""
    if not may_read_account(actor, case):
        return []
    return list(
        case.consents.filter(scope=ConsentScope.SHARE, withdrawn_at__isnull=True)
        .select_related("organisation")
        .order_by("-given_on")
    )


def may_export_case(actor: Actor, case: Case) -> bool:
    """Who may export the case under a consent (when there is one)."""
    return may_read_account(actor, case)


def get_consent_for_export(actor: Actor, case: Case, pk: int) -> Consent:
    """An active consent to share this case's data, for who may export it; 404 otherwise."""
    consent = next((c for c in share_consents(actor, case) if c.pk == pk), None)
    if consent is None:
        raise Http404
    return consent


def identity_for_export(actor: Actor, case: Case, consent: Consent) -> Person | None:
    """The identity, when the share resting on the consent carries it and the reader may see
    it (read through `get_identity`: audited); None otherwise."""
    carries = case.shares.filter(
        consent=consent, organisation=consent.organisation, identity=True
    ).filter(revoked_at__isnull=True)
    if not carries.exists():
        return None
    try:
        return get_identity(actor, case)
    except Http404:
        return None


def may_export_bulk(actor: Actor) -> bool:
    return _coordinator(actor)


def cases_for_bulk_export(actor: Actor) -> CaseQuerySet:
    """Every case in use for the national coordinator, the organisation's own for a local
    coordinator; 404 for anyone else."""
    if actor.can(Capability.NATIONAL_OVERSIGHT):
        cases = Case.objects.all()
        retired = access_policy().retired_case_ids()
        if retired is not None:
            cases = cases.filter(~Exists(retired.filter(case_id=OuterRef("pk"))))
        return cases
    if actor.can(Capability.TRIAGE) and actor.membership is not None:
        return visible_cases(actor).filter(owner_id=actor.membership.organisation_id)
    raise Http404


def may_import(actor: Actor) -> bool:
    return _coordinator(actor)


def import_territories(actor: Actor) -> list[Territory]:
    """Where imported concerns may go; 404 for who may not import."""
    if not may_import(actor) or actor.membership is None:
        raise Http404
    if actor.can(Capability.NATIONAL_OVERSIGHT):
        return list(Territory.objects.local_units().order_by("code"))
    return list(actor.membership.organisation.territories.order_by("code"))
