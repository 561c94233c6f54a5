"""The rights leaflet: generic text from the profile, plus the local contacts of a département.

It never holds personal data: the same leaflet is printed for everyone in a département.
"""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone, translation

from opennrm.documents.rendering import language_name, render_pdf, resolve_language
from opennrm.profiles.loader import active_profile
from opennrm.profiles.schema import LegalBasis

TEMPLATE = "documents/leaflet.html"
RESIDENCE_PREFIX = "residence"


def _basis(basis: LegalBasis | None, language: str, default: str) -> dict[str, str] | None:
    if basis is None:
        return None
    return {"label": basis.label.get(language, default), "reference": basis.reference}


def leaflet_context(
    language: str,
    *,
    requested: str,
    fallback_used: bool,
    contacts: Iterable[Any] = (),
    territory: Any = None,
    directory_url: str = "",
) -> dict[str, Any]:
    """What the leaflet says, from the active profile, in `language` (profile labels too)."""
    profile = active_profile()
    default = profile.default_language
    bases = {basis.code: basis for basis in profile.legal_bases}
    with translation.override(language):
        missing_language = language_name(requested) if fallback_used else ""
        printed_language = language_name(language)
    return {
        "profile_name": profile.name.get(language, default),
        "profile_version": profile.version,
        "reflection_days": profile.reflection_period_days,
        "reflection_basis": _basis(bases.get("reflection_period"), language, default),
        "residence_bases": [
            _basis(basis, language, default)
            for basis in profile.legal_bases
            if basis.code.startswith(RESIDENCE_PREFIX)
        ],
        "non_punishment_basis": _basis(bases.get("non_punishment"), language, default),
        "compensation_basis": _basis(bases.get("compensation"), language, default),
        "emergency_notice": (
            profile.emergency_notice.get(language, default) if profile.emergency_notice else ""
        ),
        "contacts": list(contacts),
        "territory": territory,
        "directory_url": directory_url,
        "missing_language": missing_language,
        "printed_language": printed_language,
        "printed_on": timezone.localdate(),
    }


def render_leaflet(
    requested: str,
    fallback: str,
    *,
    contacts: Iterable[Any] = (),
    territory: Any = None,
    directory_url: str = "",
) -> tuple[bytes, str]:
    """The leaflet as PDF, and the language it was printed in (the fallback if no translation)."""
    language, fallback_used = resolve_language(requested, fallback)
    context = leaflet_context(
        language,
        requested=requested,
        fallback_used=fallback_used,
        contacts=contacts,
        territory=territory,
        directory_url=directory_url,
    )
    return render_pdf(TEMPLATE, context, language), language
