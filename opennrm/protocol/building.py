"""The protocol's structured data, built from a profile and an indicator catalogue only.

The mechanism's steps are fixed by the software (DESIGN.md, "How a case moves"); who acts at
each step (the roles holding the step's capabilities), its timeframe, the platform's decision
rules, the entitlements of each status, the legal bases and the indicators are the profile's and
the catalogue's. `build` returns plain JSON data (labels in every language the data has), which
a `ProtocolVersion` keeps and the pages present in the reader's language."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from opennrm.indicators.schema import Catalogue
from opennrm.indicators.schema import Label as CatalogueLabel
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.schema import Label, Profile


@dataclass(frozen=True)
class Step:
    code: str
    title: Any  # lazy translation
    what: Any  # lazy translation: what happens at this step
    capabilities: tuple[Capability, ...]  # who acts: the roles holding one of them
    timeframes: tuple[str, ...] = ()  # codes of the profile's timeframes


STEPS: tuple[Step, ...] = (
    Step(
        "detection",
        _("Detection and triage"),
        _(
            "Anyone may report a concern; a field organisation may detect a presumed victim "
            "directly. The local coordinator triages each concern: opened as a case, attached "
            "to an existing one, or closed with a reason."
        ),
        (Capability.REPORT, Capability.TRIAGE),
        ("concern_triage",),
    ),
    Step(
        "preliminary_identification",
        _("Preliminary identification"),
        _(
            "An authorised reporter hears the person's account, assesses it against the "
            "indicators (appendix), informs the person of their rights in a language they "
            "understand and records their consent. A presumed victim is protected at once: "
            "recovery and reflection period, accommodation if needed, emergency care."
        ),
        (Capability.REPORT,),
        ("preliminary_assessment",),
    ),
    Step(
        "referral",
        _("Referral to formal identification"),
        _(
            "An adult who consents is referred by the route of their choice; an adult who "
            "refuses is the subject of an anonymous notification and keeps their support. A "
            "child is referred without needing consent, child protection is alerted and a "
            "guardian is recorded."
        ),
        (Capability.REPORT, Capability.TRIAGE),
    ),
    Step(
        "platform_route",
        _("Formal identification: platform route"),
        _(
            "The local multi-actor platform examines the file, with an interview by members "
            "if needed, under the decision rules below, and gives a reasoned decision."
        ),
        (Capability.CHAIR_PLATFORM, Capability.SIT_ON_PLATFORM),
        ("platform_decision",),
    ),
    Step(
        "judicial_route",
        _("Formal identification: judicial route"),
        _(
            "The person lodges a complaint or testifies; the investigating service records "
            "the identification in the procedure. Both routes lead to the same status and the "
            "same entitlements."
        ),
        (Capability.JUDICIAL_IDENTIFICATION,),
        ("judicial_decision",),
    ),
    Step(
        "reconsideration",
        _("Reconsideration"),
        _(
            "A negative decision may be reconsidered at the request of the referring "
            "organisation, by a different composition."
        ),
        (Capability.REPORT, Capability.CHAIR_PLATFORM),
        ("reconsideration_request",),
    ),
    Step(
        "orientation",
        _("Orientation"),
        _(
            "The support plan turns needs into orientations to service providers, who accept "
            "or decline them."
        ),
        (Capability.REPORT, Capability.PROVIDE_SERVICES),
        ("orientation_response",),
    ),
    Step(
        "support",
        _("Protection and support"),
        _(
            "Accommodation, care, legal aid, residence, compensation and non-punishment, "
            "whatever the person's cooperation or residence status, until the person is "
            "self-reliant."
        ),
        (Capability.PROVIDE_SERVICES, Capability.LIAISON, Capability.REPORT),
    ),
    Step(
        "closure",
        _("Closure"),
        _(
            "A case is closed with a reason (self-reliance, return, transfer, loss of "
            "contact, withdrawal) and may be reopened; its data are then kept for the periods "
            "below, then anonymised."
        ),
        (Capability.REPORT, Capability.TRIAGE),
    ),
)
STEP_CODES = tuple(step.code for step in STEPS)


def step(code: str) -> Step | None:
    return next((item for item in STEPS if item.code == code), None)


def _label(label: Label | CatalogueLabel | None) -> dict[str, str]:
    if label is None:
        return {}
    return {language: text for language, text in label.model_dump().items() if text}


def build(profile: Profile, catalogue: Catalogue) -> dict[str, Any]:
    """The protocol's data: JSON only (kept by `ProtocolVersion`, compared by `changes`)."""
    attached = {code for item in STEPS for code in item.timeframes}
    steps = []
    for item in STEPS:
        wanted = {capability.value for capability in item.capabilities}
        steps.append(
            {
                "code": item.code,
                "roles": [role.code for role in profile.roles if wanted & set(role.capabilities)],
                "timeframes": [code for code in item.timeframes if code in profile.timeframes],
            }
        )
    return {
        "profile": {
            "code": profile.code,
            "version": profile.version,
            "name": _label(profile.name),
            "default_language": profile.default_language,
        },
        "catalogue": {"version": catalogue.version, "status": catalogue.status},
        "steps": steps,
        # Timeframes of the profile that no step names (a profile may add some): listed too.
        "other_timeframes": sorted(set(profile.timeframes) - attached),
        "timeframes": {
            code: {"label": _label(frame.label), "days": frame.days, "unit": frame.unit}
            for code, frame in profile.timeframes.items()
        },
        "roles": {
            role.code: {
                "label": _label(role.label),
                "organisation_types": list(role.organisation_types or ()),
            }
            for role in profile.roles
        },
        "organisation_types": {
            kind.code: {"label": _label(kind.label), "sector": kind.sector}
            for kind in profile.organisation_types
        },
        "local_unit": [
            _label(level.label) for level in profile.territory_levels if level.local_unit
        ],
        "platform": profile.platform.model_dump(),
        "reflection_period_days": profile.reflection_period_days,
        "judicial_route_informed": list(profile.judicial_route.informed),
        "residence_authorities": list(profile.support.residence_authorities),
        "non_punishment_recipients": list(profile.support.non_punishment_recipients),
        "entitlements": [
            {
                "code": item.code,
                "label": _label(item.label),
                "statuses": list(item.statuses),
                "age_groups": list(item.age_groups),
                "legal_basis": item.legal_basis,
            }
            for item in profile.entitlements
        ],
        "legal_bases": [
            {"code": basis.code, "label": _label(basis.label), "reference": basis.reference}
            for basis in profile.legal_bases
        ],
        "retention": profile.retention.model_dump(),
        "forms_of_exploitation": {
            form.code: _label(form.label) for form in profile.forms_of_exploitation
        },
        "indicator_sets": [
            {
                "code": indicator_set.code,
                "label": _label(indicator_set.label),
                "age_group": indicator_set.age_group,
                "status": indicator_set.status,
                "forms": list(indicator_set.forms),
                "dimensions": [
                    {
                        "code": dimension,
                        "indicators": [
                            {
                                "code": indicator.code,
                                "strength": indicator.strength,
                                "label": _label(indicator.label),
                            }
                            for indicator in indicators
                        ],
                    }
                    for dimension, indicators in indicator_set.indicators.items()
                ],
            }
            for indicator_set in catalogue.sets
        ],
        "dimensions": {
            dimension.code: _label(dimension.label) for dimension in catalogue.dimensions
        },
    }


def digest(data: dict[str, Any]) -> str:
    """A digest of the data, the same for the same data whatever the order of its keys."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
