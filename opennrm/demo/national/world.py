"""The organisations, staff, platforms and services the national dataset's cases pass through.

First the demo's own organisations and personas (seed_demo's code) and the platform of the
Seine-Saint-Denis with the personas' seats (the demo's identification code); then, for every
local unit of the profile, fictional organisations of each kind, their staff, a platform with
its seats and a directory of services. A few thousand rows at most: plain bulk inserts.
"""

import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import count

from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from opennrm.core.models import Membership, Organisation, Territory, TrainingRecord, User
from opennrm.demo.identification import CHAIR_ROLE, Identification
from opennrm.demo.management.commands.seed_demo import Command as SeedDemo
from opennrm.demo.national import reference
from opennrm.demo.national.names import NameBook
from opennrm.demo.personas import (
    BRUNO,
    CAROLE,
    ELISE,
    EXTRA_ORGANISATIONS,
    FARID,
    IRENE,
    LOUIS,
    ODILE,
    PERSONAS,
    SAMUEL,
    THOMAS,
    YVES,
)
from opennrm.identification.models import (
    CompositionSector,
    Platform,
    PlatformMember,
    composition_sector,
)
from opennrm.profiles.loader import active_profile
from opennrm.support.models import Service, ServiceType

EMAIL_DOMAIN = "national.opennrm.invalid"
FICTIONAL = "(fictional)"
# What the dataset adds, per kind: a name, and the staff it needs (role, how many users).
KINDS: dict[str, tuple[str, tuple[tuple[str, int], ...]]] = {
    "association": ("Victim support association", (("field_worker", 2), ("service_provider", 1))),
    "trade_union": ("Trade union branch", (("field_worker", 1),)),
    "police": ("Police station", (("judicial_officer", 2),)),
    "gendarmerie": ("Gendarmerie unit", (("judicial_officer", 1),)),
    "labour_inspection": ("Labour inspection unit", (("judicial_officer", 1),)),
    "health": ("Health centre", (("field_worker", 1), ("service_provider", 1))),
    "accommodation": ("Shelter operator", (("field_worker", 1), ("service_provider", 1))),
    "child_protection": (
        "Child protection service",
        (("field_worker", 1), ("service_provider", 1)),
    ),
    "legal_aid": ("Legal aid office", (("service_provider", 1),)),
    "prefecture": ("Prefecture", (("contact_person", 1),)),
    "prosecutor": ("Prosecutor's office", (("contact_person", 1),)),
    "labour_directorate": ("Labour directorate", (("contact_person", 1),)),
    "local_coordination": ("Local coordination", (("local_coordinator", 1),)),
}
REPORTER_KINDS = frozenset(
    {"association", "trade_union", "police", "gendarmerie", "labour_inspection", "health",
     "accommodation", "child_protection"}
)  # fmt: skip
NO_GENDARMERIE = frozenset({"75", "92", "93", "94"})  # the police covers Paris and its suburbs
# Services of each local unit and the kind of organisation that runs them (accommodation apart).
SERVICE_PROVIDERS: dict[str, str] = {
    ServiceType.HEALTH: "health",
    ServiceType.PSYCHOLOGICAL_CARE: "health",
    ServiceType.LEGAL_AID: "legal_aid",
    ServiceType.LABOUR_RIGHTS: "legal_aid",
    ServiceType.COMPENSATION_CLAIMS: "legal_aid",
    ServiceType.INTERPRETING: "association",
    ServiceType.LANGUAGE_CLASSES: "association",
    ServiceType.EMPLOYMENT: "association",
    ServiceType.CHILD_PROTECTION: "child_protection",
}
SHELTER_PLACES = 25  # places of a fictional shelter, on average
PLACED_SHARE = 0.016  # cases with a current placement, roughly (to size the shelters)
SHELTERS_MAX = 300  # per local unit
# Platform seats of the dataset's own platforms: (kind, role of the user seated, profession,
# group). Group "first" takes first decisions; "second" examines reconsiderations, chaired by
# the deputy (the first seat of that group), without anyone who took the first decision.
SEATS = (
    ("prefecture", "contact_person", "other", "first"),
    ("association", "field_worker", "association", "first"),
    ("health", "field_worker", "physician", "first"),
    ("legal_aid", "service_provider", "lawyer", "first"),
    ("labour_directorate", "contact_person", "other", "second"),
    ("child_protection", "field_worker", "other", "second"),
    ("health", "service_provider", "psychologist", "second"),
    ("trade_union", "field_worker", "trade_union", "second"),
    ("accommodation", "field_worker", "other", "second"),
    ("association", "service_provider", "association", "second"),
)
# The platform of the Seine-Saint-Denis: the personas' seats (demo.identification).
FIRST_93 = ((LOUIS, ODILE, IRENE, ELISE, CAROLE), (LOUIS, ODILE, IRENE, BRUNO, FARID))
SECOND_93 = (THOMAS, (THOMAS, YVES, FARID, SAMUEL, BRUNO))
PERSONA_EMAILS = [persona.email for persona in PERSONAS]
# The demo's organisations that provide services and detect nobody (interpreting, integration,
# shelters of the neighbouring départements): they own no case of the dataset.
SERVICE_ONLY = frozenset(
    item.key for item in EXTRA_ORGANISATIONS if item.kind in {"association", "accommodation"}
)


@dataclass
class Org:
    id: int
    kind: str
    territory: str  # code of the local unit
    # role -> user ids (acting for this organisation with that role)
    staff: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def user(self, rng: random.Random, *roles: str) -> int:
        for role in roles:
            users = self.staff.get(role)
            if users:
                return users[0] if len(users) == 1 else rng.choice(users)
        raise LookupError(f"organisation {self.id} has no staff with {roles}")


@dataclass
class Seat:
    id: int
    user: int
    organisation: int


@dataclass
class PlatformInfo:
    id: int
    chair: Seat
    first_groups: list[tuple[int, ...]]  # voters of first decisions (seat ids)
    deputy: Seat
    second_group: tuple[int, ...]
    sectors: dict[int, str]  # seat id -> institution or civil society (the platform's mix)


@dataclass
class ShelterInfo:
    id: int
    provider: int  # organisation id
    children: bool  # takes unaccompanied children (and nobody else)
    women_only: bool
    places: int


@dataclass
class Unit:
    """A local unit (a département) and what its cases need."""

    territory: Territory
    weight: float
    kinds: dict[str, list[Org]] = field(default_factory=lambda: defaultdict(list))
    owners: dict[str, list[Org]] = field(default_factory=dict)  # persona quotas left out
    services: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # (service, org)
    shelters: list[ShelterInfo] = field(default_factory=list)
    platform: PlatformInfo | None = None

    @property
    def code(self) -> str:
        return self.territory.code

    def one(self, kind: str) -> Org:
        return self.kinds[kind][0]


@dataclass
class World:
    units: list[Unit]
    cumulative: list[float]  # cumulative weights of units, for a weighted draw
    by_code: dict[str, Unit]
    personas: dict[str, Org]  # persona organisations with a quota, by seed_demo key
    national: int  # the national coordinator's organisation
    providers: set[int] = field(default_factory=set)  # demo organisations that own no case
    users_created: int = 0
    organisations_created: int = 0


def _synthetic_user(names: NameBook, rng: random.Random, email: str, password: str) -> User:
    given, family = names.person(rng, "latin", rng.choice(("female", "male")))
    return User(email=email, full_name=f"{given} {family} {FICTIONAL}", password=password)


class WorldBuilder:
    """Creates the world once, before the cases (see the module's docstring)."""

    def __init__(self, *, cases: int, seed: int, anchor: datetime.date, names: NameBook) -> None:
        self.cases = cases
        self.anchor = anchor
        self.names = names
        self.rng = random.Random(f"world:{seed}")  # noqa: S311 - fictional data, reproducible
        self.password = make_password(None)  # unusable: the dataset's staff cannot sign in

    def build(self) -> World:
        call_command("load_territories", verbosity=0)
        seed = SeedDemo()
        demo = seed._organisations()  # the demo's organisations and personas, as seed_demo
        seed._personas(demo)  # makes them (idempotent)
        Identification(demo)._seats()  # the personas' seats on the platform of 93
        levels = active_profile().local_unit_levels
        territories = list(Territory.objects.filter(level__in=levels).order_by("code"))
        total = sum(reference.territory_weight(t.code) for t in territories)
        units = [Unit(t, reference.territory_weight(t.code) / total) for t in territories]
        by_code = {unit.code: unit for unit in units}
        world = World(
            units=units,
            cumulative=[],
            by_code=by_code,
            personas={},
            national=demo["national"].pk,
        )
        self._demo_organisations(world, demo)
        self._organisations(world)
        self._staff(world)
        self._platforms(world)
        self._services(world)
        # Cases are owned by the dataset's organisations and the demo's local ones; persona
        # organisations get their quota (stories), service providers of the demo none.
        not_owners = {org.id for org in world.personas.values()} | world.providers
        for unit in units:
            unit.owners = {
                kind: [org for org in orgs if org.id not in not_owners]
                for kind, orgs in unit.kinds.items()
            }
        # Persona quotas are taken out of their département's share of the random draw.
        quotas: dict[str, float] = defaultdict(float)
        for key, share in reference.PERSONA_SHARES.items():
            quotas[key.partition(":")[0]] += share
        left = 1 - sum(quotas.values())
        running = 0.0
        for unit in units:
            running += max(unit.weight - quotas.get(unit.code, 0.0), 0.0) / left
            world.cumulative.append(running)
        return world

    # Organisations ----------------------------------------------------------------------

    def _demo_organisations(self, world: World, demo: dict[str, Organisation]) -> None:
        """The demo's organisations join the pools of their local units; the persona
        organisations with a quota are remembered."""
        for key, organisation in demo.items():
            codes = list(organisation.territories.values_list("code", flat=True))
            if organisation.national or len(codes) != 1 or codes[0] not in world.by_code:
                continue
            org = Org(organisation.pk, organisation.kind, codes[0])
            world.by_code[codes[0]].kinds[organisation.kind].append(org)
            if key in reference.PERSONA_SHARES:
                world.personas[key] = org
            if key in SERVICE_ONLY:
                world.providers.add(org.id)

    def _wanted(self, unit: Unit, kind: str) -> int:
        share = unit.weight
        if kind == "association":
            return min(max(round(share * 150), 1), 8)
        if kind == "police":
            return min(max(round(share * 50), 1), 3)
        if kind == "accommodation":
            return min(max(round(share * 60), 1), 4)
        if kind == "gendarmerie" and unit.code in NO_GENDARMERIE:
            return 0
        return 1

    def _organisations(self, world: World) -> None:
        a_year_ago = self.anchor - datetime.timedelta(days=365)
        new: list[tuple[Unit, Organisation]] = []
        for unit in world.units:
            for kind, (label, _roles) in KINDS.items():
                have = len(unit.kinds.get(kind, []))
                for number in range(have + 1, self._wanted(unit, kind) + 1):
                    reporter = kind in REPORTER_KINDS
                    slug = f"{kind.replace('_', '-')}-{number}.{unit.code.lower()}"
                    new.append(
                        (
                            unit,
                            Organisation(
                                name=f"{label} {number} — {unit.territory.name} {FICTIONAL}",
                                kind=kind,
                                authorised_reporter=reporter,
                                reporter_recognised_on=a_year_ago if reporter else None,
                                reporter_recognition_ref=f"NAT-AR-{slug}" if reporter else "",
                                agreement_signed_on=a_year_ago,
                                agreement_ref=f"NAT-CONV-{slug}",
                                email=f"{slug}@{EMAIL_DOMAIN}",
                                phone="01 99 00 00 00",
                            ),
                        )
                    )
        created = Organisation.objects.bulk_create([org for _unit, org in new], batch_size=500)
        through = Organisation.territories.through
        through.objects.bulk_create(
            [
                through(organisation_id=org.pk, territory_id=unit.territory.pk)
                for (unit, _org), org in zip(new, created, strict=True)
            ],
            batch_size=1000,
        )
        for (unit, _org), org in zip(new, created, strict=True):
            unit.kinds[org.kind].append(Org(org.pk, org.kind, unit.code))
        world.organisations_created = len(created)

    # Staff ------------------------------------------------------------------------------

    def _staff(self, world: World) -> None:
        """Every organisation gets the staff its kind needs: the personas where they are,
        fictional users elsewhere (who cannot sign in). Field workers and officers are trained
        (the profile requires it to report)."""
        orgs = {org.id: org for unit in world.units for orgs in unit.kinds.values() for org in orgs}
        for organisation_id, user_id, role in (
            Membership.objects.active()
            .filter(organisation_id__in=list(orgs))
            .values_list("organisation_id", "user_id", "role")
        ):
            orgs[organisation_id].staff[role].append(user_id)
        wanted: list[tuple[Org, str]] = []
        users: list[User] = []
        numbering = count(1)
        for org in orgs.values():
            for role, how_many in KINDS.get(org.kind, ("", ()))[1]:
                if org.staff.get(role):
                    continue
                for _ in range(how_many):
                    email = f"{role.replace('_', '-')}.{next(numbering)}@{EMAIL_DOMAIN}"
                    users.append(_synthetic_user(self.names, self.rng, email, self.password))
                    wanted.append((org, role))
        created = User.objects.bulk_create(users, batch_size=1000)
        Membership.objects.bulk_create(
            [
                Membership(user_id=user.pk, organisation_id=org.id, role=role)
                for (org, role), user in zip(wanted, created, strict=True)
            ],
            batch_size=1000,
        )
        trained = []
        for (org, role), user in zip(wanted, created, strict=True):
            org.staff[role].append(user.pk)
            if role in {"field_worker", "judicial_officer"}:
                trained.append(
                    TrainingRecord(
                        user_id=user.pk,
                        course=f"Course on detecting and protecting victims {FICTIONAL}",
                        provider=f"Training body {FICTIONAL}",
                        completed_on=self.anchor - datetime.timedelta(days=200),
                        expires_on=self.anchor + datetime.timedelta(days=900),
                    )
                )
        TrainingRecord.objects.bulk_create(trained, batch_size=1000)
        world.users_created = len(created)

    # Platforms --------------------------------------------------------------------------

    def _platforms(self, world: World) -> None:
        """A platform per local unit. The Seine-Saint-Denis has the personas' seats (made by the
        demo's code); every other platform gets a chair (the coordinator) and ten members of
        the département's organisations, two groups of five (see SEATS)."""
        platforms = dict(Platform.objects.values_list("territory_id", "pk"))
        missing = [unit for unit in world.units if unit.territory.pk not in platforms]
        for platform in Platform.objects.bulk_create(
            [Platform(territory_id=unit.territory.pk) for unit in missing]
        ):
            platforms[platform.territory_id] = platform.pk
        personas = set(User.objects.filter(email__in=PERSONA_EMAILS).values_list("pk", flat=True))
        chairs = {
            (m.organisation_id, m.user_id): m
            for m in Membership.objects.filter(role=CHAIR_ROLE, is_active=True)
        }
        memberships: list[Membership] = []
        plans: list[tuple[Unit, Membership, list[tuple[str, str, str]]]] = []
        for unit in world.units:
            if unit.code == "93":
                continue  # the personas' platform (demo.identification)
            coordination = unit.one("local_coordination")
            chair_of = chairs[(coordination.id, coordination.staff[CHAIR_ROLE][0])]
            plan = []
            taken: set[int] = set()
            for kind, role, profession, group in SEATS:
                org, user = self._seat_holder(unit, kind, role, personas | taken)
                taken.add(user)
                memberships.append(
                    Membership(user_id=user, organisation_id=org.id, role="platform_member")
                )
                plan.append((org.kind, profession, group))
            plans.append((unit, chair_of, plan))
        created = iter(Membership.objects.bulk_create(memberships, batch_size=1000))
        seats: list[PlatformMember] = []
        layout: list[tuple[Unit, PlatformMember, list[tuple[PlatformMember, Membership, str]]]] = []
        for unit, chair_membership, plan in plans:
            platform_id = platforms[unit.territory.pk]
            chair = PlatformMember(
                platform_id=platform_id,
                membership_id=chair_membership.pk,
                profession="other",
                added_by_id=chair_membership.user_id,
            )
            members = []
            deputy_named = False
            for _kind, profession, group in plan:
                membership = next(created)
                deputy = group == "second" and not deputy_named
                deputy_named = deputy_named or deputy
                seat = PlatformMember(
                    platform_id=platform_id,
                    membership_id=membership.pk,
                    profession=profession,
                    added_by_id=chair_membership.user_id,
                    is_deputy_chair=deputy,
                )
                members.append((seat, membership, group))
            seats.append(chair)
            seats.extend(seat for seat, _membership, _group in members)
            layout.append((unit, chair, members))
        PlatformMember.objects.bulk_create(seats, batch_size=1000)
        kinds = {org.id: org.kind for unit in world.units for o in unit.kinds.values() for org in o}
        for unit, chair, members in layout:
            sectors = {chair.pk: str(CompositionSector.INSTITUTION)}
            sectors.update(
                {seat.pk: composition_sector(kinds[m.organisation_id]) for seat, m, _g in members}
            )
            first = [seat.pk for seat, _m, group in members if group == "first"]
            second = [(seat, m) for seat, m, group in members if group == "second"]
            deputy_seat, deputy_membership = second[0]
            unit.platform = PlatformInfo(
                id=chair.platform_id,
                chair=Seat(chair.pk, chair.added_by_id, unit.one("local_coordination").id),
                first_groups=[(chair.pk, *first)],
                deputy=Seat(
                    deputy_seat.pk, deputy_membership.user_id, deputy_membership.organisation_id
                ),
                second_group=tuple(seat.pk for seat, _m in second[:5]),
                sectors=sectors,
            )
        self._platform_93(world, platforms)

    @staticmethod
    def _seat_holder(unit: Unit, kind: str, role: str, exclude: set[int]) -> tuple[Org, int]:
        """A member of the département's organisations of `kind` with `role`, not a persona
        and not seated yet (any of their colleagues otherwise)."""
        for org in unit.kinds[kind]:
            for user in org.staff.get(role, []):
                if user not in exclude:
                    return org, user
        for org in unit.kinds[kind]:
            for users in org.staff.values():
                for user in users:
                    if user not in exclude:
                        return org, user
        raise LookupError(f"no one to seat for {kind} in {unit.code}")

    def _platform_93(self, world: World, platforms: dict[int, int]) -> None:
        unit = world.by_code.get("93")
        if unit is None:
            return
        platform_id = platforms[unit.territory.pk]
        seats: dict[str, Seat] = {}
        sectors: dict[int, str] = {}
        for seat in (
            PlatformMember.objects.active()
            .filter(platform_id=platform_id)
            .select_related("membership__user", "membership__organisation")
        ):
            membership = seat.membership
            if membership.user.email not in seats or membership.role == CHAIR_ROLE:
                seats[membership.user.email] = Seat(
                    seat.pk, membership.user_id, membership.organisation_id
                )
            sectors[seat.pk] = composition_sector(membership.organisation.kind)
        deputy_email, second = SECOND_93
        unit.platform = PlatformInfo(
            id=platform_id,
            chair=seats[LOUIS],
            first_groups=[tuple(seats[email].id for email in group) for group in FIRST_93],
            deputy=seats[deputy_email],
            second_group=tuple(seats[email].id for email in second),
            sectors=sectors,
        )

    # Services ---------------------------------------------------------------------------

    def _services(self, world: World) -> None:
        """One service of each type per local unit, and enough shelters for its share of the
        cases (sized from the number of cases, so that capacity stays plausible)."""
        fresh = datetime.datetime.combine(
            self.anchor - datetime.timedelta(days=2), datetime.time(9), tzinfo=datetime.UTC
        )
        rows: list[tuple[Unit, str, Service]] = []
        for unit in world.units:
            name = unit.territory.name
            for service_type, kind in SERVICE_PROVIDERS.items():
                org = unit.one(kind)
                label = ServiceType(service_type).label
                rows.append(
                    (
                        unit,
                        "",
                        Service(
                            organisation_id=org.id,
                            name=f"{label} — {name} {FICTIONAL}",
                            service_type=service_type,
                            description=f"Fictional service of the national dataset {FICTIONAL}.",
                            accepts_adults=service_type != ServiceType.CHILD_PROTECTION,
                            accepts_children=service_type == ServiceType.CHILD_PROTECTION,
                            accepts_families=service_type != ServiceType.CHILD_PROTECTION,
                            languages="français, anglais",
                            trained_staff=True,
                        ),
                    )
                )
            shelters = min(
                max(
                    math.ceil(self.cases * unit.weight * PLACED_SHARE / SHELTER_PLACES),
                    1,
                ),
                SHELTERS_MAX,
            )
            operators = unit.kinds["accommodation"]
            for number in range(1, shelters + 1):
                places = self.rng.randrange(15, 36)
                women = number % 4 == 0
                rows.append(
                    (
                        unit,
                        "adults",
                        Service(
                            organisation_id=operators[number % len(operators)].id,
                            name=f"Shelter {number} — {name} {FICTIONAL}",
                            service_type=ServiceType.ACCOMMODATION,
                            description=f"Fictional shelter of the national dataset {FICTIONAL}.",
                            accepts_adults=True,
                            accepts_families=not women,
                            gender_policy="women" if women else "any",
                            specialised=number % 3 == 0,
                            secure=number % 5 == 0,
                            trained_staff=True,
                            places_total=places,
                            places_free=places,
                            capacity_updated_at=fresh,
                        ),
                    )
                )
            child_places = self.rng.randrange(8, 21)
            rows.append(
                (
                    unit,
                    "children",
                    Service(
                        organisation_id=unit.one("child_protection").id,
                        name=f"Children's home — {name} {FICTIONAL}",
                        service_type=ServiceType.ACCOMMODATION,
                        description=f"Fictional home for unaccompanied children {FICTIONAL}.",
                        accepts_adults=False,
                        accepts_children=True,
                        trained_staff=True,
                        places_total=child_places,
                        places_free=child_places,
                        capacity_updated_at=fresh,
                    ),
                )
            )
        created = Service.objects.bulk_create([service for _u, _a, service in rows], batch_size=500)
        through = Service.territories.through
        through.objects.bulk_create(
            [
                through(service_id=service.pk, territory_id=unit.territory.pk)
                for (unit, _a, _s), service in zip(rows, created, strict=True)
            ],
            batch_size=1000,
        )
        for (unit, audience, _s), service in zip(rows, created, strict=True):
            if service.service_type == ServiceType.ACCOMMODATION:
                unit.shelters.append(
                    ShelterInfo(
                        service.pk,
                        service.organisation_id,
                        children=audience == "children",
                        women_only=service.gender_policy == "women",
                        places=service.places_total or 0,
                    )
                )
            else:
                unit.services.setdefault(service.service_type, []).append(
                    (service.pk, service.organisation_id)
                )
