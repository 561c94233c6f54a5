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


# Detection and preliminary identification (issue 3) ------------------------------------------
# Fixed references, so that seeding twice finds what it made and a demo can name a case. Every
# name says it is fictional; the narratives say it too.


@dataclass(frozen=True)
class DemoConcern:
    reference: str
    territory: str
    commune: str
    place_type: str
    sector: str
    signs: tuple[str, ...]
    description: str
    overdue: bool = False


@dataclass(frozen=True)
class DemoPerson:
    given_names: str
    family_name: str
    sex: str
    nationalities: tuple[str, ...]
    languages: tuple[str, ...]
    date_of_birth: str = ""  # ISO date, or empty when only the age is estimated
    estimated_age: int | None = None
    aliases: str = ""


DEMO_CONCERNS = (
    DemoConcern(
        "S-DEM0-9301",
        "93",
        "Saint-Denis (fictif)",
        "hospitality",
        "hospitality",
        ("long_hours", "unpaid", "housed_at_work"),
        "Signalement fictif (démo) : dans un restaurant, deux jeunes hommes travaillent de 8 h "
        "à minuit et dorment dans la réserve. Ils ne parlent pas français.",
    ),
    DemoConcern(
        "S-DEM0-9302",
        "93",
        "Aubervilliers (fictif)",
        "factory",
        "manufacturing",
        ("cannot_leave", "no_papers", "afraid"),
        "Signalement fictif (démo) : dans un atelier de confection, des ouvrières semblent "
        "enfermées la nuit ; un homme garde leurs passeports.",
        overdue=True,
    ),
    # Triaged by the coordinator: it opened the case under preliminary assessment below.
    DemoConcern(
        "S-DEM0-9303",
        "93",
        "Saint-Ouen (fictif)",
        "construction",
        "construction",
        ("long_hours", "unpaid", "debt"),
        "Signalement fictif (démo) : une femme travaille sur un chantier tous les jours et dit "
        "devoir rembourser son voyage à son employeur.",
    ),
)

# Case references, and the fictional person of each case.
CASE_ASSESSMENT = "C-DEM0-9301"  # 93: under preliminary assessment, draft assessment
CASE_PRESUMED = "C-DEM0-9302"  # 93: presumed victim, referred to the platform
CASE_CHILD = "C-DEM0-9741"  # 974: a child, guardian and child protection alert

DEMO_PERSONS = {
    CASE_ASSESSMENT: DemoPerson(
        "Ana (personne fictive)",
        "Fictiva",
        "female",
        ("RO",),
        ("ro",),
        date_of_birth="1994-06-15",
    ),
    CASE_PRESUMED: DemoPerson(
        "Mihai (personne fictive)",
        "Fictivu",
        "male",
        ("MD",),
        ("ro", "ru"),
        estimated_age=41,
        aliases="« Le Fictif »",
    ),
    CASE_CHILD: DemoPerson(
        "Kelly (enfant fictive)",
        "Fictive",
        "female",
        ("KM",),
        ("fr",),
        estimated_age=15,
    ),
}
