"""PDF documents: the rights leaflet (generic, with local contacts) and the attestation of the
recovery and reflection period (it names the person: responsible organisation only, audited)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opennrm.audit.trail import record
from opennrm.cases.access import get_identity
from opennrm.cases.reference_data import language_codes
from opennrm.directory.models import ContactEntry
from opennrm.documents import available_languages
from opennrm.documents.attestation import render_reflection_attestation
from opennrm.documents.leaflet import render_leaflet, resolve_leaflet_language
from opennrm.documents.leaflets import leaflet_languages
from opennrm.profiles.loader import active_profile
from opennrm.web.acting import ActingRequest
from opennrm.web.protection.forms import GIVEN_INSTEAD as CONFIRMED
from opennrm.web.protection.views import owner_case

PUBLIC_LEAFLET_CACHE_SECONDS = 60 * 60
DEFAULT_FALLBACK = "en"


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _languages(request: ActingRequest, language: str | None) -> tuple[str, str]:
    """The requested language (an ISO 639 code, or 404) and the fallback if it has no leaflet."""
    requested = language or request.GET.get("language") or active_profile().default_language
    if requested not in language_codes():
        raise Http404
    fallback = request.GET.get("fallback") or DEFAULT_FALLBACK
    if fallback not in leaflet_languages():
        fallback = active_profile().default_language
    return requested, fallback


@require_GET
def leaflet(request: ActingRequest, reference: str) -> HttpResponse:
    """The leaflet for this case's département: generic text and local contacts, no personal
    data (the same leaflet is printed for everyone there).

    Never a silent fallback: asked for a language with no leaflet, the worker is sent back to
    the rights page, which says which language will be given instead, and downloads from there
    (`given_instead` in the query string); the document says it too."""
    case = owner_case(request, reference)
    requested, fallback = _languages(request, None)
    given, fallback_used = resolve_leaflet_language(requested, fallback)
    if fallback_used and request.GET.get(CONFIRMED) != given:
        query = urlencode({"language": requested, "fallback": fallback})
        return redirect(f"{reverse('web:rights', args=[case.reference])}?{query}#leaflet")
    contacts = ContactEntry.objects.published().for_display().filter(territory=case.territory)
    content, language = render_leaflet(
        requested,
        fallback,
        contacts=contacts,
        territory=case.territory,
        directory_url=request.build_absolute_uri(reverse("web:directory")),
    )
    record(
        "document.leaflet",
        target=case,
        actor=request.actor,
        details={"requested": requested, "language": language},
    )
    return _pdf(content, f"leaflet-{case.territory.code}-{language}.pdf")


@login_not_required
@require_GET
def public_leaflet(request: ActingRequest, language: str) -> HttpResponse:
    """The national leaflet, for anyone: no local contacts, a pointer to the public directory."""
    requested, fallback = _languages(request, language)
    directory_url = request.build_absolute_uri(reverse("web:directory"))
    profile = active_profile()
    key = ":".join(
        (
            "opennrm.leaflet",
            profile.code,
            profile.version,
            requested,
            fallback,
            timezone.localdate().isoformat(),
            directory_url,
        )
    )
    cached: tuple[bytes, str] | None = cache.get(key)
    if cached is None:
        cached = render_leaflet(requested, fallback, directory_url=directory_url)
        cache.set(key, cached, PUBLIC_LEAFLET_CACHE_SECONDS)
    content, printed = cached
    response = _pdf(content, f"leaflet-{printed}.pdf")
    patch_cache_control(response, public=True, max_age=PUBLIC_LEAFLET_CACHE_SECONDS)
    return response


@require_GET
def reflection_attestation(request: ActingRequest, reference: str) -> HttpResponse:
    """The attestation the person can show: it names them, so only the responsible
    organisation's field staff print it, and every download is audited."""
    case = owner_case(request, reference)
    period = case.reflection_periods.first()
    if period is None:
        raise Http404
    person = get_identity(request.actor, case)
    if not (person.given_names or person.family_name):
        messages.warning(
            request,
            _("Record the person's name on the case before printing the attestation."),
        )
        return redirect("web:protection", reference=case.reference)
    language = request.GET.get("language", "")
    if language not in available_languages():
        language = active_profile().default_language
    content = render_reflection_attestation(
        case=case, person=person, period=period, organisation=case.owner, language=language
    )
    record(
        "document.reflection_attestation",
        target=case,
        actor=request.actor,
        details={"period": period.pk, "language": language},
    )
    response = _pdf(content, f"reflection-period-attestation-{language}.pdf")
    add_never_cache_headers(response)
    return response
