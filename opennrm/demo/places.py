"""The demo's places and organisation types, in the active profile's terms.

The demo is written for France: départements (93, 13, 974 and the neighbours of 93) and French
organisation types (association, préfecture, DDETS…). Under another profile (the OSCE model),
each of those codes is mapped to the profile's own: the French départements to its first local
units (the neighbours of 93 to the units that share the first unit's parent), the French types
to the profile's equivalents (same code, a known equivalent, or a type of the same sector), so
that every persona exists with the same journey. Under the France profile nothing changes.
"""

from functools import cache

from django.conf import settings

from opennrm.core.models import Territory
from opennrm.profiles.loader import active_profile, active_territory_records

# The French demo's départements: the main one, the second (a transfer goes there), the
# overseas one (the child's case), then the neighbours of the main one.
MAIN, SECOND, OVERSEAS = "93", "13", "974"
NEIGHBOURS = ("75", "94", "95", "92")

# French demo organisation types: their sector in the France profile and, in order of
# preference, equivalents in other profiles.
FRENCH_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "association": ("civil_society", ("ngo",)),
    "trade_union": ("civil_society", ()),
    "police": ("institution", ()),
    "gendarmerie": ("institution", ("police",)),
    "labour_inspection": ("institution", ("labour_inspectorate",)),
    "prefecture": ("institution", ("migration_authority",)),
    "prosecutor": ("institution", ()),
    "labour_directorate": ("institution", ("labour_inspectorate",)),
    "health": ("service", ()),
    "accommodation": ("service", ("shelter",)),
    "legal_aid": ("service", ()),
    "child_protection": ("institution", ("social_services",)),
    "local_coordination": ("coordination", ("social_services",)),
    "national_coordinator": ("coordination", ()),
}

# Organisation names under another profile (the French names stay under the France profile).
ENGLISH_NAMES = {
    "association": "Fictional victim support NGO",
    "trade_union": "Fictional trade union",
    "police": "Fictional police station",
    "labour_inspection": "Fictional labour inspectorate",
    "prefecture": "Fictional migration office",
    "prosecutor": "Fictional prosecutor's office",
    "labour_directorate": "Fictional labour and employment office",
    "accommodation": "Fictional shelter",
    "local_coordination": "Fictional district coordination",
}


def is_french() -> bool:
    return bool(settings.OPENNRM_PROFILE == "fr")


@cache
def _unit_map(profile_code: str) -> dict[str, str]:
    if profile_code == "fr":
        return {code: code for code in (MAIN, SECOND, OVERSEAS, *NEIGHBOURS)}
    levels = set(active_profile().local_unit_levels)
    units = [record for record in active_territory_records() if record.level in levels]
    if not units:
        raise LookupError(f"profile {profile_code!r} has no local unit to seed the demo in")
    main = units[0]
    siblings = [u.code for u in units[1:] if u.parent == main.parent]
    others = [u.code for u in units[1:] if u.parent != main.parent]
    rest = others + siblings or [main.code]
    result = {MAIN: main.code, SECOND: rest[0], OVERSEAS: rest[1 % len(rest)]}
    neighbours = [code for code in siblings if code not in result.values()] or siblings or rest
    for index, code in enumerate(NEIGHBOURS):
        result[code] = neighbours[index % len(neighbours)]
    return result


def unit(code: str) -> str:
    """The profile's local unit standing for the French demo's département `code`."""
    return _unit_map(settings.OPENNRM_PROFILE)[code]


def units(codes: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(unit(code) for code in codes))


def territory(code: str) -> Territory:
    return Territory.objects.get(code=unit(code))


def kind(french: str) -> str:
    """The profile's organisation type standing for the French demo's type `french`."""
    profile = active_profile()
    if profile.organisation_type(french) is not None:
        return french
    sector, equivalents = FRENCH_KINDS.get(french, ("", ()))
    for code in equivalents:
        if profile.organisation_type(code) is not None:
            return code
    for item in profile.organisation_types:
        if item.sector == sector:
            return item.code
    raise LookupError(f"profile {profile.code!r} has no organisation type for {french!r}")


def leaflet_language(wanted: str) -> str:
    """A leaflet language the profile has: `wanted`, else English, else the first there is."""
    from opennrm.documents import available_languages

    languages = available_languages()
    for code in (wanted, "en"):
        if code in languages:
            return code
    return languages[0]


def organisation_name(french_kind: str, french_label: str, territory_name: str) -> str:
    if is_french():
        return f"{french_label} — {territory_name} (démo)"
    label = ENGLISH_NAMES.get(french_kind) or f"Fictional {kind(french_kind).replace('_', ' ')}"
    return f"{label} — {territory_name} (demo)"
