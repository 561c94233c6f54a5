"""Who reads recognitions: the competent body (`Capability.RECOGNISE`); anyone else gets a 404.
The public list of authorised reporters (`published`) holds no personal data."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.http import Http404

from opennrm.core.acting import Actor
from opennrm.core.models import Organisation, Territory
from opennrm.profiles.loader import active_profile
from opennrm.recognition.actions import may_recognise
from opennrm.recognition.models import Recognition


def _require(actor: Actor) -> None:
    if not may_recognise(actor):
        raise Http404


def organisations_for_recognition(actor: Actor) -> list[Organisation]:
    """Organisations that may be recognised or have been, each with `current` (the latest
    recognition, or None)."""
    _require(actor)
    kinds = [
        kind.code for kind in active_profile().organisation_types if kind.may_be_authorised_reporter
    ]
    organisations = list(
        Organisation.objects.filter(Q(kind__in=kinds) | Q(recognitions__isnull=False))
        .distinct()
        .prefetch_related(
            Prefetch("recognitions", queryset=Recognition.objects.order_by("-created_at", "-pk"))
        )
        .order_by("name")
    )
    for organisation in organisations:
        recognitions = list(organisation.recognitions.all())
        organisation.current = recognitions[0] if recognitions else None  # type: ignore[attr-defined]
    return organisations


def get_organisation(actor: Actor, pk: int) -> Organisation:
    _require(actor)
    try:
        return Organisation.objects.get(pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def history(actor: Actor, organisation: Organisation) -> list[Recognition]:
    _require(actor)
    return list(
        Recognition.objects.filter(organisation=organisation)
        .prefetch_related("territories", "transitions__by")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class PublishedReporter:
    territory: Territory | None  # None: the whole jurisdiction
    organisation: str
    forms_of_exploitation: tuple[str, ...]  # labels
    recognised_on: datetime.date


def published(territory: Territory | None = None) -> list[PublishedReporter]:
    """The authorised reporters in force, per local unit (names, scope, date: no one's data).
    A recognition without territories covers the organisation's; a national organisation
    without either is listed once, for the whole jurisdiction."""
    profile = active_profile()
    language = profile.default_language
    from django.utils.translation import get_language

    language = get_language() or language
    labels = {
        form.code: form.label.get(language, profile.default_language)
        for form in profile.forms_of_exploitation
    }
    levels = set(profile.local_unit_levels)
    rows: list[PublishedReporter] = []
    recognitions = (
        Recognition.objects.in_force()
        .select_related("organisation")
        .prefetch_related("territories", "organisation__territories")
    )
    for recognition in recognitions:
        units = [t for t in recognition.territories.all() if t.level in levels] or [
            t for t in recognition.organisation.territories.all() if t.level in levels
        ]
        forms = tuple(labels.get(code, code) for code in recognition.forms_of_exploitation)
        places: list[Territory | None] = list(units) or [None]
        for unit in places:
            if territory is not None and unit is not None and unit.pk != territory.pk:
                continue
            if territory is not None and unit is None and not recognition.organisation.national:
                continue
            rows.append(
                PublishedReporter(
                    territory=unit,
                    organisation=recognition.organisation.name,
                    forms_of_exploitation=forms,
                    recognised_on=recognition.recognised_on,
                )
            )
    rows.sort(key=lambda row: (row.territory.code if row.territory else "", row.organisation))
    return rows
