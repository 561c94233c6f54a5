"""Documents of the support step (PDF): the non-punishment note to the prosecutor's office
contact person, and the letter supporting a residence application.

Both name the person (the authority needs it): the views print them only for the responsible
organisation's staff who may see the identity, and audit each download. Rendered with
WeasyPrint like opennrm.documents, whose base template is reused.
"""

from pathlib import Path
from typing import Any

from django.utils import timezone, translation

from opennrm.documents import rendering
from opennrm.profiles.loader import active_profile
from opennrm.support.models import NonPunishmentRecord, ResidenceApplication
from opennrm.support.non_punishment import NOTE_BASES

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
NON_PUNISHMENT_NOTE = "support/documents/non_punishment_note.html"
RESIDENCE_LETTER = "support/documents/residence_letter.html"


def render_html(template_name: str, context: dict[str, Any], language: str) -> str:
    return rendering.render_html(template_name, context, language, (str(TEMPLATES_DIR),))


def render_pdf(template_name: str, context: dict[str, Any], language: str) -> bytes:
    return rendering.render_pdf(template_name, context, language, (str(TEMPLATES_DIR),))


def _person_name(person: Any) -> str:
    return " ".join(part for part in (person.given_names, person.family_name) if part).strip()


def _bases(codes: tuple[str, ...], language: str) -> list[dict[str, str]]:
    profile = active_profile()
    found = []
    for code in codes:
        basis = next((b for b in profile.legal_bases if b.code == code), None)
        if basis is not None:
            found.append(
                {
                    "label": basis.label.get(language, profile.default_language),
                    "reference": basis.reference,
                }
            )
    return found


def _issuer(organisation: Any, language: str) -> dict[str, Any]:
    with translation.override(language):
        kind = organisation.kind_label
    return {"organisation": organisation, "kind": kind}


def _common(case: Any, person: Any, issuer: Any, language: str) -> dict[str, Any]:
    profile = active_profile()
    with translation.override(language):
        status = str(case.get_status_display())
    return {
        "reference": case.reference,
        "person_name": _person_name(person),
        "date_of_birth": person.date_of_birth,
        "status": status,
        "territory": case.territory,
        "issued_on": timezone.localdate(),
        "profile_name": profile.name.get(language, profile.default_language),
        **_issuer(issuer, language),
    }


def non_punishment_context(
    entry: NonPunishmentRecord, *, person: Any, issuer: Any, language: str
) -> dict[str, Any]:
    with translation.override(language):
        factors = [str(label) for label in entry.factor_labels]
    return {
        **_common(entry.case, person, issuer, language),
        "entry": entry,
        "offences": [line.strip() for line in entry.offences.splitlines() if line.strip()],
        "circumstances": entry.circumstances,
        "factors": factors,
        "bases": _bases(NOTE_BASES, language),
        "prosecutor": entry.prosecutor,
        "child": entry.case.child,
    }


def render_non_punishment_note(
    entry: NonPunishmentRecord, *, person: Any, issuer: Any, language: str
) -> bytes:
    """The note to the prosecutor's office contact person: the offences, the constraint, the
    legal bases of non-punishment, and (when flagged) the asylum safeguard."""
    context = non_punishment_context(entry, person=person, issuer=issuer, language=language)
    return render_pdf(NON_PUNISHMENT_NOTE, context, language)


def residence_context(
    application: ResidenceApplication, *, person: Any, issuer: Any, language: str
) -> dict[str, Any]:
    profile = active_profile()
    basis = next((b for b in profile.legal_bases if b.code == application.basis), None)
    with translation.override(language):
        basis_label = (
            basis.label.get(language, profile.default_language)
            if basis
            else str(translation.gettext("Asylum (international protection)"))
        )
    return {
        **_common(application.case, person, issuer, language),
        "application": application,
        "basis_label": basis_label,
        "basis_reference": basis.reference if basis else "",
        "authority": application.authority,
        "reflection": _bases(("reflection_period",), language),
        "renewal": application.renewal_of_id is not None,
    }


def render_residence_letter(
    application: ResidenceApplication, *, person: Any, issuer: Any, language: str
) -> bytes:
    """The responsible organisation's letter supporting the application, for the prefecture."""
    context = residence_context(application, person=person, issuer=issuer, language=language)
    return render_pdf(RESIDENCE_LETTER, context, language)
