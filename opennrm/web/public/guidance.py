"""Public guidance by sector (issue 17, point 1): an index, a page per sector and its one-page
poster. The text is versioned data of the profile (opennrm/profiles/data/guidance/); whom to
contact comes from the profile's emergency numbers and the public directory."""

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from opennrm.core.models import Territory
from opennrm.documents.guidance import PosterContacts, render_sector_poster
from opennrm.profiles.guidance import SectorGuidance, all_sectors, sector_guidance
from opennrm.profiles.loader import active_profile

POSTER_CACHE_SECONDS = 60 * 60


def _language() -> str:
    return get_language() or active_profile().default_language


def _emergency_numbers(language: str) -> list[tuple[str, str]]:
    profile = active_profile()
    return [
        (item.number, item.label.get(language, profile.default_language))
        for item in profile.emergency_numbers
    ]


def _sector(sector: str) -> SectorGuidance:
    page = sector_guidance(active_profile().code, sector, _language())
    if page is None:
        raise Http404
    return page


@login_not_required
@require_GET
def guidance_index(request: HttpRequest) -> HttpResponse:
    language = _language()
    pages = all_sectors(active_profile().code, language)
    return render(
        request,
        "web/guidance/index.html",
        {
            "pages": pages,
            "text_language": pages[0].language if pages else language,
            "emergency_numbers": _emergency_numbers(language),
            "public_page": True,
        },
    )


@login_not_required
@require_GET
def guidance_sector(request: HttpRequest, sector: str) -> HttpResponse:
    page = _sector(sector)
    return render(
        request,
        "web/guidance/sector.html",
        {
            "page": page,
            "emergency_numbers": _emergency_numbers(_language()),
            "local_units": Territory.objects.local_units().order_by("code"),
            "public_page": True,
        },
    )


@login_not_required
@require_GET
def guidance_poster(request: HttpRequest, sector: str) -> HttpResponse:
    """The sector's page as a one-page A4 poster (PDF), in the page's language."""
    page = _sector(sector)
    profile = active_profile()
    contacts = PosterContacts(
        report_url=request.build_absolute_uri(reverse("web:report")),
        directory_url=request.build_absolute_uri(reverse("web:directory")),
        emergency_numbers=tuple(_emergency_numbers(page.language)),
        profile_name=profile.name.get(page.language, profile.default_language),
        profile_version=profile.version,
    )
    # The text's digest: an edited guidance file is printed anew, whatever the profile version.
    digest = hashlib.sha256(page.model_dump_json().encode()).hexdigest()[:16]
    key = ":".join(
        (
            "opennrm.guidance",
            profile.code,
            profile.version,
            sector,
            page.language,
            digest,
            contacts.report_url,
            contacts.directory_url,
        )
    )
    content: bytes | None = cache.get(key)
    if content is None:
        content = render_sector_poster(page, contacts)
        cache.set(key, content, POSTER_CACHE_SECONDS)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"guidance-{sector}-{page.language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=POSTER_CACHE_SECONDS)
    return response
