"""What a person is entitled to: a function of identification status, age group and profile.

Never of the route. `entitlements` takes no referral, no decision and no route on purpose: the
judicial route and the platform route give the same status, hence the same rights (CNCDH
recommendation 8). Tests prove it over generated cases.
"""

from typing import Any

from opennrm.profiles.loader import active_profile
from opennrm.profiles.schema import AGE_GROUPS, Entitlement, Profile


def age_group_of(case: Any) -> str:
    """Child rules apply to a child (and to a person whose age is uncertain, presumed a child)."""
    return "child" if case.child else "adult"


def entitlements(
    status: str, age_group: str, profile: Profile | None = None
) -> tuple[Entitlement, ...]:
    """The profile's entitlements for this status and age group, in the profile's order."""
    if age_group not in AGE_GROUPS:
        raise ValueError(f"unknown age group {age_group!r}")
    profile = profile or active_profile()
    return tuple(
        item
        for item in profile.entitlements
        if status in item.statuses and age_group in item.age_groups
    )


def case_entitlements(case: Any, profile: Profile | None = None) -> tuple[Entitlement, ...]:
    """The entitlements of the person of this case, from its status and age group only."""
    return entitlements(case.status, age_group_of(case), profile)


def entitlement_labels(items: tuple[Entitlement, ...], language: str) -> list[dict[str, str]]:
    """Labels in `language` (the profile's default language otherwise), with legal bases."""
    profile = active_profile()
    bases = {basis.code: basis for basis in profile.legal_bases}
    rows = []
    for item in items:
        basis = bases.get(item.legal_basis) if item.legal_basis else None
        rows.append(
            {
                "code": item.code,
                "label": item.label.get(language, profile.default_language),
                "basis": basis.reference if basis else "",
            }
        )
    return rows
