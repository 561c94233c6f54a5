"""The protocol (standard operating procedures) generated from the live profile and catalogue:
a page, its PDF and what changed between its versions.

Public: the protocol binds the professionals of the mechanism, who need it before they have an
account (authorised reporters of field organisations), and it holds no personal data, only the
configuration (steps, timeframes, rules, rights, legal bases, indicators) and the public
directory of contact posts. Publishing it is what the CNCDH and the OSCE ask of a referral
mechanism: transparency of its procedures. Signed-in professionals reach it from their menu."""

import hashlib
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from opennrm.core.acting import Actor, Channel
from opennrm.directory.models import ContactEntry
from opennrm.documents import rendering
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.profiles.loader import active_profile
from opennrm.protocol import versions
from opennrm.protocol.models import ProtocolVersion
from opennrm.web.protocol.presenting import present

TEMPLATES_DIR = Path(__file__).resolve().parent / "pdf"
# Beyond this many published contact posts the protocol links to the directory instead.
DIRECTORY_INLINE_LIMIT = 150
PDF_CACHE_SECONDS = 60 * 60
HISTORY_LIMIT = 20


def _current() -> ProtocolVersion:
    """The snapshot of the protocol now; kept on first view, by the system (audited)."""
    return versions.current(
        active_profile(),
        latest_catalogue(),
        Actor.system("protocol.first_view", Channel.PAGE),
    )


def _directory() -> dict[str, Any]:
    """The published contact posts grouped by local unit, or nothing when there are too many
    (the protocol then links to the public directory). One query."""
    entries = list(ContactEntry.objects.published().for_display()[: DIRECTORY_INLINE_LIMIT + 1])
    if len(entries) > DIRECTORY_INLINE_LIMIT:
        return {"units": [], "too_long": True}
    units: list[dict[str, Any]] = []
    for entry in entries:
        if not units or units[-1]["territory"] != entry.territory:
            units.append({"territory": entry.territory, "entries": []})
        units[-1]["entries"].append(entry)
    return {"units": units, "too_long": False}


def _context(request: HttpRequest, version: ProtocolVersion) -> dict[str, Any]:
    language = get_language() or active_profile().default_language
    return {
        "protocol": present(version.data, language),
        "version": version,
        "directory": _directory(),
        "directory_url": request.build_absolute_uri(reverse("web:directory")),
        "protocol_url": request.build_absolute_uri(reverse("web:protocol")),
        "public_page": not request.user.is_authenticated,
    }


@login_not_required
@require_GET
def protocol(request: HttpRequest) -> HttpResponse:
    return render(request, "web/protocol/protocol.html", _context(request, _current()))


@login_not_required
@require_GET
def protocol_pdf(request: HttpRequest) -> HttpResponse:
    """The protocol as a PDF, the same presentation as the page. Cached per snapshot, language
    and directory state: anyone may ask for it and WeasyPrint is slow."""
    version = _current()
    context = _context(request, version)
    language = get_language() or active_profile().default_language
    directory_state = ",".join(
        f"{entry.pk}:{entry.updated_at.timestamp()}"
        for unit in context["directory"]["units"]
        for entry in unit["entries"]
    )
    parts = (version.digest, language, context["directory_url"], directory_state)
    key = "opennrm.protocol:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    content: bytes | None = cache.get(key)
    if content is None:
        content = rendering.render_pdf(
            "protocol/protocol.html", context, language, (str(TEMPLATES_DIR),)
        )
        cache.set(key, content, PDF_CACHE_SECONDS)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"protocol-{version.profile_code}-{version.profile_version}-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=PDF_CACHE_SECONDS)
    return response


@login_not_required
@require_GET
def protocol_changes(request: HttpRequest) -> HttpResponse:
    """Each version of the protocol, newest first, with what changed from the one before."""
    current = _current()
    language = get_language() or active_profile().default_language
    kept = versions.history(current.profile_code, HISTORY_LIMIT + 1)
    rows = []
    for index, version in enumerate(kept[:HISTORY_LIMIT]):
        previous = kept[index + 1] if index + 1 < len(kept) else None
        rows.append(
            {
                "version": version,
                "previous": previous,
                "changes": versions.changes(previous.data, version.data, language)
                if previous is not None
                else [],
            }
        )
    return render(
        request,
        "web/protocol/changes.html",
        {"rows": rows, "public_page": not request.user.is_authenticated},
    )
