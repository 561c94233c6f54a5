"""Documents for the person (PDF): the decision letter and the attestation of status.

Both name the person: they are printed by the referring organisation's staff who may see the
identity (the views check access and write the audit entry). The attestation never says which
route led to the status: the status and the rights are the same, and whether the person
cooperated with the police is nobody's business at a counter.

Rendered with WeasyPrint like opennrm.documents (its base template is reused), with a template
engine that also reads this package's templates.
"""

from pathlib import Path
from typing import Any

from django.utils import timezone, translation

from opennrm.documents import rendering
from opennrm.identification.entitlements import entitlement_labels, entitlements
from opennrm.identification.models import IdentificationDecision, Outcome, Route
from opennrm.profiles.loader import active_profile

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
LETTER = "identification/documents/decision_letter.html"
ATTESTATION = "identification/documents/status_attestation.html"


def render_html(template_name: str, context: dict[str, Any], language: str) -> str:
    return rendering.render_html(template_name, context, language, (str(TEMPLATES_DIR),))


def render_pdf(template_name: str, context: dict[str, Any], language: str) -> bytes:
    return rendering.render_pdf(template_name, context, language, (str(TEMPLATES_DIR),))


def _person_name(person: Any) -> str:
    return " ".join(part for part in (person.given_names, person.family_name) if part).strip()


def _country_names(codes: list[str], language: str) -> str:
    """Nationalities named by their countries, in the document's language."""
    from opennrm.cases.reference_data import country_names

    return country_names(codes, language)


def _deciding_body(decision: IdentificationDecision, language: str) -> str:
    with translation.override(language):
        if decision.route == Route.PLATFORM:
            return str(
                translation.gettext("Département platform of %(territory)s")
                % {"territory": decision.case.territory.name}
            )
        return decision.organisation.name


def _common(decision: IdentificationDecision, person: Any, language: str) -> dict[str, Any]:
    profile = active_profile()
    case = decision.case
    age_group = "child" if case.child else "adult"
    return {
        "reference": case.reference,
        "person_name": _person_name(person),
        "territory": case.territory,
        "decided_on": decision.decided_on,
        "issued_on": timezone.localdate(),
        "profile_name": profile.name.get(language, profile.default_language),
        "rights": entitlement_labels(entitlements("identified_victim", age_group), language),
    }


def decision_letter_context(
    decision: IdentificationDecision, person: Any, referrer: Any, language: str
) -> dict[str, Any]:
    negative = decision.outcome == Outcome.NOT_IDENTIFIED
    return {
        **_common(decision, person, language),
        "identified": not negative,
        "negative": negative,
        "reasons": decision.reasons if negative else "",
        "deciding_body": _deciding_body(decision, language),
        "referrer": referrer,
        "reconsideration_due": decision.reconsideration_due,
        "reconsideration_days": active_profile().timeframes["reconsideration_request"].days,
        "kept_identified": negative and decision.status_after == "identified_victim",
    }


def render_decision_letter(
    decision: IdentificationDecision, *, person: Any, referrer: Any, language: str
) -> bytes:
    """The letter to the person: the decision; when negative, its reasons and how to ask for a
    reconsideration, by when."""
    context = decision_letter_context(decision, person, referrer, language)
    return render_pdf(LETTER, context, language)


def status_attestation_context(
    decision: IdentificationDecision, person: Any, issuer: Any, language: str
) -> dict[str, Any]:
    with translation.override(language):
        issuer_kind = issuer.kind_label
    return {
        **_common(decision, person, language),
        "date_of_birth": person.date_of_birth,
        "nationalities": _country_names(list(person.nationalities or []), language),
        "issuer": issuer,
        "issuer_kind": issuer_kind,
    }


def render_status_attestation(
    decision: IdentificationDecision, *, person: Any, issuer: Any, language: str
) -> bytes:
    """The attestation the person shows to obtain their rights. It does not name the route."""
    context = status_attestation_context(decision, person, issuer, language)
    return render_pdf(ATTESTATION, context, language)
