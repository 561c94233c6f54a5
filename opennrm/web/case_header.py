"""The header of a case's step pages (protection, support): what web/includes/_case_header.html
shows besides the case's badges, i.e. the step's tabs, the current one marked."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from opennrm.cases.models import Case


@dataclass(frozen=True)
class Tab:
    label: Any  # a (lazy) translated string
    url: str
    current: bool


def case_header(
    case: Case,
    section: str,
    label: Any,
    tabs: Iterable[tuple[str, str, Any]],
    status_badge: str = "",
) -> dict[str, Any]:
    """The header's context: `tabs` are (section, URL name taking the case reference, label);
    `status_badge` the template of the step's own badge, if any."""
    return {
        "tabs_label": label,
        "tabs": [
            Tab(tab_label, reverse(name, args=[case.reference]), key == section)
            for key, name, tab_label in tabs
        ],
        "status_badge": status_badge,
    }
