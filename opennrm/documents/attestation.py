"""The recovery and reflection period attestation: it names the person, so it is printed only
for the responsible organisation (the view checks access and writes the audit entry)."""

from typing import Any

from django.utils import timezone, translation

from opennrm.documents.rendering import render_pdf
from opennrm.profiles.loader import active_profile

TEMPLATE = "documents/reflection_attestation.html"


def _country_names(codes: list[str], language: str) -> str:
    """Nationalities named by their countries, in the document's language."""
    from opennrm.cases.reference_data import country_names

    return country_names(codes, language)


def attestation_context(
    *, case: Any, person: Any, period: Any, organisation: Any, language: str
) -> dict[str, Any]:
    profile = active_profile()
    basis = next((b for b in profile.legal_bases if b.code == "reflection_period"), None)
    with translation.override(language):
        kind_label = organisation.kind_label
    return {
        "reference": case.reference,
        "person_name": " ".join(
            part for part in (person.given_names, person.family_name) if part
        ).strip(),
        "date_of_birth": person.date_of_birth,
        "nationalities": _country_names(list(person.nationalities or []), language),
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "days": (period.ends_on - period.starts_on).days,
        "basis_label": basis.label.get(language, profile.default_language) if basis else "",
        "basis_reference": period.legal_basis or (basis.reference if basis else ""),
        "organisation": organisation,
        "organisation_kind": kind_label,
        "territory": case.territory,
        "issued_on": timezone.localdate(),
        "profile_name": profile.name.get(language, profile.default_language),
    }


def render_reflection_attestation(
    *, case: Any, person: Any, period: Any, organisation: Any, language: str
) -> bytes:
    context = attestation_context(
        case=case, person=person, period=period, organisation=organisation, language=language
    )
    return render_pdf(TEMPLATE, context, language)
