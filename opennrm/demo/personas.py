"""The demo cast and references: fictional personas, organisations, seats, services, concerns
and cases. Passwords are for demo mode only."""

from dataclasses import dataclass

DEMO_PASSWORD = "demo-OpenNRM-2026"  # noqa: S105 — documented, demo mode only


@dataclass(frozen=True)
class Persona:
    email: str
    full_name: str
    organisation: str  # key of the organisations seed_demo makes ("93:association"…)
    role: str
    is_admin: bool = False
    # Further memberships of the same person: (organisation key, role), e.g. a physician who
    # sits on the platform and answers the orientations sent to her health centre.
    also: tuple[tuple[str, str], ...] = ()


# Keys: (département code, organisation type). "national" is the national coordinator.
PERSONAS = (
    Persona(
        "coordinatrice.nationale@demo.opennrm.invalid",
        "Nadia Fictive",
        "national",
        "national_coordinator",
        is_admin=True,
    ),
    Persona(
        "coordinateur.93@demo.opennrm.invalid",
        "Louis Fictif",
        "93:local_coordination",
        "local_coordinator",
        is_admin=True,
    ),
    Persona(
        "association.93@demo.opennrm.invalid",
        "Amina Fictive",
        "93:association",
        "field_worker",
        is_admin=True,
    ),
    Persona(
        "syndicat.93@demo.opennrm.invalid",
        "Hugo Fictif",
        "93:trade_union",
        "field_worker",
    ),
    Persona(
        "police.93@demo.opennrm.invalid",
        "Claire Fictive",
        "93:police",
        "judicial_officer",
    ),
    Persona(
        "inspection.93@demo.opennrm.invalid",
        "Marc Fictif",
        "93:labour_inspection",
        "judicial_officer",
    ),
    Persona(
        "referent.prefecture.93@demo.opennrm.invalid",
        "Sophie Fictive",
        "93:prefecture",
        "contact_person",
        is_admin=True,
    ),
    Persona(
        "plateforme.93@demo.opennrm.invalid",
        "Paul Fictif",
        "93:association",
        "platform_member",
    ),
    Persona(
        "hebergement.93@demo.opennrm.invalid",
        "Inès Fictive",
        "93:accommodation",
        "service_provider",
        is_admin=True,
    ),
    Persona(
        "dpd@demo.opennrm.invalid",
        "Robert Fictif",
        "national",
        "data_protection_officer",
    ),
    Persona(
        "association.13@demo.opennrm.invalid",
        "Yasmine Fictive",
        "13:association",
        "field_worker",
        is_admin=True,
    ),
    Persona(
        "association.974@demo.opennrm.invalid",
        "Jean Fictif",
        "974:association",
        "field_worker",
        is_admin=True,
    ),
    # Formal identification and support (issues 4 and 5): the platform of 93 and providers.
    Persona(
        "inspection.plateforme.93@demo.opennrm.invalid",
        "Odile Fictive",
        "93:labour_inspection",
        "platform_member",
    ),
    Persona(
        "ddets.plateforme.93@demo.opennrm.invalid",
        "Thomas Fictif",
        "93:labour_directorate",
        "platform_member",
    ),
    Persona(
        "prefecture.plateforme.93@demo.opennrm.invalid",
        "Irène Fictive",
        "93:prefecture",
        "platform_member",
    ),
    Persona(
        "ase.plateforme.93@demo.opennrm.invalid",
        "Yves Fictif",
        "93:child_protection",
        "platform_member",
    ),
    Persona(
        "medecin.93@demo.opennrm.invalid",
        "Élise Fictive",
        "93:health_centre",
        "platform_member",
        also=(("93:health_centre", "service_provider"),),
    ),
    Persona(
        "psychologue.93@demo.opennrm.invalid",
        "Bruno Fictif",
        "93:psychotrauma_centre",
        "platform_member",
        also=(("93:psychotrauma_centre", "service_provider"),),
    ),
    Persona(
        "avocate.93@demo.opennrm.invalid",
        "Carole Fictive",
        "93:legal_aid",
        "platform_member",
        also=(("93:legal_aid", "service_provider"),),
    ),
    Persona(
        "syndicat.plateforme.93@demo.opennrm.invalid",
        "Farid Fictif",
        "93:trade_union",
        "platform_member",
    ),
    Persona(
        "hebergement.plateforme.93@demo.opennrm.invalid",
        "Samuel Fictif",
        "93:accommodation",
        "platform_member",
    ),
    Persona(
        "reseau.eloignement@demo.opennrm.invalid",
        "Gaëlle Fictive",
        "national:distancing_network",
        "service_provider",
        is_admin=True,
    ),
)

# Persona e-mails the seed acts with (the organisation and role say which membership).
NADIA = "coordinatrice.nationale@demo.opennrm.invalid"
LOUIS = "coordinateur.93@demo.opennrm.invalid"
AMINA = "association.93@demo.opennrm.invalid"
HUGO = "syndicat.93@demo.opennrm.invalid"
CLAIRE = "police.93@demo.opennrm.invalid"
PAUL = "plateforme.93@demo.opennrm.invalid"
INES = "hebergement.93@demo.opennrm.invalid"
ODILE = "inspection.plateforme.93@demo.opennrm.invalid"
THOMAS = "ddets.plateforme.93@demo.opennrm.invalid"
IRENE = "prefecture.plateforme.93@demo.opennrm.invalid"
YVES = "ase.plateforme.93@demo.opennrm.invalid"
ELISE = "medecin.93@demo.opennrm.invalid"
BRUNO = "psychologue.93@demo.opennrm.invalid"
CAROLE = "avocate.93@demo.opennrm.invalid"
FARID = "syndicat.plateforme.93@demo.opennrm.invalid"
SAMUEL = "hebergement.plateforme.93@demo.opennrm.invalid"
GAELLE = "reseau.eloignement@demo.opennrm.invalid"
JEAN = "association.974@demo.opennrm.invalid"
YASMINE = "association.13@demo.opennrm.invalid"


# Organisations beyond the nine of each département: providers of 93 and of its neighbours
# (Paris 75, Val-de-Marne 94, Val-d'Oise 95, Hauts-de-Seine 92), and national services.


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    kind: str
    territories: tuple[str, ...] = ()  # département codes
    national: bool = False
    english_name: str = ""  # its name under another profile than France's (demo.places)


EXTRA_ORGANISATIONS = (
    DemoOrganisation(
        "93:health_centre",
        "Centre de santé fictif — Seine-Saint-Denis (démo)",
        "health",
        ("93",),
        english_name="Fictional health centre (demo)",
    ),
    DemoOrganisation(
        "93:psychotrauma_centre",
        "Centre de psychotraumatologie fictif — Seine-Saint-Denis (démo)",
        "health",
        ("93",),
        english_name="Fictional psychotrauma centre (demo)",
    ),
    DemoOrganisation(
        "93:legal_aid",
        "Permanence d’accès au droit fictive — Seine-Saint-Denis (démo)",
        "legal_aid",
        ("93",),
        english_name="Fictional legal aid desk (demo)",
    ),
    DemoOrganisation(
        "93:child_protection",
        "Aide sociale à l’enfance fictive — Seine-Saint-Denis (démo)",
        "child_protection",
        ("93",),
        english_name="Fictional child protection service (demo)",
    ),
    DemoOrganisation(
        "94:women_shelter",
        "Foyer fictif pour femmes — Val-de-Marne (démo)",
        "accommodation",
        ("94",),
        english_name="Fictional women's shelter (demo)",
    ),
    DemoOrganisation(
        "95:social_residence",
        "Résidence sociale fictive — Val-d’Oise (démo)",
        "accommodation",
        ("95",),
        english_name="Fictional social residence (demo)",
    ),
    DemoOrganisation(
        "75:integration",
        "Association fictive d’insertion — Paris (démo)",
        "association",
        ("75",),
        english_name="Fictional integration NGO (demo)",
    ),
    DemoOrganisation(
        "idf:interpreting",
        "Service d’interprétariat fictif — Île-de-France (démo)",
        "association",
        ("75",),  # based in Paris; its service covers the region,
        english_name="Fictional interpreting service (demo)",
    ),
    DemoOrganisation(
        "national:distancing_network",
        "Réseau national fictif d’accueil éloigné (démo)",
        "accommodation",
        national=True,
        english_name="Fictional national network of distant shelters (demo)",
    ),
    DemoOrganisation(
        "national:return",
        "Association fictive d’aide au retour volontaire (démo)",
        "association",
        national=True,
        english_name="Fictional voluntary return NGO (demo)",
    ),
)


# The platform of 93: who sits, for which membership, with which profession. Institutions
# (coordination, labour inspection, labour directorate, prefecture, child protection) and civil
# society (association, health, legal aid, trade union, accommodation centre): enough for the
# France profile's quorum of 5 with at least 2 of each, twice over without anyone who took a
# first decision (a reconsideration is examined by others).


@dataclass(frozen=True)
class Seat:
    email: str
    role: str  # the membership that sits
    profession: str


PLATFORM_93 = (
    Seat(LOUIS, "local_coordinator", "other"),  # the chair
    Seat(ODILE, "platform_member", "other"),
    Seat(THOMAS, "platform_member", "other"),
    Seat(IRENE, "platform_member", "other"),
    Seat(YVES, "platform_member", "other"),
    Seat(PAUL, "platform_member", "association"),
    Seat(ELISE, "platform_member", "physician"),
    Seat(BRUNO, "platform_member", "psychologist"),
    Seat(CAROLE, "platform_member", "lawyer"),
    Seat(FARID, "platform_member", "trade_union"),
    Seat(SAMUEL, "platform_member", "other"),
)


# The service directory: at least one service of every type, in 93, its neighbours or
# nationwide. Accommodation: one with room (Inès's), one full, one specialised, secure and far
# away (the national distancing network), one whose capacity nobody confirmed for 12 days.


@dataclass(frozen=True)
class DemoService:
    key: str
    organisation: str  # organisation key
    by: str  # the persona who adds it: the provider's staff, or the national coordinator
    name: str
    service_type: str
    territories: tuple[str, ...] = ()
    national: bool = False
    description: str = ""
    accepts_adults: bool = True
    accepts_children: bool = False
    accepts_families: bool = False
    gender_policy: str = "any"
    languages: str = ""
    specialised: bool = False
    secure: bool = False
    distancing_network: bool = False
    trained_staff: bool = False
    places_total: int | None = None
    places_free: int | None = None
    capacity_age_days: int = 0  # days since the provider last confirmed its capacity


DEMO_SERVICES = (
    DemoService(
        "shelter_93",
        "93:accommodation",
        INES,
        "Hébergement d’urgence — centre fictif de Seine-Saint-Denis (démo)",
        "accommodation",
        ("93",),
        description="Service fictif (démo) : chambres individuelles, accueil 24 h sur 24.",
        languages="français, anglais, roumain",
        trained_staff=True,
        places_total=12,
        places_free=3,
    ),
    DemoService(
        "distancing_network",
        "national:distancing_network",
        GAELLE,
        "Accueil éloigné et sécurisé — réseau national fictif (démo)",
        "accommodation",
        national=True,
        description="Service fictif (démo) : mise à l’abri loin du lieu d’exploitation, adresse "
        "confidentielle.",
        languages="français, anglais",
        specialised=True,
        secure=True,
        distancing_network=True,
        trained_staff=True,
        places_total=40,
        places_free=6,
    ),
    DemoService(
        "women_shelter_94",
        "94:women_shelter",
        NADIA,
        "Foyer fictif pour femmes victimes de traite — Val-de-Marne (démo)",
        "accommodation",
        ("94", "93"),
        description="Service fictif (démo) : complet pour le moment.",
        gender_policy="women",
        languages="français, anglais, espagnol",
        specialised=True,
        secure=True,
        trained_staff=True,
        places_total=8,
        places_free=0,
    ),
    DemoService(
        "social_residence_95",
        "95:social_residence",
        NADIA,
        "Résidence sociale fictive — Val-d’Oise (démo)",
        "accommodation",
        ("95",),
        description="Service fictif (démo) : studios pour adultes et familles.",
        accepts_families=True,
        languages="français",
        places_total=20,
        places_free=4,
        capacity_age_days=12,
    ),
    DemoService(
        "health_93",
        "93:health_centre",
        ELISE,
        "Consultations médicales — centre de santé fictif (démo)",
        "health",
        ("93",),
        description="Service fictif (démo) : médecine générale, sans avance de frais.",
        accepts_families=True,
        languages="français, anglais, arabe",
        trained_staff=True,
    ),
    DemoService(
        "psychotrauma_93",
        "93:psychotrauma_centre",
        BRUNO,
        "Soins en psychotraumatologie — centre fictif (démo)",
        "psychological_care",
        ("93", "75", "94", "95"),
        description="Service fictif (démo) : consultations avec interprète.",
        accepts_families=True,
        languages="français, anglais, roumain, russe",
        specialised=True,
        trained_staff=True,
    ),
    DemoService(
        "legal_aid_93",
        "93:legal_aid",
        CAROLE,
        "Permanence juridique et aide juridictionnelle — fictive (démo)",
        "legal_aid",
        ("93",),
        description="Service fictif (démo) : avocats formés au droit des victimes.",
        languages="français, anglais",
        trained_staff=True,
    ),
    DemoService(
        "labour_rights_93",
        "93:legal_aid",
        CAROLE,
        "Droit du travail et salaires impayés — permanence fictive (démo)",
        "labour_rights",
        ("93",),
        description="Service fictif (démo) : saisine du conseil de prud’hommes.",
        languages="français",
        trained_staff=True,
    ),
    DemoService(
        "compensation_93",
        "93:legal_aid",
        CAROLE,
        "Indemnisation des victimes — permanence fictive (démo)",
        "compensation_claims",
        ("93",),
        description="Service fictif (démo) : commission d’indemnisation, constitution de partie "
        "civile.",
        languages="français",
    ),
    DemoService(
        "asylum_93",
        "93:legal_aid",
        CAROLE,
        "Accompagnement de la demande d’asile — permanence fictive (démo)",
        "asylum_support",
        ("93",),
        languages="français, anglais",
    ),
    DemoService(
        "child_protection_93",
        "93:child_protection",
        NADIA,
        "Accueil et protection des mineurs — service fictif (démo)",
        "child_protection",
        ("93",),
        description="Service fictif (démo) : mineurs non accompagnés.",
        accepts_adults=False,
        accepts_children=True,
        languages="français",
        trained_staff=True,
    ),
    DemoService(
        "interpreting_idf",
        "idf:interpreting",
        NADIA,
        "Interprétariat en milieu social — service fictif (démo)",
        "interpreting",
        ("75", "92", "93", "94", "95"),
        accepts_families=True,
        languages="roumain, russe, chinois, anglais, arabe, tigrinya",
    ),
    DemoService(
        "french_75",
        "75:integration",
        NADIA,
        "Cours de français — association fictive (démo)",
        "language_classes",
        ("75", "93"),
        languages="français",
    ),
    DemoService(
        "training_75",
        "75:integration",
        NADIA,
        "Formation qualifiante — association fictive (démo)",
        "vocational_training",
        ("75", "93"),
    ),
    DemoService(
        "employment_75",
        "75:integration",
        NADIA,
        "Accompagnement vers l’emploi — association fictive (démo)",
        "employment",
        ("75", "93"),
    ),
    DemoService(
        "financial_aid_75",
        "75:integration",
        NADIA,
        "Aide financière d’urgence — association fictive (démo)",
        "financial_aid",
        ("75", "93"),
        accepts_families=True,
    ),
    DemoService(
        "return_national",
        "national:return",
        NADIA,
        "Aide au retour volontaire — association fictive (démo)",
        "return_assistance",
        national=True,
        accepts_families=True,
        languages="français, anglais, roumain",
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
CASE_PRESUMED = "C-DEM0-9302"  # 93: presumed victim, before the platform, awaiting votes
CASE_PLATFORM_IDENTIFIED = "C-DEM0-9303"  # 93: identified by the platform (interview, votes)
CASE_JUDICIAL_IDENTIFIED = "C-DEM0-9304"  # 93: identified on a complaint; support closed
CASE_NOT_IDENTIFIED = "C-DEM0-9305"  # 93: not identified by the platform, may be reconsidered
CASE_SUPPORTED = "C-DEM0-9306"  # 93: presumed victim with a full support plan
CASE_CHILD = "C-DEM0-9741"  # 974: a child, guardian and child protection alert
CASE_TRANSFERRED = "C-DEM0-9307"  # opened in 93, transferred to the association of 13

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
    CASE_PLATFORM_IDENTIFIED: DemoPerson(
        "Grace (personne fictive)",
        "Fictivah",
        "female",
        ("NG",),
        ("en",),
        estimated_age=29,
    ),
    CASE_JUDICIAL_IDENTIFIED: DemoPerson(
        "Tudor (personne fictive)",
        "Fictivescu",
        "male",
        ("RO",),
        ("ro",),
        estimated_age=36,
    ),
    CASE_NOT_IDENTIFIED: DemoPerson(
        "Mei (personne fictive)",
        "Fictivang",
        "female",
        ("CN",),
        ("zh",),
        estimated_age=33,
    ),
    CASE_TRANSFERRED: DemoPerson(
        "Ioana (personne fictive)",
        "Fictivei",
        "female",
        ("RO",),
        ("ro",),
        estimated_age=24,
    ),
    CASE_SUPPORTED: DemoPerson(
        "Aïcha (personne fictive)",
        "Fictivara",
        "female",
        ("CI",),
        ("fr",),
        estimated_age=27,
    ),
}
