"""The protocol's versions: a snapshot kept each time its data change (a new profile or
catalogue version, or any edit of what the protocol shows), audited; and what changed between
two consecutive snapshots, item by item."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.indicators.schema import Catalogue
from opennrm.profiles.schema import Profile
from opennrm.protocol.building import build, digest, step
from opennrm.protocol.models import ProtocolVersion


def current(profile: Profile, catalogue: Catalogue, actor: Actor) -> ProtocolVersion:
    """The snapshot of the protocol as the profile and catalogue make it now: the newest kept
    one when its data are the same (one query), else a new one, audited (`protocol.snapshot`)."""
    data = build(profile, catalogue)
    found = digest(data)
    newest = latest(profile.code)
    if newest is not None and newest.digest == found:
        return newest
    with transaction.atomic():
        # Locked look-up again: two first views at once keep one snapshot.
        newest = (
            ProtocolVersion.objects.select_for_update()
            .filter(profile_code=profile.code)
            .order_by("-created_at", "-pk")
            .first()
        )
        if newest is not None and newest.digest == found:
            return newest
        version = ProtocolVersion.objects.create(
            profile_code=profile.code,
            profile_version=profile.version,
            catalogue_version=catalogue.version,
            digest=found,
            data=data,
        )
        record(
            "protocol.snapshot",
            target=version,
            actor=actor,
            details={
                "profile": profile.code,
                "profile_version": profile.version,
                "catalogue_version": catalogue.version,
                "previous": newest.pk if newest is not None else None,
            },
        )
    return version


def latest(profile_code: str) -> ProtocolVersion | None:
    return (
        ProtocolVersion.objects.filter(profile_code=profile_code)
        .order_by("-created_at", "-pk")
        .first()
    )


def history(profile_code: str, limit: int = 20) -> list[ProtocolVersion]:
    """The newest `limit` snapshots of a profile, newest first."""
    return list(
        ProtocolVersion.objects.filter(profile_code=profile_code).order_by("-created_at", "-pk")[
            :limit
        ]
    )


@dataclass(frozen=True)
class Change:
    section: str
    item: str
    before: str
    after: str


def _text(label: dict[str, str] | None, language: str, fallback: str) -> str:
    if not label:
        return ""
    return label.get(language) or label.get(fallback) or next(iter(label.values()), "")


def duration(days: int, unit: str) -> str:
    if unit == "working":
        return ngettext("%(days)d working day", "%(days)d working days", days) % {"days": days}
    return ngettext("%(days)d calendar day", "%(days)d calendar days", days) % {"days": days}


def changes(older: dict[str, Any], newer: dict[str, Any], language: str) -> list[Change]:
    """What changed from `older` to `newer` (two snapshots' data), in the reader's language."""
    fallback = str(newer["profile"].get("default_language", "en"))
    found: list[Change] = []

    def text(label: dict[str, str] | None) -> str:
        return _text(label, language, fallback)

    def add(section: str, item: str, before: Any, after: Any) -> None:
        if before != after:
            found.append(Change(section, item, str(before or "—"), str(after or "—")))

    add(
        _("Versions"),
        _("Profile version"),
        older["profile"]["version"],
        newer["profile"]["version"],
    )
    add(
        _("Versions"),
        _("Indicator catalogue version"),
        older["catalogue"]["version"],
        newer["catalogue"]["version"],
    )
    # Timeframes
    old_frames, new_frames = older["timeframes"], newer["timeframes"]
    for code in sorted(set(old_frames) | set(new_frames)):
        before, after = old_frames.get(code), new_frames.get(code)
        add(
            _("Timeframes"),
            text((after or before or {}).get("label")) or code,
            duration(before["days"], before["unit"]) if before else "",
            duration(after["days"], after["unit"]) if after else "",
        )
    # Who acts at each step
    old_roles = {item["code"]: item["roles"] for item in older["steps"]}
    all_roles = {**older["roles"], **newer["roles"]}
    for item in newer["steps"]:
        definition = step(item["code"])
        title = str(definition.title) if definition else item["code"]
        add(
            _("Who acts"),
            title,
            ", ".join(text(all_roles[code]["label"]) for code in old_roles.get(item["code"], [])),
            ", ".join(text(all_roles[code]["label"]) for code in item["roles"]),
        )
    # Decision rules of the platform and other figures
    rules = {
        "quorum": _("Quorum"),
        "min_institutional": _("Institutional members at least"),
        "min_civil_society": _("Civil society members at least"),
        "interview_members": _("Members who hold an interview"),
    }
    for key, label in rules.items():
        add(_("Decision rules"), label, older["platform"].get(key), newer["platform"].get(key))
    add(
        _("Protection"),
        _("Recovery and reflection period"),
        duration(older["reflection_period_days"], "calendar"),
        duration(newer["reflection_period_days"], "calendar"),
    )
    # Entitlements and legal bases
    for section, key, describe in (
        (_("Entitlements"), "entitlements", _describe_entitlement),
        (_("Legal bases"), "legal_bases", _describe_basis),
    ):
        old_items = {item["code"]: item for item in older[key]}
        new_items = {item["code"]: item for item in newer[key]}
        for code in [*new_items, *(c for c in old_items if c not in new_items)]:
            before, after = old_items.get(code), new_items.get(code)
            add(
                section,
                text((after or before or {}).get("label")) or code,
                describe(before, text) if before else "",
                describe(after, text) if after else "",
            )
    # Indicators: sets added or removed, indicators added, removed or reworded
    old_sets = {item["code"]: item for item in older["indicator_sets"]}
    for indicator_set in newer["indicator_sets"]:
        before_set = old_sets.pop(indicator_set["code"], None)
        name = text(indicator_set["label"])
        if before_set is None:
            add(_("Indicators"), name, "", _("New set"))
            continue
        old_indicators = _indicators(before_set)
        new_indicators = _indicators(indicator_set)
        for code in sorted(set(old_indicators) | set(new_indicators)):
            add(
                _("Indicators"),
                f"{name} — {code}",
                text(old_indicators.get(code)),
                text(new_indicators.get(code)),
            )
    for removed in old_sets.values():
        add(_("Indicators"), text(removed["label"]), _("Set"), "")
    return found


def _indicators(indicator_set: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        indicator["code"]: indicator["label"]
        for dimension in indicator_set["dimensions"]
        for indicator in dimension["indicators"]
    }


def _describe_entitlement(item: dict[str, Any], text: Any) -> str:
    return " · ".join(
        part
        for part in (
            ", ".join(status_label(code) for code in item["statuses"]),
            ", ".join(age_label(code) for code in item["age_groups"]),
            item.get("legal_basis") or "",
        )
        if part
    )


def _describe_basis(item: dict[str, Any], text: Any) -> str:
    return str(item["reference"])


def status_label(code: str) -> str:
    return {
        "presumed_victim": _("Presumed victim"),
        "identified_victim": _("Identified victim"),
    }.get(code, code)


def age_label(code: str) -> str:
    return {"adult": _("Adults"), "child": _("Children"), "any": _("Adults and children")}.get(
        code, code
    )
