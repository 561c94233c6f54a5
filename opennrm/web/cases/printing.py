"""The case file printed (PDF): for those who may see the case page, what that page shows them,
marked confidential with the day and who printed it; the identity only for those who may see it
(read through `get_identity`, audited); every print audited (`case.print`); served as an
attachment and never cached."""

from pathlib import Path
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

from opennrm.audit.trail import record
from opennrm.cases import closure
from opennrm.cases.access import can_see_identity, get_case_for_member, get_identity
from opennrm.cases.models import CaseEvent
from opennrm.cases.reference_data import country_names, language_names
from opennrm.documents import rendering
from opennrm.profiles.loader import active_profile
from opennrm.web.acting import ActingRequest
from opennrm.web.cases import progress as case_progress
from opennrm.web.cases.views import (
    _due_dates,
    _facts,
    event_label,
    form_labels,
    sector_label,
)

TEMPLATES_DIR = Path(__file__).resolve().parent / "pdf"
TEMPLATE = "cases/case_file.html"


def case_print(request: ActingRequest, reference: str) -> HttpResponse:
    """The case file as a PDF, for whoever may read the case (404 for the others)."""
    case = get_case_for_member(request.actor, reference)  # audited: case.read
    today = timezone.localdate()
    prefetch_related_objects(
        [case],
        Prefetch(
            "events",
            queryset=CaseEvent.objects.select_related("actor", "organisation").order_by("at", "pk"),
        ),
        "reflection_periods",
        "referrals",
    )
    current_closure = closure.current_closure(case)
    facts = _facts(case, current_closure, has_referral_consent=False)
    language = get_language() or active_profile().default_language
    identity = None
    if can_see_identity(request.actor, case):
        identity = _identity(get_identity(request.actor, case), language)  # audited
    labels = form_labels()
    membership = getattr(request, "membership", None)
    context: dict[str, Any] = {
        "case": case,
        "pseudonym": case.person.pseudonym,
        "status": case.get_status_display(),
        "channel": case.get_channel_display(),
        "forms": [labels.get(code, code) for code in case.forms],
        "sector": sector_label(case.sector),
        "steps": case_progress.progress(facts, today).steps,
        "due_dates": [] if current_closure else _due_dates(case, today),
        "closure": current_closure,
        "closure_reason": current_closure.get_reason_display() if current_closure else "",
        "events": [
            {
                "at": event.at,
                "label": event_label(event.kind),
                "who": event.actor.full_name if event.actor else "",
                "organisation": event.organisation.name if event.organisation else "",
            }
            for event in case.events.all()
        ],
        "identity": identity,
        "printed_at": timezone.localtime(),
        "printed_by": str(request.user),
        "printed_for": membership.organisation.name if membership is not None else "",
    }
    content = rendering.render_pdf(TEMPLATE, context, language, (str(TEMPLATES_DIR),))
    record(
        "case.print",
        target=case,
        actor=request.actor,
        details={"identity": identity is not None, "language": language},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-{case.reference}.pdf"'
    add_never_cache_headers(response)
    return response


def _identity(person: Any, language: str) -> dict[str, Any]:
    return {
        "name": " ".join(p for p in (person.given_names, person.family_name) if p).strip(),
        "date_of_birth": person.date_of_birth,
        "nationalities": country_names(list(person.nationalities or []), language),
        "languages": language_names(list(person.languages or []), language),
    }
