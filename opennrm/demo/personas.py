"""The demo cast: one fictional persona per role. Passwords are for demo mode only."""

from dataclasses import dataclass

DEMO_PASSWORD = "demo-OpenNRM-2026"  # noqa: S105 — documented, demo mode only


@dataclass(frozen=True)
class Persona:
    email: str
    full_name: str
    organisation: str  # key in DEMO_ORGANISATIONS
    role: str
    is_admin: bool = False


# Keys: (département code, organisation type). "national" is the national coordinator.
PERSONAS = (
    Persona(
        "coordinatrice.nationale@demo.opennrm.invalid",
        "Nadia Fictive (national coordinator)",
        "national",
        "national_coordinator",
        is_admin=True,
    ),
    Persona(
        "coordinateur.93@demo.opennrm.invalid",
        "Louis Fictif (local coordinator 93)",
        "93:local_coordination",
        "local_coordinator",
        is_admin=True,
    ),
    Persona(
        "association.93@demo.opennrm.invalid",
        "Amina Fictive (association worker 93)",
        "93:association",
        "field_worker",
        is_admin=True,
    ),
    Persona(
        "syndicat.93@demo.opennrm.invalid",
        "Hugo Fictif (trade union 93)",
        "93:trade_union",
        "field_worker",
    ),
    Persona(
        "police.93@demo.opennrm.invalid",
        "Claire Fictive (police 93)",
        "93:police",
        "judicial_officer",
    ),
    Persona(
        "inspection.93@demo.opennrm.invalid",
        "Marc Fictif (labour inspection 93)",
        "93:labour_inspection",
        "judicial_officer",
    ),
    Persona(
        "referent.prefecture.93@demo.opennrm.invalid",
        "Sophie Fictive (prefecture contact 93)",
        "93:prefecture",
        "contact_person",
        is_admin=True,
    ),
    Persona(
        "plateforme.93@demo.opennrm.invalid",
        "Paul Fictif (platform member 93)",
        "93:association",
        "platform_member",
    ),
    Persona(
        "hebergement.93@demo.opennrm.invalid",
        "Inès Fictive (accommodation 93)",
        "93:accommodation",
        "service_provider",
        is_admin=True,
    ),
    Persona(
        "dpd@demo.opennrm.invalid",
        "Robert Fictif (data protection officer)",
        "national",
        "data_protection_officer",
    ),
    Persona(
        "association.13@demo.opennrm.invalid",
        "Yasmine Fictive (association worker 13)",
        "13:association",
        "field_worker",
        is_admin=True,
    ),
    Persona(
        "association.974@demo.opennrm.invalid",
        "Jean Fictif (association worker 974)",
        "974:association",
        "field_worker",
        is_admin=True,
    ),
)
