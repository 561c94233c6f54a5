"""The protocol's data (`opennrm.protocol.building.build`, as a snapshot keeps it) made ready
for the page and the PDF, in the reader's language: both read the same presentation, so they
never disagree."""

from typing import Any

from opennrm.protocol.building import STEPS
from opennrm.protocol.versions import age_label, duration, status_label


def present(data: dict[str, Any], language: str) -> dict[str, Any]:
    fallback = str(data["profile"].get("default_language", "en"))

    def text(label: dict[str, str] | None) -> str:
        if not label:
            return ""
        return label.get(language) or label.get(fallback) or next(iter(label.values()), "")

    def role(code: str) -> dict[str, Any]:
        entry = data["roles"][code]
        return {
            "label": text(entry["label"]),
            "organisation_types": [
                text(data["organisation_types"][kind]["label"])
                for kind in entry["organisation_types"]
                if kind in data["organisation_types"]
            ],
        }

    def kinds(codes: list[str]) -> list[str]:
        return [
            text(data["organisation_types"][code]["label"])
            for code in codes
            if code in data["organisation_types"]
        ]

    def timeframe(code: str) -> dict[str, str]:
        frame = data["timeframes"][code]
        return {
            "code": code,
            "label": text(frame["label"]),
            "duration": duration(frame["days"], frame["unit"]),
        }

    definitions = {step.code: step for step in STEPS}
    steps = []
    for number, item in enumerate(data["steps"], start=1):
        definition = definitions[item["code"]]
        steps.append(
            {
                "number": number,
                "code": item["code"],
                "title": str(definition.title),
                "what": str(definition.what),
                "roles": [role(code) for code in item["roles"]],
                "timeframes": [timeframe(code) for code in item["timeframes"]],
                "informed": kinds(data["judicial_route_informed"])
                if item["code"] == "judicial_route"
                else [],
                "reflection_period": duration(data["reflection_period_days"], "calendar")
                if item["code"] in ("preliminary_identification", "support")
                else "",
                "residence_authorities": kinds(data["residence_authorities"])
                if item["code"] == "support"
                else [],
                "non_punishment_recipients": kinds(data["non_punishment_recipients"])
                if item["code"] == "support"
                else [],
            }
        )
    bases = {basis["code"]: basis for basis in data["legal_bases"]}
    statuses = []
    for status in ("presumed_victim", "identified_victim"):
        statuses.append(
            {
                "code": status,
                "label": status_label(status),
                "entitlements": [
                    {
                        "label": text(item["label"]),
                        "age_groups": ", ".join(age_label(code) for code in item["age_groups"]),
                        "legal_basis": bases[item["legal_basis"]]["reference"]
                        if item.get("legal_basis") in bases
                        else "",
                    }
                    for item in data["entitlements"]
                    if status in item["statuses"]
                ],
            }
        )
    forms = data["forms_of_exploitation"]
    return {
        "profile_name": text(data["profile"]["name"]),
        "profile_version": data["profile"]["version"],
        "catalogue_version": data["catalogue"]["version"],
        "catalogue_status": data["catalogue"]["status"],
        "local_unit": text(data["local_unit"][0]) if data["local_unit"] else "",
        "steps": steps,
        "other_timeframes": [timeframe(code) for code in data["other_timeframes"]],
        "platform": data["platform"],
        "statuses": statuses,
        "legal_bases": [
            {"label": text(basis["label"]), "reference": basis["reference"]}
            for basis in data["legal_bases"]
        ],
        "retention": data["retention"],
        "indicator_sets": [
            {
                "code": item["code"],
                "label": text(item["label"]),
                "age_group": age_label(item["age_group"]),
                "draft": item["status"] == "draft",
                "forms": [text(forms[code]) if code in forms else code for code in item["forms"]],
                "dimensions": [
                    {
                        "label": text(data["dimensions"].get(dimension["code"])),
                        "indicators": [
                            {
                                "code": indicator["code"],
                                "strength": indicator["strength"],
                                "label": text(indicator["label"]),
                            }
                            for indicator in dimension["indicators"]
                        ],
                    }
                    for dimension in item["dimensions"]
                ],
            }
            for item in data["indicator_sets"]
        ],
    }
