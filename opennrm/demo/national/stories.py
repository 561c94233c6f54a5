"""One case after another, as the mechanism would have carried it, written as rows.

Each case follows the mechanism step by step — concern or direct detection, preliminary
assessment, presumed victim (protection at once: support record, reflection period, rights
information), consent, referral by the chosen route, the decision, needs and orientations,
closure — each step at a plausible time after the previous one. The dataset stands on the day
before the anchor date: a step that would come later has not happened yet, so recent cases are
still under assessment or awaiting a decision, and older ones are decided or closed. A few cases
stall (an assessment never concluded, a referral never decided, an orientation never answered),
as they do, and show as overdue.

The rows are what the domain actions would have written — the timeline (`CaseEvent`), shares,
consents, the records of each step — with the identity fields and narratives encrypted by the
model fields' own `get_prep_value`, the blind-index tokens of `opennrm.crypto.blind`, and audit
entries for the main state changes, each sealed with `AuditEntry.compute_hash()`.
"""

import datetime
import decimal
import json
import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import IdentificationStatus, all_file_items
from opennrm.core.models import Territory
from opennrm.core.timeframes import add_days, due_date
from opennrm.crypto import blind
from opennrm.crypto.fields import EncryptedMixin
from opennrm.crypto.keys import index_key
from opennrm.demo.national import reference as ref
from opennrm.demo.national import tables as t
from opennrm.demo.national.names import NameBook, variant
from opennrm.demo.national.sealing import BATCH, BatchSpec, batch_of
from opennrm.demo.national.world import Org, ShelterInfo, Unit, World
from opennrm.demo.national.writer import ChunkIds, Row, Table
from opennrm.detection.advice import ENGINE_CONCLUSION, engine_summary
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.indicators.engine import EvaluationError, evaluate
from opennrm.indicators.schema import AgeGroup
from opennrm.profiles.loader import active_profile


class Status:
    """The identification statuses, as the plain text the rows hold."""

    PRELIMINARY_ASSESSMENT = str(IdentificationStatus.PRELIMINARY_ASSESSMENT.value)
    PRESUMED_VICTIM = str(IdentificationStatus.PRESUMED_VICTIM.value)
    NOT_PRESUMED = str(IdentificationStatus.NOT_PRESUMED.value)
    IDENTIFIED_VICTIM = str(IdentificationStatus.IDENTIFIED_VICTIM.value)
    NOT_IDENTIFIED = str(IdentificationStatus.NOT_IDENTIFIED.value)


PROCESS = "generate_national_dataset"  # the audit entries' process: says they are synthetic
CHANNEL = "command"
CASES_PER_CHUNK = 1000  # a chunk's cases share a random generator: fixed, for determinism
WORK_START, WORK_END = 8.5 / 24, 18.5 / 24  # steps happen in working hours
# What the immediate needs ask for, and the service types that answer them.
NEED_FLAGS = (
    ("shelter", "accommodation", 0.5),
    ("medical", "health", 0.45),
    ("psychological", "psychological_care", 0.35),
    ("interpreter", "interpreting", 0.4),
)
OTHER_NEEDS = (("legal_aid", 0.1), ("language_classes", 0.03), ("employment", 0.03))
SUPPORT_CLOSURE_REASONS = {
    "self_reliance": 50,
    "lost_contact": 20,
    "transferred": 12,
    "withdrew": 9,
    "chosen_return": 8,
    "deceased": 1,
}
CASE_CLOSURE_REASONS = {"withdrew": 40, "lost_contact": 50, "transferred": 10}
CONCERN_CLOSING = {
    "not_trafficking": 45,
    "insufficient": 30,
    "other_service": 15,
    "duplicate": 7,
    "abusive": 3,
}
PLACE_TYPES = {
    "sex_industry": "street",
    "beauty": "beauty",
    "hospitality": "hospitality",
    "construction": "construction",
    "agriculture": "farm",
    "manufacturing": "factory",
    "domestic_work": "private_home",
    "retail": "shop",
    "begging": "street",
    "criminal": "street",
}
SIGNS = ("cannot_leave", "no_papers", "long_hours", "unpaid", "housed_at_work", "afraid", "debt")
EU = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
     "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
)  # fmt: skip


# At most how many rows of each table one case makes (ids are reserved ahead by chunk).
CAPS: dict[Table, int] = {
    t.PERSON: 1, t.TOKEN: 200, t.CASE: 1, t.CONSENT: 6, t.SHARE: 8, t.EVENT: 80, t.MATCH: 1,
    t.CASE_CLOSURE: 1, t.RETENTION: 1, t.CONCERN: 2, t.ASSESSMENT: 1, t.RIGHTS: 1,
    t.GUARDIAN: 1, t.ALERT: 1, t.ANONYMOUS: 1, t.SUPPORT: 1, t.REFLECTION: 1,
    t.IMMEDIATE_NEEDS: 1, t.REFERRAL: 2, t.JUDICIAL: 1, t.DECISION: 2, t.VOTERS: 10, t.NEED: 3,
    t.ORIENTATION: 3, t.TRANSITION: 20, t.PLACEMENT: 3, t.RESIDENCE: 1, t.NON_PUNISHMENT: 1,
    t.COMPENSATION: 1, t.SUPPORT_CLOSURE: 1, t.AUDIT: 25,
}  # fmt: skip


def ids_per_chunk() -> dict[str, int]:
    """Ids to reserve for a chunk, per table (one audit batch per chunk)."""
    sizes = {table.db_table: cap * CASES_PER_CHUNK for table, cap in CAPS.items()}
    sizes[BATCH.db_table] = 1
    return sizes


_json = json.JSONEncoder(check_circular=False).encode  # json.dumps's output, a little faster
_ALL_FILE_ITEMS = _json(all_file_items())  # every referral shares the whole file


def _weighted(weights: Mapping[str, float]) -> tuple[list[str], list[float]]:
    keys = list(weights)
    running, cumulative = 0.0, []
    for key in keys:
        running += weights[key]
        cumulative.append(running)
    return keys, cumulative


def _prep(table: Table, name: str) -> Callable[[Any], Any]:
    """The model field's own preparation of a value for the database (encryption)."""
    prep: Callable[[Any], Any] = table.model._meta.get_field(name).get_prep_value  # type: ignore[union-attr]
    return prep


def _permute(index: int, seed: int) -> str:
    """Eight characters of Crockford's base 32, a bijection of the index (unique references
    that do not show the order)."""
    multiplier = (seed * 2 + 1) * 0x9E3779B1 % (1 << 40) | 1
    value = (index * multiplier + seed * 7919) % (1 << 40)
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    text = "".join(alphabet[(value >> shift) & 31] for shift in range(35, -1, -5))
    return f"{text[:4]}-{text[4:]}"


class Clock:
    """Moments as days (floats) from a base date, local time; written as UTC datetimes."""

    def __init__(self, anchor: datetime.date, time_zone: str, days_back: int) -> None:
        zone = ZoneInfo(time_zone)
        self.base = anchor - datetime.timedelta(days=days_back)
        self.horizon = float(days_back)  # the anchor's midnight: nothing happens from then on
        self._dates = [self.base + datetime.timedelta(days=i) for i in range(days_back + 1)]
        self._midnights = [
            datetime.datetime.combine(day, datetime.time(0), tzinfo=zone).timestamp()
            for day in self._dates
        ]

    def at(self, moment: float) -> datetime.datetime:
        day = int(moment)
        seconds = self._midnights[day] + (moment - day) * 86400
        return datetime.datetime.fromtimestamp(seconds, datetime.UTC)

    def date(self, moment: float) -> datetime.date:
        return self._dates[int(moment)]

    def moment(self, day: datetime.date) -> float:
        return float((day - self.base).days)


@dataclass(frozen=True)
class Assessment:
    """A way a preliminary assessment was answered, and the indicators' advice on it."""

    set_code: str
    answers: dict[str, dict[str, str]]
    engine_outcome: str
    summary_json: str  # the advice's snapshot (detection.advice.engine_summary), as JSON


@dataclass
class Earlier:
    """A person met earlier in the chunk, who may be met again by another organisation."""

    given: str
    family: str
    dob: datetime.date | None
    age: int
    sex: str
    nationalities: list[str]
    languages: list[str]
    detected: float
    owner: int
    unit: Unit


@dataclass
class ReferralState:
    id: int
    route: str
    target: int
    consent: int | None
    moment: float
    due: datetime.date
    reconsideration_of: int | None = None
    status: str = "sent"
    received: float | None = None


@dataclass
class CaseState:
    """What the later steps of a case need to know of the earlier ones."""

    id: int
    position: int
    unit: Unit
    owner: Org
    worker: int
    forms: list[str]
    form: str
    child: bool
    sex: str
    nationalities: list[str]
    languages: list[str]
    opened: float
    concern: int | None = None
    support: int | None = None
    needs: list[str] = field(default_factory=list)
    accompanying_children: int = 0
    urgency: str = "urgent"
    referrals: list[ReferralState] = field(default_factory=list)
    decided_at: float | None = None
    decided_route: str = ""


class Stories:
    """Writes the cases of one dataset, chunk by chunk (see the module's docstring)."""

    def __init__(
        self,
        world: World,
        *,
        seed: int,
        anchor: datetime.date,
        time_zone: str,
        names: NameBook,
    ) -> None:
        self.world = world
        self.seed = seed
        self.names = names
        self.ids = ChunkIds({})
        days_back = ref.YEARS_OF_HISTORY * 366 + 400
        self.clock = Clock(anchor, time_zone, days_back)
        self.history = ref.YEARS_OF_HISTORY * 365.25
        self.rows: dict[Table, list[Row]] = defaultdict(list)
        self.rng = random.Random(seed)  # noqa: S311 - fictional data, reproducible
        self.key = index_key()
        self.profile = active_profile()
        self._due: dict[tuple[str, datetime.date, int], datetime.date] = {}
        self._forms = _weighted(ref.FORMS)
        self._channels = _weighted(ref.CHANNELS)
        self._nationalities = _weighted(ref.NATIONALITIES)
        self._overseas = {
            code: _weighted(weights) for code, weights in ref.OVERSEAS_NATIONALITIES.items()
        }
        self._owner_kinds = {
            "sexual": _weighted(ref.OWNER_KINDS_SEXUAL),
            "labour": _weighted(ref.OWNER_KINDS_LABOUR),
            "other": _weighted(ref.OWNER_KINDS_OTHER),
        }
        self._assessments: dict[tuple[str, bool, bool], Assessment] = {}
        self.catalogue = latest_catalogue()
        basis = next((b for b in self.profile.legal_bases if b.code == "reflection_period"), None)
        self.reflection_basis = basis.reference if basis else ""
        self.reflection_days = self.profile.reflection_period_days
        self.personas = sorted(ref.PERSONA_SHARES.items())
        self.earlier: list[Earlier] = []
        self.sealed: list[tuple[int, str]] = []  # (entry id, seal) of the chunk's entries
        self.batch = 0
        self._keyed: dict[tuple[str, str], str] = {}
        self._names: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        self._entry = AuditEntry(
            ip_address=None, channel=CHANNEL, process=PROCESS, previous_hash="", entry_hash=""
        )
        # Encrypted columns go through their model field's own preparation (encryption).
        self.enc = {
            (table.db_table, name): _prep(table, name)
            for table in t.ALL
            for name in table.fields
            if isinstance(table.model._meta.get_field(name), EncryptedMixin)
        }

    # Helpers ----------------------------------------------------------------------------

    def e(self, table: Table, name: str, value: Any) -> Any:
        """The value as its encrypted field stores it (empty stays empty, None stays None)."""
        if value == "" or value is None:
            return value
        return self.enc[(table.db_table, name)](value)

    def pick(self, weighted: tuple[list[str], list[float]]) -> str:
        return self.rng.choices(weighted[0], cum_weights=weighted[1])[0]

    def after(self, moment: float, low: float, high: float) -> float:
        """A moment `low` to `high` days after `moment`, in working hours."""
        later = moment + self.rng.uniform(low, high)
        day = int(later)
        result = day + self.rng.uniform(WORK_START, WORK_END)
        return result if result > moment else moment + 0.002

    def happened(self, moment: float) -> bool:
        return moment < self.clock.horizon

    def due(self, step: str, day: datetime.date, territory: Territory) -> datetime.date:
        key = (step, day, territory.pk)
        if key not in self._due:
            self._due[key] = due_date(step, day, territory)
        return self._due[key]

    def add(self, table: Table, row: Row) -> None:
        self.rows[table].append(row)

    def event(
        self,
        case: int,
        moment: float,
        kind: str,
        actor: int | None,
        organisation: int | None,
        *,
        source: str = "",
        target: str = "",
        note: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        self.add(
            t.EVENT,
            (
                self.ids.next(t.EVENT),
                case,
                self.clock.at(moment),
                kind,
                source,
                target,
                self.e(t.EVENT, "note", note),
                _json(details) if details else "{}",
                actor,
                organisation,
            ),
        )

    def audit(
        self,
        moment: float,
        actor: int | None,
        organisation: int | None,
        action: str,
        table: Table,
        object_id: int,
        details: dict[str, Any],
    ) -> None:
        """An audit entry as `audit.trail.record` writes it, sealed on its own by
        `AuditEntry.compute_hash()`, in the chunk's batch (`sealing`)."""
        entry = self._entry  # one unsaved instance, refilled: its own seal, computed by it
        entry.created_at = self.clock.at(moment)
        entry.actor_id = actor
        entry.organisation_id = organisation
        entry.action = action
        entry.object_type = table.model._meta.label_lower
        entry.object_id = str(object_id)
        entry.details = details
        entry_id = self.ids.next(t.AUDIT)
        entry_hash = entry.compute_hash()
        self.add(
            t.AUDIT,
            (
                entry_id,
                entry.created_at,
                actor,
                organisation,
                action,
                entry.object_type,
                entry.object_id,
                None,
                CHANNEL,
                PROCESS,
                _json(details),
                "",
                entry_hash,
                self.batch,
            ),
        )
        self.sealed.append((entry_id, entry_hash))

    def share(
        self,
        case: CaseState,
        moment: float,
        organisation: int,
        reason: str,
        actor: int,
        acting_for: int,
        *,
        consent: int | None = None,
        identity: bool = False,
        revoked: float | None = None,
    ) -> None:
        self.add(
            t.SHARE,
            (
                self.ids.next(t.SHARE),
                case.id,
                organisation,
                reason,
                identity,
                consent,
                self.clock.at(moment),
                actor,
                self.clock.at(revoked) if revoked is not None else None,
                self.clock.at(case.opened),
            ),
        )
        self.event(
            case.id,
            moment,
            "share.granted",
            actor,
            acting_for,
            details={"organisation": organisation, "reason": reason},
        )

    def transition(
        self, case: int, moment: float, source: str, target: str, actor: int, org: int, note: str
    ) -> None:
        """`Case.transition` on the timeline. (Its own audit entry is left out: the step's
        entry — `assessment.conclude`, `identification.decision` — says the same change.)"""
        self.event(
            case, moment, f"status.{target}", actor, org, source=source, target=target, note=note
        )

    # Chunks -----------------------------------------------------------------------------

    def chunk(
        self, number: int, first: int, last: int, ranges: dict[str, tuple[int, int]]
    ) -> tuple[dict[Table, list[Row]], BatchSpec | None]:
        """The rows of cases `first` to `last` - 1 (chunk `number`), with ids from `ranges`
        (`writer.IdPlan`), and the batch that seals their audit entries. Each chunk draws from
        its own random generator: the same seed gives the same cases, whoever makes them."""
        self.rng = random.Random(f"{self.seed}:{number}")  # noqa: S311 - fictional data, reproducible
        self.rows = defaultdict(list)
        self.earlier = []
        self.sealed = []
        self.ids = ChunkIds(ranges)
        self.batch = self.ids.next(BATCH)
        for position in range(first, last):
            self.case(position)
        spec = batch_of(self.batch, self.sealed) if self.sealed else None
        return self.rows, spec

    def _persona(self, position: int) -> Org | None:
        """Persona organisations get their share by position (spread evenly, see reference)."""
        slot = (position * 7919) % 10_000 / 10_000
        floor = 0.0
        for key, share in self.personas:
            if floor <= slot < floor + share:
                return self.world.personas.get(key)
            floor += share
        return None

    def _unit(self) -> Unit:
        index = self.rng.choices(range(len(self.world.units)), cum_weights=self.world.cumulative)
        return self.world.units[index[0]]

    # A case -----------------------------------------------------------------------------

    def case(self, position: int) -> None:
        rng = self.rng
        horizon = self.clock.horizon
        persona = self._persona(position)
        again = None
        if persona is None and self.earlier and rng.random() < ref.DUPLICATE:
            candidate = rng.choice(self.earlier)
            if candidate.detected + 12 < horizon:
                again = candidate
        # The exploitation, and when it was detected (more cases lately: linear growth).
        forms = [self.pick(self._forms)]
        if rng.random() < ref.SECOND_FORM:
            second = self.pick(self._forms)
            if second != forms[0]:
                forms.append(second)
        form = forms[0]
        if again is not None:
            unit = again.unit
            detected = self.after(again.detected, 10, min(400.0, horizon - again.detected - 2))
        else:
            unit = self.world.by_code[persona.territory] if persona else self._unit()
            g = ref.GROWTH
            share_of_history = (-1 + (1 + g * (2 + g) * rng.random()) ** 0.5) / g
            detected = horizon - (1 - share_of_history) * self.history
            detected = int(detected) + rng.uniform(WORK_START, WORK_END)
        if detected >= horizon:
            detected = horizon - 1 + WORK_START
        detected_on = self.clock.date(detected)
        # The person.
        if again is not None:
            child = again.age < 18
            sex = again.sex
            nationalities, languages = list(again.nationalities), list(again.languages)
            age = again.age
        else:
            child = rng.random() < ref.CHILD_SHARE.get(form, 0.1)
            roll = rng.random()
            if roll < ref.SEX_UNKNOWN:
                sex = "unknown"
            elif roll < ref.SEX_UNKNOWN + ref.SEX_OTHER:
                sex = "other"
            else:
                sex = "female" if rng.random() < ref.FEMALE_SHARE.get(form, 0.5) else "male"
            nationalities, languages = self._origin(unit)
            age = self._age(form, child)
        dob: datetime.date | None = None
        estimated_age: int | None = None
        if again is not None:
            dob = again.dob
            estimated_age = None if dob else age
        elif rng.random() < (0.7 if child else 0.55):
            dob = detected_on - datetime.timedelta(days=int(age * 365.25 + rng.randrange(365)))
        elif rng.random() < 0.9:
            estimated_age = age
        may_be_child = child and dob is None and estimated_age is None
        nationality = nationalities[0] if nationalities else ""
        style = ref.NAME_STYLE.get(nationality, ref.DEFAULT_NAME_STYLE)
        if again is not None:
            given, family = variant(rng, again.given, again.family)
        elif rng.random() < 0.04:
            given, family = "", ""  # not known yet
        else:
            given, family = self.names.person(rng, style, sex)
        aliases = self.names.alias(rng, style) if given and rng.random() < 0.08 else ""
        if dob is not None:
            born = (dob.month, dob.day)
            age_at_detection: int | None = (
                detected_on.year - dob.year - ((detected_on.month, detected_on.day) < born)
            )
        else:
            age_at_detection = estimated_age
        is_child = age_at_detection < 18 if age_at_detection is not None else may_be_child
        # Who detected the person, and who is responsible for the case.
        channel = self.pick(self._channels)
        exclude = again.owner if again else None
        owner = persona or self._owner(unit, form, is_child, exclude=exclude)
        from_concern = channel in ref.CONCERN_CHANNELS
        coordination = unit.one("local_coordination")
        worker = owner.user(rng, "field_worker", "judicial_officer")
        coordinator = coordination.user(rng, "local_coordinator")
        sectors = ref.SECTORS.get(form, ref.DEFAULT_SECTOR)
        sector = rng.choices(list(sectors), weights=list(sectors.values()))[0]
        opened = self.after(detected, 0, 2) if from_concern else detected
        if not self.happened(opened):
            opened = detected + 0.01
        opener, opener_org = (coordinator, coordination.id) if from_concern else (worker, owner.id)
        period_start = detected_on - datetime.timedelta(days=rng.randrange(30, 900))
        period_end = (
            None if rng.random() < 0.7 else period_start + datetime.timedelta(rng.randrange(10, 30))
        )
        # The rows: the person, the case, and the case's story.
        person_id = self._person(
            position, detected, given, family, aliases, dob, estimated_age, may_be_child, sex,
            nationalities, languages,
        )  # fmt: skip
        case = CaseState(
            id=self.ids.next(t.CASE),
            position=position,
            unit=unit,
            owner=owner,
            worker=worker,
            forms=forms,
            form=form,
            child=is_child,
            sex=sex,
            nationalities=nationalities,
            languages=languages,
            opened=opened,
        )
        case_id = case.id
        if from_concern:
            self._concern(case, detected, opened, channel, sector, coordinator, coordination)
        self.event(
            case_id, opened, "case.opened", opener, opener_org, target=Status.PRELIMINARY_ASSESSMENT
        )
        self.audit(opened, opener, opener_org, "case.create", t.CASE, case_id, {"channel": channel})
        if from_concern:
            if coordination.id != owner.id:
                self.share(
                    case, opened, coordination.id, "coordination", coordinator, coordination.id
                )
            self.event(
                case_id, opened, "concern.triaged", coordinator, coordination.id,
                details={"concern": case.concern},
            )  # fmt: skip
        if again is not None and again.owner != owner.id:
            self.add(t.MATCH, (self.ids.next(t.MATCH), case_id, again.owner, self.clock.at(opened)))
            self.audit(
                opened, opener, opener_org, "person.possible_match", t.CASE, case_id,
                {"organisations": [again.owner]},
            )  # fmt: skip
        if given and again is None and rng.random() < 0.2:
            self.earlier.append(
                Earlier(given, family, dob, age, sex, nationalities, languages, detected,
                        owner.id, unit)
            )  # fmt: skip
        status = self._assessment(case)
        territory = unit.territory
        self.add(
            t.CASE,
            (
                case_id,
                f"C-NAT-{_permute(position, self.seed)}",
                person_id,
                owner.id,
                territory.pk,
                status,
                _json(forms),
                sector,
                self.e(t.CASE, "places", f"Fictional place of exploitation no. {position % 997}"),
                period_start,
                period_end,
                channel,
                coordination.id if from_concern else owner.id,
                detected_on,
                age_at_detection,
                is_child,
                self.due("preliminary_assessment", self.clock.date(opened), territory),
                self.clock.at(opened),
            ),
        )
        for referral in case.referrals:
            self.add(
                t.REFERRAL,
                (referral.id, case_id, territory.pk, referral.route, referral.target,
                 referral.consent,
                 referral.status, self.clock.at(referral.moment), worker, owner.id, referral.due,
                 self.clock.at(referral.received) if referral.received is not None else None,
                 None, 0, referral.reconsideration_of,
                 self.e(t.REFERRAL, "new_elements",
                        "Fictional new elements." if referral.reconsideration_of else ""),
                 _ALL_FILE_ITEMS, "[]"),
            )  # fmt: skip
        if rng.random() < ref.CONCERNS_CLOSED_PER_CASE:
            self._concern_without_case(position, unit, coordination, coordinator)

    def _origin(self, unit: Unit) -> tuple[list[str], list[str]]:
        rng = self.rng
        weights = self._overseas.get(unit.code, self._nationalities)
        if rng.random() < ref.NO_NATIONALITY:
            nationalities: list[str] = []
        else:
            nationalities = [self.pick(weights)]
            if rng.random() < ref.TWO_NATIONALITIES:
                other = self.pick(self._nationalities)
                if other != nationalities[0]:
                    nationalities.append(other)
        spoken = ref.LANGUAGES.get(nationalities[0], ("en",)) if nationalities else ("fr",)
        languages = list(spoken[: 1 + (rng.random() < 0.4)])
        if "fr" not in languages and rng.random() < 0.3:
            languages.append("fr")
        return nationalities, languages

    def _age(self, form: str, child: bool) -> int:
        rng = self.rng
        if form == "illegal_adoption":
            return rng.randrange(0, 3)
        if child:
            return min(17, max(6, int(rng.triangular(8, 17.9, 16))))
        return min(70, max(18, int(rng.lognormvariate(3.35, 0.28))))

    def _owner(self, unit: Unit, form: str, child: bool, exclude: int | None) -> Org:
        rng = self.rng
        if child and rng.random() < ref.CHILD_PROTECTION_OWNS_CHILD:
            kind = "child_protection"
        else:
            group = (
                "sexual"
                if form == "sexual_exploitation"
                else "labour"
                if form in ref.LABOUR_FORMS
                else "other"
            )
            kind = self.pick(self._owner_kinds[group])
        pool = unit.owners.get(kind) or unit.owners["association"]
        choices = [org for org in pool if org.id != exclude] or pool
        return choices[0] if len(choices) == 1 else rng.choice(choices)

    def _person(
        self,
        position: int,
        moment: float,
        given: str,
        family: str,
        aliases: str,
        dob: datetime.date | None,
        estimated_age: int | None,
        may_be_child: bool,
        sex: str,
        nationalities: list[str],
        languages: list[str],
    ) -> int:
        person_id = self.ids.next(t.PERSON)
        self.add(
            t.PERSON,
            (
                person_id,
                f"P-NAT-{_permute(position, self.seed + 1)}",
                self.e(t.PERSON, "given_names", given),
                self.e(t.PERSON, "family_name", family),
                self.e(t.PERSON, "aliases", aliases),
                self.e(t.PERSON, "date_of_birth", dob),
                estimated_age,
                may_be_child,
                sex,
                "",
                _json(nationalities),
                _json(languages),
                self.clock.at(moment),
            ),
        )
        # The blind index, as Person.save() refreshes it (opennrm.cases.duplicates): the same
        # normalised values (`blind.plain_entries`) keyed by `blind.keyed`, both remembered
        # since names and dates recur.
        for kind, token in sorted(self._tokens(given, family, aliases, dob)):
            self.add(t.TOKEN, (self.ids.next(t.TOKEN), person_id, kind, token))
        return person_id

    def _tokens(
        self, given: str, family: str, aliases: str, dob: datetime.date | None
    ) -> list[tuple[str, str]]:
        """(kind, token) of a person: `blind.plain_entries` keyed by `blind.keyed`, as
        `Person.save()` stores them; remembered by name (names recur), the date of birth's
        token added (it is one entry of its own)."""
        names = (given, family, aliases)
        tokens = self._names.get(names)
        if tokens is None:
            if len(self._names) > 200_000:
                self._names.clear()
            plain = blind.plain_entries(given_names=given, family_name=family, aliases=aliases)
            tokens = self._names[names] = [(kind, self._key(kind, value)) for kind, value in plain]
        if dob is None:
            return tokens
        return [*tokens, (blind.DOB, self._key(blind.DOB, dob.isoformat()))]

    def _key(self, kind: str, value: str) -> str:
        token = self._keyed.get((kind, value))
        if token is None:
            if len(self._keyed) > 500_000:
                self._keyed.clear()
            token = self._keyed[(kind, value)] = blind.keyed(kind, value, self.key)
        return token

    # Detection --------------------------------------------------------------------------

    def _concern(
        self,
        case: CaseState,
        received: float,
        opened: float,
        channel: str,
        sector: str,
        coordinator: int,
        coordination: Org,
    ) -> None:
        concern_id = self.ids.next(t.CONCERN)
        case.concern = concern_id
        staff = channel == "hotline"
        territory = case.unit.territory
        self.add(
            t.CONCERN,
            (
                concern_id,
                f"S-NAT-{_permute(2 * case.position, self.seed + 2)}",
                self.clock.at(received),
                channel,
                territory.pk,
                f"Fictional town {case.position % 211}",
                PLACE_TYPES.get(sector, "other"),
                sector,
                self.e(t.CONCERN, "description", "Fictional concern of the national dataset."),
                _json(self.rng.sample(SIGNS, 2)),
                "yes" if case.child else self.rng.choice(("no", "unknown")),
                self.e(t.CONCERN, "contact", ""),
                coordinator if staff else None,
                coordination.id if staff else None,
                "case_opened",
                self.due("concern_triage", self.clock.date(received), territory),
                self.clock.at(opened),
                coordinator,
                case.id,
                "",
                self.e(t.CONCERN, "closing_note", ""),
                None,
                "",
            ),
        )  # fmt: skip
        self.audit(
            opened, coordinator, coordination.id, "concern.open_case", t.CONCERN, concern_id,
            {"case": case.id},
        )  # fmt: skip

    def _concern_without_case(
        self, position: int, unit: Unit, coordination: Org, coordinator: int
    ) -> None:
        """A concern closed at triage, or (recent) still to triage."""
        rng = self.rng
        received = self.clock.horizon - rng.random() * self.history
        received = int(received) + rng.uniform(0, 1)
        triaged = self.after(received, 0, 4)
        if not self.happened(triaged) or (
            self.clock.horizon - received < 20 and rng.random() < 0.15
        ):
            status, reason, triaged_at, by = "new", "", None, None
        else:
            status = "closed"
            reason = self.pick(_weighted(CONCERN_CLOSING))
            triaged_at, by = self.clock.at(triaged), coordinator
        concern_id = self.ids.next(t.CONCERN)
        channel = rng.choice(("public_report", "hotline"))
        self.add(
            t.CONCERN,
            (
                concern_id,
                f"S-NAT-{_permute(2 * position + 1, self.seed + 2)}",
                self.clock.at(received),
                channel,
                unit.territory.pk,
                f"Fictional town {position % 211}",
                rng.choice(("street", "hospitality", "construction", "private_home", "other")),
                "unknown",
                self.e(t.CONCERN, "description", "Fictional concern of the national dataset."),
                _json(rng.sample(SIGNS, 2)),
                rng.choice(("no", "unknown")),
                self.e(t.CONCERN, "contact", ""),
                coordinator if channel == "hotline" else None,
                coordination.id if channel == "hotline" else None,
                status,
                self.due("concern_triage", self.clock.date(received), unit.territory),
                triaged_at,
                by,
                None,
                reason,
                self.e(t.CONCERN, "closing_note", "Fictional note." if reason else ""),
                None,
                "",
            ),
        )  # fmt: skip

    def _assessment_plan(self, case: CaseState, presumed: bool) -> Assessment:
        set_code = self._set_for(case.form, case.child)
        key = (set_code, case.child, presumed)
        if key not in self._assessments:
            indicator_set = self.catalogue.indicator_set(set_code)
            if indicator_set is None:
                raise LookupError(f"no indicator set {set_code} in the catalogue")
            answers: dict[str, dict[str, str]] = {}
            for dimension, indicators in indicator_set.indicators.items():
                strong = [i.code for i in indicators if i.strength == "S"]
                medium = [i.code for i in indicators if i.strength == "M"]
                if presumed:
                    chosen = strong[:1] or medium[:2]
                elif dimension == "exploitation":
                    chosen = medium[:1]
                else:
                    chosen = []
                for code in chosen:
                    answers[code] = {"answer": "present", "note": ""}
            try:
                evaluation = evaluate(
                    self.catalogue,
                    set_code,
                    dict.fromkeys(answers, "present"),
                    "child" if case.child else "adult",
                )
                outcome = ENGINE_CONCLUSION[evaluation.presumed_victim]
                summary = engine_summary(evaluation)
            except EvaluationError:
                outcome, summary = "", {}
            self._assessments[key] = Assessment(set_code, answers, outcome, _json(summary))
        return self._assessments[key]

    def _set_for(self, form: str, child: bool) -> str:
        age_group: AgeGroup = "child" if child else "adult"
        for indicator_set in self.catalogue.sets:
            if form in indicator_set.forms and indicator_set.applies_to(age_group):
                return indicator_set.code
        return "children_labour" if child else "adults_labour"

    def _assessment(self, case: CaseState) -> str:
        """The preliminary assessment, and what follows from its conclusion. Returns the
        case's status as it stands."""
        rng = self.rng
        started = self.after(case.opened, 0, 2)
        if not self.happened(started):
            return Status.PRELIMINARY_ASSESSMENT
        worker, owner = case.worker, case.owner.id
        presumed = rng.random() < ref.PRESUMED or (case.child and rng.random() < 0.3)
        plan = self._assessment_plan(case, presumed)
        assessment_id = self.ids.next(t.ASSESSMENT)
        self.event(
            case.id, started, "assessment.started", worker, owner, details={"set": plan.set_code}
        )
        stuck = rng.random() < ref.STUCK_ASSESSMENT
        concluded = self.after(started, 0, 5) if rng.random() < 0.8 else self.after(started, 5, 25)
        finished = not stuck and self.happened(concluded)
        conclusion = ("presumed_victim" if presumed else "not_presumed") if finished else ""
        reasons = (
            f"Fictional reasons (national dataset): {', '.join(sorted(plan.answers)) or 'none'}."
            if finished
            else ""
        )
        answers = plan.answers if finished else dict(list(plan.answers.items())[:1])
        self.add(
            t.ASSESSMENT,
            (
                assessment_id,
                case.id,
                self.catalogue.version,
                plan.set_code,
                self.e(t.ASSESSMENT, "answers", answers),
                plan.engine_outcome if finished else "",
                plan.summary_json if finished else "{}",
                conclusion,
                self.e(t.ASSESSMENT, "reasons", reasons),
                worker,
                owner,
                self.clock.at(started),
                self.clock.at(concluded if finished else started),
                self.clock.at(concluded) if finished else None,
            ),
        )
        if not finished:
            if stuck and rng.random() < ref.LOST_BEFORE_ASSESSMENT:
                self._close_case(case, self.after(started, 30, 90), Status.PRELIMINARY_ASSESSMENT)
            return Status.PRELIMINARY_ASSESSMENT
        target = Status.PRESUMED_VICTIM if presumed else Status.NOT_PRESUMED
        self.transition(
            case.id, concluded, Status.PRELIMINARY_ASSESSMENT, target, worker, owner, reasons
        )
        self.audit(
            concluded, worker, owner, "assessment.conclude", t.ASSESSMENT, assessment_id,
            {"case": case.id, "conclusion": conclusion, "engine": plan.engine_outcome},
        )  # fmt: skip
        if not presumed:
            if rng.random() < ref.CLOSED_WHEN_NOT_PRESUMED:
                self._close_case(case, self.after(concluded, 7, 60), target, reason="not_presumed")
            return target
        return self._presumed(case, concluded)

    def _close_case(self, case: CaseState, moment: float, status: str, reason: str = "") -> None:
        if not self.happened(moment):
            return
        rng = self.rng
        reason = reason or self.pick(_weighted(CASE_CLOSURE_REASONS))
        closure_id = self.ids.next(t.CASE_CLOSURE)
        worker, owner = case.worker, case.owner.id
        closed_at = self.clock.at(moment)
        self.add(
            t.CASE_CLOSURE,
            (closure_id, case.id, reason, self.clock.date(moment),
             self.e(t.CASE_CLOSURE, "note", "Fictional note." if rng.random() < 0.3 else ""),
             worker, owner, closed_at, None, None, self.e(t.CASE_CLOSURE, "reopen_reason", "")),
        )  # fmt: skip
        self.add(
            t.RETENTION, (self.ids.next(t.RETENTION), case.id, closed_at, "active", None, None)
        )
        self.event(
            case.id, moment, "case.closed", worker, owner, source=status,
            details={"reason": reason, "closure": closure_id},
        )  # fmt: skip
        self.audit(
            moment,
            worker,
            owner,
            "case.close",
            t.CASE,
            case.id,
            {"closure": closure_id, "reason": reason},
        )

    # Presumed victim: protection, referral, support ---------------------------------------

    def _presumed(self, case: CaseState, concluded: float) -> str:
        rng = self.rng
        worker, owner = case.worker, case.owner.id
        day = self.clock.date(concluded)
        support_id = self.ids.next(t.SUPPORT)
        case.support = support_id
        ends = add_days(day, self.reflection_days, "calendar")
        self.add(
            t.REFLECTION,
            (self.ids.next(t.REFLECTION), case.id, day, ends, self.reflection_basis,
             self.clock.at(concluded)),
        )  # fmt: skip
        self.event(
            case.id, concluded, "protection.reflection_period", worker, owner,
            details={"ends_on": ends.isoformat()},
        )  # fmt: skip
        self.event(case.id, concluded, "support.opened", worker, owner)
        language = case.languages[0] if case.languages else "fr"
        interpreter = language != "fr" and rng.random() < 0.7
        self.add(
            t.RIGHTS,
            (self.ids.next(t.RIGHTS), case.id, day, language, interpreter,
             "Fictional interpreting service" if interpreter else "", True,
             "fr" if language == "fr" else "en", worker, owner, self.clock.at(concluded)),
        )  # fmt: skip
        self.event(
            case.id, concluded, "rights.informed", worker, owner, details={"language": language}
        )
        if case.child:
            self._child(case, concluded)
        consent_id = None
        if not case.child:
            consented = self.after(concluded, 0, 3)
            if self.happened(consented) and rng.random() < ref.REFERRAL_CONSENT:
                consent_id = self._consent(case, consented, "referral", None)
            elif self.happened(consented) and rng.random() < ref.ANONYMOUS_WHEN_REFUSED:
                self._anonymous(case, consented)
        if rng.random() < ref.IMMEDIATE_NEEDS:
            needs_at = self.after(concluded, 0, 2)
            if self.happened(needs_at):
                self._immediate_needs(case, needs_at)
        if case.child:
            case.needs.append("child_protection")
        status = Status.PRESUMED_VICTIM
        if consent_id is not None or case.child:
            status = self._referral(case, self.after(concluded, 1, 20), consent_id)
        closed = self.after(concluded, 120, 900)
        if rng.random() > ref.SUPPORT_CLOSED or not self.happened(closed):
            closed = self.clock.horizon + 1  # support still open
        self._plan(case, concluded, closed)
        if status == Status.IDENTIFIED_VICTIM:
            self._legal(case, closed)
        elif case.form == "forced_criminality" and rng.random() < ref.NON_PUNISHMENT:
            self._non_punishment(case, self.after(concluded, 5, 60), closed)
        if self.happened(closed):
            self._close_support(case, closed)
        self.add(
            t.SUPPORT,
            (support_id, case.id, day, "closed" if self.happened(closed) else "open", worker),
        )
        return status

    def _consent(
        self, case: CaseState, moment: float, scope: str, organisation: int | None, **details: Any
    ) -> int:
        consent_id = self.ids.next(t.CONSENT)
        method = self.rng.choice(("oral", "written", "interpreted"))
        worker, owner = case.worker, case.owner.id
        self.add(
            t.CONSENT,
            (consent_id, case.id, scope, organisation, method, self.clock.at(moment), worker,
             owner, None, None),
        )  # fmt: skip
        self.event(
            case.id, moment, f"consent.{scope}", worker, owner,
            details={"organisation": organisation, **details},
        )  # fmt: skip
        return consent_id

    def _anonymous(self, case: CaseState, moment: float) -> None:
        self.add(
            t.ANONYMOUS,
            (self.ids.next(t.ANONYMOUS), self.clock.date(moment), _json(case.forms),
             "adult", case.sex, case.nationalities[0] if case.nationalities else "",
             case.unit.territory.pk, "", case.owner.id),
        )  # fmt: skip
        self.event(case.id, moment, "referral.refused", case.worker, case.owner.id)

    def _child(self, case: CaseState, moment: float) -> None:
        worker, owner = case.worker, case.owner.id
        kind = self.rng.choice(("ad_hoc", "child_protection", "guardian"))
        self.add(
            t.GUARDIAN,
            (self.ids.next(t.GUARDIAN), case.id, kind,
             self.e(t.GUARDIAN, "name", f"Fictional guardian no. {case.position % 541}"),
             self.e(t.GUARDIAN, "contact", "01 99 00 00 02"), self.clock.date(moment), worker,
             self.clock.at(moment)),
        )  # fmt: skip
        self.event(case.id, moment, "child.guardian", worker, owner, details={"kind": kind})
        service = case.unit.one("child_protection")
        self.add(
            t.ALERT,
            (self.ids.next(t.ALERT), case.id, service.id, "", self.clock.date(moment), worker,
             self.clock.at(moment)),
        )  # fmt: skip
        if service.id != owner:
            self.share(case, moment, service.id, "child_protection", worker, owner, identity=True)
        self.event(case.id, moment, "child.protection_alerted", worker, owner)

    def _immediate_needs(self, case: CaseState, moment: float) -> None:
        rng = self.rng
        flags = {flag: rng.random() < share for flag, _service, share in NEED_FLAGS}
        if not case.languages or case.languages[0] == "fr":
            flags["interpreter"] = False
        urgency = rng.choice(("immediate", "urgent", "urgent", "routine"))
        risk = rng.choice(("high", "moderate", "low", "low"))
        children = 0 if case.child or rng.random() > 0.12 else rng.randrange(1, 4)
        case.accompanying_children = children
        case.urgency = urgency
        case.needs.extend(service for flag, service, _share in NEED_FLAGS if flags[flag])
        self.add(
            t.IMMEDIATE_NEEDS,
            (self.ids.next(t.IMMEDIATE_NEEDS), case.id, flags["shelter"], flags["medical"],
             flags["psychological"], flags["interpreter"], risk, children, urgency,
             self.e(t.IMMEDIATE_NEEDS, "notes", "Fictional needs." if rng.random() < 0.4 else ""),
             case.worker, case.owner.id, self.clock.at(moment)),
        )  # fmt: skip
        self.event(
            case.id, moment, "protection.immediate_needs", case.worker, case.owner.id,
            details={"urgency": urgency, "safety_risk": risk},
        )  # fmt: skip

    # Formal identification ----------------------------------------------------------------

    def _referral(self, case: CaseState, referred: float, consent: int | None) -> str:
        """Referral by the route the person chose; the decision, when it has come; perhaps a
        reconsideration. Returns the case's status."""
        if not self.happened(referred):
            return Status.PRESUMED_VICTIM
        rng = self.rng
        unit = case.unit
        judicial_owner = case.owner.kind in ref.JUDICIAL_KINDS
        judicial = rng.random() < (
            ref.JUDICIAL_ROUTE_FOR_JUDICIAL_OWNER if judicial_owner else ref.JUDICIAL_ROUTE
        )
        if judicial:
            route, step = "judicial", "judicial_decision"
            if judicial_owner:
                target = case.owner
            else:
                services = [org for kind in ref.JUDICIAL_KINDS for org in unit.kinds.get(kind, [])]
                target = rng.choice(services)
        else:
            route, target, step = "platform", unit.one("local_coordination"), "platform_decision"
        referral = self._refer(case, referred, route, target.id, consent, step)
        stuck = rng.random() < ref.STUCK_REFERRAL
        if route == "judicial":
            received = self.after(referred, 2, 30)
            if not self.happened(received) or (stuck and rng.random() < 0.5):
                return Status.PRESUMED_VICTIM
            referral.status, referral.received = "received", received
            officer = target.user(rng, "judicial_officer")
            kind = rng.choice(("complaint", "complaint", "testimony"))
            self.add(
                t.JUDICIAL,
                (self.ids.next(t.JUDICIAL), referral.id, kind, self.clock.date(received),
                 f"Fictional investigation unit {unit.code}",
                 self.e(t.JUDICIAL, "offence", "Fictional offence: trafficking in human beings"),
                 self.e(t.JUDICIAL, "procedure_reference", f"FICT-{case.position:08d}"),
                 officer, target.id, self.clock.at(received), None, None),
            )  # fmt: skip
            self.event(
                case.id, received, "identification.statement_recorded", officer, target.id,
                details={"referral": referral.id, "kind": kind},
            )  # fmt: skip
            decided = self.after(received, 3, 40)
            identified = rng.random() < ref.IDENTIFIED_JUDICIAL
        else:
            received = self.after(referred, 0, 3)
            if self.happened(received):
                referral.status, referral.received = "received", received
            decided = self.after(referred, 7, 35)
            identified = rng.random() < ref.IDENTIFIED_PLATFORM
        if stuck or not self.happened(decided):
            return Status.PRESUMED_VICTIM
        decision_id, status = self._decide(
            case, referral, target, decided, identified, Status.PRESUMED_VICTIM,
            reconsideration=False,
        )  # fmt: skip
        if (
            route == "platform"
            and not identified
            and unit.platform is not None
            and rng.random() < ref.RECONSIDERATION
        ):
            asked = self.after(decided, 5, 25)
            if self.happened(asked):
                status = self._reconsider(case, decision_id, asked, consent, status)
        return status

    def _refer(
        self,
        case: CaseState,
        moment: float,
        route: str,
        target: int,
        consent: int | None,
        step: str,
        reconsideration_of: int | None = None,
    ) -> ReferralState:
        """`identification.services.refer`: the referral, the share, the timeline, the audit
        entry. (Its row is written with the case, once its status is known.)"""
        worker, owner = case.worker, case.owner.id
        referral = ReferralState(
            id=self.ids.next(t.REFERRAL),
            route=route,
            target=target,
            consent=consent,
            moment=moment,
            due=self.due(step, self.clock.date(moment), case.unit.territory),
            reconsideration_of=reconsideration_of,
        )
        case.referrals.append(referral)
        if reconsideration_of is None:
            self.share(
                case, moment, target, "referral", worker, owner, consent=consent,
                identity=route == "judicial",
            )  # fmt: skip
            self.event(
                case.id, moment, f"referral.{route}", worker, owner,
                details={"referral": referral.id, "target": target},
            )  # fmt: skip
            self.audit(
                moment, worker, owner, "referral.create", t.REFERRAL, referral.id,
                {"case": case.id, "route": route},
            )  # fmt: skip
        return referral

    def _decide(
        self,
        case: CaseState,
        referral: ReferralState,
        target: Org,
        decided: float,
        identified: bool,
        before: str,
        *,
        reconsideration: bool,
    ) -> tuple[int, str]:
        """`identification.actions._record_decision`: the decision (with its chair, voters and
        tally on the platform route), the case's transition, the timeline, the audit entry."""
        rng = self.rng
        unit = case.unit
        route = referral.route
        platform = unit.platform if route == "platform" else None
        voters: tuple[int, ...] = ()
        chair_id = None
        if platform is not None:
            chair = platform.deputy if reconsideration else platform.chair
            voters = platform.second_group if reconsideration else rng.choice(platform.first_groups)
            actor, acting_for, chair_id = chair.user, chair.organisation, chair.id
        else:
            actor = target.user(rng, "judicial_officer", "local_coordinator")
            acting_for = target.id
        outcome = "identified" if identified else "not_identified"
        after = Status.IDENTIFIED_VICTIM if identified else Status.NOT_IDENTIFIED
        if before == Status.IDENTIFIED_VICTIM:
            after = before  # identified by one route, the person keeps the status
        decision_id = self.ids.next(t.DECISION)
        day = self.clock.date(decided)
        tally: dict[str, int] = {}
        if platform is not None and voters:
            majority = len(voters) // 2 + 1 + rng.randrange(0, len(voters) - len(voters) // 2)
            other = "not_identified" if identified else "identified"
            institutional = sum(1 for seat in voters if platform.sectors.get(seat) == "institution")
            tally = {
                outcome: majority,
                **({other: len(voters) - majority} if len(voters) > majority else {}),
                "voters": len(voters),
                "institutional": institutional,
                "civil_society": len(voters) - institutional,
            }
            for seat in voters:
                self.add(t.VOTERS, (self.ids.next(t.VOTERS), decision_id, seat))
        reconsider_until = (
            self.due("reconsideration_request", day, unit.territory)
            if after == Status.NOT_IDENTIFIED
            else None
        )
        self.add(
            t.DECISION,
            (decision_id, referral.id, case.id, route, outcome,
             self.e(t.DECISION, "reasons", "Fictional reasons for the decision."),
             day, self.clock.at(decided), actor, acting_for,
             platform.id if platform else None, chair_id, _json(tally), before, after,
             reconsider_until),
        )  # fmt: skip
        referral.status = "decided"
        if referral.received is None:
            referral.received = decided
        case.decided_at, case.decided_route = decided, route
        if after != before:
            self.transition(case.id, decided, before, after, actor, acting_for, "")
        self.event(
            case.id, decided, "identification.decision", actor, acting_for, source=before,
            target=after, details={"decision": decision_id, "route": route, "outcome": outcome},
        )  # fmt: skip
        self.audit(
            decided, actor, acting_for, "identification.decision", t.DECISION, decision_id,
            {"case": case.id, "referral": referral.id, "route": route, "outcome": outcome,
             "status_before": before, "status_after": after, "voters": sorted(voters)},
        )  # fmt: skip
        return decision_id, after

    def _reconsider(
        self, case: CaseState, decision_id: int, asked: float, consent: int | None, status: str
    ) -> str:
        """`identification.actions.request_reconsideration`, and its decision when it came."""
        rng = self.rng
        coordination = case.unit.one("local_coordination")
        referral = self._refer(
            case, asked, "platform", coordination.id, consent, "platform_decision",
            reconsideration_of=decision_id,
        )  # fmt: skip
        worker, owner = case.worker, case.owner.id
        # The referral's share to the coordination is there already: granted again, one row.
        self.event(
            case.id, asked, "share.granted", worker, owner,
            details={"organisation": coordination.id, "reason": "referral"},
        )  # fmt: skip
        self.event(
            case.id, asked, "identification.reconsideration_requested", worker, owner,
            details={"decision": decision_id, "referral": referral.id},
        )  # fmt: skip
        decided = self.after(asked, 10, 40)
        if not self.happened(decided):
            received = self.after(asked, 0, 3)
            if self.happened(received):
                referral.status, referral.received = "received", received
            return status
        identified = rng.random() < ref.IDENTIFIED_ON_RECONSIDERATION
        _decision, status = self._decide(
            case, referral, coordination, decided, identified, status, reconsideration=True
        )
        return status

    # Support ------------------------------------------------------------------------------

    def _plan(self, case: CaseState, opened: float, closed: float) -> None:
        """Needs of the support plan, and orientations to services that answer them."""
        rng = self.rng
        wanted = list(dict.fromkeys(case.needs))
        for service_type, share in OTHER_NEEDS:
            if rng.random() < share:
                wanted.append(service_type)
        for service_type in wanted[:2]:
            moment = self.after(opened, 1, 45)
            if not self.happened(moment) or moment >= closed:
                continue
            need_id = self.ids.next(t.NEED)
            self.add(
                t.NEED,
                (need_id, case.support, case.id, service_type,
                 self.e(t.NEED, "description", "Fictional need." if rng.random() < 0.5 else ""),
                 None, case.worker, case.owner.id, self.clock.at(moment)),
            )  # fmt: skip
            self.event(
                case.id, moment, "support.need", case.worker, case.owner.id,
                details={"service_type": service_type},
            )  # fmt: skip
            if rng.random() < ref.ORIENTATION_PER_NEED:
                self._orientation(case, need_id, service_type, self.after(moment, 0, 10), closed)

    def _shelter(self, case: CaseState) -> ShelterInfo | None:
        shelters = [
            s
            for s in case.unit.shelters
            if s.children == case.child
            and not (s.women_only and (case.sex != "female" or case.accompanying_children))
        ]
        if not shelters:
            return None
        return shelters[0] if len(shelters) == 1 else self.rng.choice(shelters)

    def _orientation(
        self, case: CaseState, need: int, service_type: str, proposed: float, closed: float
    ) -> None:
        rng = self.rng
        if not self.happened(proposed) or proposed >= closed:
            return
        shelter = None
        if service_type == "accommodation":
            shelter = self._shelter(case)
            if shelter is None:
                return
            service, provider = shelter.id, shelter.provider
        else:
            offered = case.unit.services.get(service_type)
            if not offered:
                return
            service, provider = offered[0]
        provider_org = self._org(case.unit, provider)
        provider_user = (
            provider_org.user(rng, "service_provider", "field_worker")
            if provider_org
            else case.worker
        )
        worker, owner = case.worker, case.owner.id
        orientation_id = self.ids.next(t.ORIENTATION)
        steps: list[tuple[str, float, int, int]] = []  # (target, moment, actor, organisation)
        details = {"orientation": orientation_id, "service_type": service_type}
        self.event(
            case.id, proposed, "orientation.proposed", worker, owner, target="proposed",
            details=details,
        )  # fmt: skip
        consent = None
        moment = proposed
        ended = False
        status = "proposed"
        if not case.child:
            moment = self.after(moment, 0, 3)
            if self.happened(moment) and moment < closed:
                consent = self._consent(case, moment, "share", provider, orientation=orientation_id)
                steps.append(("consented", moment, worker, owner))
        sent_on = response_due = responded = started_on = completed_on = None
        decline = cancel = ""
        share_from = share_until = None
        placement_from = placement_until = None
        if case.child or consent is not None:
            moment = self.after(moment, 0, 2)
            if self.happened(moment) and moment < closed:
                steps.append(("sent", moment, worker, owner))
                sent_on = self.clock.date(moment)
                response_due = self.due("orientation_response", sent_on, case.unit.territory)
                share_from = moment
                answered = self.after(moment, 0, 6)
                if rng.random() < ref.STUCK_ORIENTATION:
                    answered = self.clock.horizon + 1
                if self.happened(answered) and answered < closed:
                    roll = rng.random()
                    responded = answered
                    if roll < ref.ORIENTATION_ACCEPTED:
                        steps.append(("accepted", answered, provider_user, provider))
                        if shelter is not None:
                            placement_from = answered
                        begun = self.after(answered, 0, 7)
                        if self.happened(begun) and begun < closed and rng.random() < 0.5:
                            steps.append(("in_progress", begun, provider_user, provider))
                            started_on = self.clock.date(begun)
                        done = self.after(answered, 20, 300)
                        if self.happened(done) and done < closed:
                            steps.append(("completed", done, provider_user, provider))
                            completed_on = self.clock.date(done)
                            ended = True
                            share_until = placement_until = done
                    elif roll < ref.ORIENTATION_ACCEPTED + ref.ORIENTATION_DECLINED:
                        steps.append(("declined", answered, provider_user, provider))
                        decline = "Fictional reason for declining."
                        ended = True
                        share_until = answered
                    else:
                        steps.append(("cancelled", answered, worker, owner))
                        cancel = "Fictional reason for cancelling."
                        completed_on = self.clock.date(answered)
                        ended = True
                        share_until = answered
        if not ended and self.happened(closed):
            # Support closed: what was still running ends with it (support.closure).
            target = (
                "completed"
                if steps and steps[-1][0] in {"accepted", "in_progress"}
                else "cancelled"
            )
            steps.append((target, closed, worker, owner))
            completed_on = self.clock.date(closed)
            if target == "cancelled":
                cancel = "Support closed."
            share_until = closed if share_from is not None else None
            placement_until = closed
        source = "proposed"
        for target, at, actor, organisation in steps:
            self.add(
                t.TRANSITION,
                (self.ids.next(t.TRANSITION), orientation_id, source, target, self.clock.at(at),
                 actor, organisation, self.e(t.TRANSITION, "note", "")),
            )  # fmt: skip
            self.event(
                case.id, at, f"orientation.{target}", actor, organisation, source=source,
                target=target, details=details,
            )  # fmt: skip
            source = status = target
        if share_from is not None:
            self.share(
                case, share_from, provider, "orientation", worker, owner, consent=consent,
                revoked=share_until,
            )  # fmt: skip
            if share_until is not None:
                self.event(
                    case.id, share_until, "share.revoked", worker, owner,
                    details={"organisation": provider, "reason": "orientation"},
                )  # fmt: skip
        if placement_from is not None and shelter is not None:
            places = 1 + case.accompanying_children
            self.add(
                t.PLACEMENT,
                (self.ids.next(t.PLACEMENT), orientation_id, service, case.id, places,
                 self.clock.date(placement_from),
                 self.clock.date(placement_until) if placement_until is not None else None),
            )  # fmt: skip
        last = steps[-1][1] if steps else proposed
        self.add(
            t.ORIENTATION,
            (orientation_id, case.id, need, service, provider, owner, status,
             self.e(t.ORIENTATION, "brief", "Fictional brief for the provider."), False,
             case.child, case.accompanying_children, "interpreting" in case.needs,
             case.urgency, self.e(t.ORIENTATION, "best_interests",
                                  "Fictional best interests." if case.child and shelter else ""),
             consent, sent_on, response_due, self.clock.at(responded) if responded else None,
             self.e(t.ORIENTATION, "decline_reason", decline), started_on, completed_on,
             self.e(t.ORIENTATION, "cancel_reason", cancel), worker, self.clock.at(proposed),
             self.clock.at(last)),
        )  # fmt: skip

    def _org(self, unit: Unit, organisation: int) -> Org | None:
        for orgs in unit.kinds.values():
            for org in orgs:
                if org.id == organisation:
                    return org
        return None

    def _legal(self, case: CaseState, closed: float) -> None:
        """Residence for identified adults who are not citizens of the Union; compensation."""
        rng = self.rng
        decided = max(case.decided_at or case.opened, case.opened)
        worker, owner = case.worker, case.owner.id
        foreign = case.nationalities and not set(case.nationalities) & EU
        if not case.child and foreign and rng.random() < ref.RESIDENCE_APPLICATION:
            applied = self.after(decided, 10, 90)
            if self.happened(applied) and applied < closed:
                self._residence(case, applied)
        if rng.random() < ref.COMPENSATION:
            lodged = self.after(decided, 30, 200)
            if self.happened(lodged) and lodged < closed:
                outcome, decided_on, awarded = "pending", None, None
                later = self.after(lodged, 120, 700)
                claimed = decimal.Decimal(rng.randrange(2, 60) * 1000)
                if self.happened(later):
                    outcome = rng.choice(("awarded", "awarded", "settled", "rejected"))
                    decided_on = self.clock.date(later)
                    if outcome != "rejected":
                        awarded = claimed * decimal.Decimal(rng.choice((1, 0.75, 0.5)))
                kind = rng.choice(("compensation_commission", "civil_party", "labour_court"))
                claim_id = self.ids.next(t.COMPENSATION)
                self.add(
                    t.COMPENSATION,
                    (claim_id, case.id, kind, f"Fictional court {case.unit.code}",
                     self.clock.date(lodged), claimed,
                     awarded.quantize(decimal.Decimal("0.01")) if awarded is not None else None,
                     "EUR", rng.choice(("not_requested", "requested", "granted")),
                     "Fictional lawyer", False, outcome, decided_on,
                     self.e(t.COMPENSATION, "notes", ""), worker, owner, self.clock.at(lodged)),
                )  # fmt: skip
                self.event(
                    case.id, lodged, "compensation.lodged", worker, owner, details={"kind": kind}
                )

    def _residence(self, case: CaseState, applied: float) -> None:
        rng = self.rng
        worker, owner = case.worker, case.owner.id
        prefecture = case.unit.one("prefecture")
        basis = (
            "residence_complaint"
            if case.decided_route == "judicial"
            else rng.choice(
                ("residence_complaint", "residence_exit_prostitution", "reflection_period")
            )
        )
        decided = self.after(applied, 30, 240)
        outcome, reason, decided_on, valid_from, valid_until = "pending", "", None, None, None
        if self.happened(decided):
            roll = rng.random()
            decided_on = self.clock.date(decided)
            if roll < 0.7:
                outcome, valid_from = "granted", decided_on
                valid_until = decided_on + datetime.timedelta(days=365)
            elif roll < 0.95:
                outcome = "refused"
                reason = rng.choice(("no_complaint", "incomplete_file", "proceedings_closed"))
            else:
                outcome = "withdrawn"
        application_id = self.ids.next(t.RESIDENCE)
        receipt = self.after(applied, 1, 20)
        self.add(
            t.RESIDENCE,
            (application_id, case.id, basis, prefecture.id, "", self.clock.date(applied),
             self.clock.date(receipt) if self.happened(receipt) else None, decided_on, outcome,
             reason, self.e(t.RESIDENCE, "refusal_details", ""), valid_from, valid_until, None,
             worker, owner, self.clock.at(applied)),
        )  # fmt: skip
        self.event(case.id, applied, "residence.applied", worker, owner, details={"basis": basis})
        if decided_on is not None:
            self.event(
                case.id, decided, f"residence.{outcome}", worker, owner, details={"basis": basis}
            )

    def _non_punishment(self, case: CaseState, moment: float, closed: float) -> None:
        if not self.happened(moment) or moment >= closed:
            return
        worker, owner = case.worker, case.owner.id
        factors = self.rng.sample(("ordered", "threats", "debt_bondage", "control"), 2)
        sent = self.after(moment, 1, 20)
        self.add(
            t.NON_PUNISHMENT,
            (self.ids.next(t.NON_PUNISHMENT), case.id,
             self.e(t.NON_PUNISHMENT, "offences", "Fictional offences under compulsion."),
             self.e(t.NON_PUNISHMENT, "circumstances", "Fictional circumstances."),
             _json(factors), case.unit.one("prosecutor").id,
             self.e(t.NON_PUNISHMENT, "proceedings_reference", ""), True,
             self.clock.date(sent) if self.happened(sent) else None, "pending", None,
             self.e(t.NON_PUNISHMENT, "outcome_details", ""), worker, owner,
             self.clock.at(moment)),
        )  # fmt: skip
        self.event(case.id, moment, "non_punishment.recorded", worker, owner)

    def _close_support(self, case: CaseState, closed: float) -> None:
        rng = self.rng
        worker, owner = case.worker, case.owner.id
        reason = self.pick(_weighted(SUPPORT_CLOSURE_REASONS))
        day = self.clock.date(closed)
        follow_up = None if reason == "deceased" else day + datetime.timedelta(days=90)
        followed_up = None
        if (
            follow_up is not None
            and self.happened(self.clock.moment(follow_up) + 5)
            and rng.random() < 0.7
        ):
            followed_up = follow_up + datetime.timedelta(days=rng.randrange(0, 5))
        transferred_to = None
        if reason == "transferred":
            others = [org for org in case.unit.kinds["association"] if org.id != owner]
            transferred_to = others[0].id if others else None
            if transferred_to is None:
                reason = "self_reliance"
        closure_id = self.ids.next(t.SUPPORT_CLOSURE)
        self.add(
            t.SUPPORT_CLOSURE,
            (closure_id, case.support, case.id, reason, day, follow_up, followed_up,
             transferred_to, self.e(t.SUPPORT_CLOSURE, "note", ""),
             self.e(t.SUPPORT_CLOSURE, "best_interests",
                    "Fictional best interests of the child." if case.child else ""),
             worker, owner, self.clock.at(closed), None, None,
             self.e(t.SUPPORT_CLOSURE, "reopen_reason", "")),
        )  # fmt: skip
        self.event(case.id, closed, "support.closed", worker, owner, details={"reason": reason})
        self.audit(
            closed, worker, owner, "support.close", t.SUPPORT_CLOSURE, closure_id,
            {"case": case.id, "reason": reason},
        )  # fmt: skip
