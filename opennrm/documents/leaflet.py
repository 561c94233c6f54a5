"""The rights leaflet: its text per language from `leaflets` (data), the legal bases and the
emergency notice from the profile, plus the local contacts of a département.

It never holds personal data: the same leaflet is printed for everyone in a département. A
leaflet never falls back silently: `resolve_leaflet_language` says whether the language asked
for exists, the document then says so in the language it is printed in, and the caller records
the language actually given.
"""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from opennrm.documents.leaflets import (
    SOURCE,
    WORKER_LANGUAGES,
    LeafletText,
    leaflet_for,
    leaflet_languages,
)
from opennrm.documents.rendering import render_html, render_pdf
from opennrm.profiles.loader import active_profile
from opennrm.profiles.schema import Label, LegalBasis

TEMPLATE = "documents/leaflet.html"
RESIDENCE_PREFIX = "residence"


def resolve_leaflet_language(requested: str, fallback: str) -> tuple[str, bool]:
    """The leaflet's language, and whether it is not the one asked for (no leaflet in it)."""
    languages = leaflet_languages()
    if requested in languages:
        return requested, False
    if fallback in languages:
        return fallback, True
    return SOURCE, True


def _label(labels: Label, language: str, default: str) -> dict[str, str]:
    """A profile label in the document's language if the profile has it, else in the
    profile's default language (with its `lang`, for the PDF's readers and screen readers)."""
    own = getattr(labels, language, None)
    if own:
        return {"text": own, "lang": language, "dir": ""}
    # Profile languages are written left to right: say so inside an Arabic leaflet.
    return {"text": labels.get(default, default), "lang": default, "dir": "ltr"}


def _basis(basis: LegalBasis | None, language: str, default: str) -> dict[str, str] | None:
    if basis is None:
        return None
    return {**_label(basis.label, language, default), "reference": basis.reference}


def leaflet_context(
    code: str,
    *,
    requested: str,
    fallback_used: bool,
    contacts: Iterable[Any] = (),
    territory: Any = None,
    directory_url: str = "",
) -> dict[str, Any]:
    """What the leaflet says in the language `code` (a file of `data/leaflets/`)."""
    from opennrm.cases.reference_data import language_name

    leaflet = leaflet_for(code)
    if leaflet is None:
        raise LookupError(f"No leaflet in {code!r}")
    profile = active_profile()
    default = profile.default_language
    language = leaflet.lang.split("-")[0]
    bases = {basis.code: basis for basis in profile.legal_bases}
    printed_on = timezone.localdate()
    requested_leaflet = leaflet_for(requested)
    values = {
        "days": str(profile.reflection_period_days),
        "requested": requested_leaflet.name
        if requested_leaflet
        else language_name(requested, language),
        "printed": leaflet.name,
        "territory": territory.name if territory is not None else "",
        "url": directory_url,
        "profile": profile.name.get(language, default),
        "version": profile.version,
        "day": printed_on.isoformat(),
        "status": leaflet.text["status_reviewed" if leaflet.reviewed else "status_to_be_reviewed"],
    }
    text = {key: value.format_map(values) for key, value in leaflet.text.items()}
    residence = [
        _basis(basis, language, default)
        for basis in profile.legal_bases
        if basis.code.startswith(RESIDENCE_PREFIX)
    ]
    reflection = _basis(bases.get("reflection_period"), language, default)
    non_punishment = _basis(bases.get("non_punishment"), language, default)
    compensation = _basis(bases.get("compensation"), language, default)
    emergency = (
        _label(profile.emergency_notice, language, default) if profile.emergency_notice else None
    )
    return {
        "leaflet": leaflet,
        "t": text,
        "summary_title": leaflet.summary_title,
        "summary_points": [point.format_map(values) for point in leaflet.summary_points],
        "direction": leaflet.direction,
        "reflection_basis": reflection,
        "residence_bases": residence,
        "non_punishment_basis": non_punishment,
        "compensation_basis": compensation,
        "labels_in_other_language": any(
            item is not None and item["lang"] != language
            for item in [reflection, emergency, *residence, non_punishment, compensation]
        ),
        "emergency_notice": emergency,
        "contacts": list(contacts),
        "territory": territory,
        "directory_url": directory_url,
        "fallback_used": fallback_used,
        "status_line": text["translation_status"],
        "worker_status_lines": _worker_status_lines(leaflet),
    }


def _worker_status_lines(leaflet: LeafletText) -> list[dict[str, str]]:
    """The translation's status in French and English, for the worker (not repeated in the
    document's own language)."""
    lines = []
    for code in WORKER_LANGUAGES:
        worker = leaflet_for(code)
        if worker is not None and worker.lang != leaflet.lang:
            lines.append({"lang": worker.lang, "text": leaflet.status_for(worker)})
    return lines


def leaflet_html(
    code: str,
    *,
    requested: str | None = None,
    fallback_used: bool = False,
    contacts: Iterable[Any] = (),
    territory: Any = None,
    directory_url: str = "",
) -> tuple[str, LeafletText]:
    """The leaflet's HTML in `code` (what the PDF is made of), and its text's data."""
    context = leaflet_context(
        code,
        requested=requested or code,
        fallback_used=fallback_used,
        contacts=contacts,
        territory=territory,
        directory_url=directory_url,
    )
    leaflet: LeafletText = context["leaflet"]
    return render_html(TEMPLATE, context, leaflet.lang), leaflet


def render_leaflet(
    requested: str,
    fallback: str,
    *,
    contacts: Iterable[Any] = (),
    territory: Any = None,
    directory_url: str = "",
) -> tuple[bytes, str]:
    """The leaflet as PDF, and the language it was printed in (the fallback if none exists in
    the language asked for: the document then says so)."""
    code, fallback_used = resolve_leaflet_language(requested, fallback)
    context = leaflet_context(
        code,
        requested=requested,
        fallback_used=fallback_used,
        contacts=contacts,
        territory=territory,
        directory_url=directory_url,
    )
    leaflet: LeafletText = context["leaflet"]
    return render_pdf(TEMPLATE, context, leaflet.lang), code
