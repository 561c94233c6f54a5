"""The shape of a jurisdiction profile. Everything that differs between States lives here."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from opennrm.profiles.capabilities import Capability

# Steps whose timeframe later parts of the mechanism rely on.
REQUIRED_TIMEFRAMES = frozenset(
    {
        "concern_triage",
        "preliminary_assessment",
        "platform_decision",
        "judicial_decision",
        "reconsideration_request",
        "orientation_response",
    }
)

Code = str


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(Strict):
    """A text in several languages; the profile's default language is required."""

    fr: str | None = None
    en: str | None = None
    de: str | None = None
    es: str | None = None
    it: str | None = None

    def get(self, language: str, fallback: str) -> str:
        return getattr(self, language, None) or getattr(self, fallback, None) or ""


class TerritoryLevel(Strict):
    code: Code = Field(pattern=r"^[a-z_]+$")
    label: Label
    parent: Code | None = None
    local_unit: bool = False  # the level that hosts a platform and a local coordinator


class OrganisationType(Strict):
    code: Code = Field(pattern=r"^[a-z_]+$")
    label: Label
    sector: Literal["civil_society", "institution", "service", "coordination"]
    may_be_authorised_reporter: bool = False
    contact_body: bool = False  # its contact persons must exist in every local unit


class Role(Strict):
    code: Code = Field(pattern=r"^[a-z_]+$")
    label: Label
    capabilities: tuple[Capability, ...]
    # Which organisation types may give this role (None: any). Keeps an organisation's
    # administrator from granting, say, national oversight to their own staff.
    organisation_types: tuple[Code, ...] | None = None

    def allowed_for(self, organisation_type: str) -> bool:
        return self.organisation_types is None or organisation_type in self.organisation_types


class Timeframe(Strict):
    label: Label
    days: int = Field(gt=0, le=3650)
    unit: Literal["calendar", "working"] = "calendar"


class LegalBasis(Strict):
    code: Code = Field(pattern=r"^[a-z0-9_]+$")
    label: Label
    reference: str


class FormOfExploitation(Strict):
    code: Code = Field(pattern=r"^[a-z_]+$")
    label: Label


class AgreementClause(Strict):
    """A clause of the cooperation agreement with an authorised reporter (a checklist item)."""

    code: Code = Field(pattern=r"^[a-z_]+$")
    label: Label


class RecognitionRules(Strict):
    """The recognition of authorised reporters: the clauses of the cooperation agreement, and
    how many days before an expiry the competent body and the organisation are reminded."""

    agreement_clauses: tuple[AgreementClause, ...] = ()
    reminder_days: tuple[int, ...] = (60, 14)


class PlatformRules(Strict):
    """Composition rules of a département platform (the non-judicial identification route)."""

    quorum: int = Field(ge=2, le=50)
    min_institutional: int = Field(ge=0)
    min_civil_society: int = Field(ge=0)
    interview_members: int = Field(ge=1, le=5)

    @model_validator(mode="after")
    def _mix_fits_quorum(self) -> "PlatformRules":
        if self.min_institutional + self.min_civil_society > self.quorum:
            raise ValueError("min_institutional + min_civil_society cannot exceed quorum")
        return self


IDENTIFICATION_STATUSES = ("presumed_victim", "identified_victim")
AGE_GROUPS = ("adult", "child")


class Entitlement(Strict):
    """A right the person has, as a function of identification status and age only."""

    code: Code = Field(pattern=r"^[a-z0-9_]+$")
    label: Label
    statuses: tuple[Literal["presumed_victim", "identified_victim"], ...] = Field(min_length=1)
    age_groups: tuple[Literal["adult", "child"], ...] = Field(min_length=1)
    legal_basis: Code | None = None


class SupportRules(Strict):
    """Which organisation types the support step offers for its dealings with authorities:
    where residence applications are lodged, and who receives non-punishment notes."""

    residence_authorities: tuple[Code, ...] = ()
    non_punishment_recipients: tuple[Code, ...] = ()


class JudicialRouteRules(Strict):
    """Who is told of the judicial route's steps (a complaint or testimony recorded, a formal
    identification decision): the organisation types whose liaison contacts covering the case's
    territory receive a notification (France: the prosecutor's office)."""

    informed: tuple[Code, ...] = ()


class PublicWording(Strict):
    """How the public pages name the mechanism's actors and places where the profile's words
    differ from the French ones the pages are written with (None: the pages' own words), and
    the authorities its public notices name."""

    actors: Label | None = None  # who works on the mechanism together (home page)
    contact_bodies: Label | None = None  # the bodies that name contact persons (home, directory)
    local_unit: Label | None = None  # the local unit, as a field label ("Département")
    all_local_units: Label | None = None  # the directory's "All départements"
    # The data protection supervisory authority (the personal-data notice); None: a generic
    # wording. France: the CNIL.
    supervisory_authority: Label | None = None
    # The accessibility standard the statement refers to; None: the RGAA (France).
    accessibility_standard: Label | None = None

    def resolved(self, language: str, fallback: str) -> dict[str, str]:
        return {
            name: (value.get(language, fallback) if value is not None else "")
            for name, value in (
                ("actors", self.actors),
                ("contact_bodies", self.contact_bodies),
                ("local_unit", self.local_unit),
                ("all_local_units", self.all_local_units),
                ("supervisory_authority", self.supervisory_authority),
                ("accessibility_standard", self.accessibility_standard),
            )
        }


class EmergencyNumber(Strict):
    """A number to call in danger, shown on the public guidance and its posters."""

    number: str = Field(pattern=r"^\+?[0-9][0-9 ]{1,18}$")
    label: Label  # whom it reaches ("Police", "Emergency services")


class ProConnectRules(Strict):
    """When a sign-in through ProConnect (France's identity federation of public agents) counts
    as multi-factor: its ID token's `acr` is one of `mfa_acr_values`, or its `amr` holds one of
    `mfa_amr_values`. OpenNRM's own TOTP step is then not asked again for that session. Empty
    (the default): a ProConnect sign-in never replaces the TOTP step."""

    mfa_acr_values: tuple[str, ...] = ()
    mfa_amr_values: tuple[str, ...] = ()


class Retention(Strict):
    """How long a closed case stays in each stage (months after closure), then anonymisation.

    The model is the French data protection authority's for social and medico-social support:
    an active stage, an intermediate archive readable by few, then anonymisation.

    `concern_months`: how long a concern closed at triage without a case keeps its content
    (what was seen, the reporter's contact, the notes), counted from its triage; then only its
    statistical skeleton stays. A concern that became part of a case follows the case."""

    active_months: int = Field(default=24, ge=1, le=240)
    archive_months: int = Field(default=60, ge=0, le=600)
    concern_months: int = Field(default=12, ge=1, le=120)
    reference: str = ""


class Statistics(Strict):
    """How counts are shown outside the organisation that owns the cases counted
    (opennrm.monitoring.disclosure): a count below `k` is hidden ("fewer than k"), and enough
    other counts are hidden with it that no total gives it back; the counts shown are rounded
    to the nearest multiple of `rounding` (1: not rounded), so that two overlapping queries or
    two periods do not give a small count back by their difference. CTDC's threshold is 11."""

    k: int = Field(default=11, ge=2, le=100)
    rounding: int = Field(default=5, ge=1, le=100)


class Profile(Strict):
    code: Code = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: str
    name: Label
    country: str = Field(pattern=r"^[A-Z]{2}$")
    default_language: str
    languages: tuple[str, ...]
    time_zone: str
    holidays_country: str | None = None
    territory_data: str
    territory_levels: tuple[TerritoryLevel, ...]
    organisation_types: tuple[OrganisationType, ...]
    roles: tuple[Role, ...]
    timeframes: dict[Code, Timeframe]
    forms_of_exploitation: tuple[FormOfExploitation, ...] = Field(min_length=1)
    reflection_period_days: int = Field(ge=30, le=3650)
    reporter_training_required: bool
    directory_confirmation_months: int = Field(gt=0, le=60)
    legal_bases: tuple[LegalBasis, ...] = ()
    emergency_notice: Label | None = None  # shown on public pages: whom to call in danger
    emergency_numbers: tuple[EmergencyNumber, ...] = ()  # the public guidance lists them
    platform: PlatformRules
    retention: Retention = Retention()
    support: SupportRules = SupportRules()
    recognition: RecognitionRules = RecognitionRules()
    judicial_route: JudicialRouteRules = JudicialRouteRules()
    proconnect: ProConnectRules = ProConnectRules()
    public_wording: PublicWording = PublicWording()
    statistics: Statistics = Statistics()
    entitlements: tuple[Entitlement, ...] = Field(min_length=1)

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [code for code in value if code not in Label.model_fields]
        if unknown:
            raise ValueError(f"unsupported language(s): {', '.join(unknown)}")
        return value

    @field_validator("timeframes")
    @classmethod
    def _all_steps_timed(cls, value: dict[str, Timeframe]) -> dict[str, Timeframe]:
        missing = sorted(REQUIRED_TIMEFRAMES - value.keys())
        if missing:
            raise ValueError(f"missing timeframe(s) for: {', '.join(missing)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "Profile":
        if self.default_language not in self.languages:
            raise ValueError("default_language must be one of languages")
        _unique("territory_levels", [level.code for level in self.territory_levels])
        _unique("organisation_types", [kind.code for kind in self.organisation_types])
        _unique("roles", [role.code for role in self.roles])
        _unique("legal_bases", [basis.code for basis in self.legal_bases])
        _unique("forms_of_exploitation", [form.code for form in self.forms_of_exploitation])
        _unique("entitlements", [item.code for item in self.entitlements])
        basis_codes = {basis.code for basis in self.legal_bases}
        for item in self.entitlements:
            if item.legal_basis is not None and item.legal_basis not in basis_codes:
                raise ValueError(
                    f"entitlements.{item.code}: unknown legal_basis {item.legal_basis!r}"
                )
        kind_codes = {kind.code for kind in self.organisation_types}
        for role in self.roles:
            unknown = sorted(set(role.organisation_types or ()) - kind_codes)
            if unknown:
                raise ValueError(
                    f"roles.{role.code}.organisation_types: unknown type(s) {', '.join(unknown)}"
                )
        for key, codes in (
            ("support.residence_authorities", self.support.residence_authorities),
            ("support.non_punishment_recipients", self.support.non_punishment_recipients),
            ("judicial_route.informed", self.judicial_route.informed),
        ):
            _unique(key, list(codes))
            unknown = sorted(set(codes) - kind_codes)
            if unknown:
                raise ValueError(f"{key}: unknown organisation type(s) {', '.join(unknown)}")
        level_codes = {level.code for level in self.territory_levels}
        for level in self.territory_levels:
            if level.parent is not None and level.parent not in level_codes:
                raise ValueError(
                    f"territory_levels: level {level.code!r} has unknown parent {level.parent!r}"
                )
        if not any(level.local_unit for level in self.territory_levels):
            raise ValueError("territory_levels: one level at least must be a local_unit")
        for label_owner in self._labels():
            if label_owner[1].get(self.default_language, "") == "":
                raise ValueError(f"{label_owner[0]}: label missing in {self.default_language!r}")
        return self

    def _labels(self) -> list[tuple[str, Label]]:
        labels: list[tuple[str, Label]] = [("name", self.name)]
        labels += [(f"territory_levels.{t.code}", t.label) for t in self.territory_levels]
        labels += [(f"organisation_types.{o.code}", o.label) for o in self.organisation_types]
        labels += [(f"roles.{r.code}", r.label) for r in self.roles]
        labels += [(f"timeframes.{code}", t.label) for code, t in self.timeframes.items()]
        labels += [(f"forms_of_exploitation.{f.code}", f.label) for f in self.forms_of_exploitation]
        labels += [(f"entitlements.{e.code}", e.label) for e in self.entitlements]
        labels += [(f"emergency_numbers.{n.number}", n.label) for n in self.emergency_numbers]
        return labels

    # Look-ups used across the application.
    def organisation_type(self, code: str) -> OrganisationType | None:
        return next((kind for kind in self.organisation_types if kind.code == code), None)

    def role(self, code: str) -> Role | None:
        return next((role for role in self.roles if role.code == code), None)

    def form_of_exploitation(self, code: str) -> FormOfExploitation | None:
        return next((form for form in self.forms_of_exploitation if form.code == code), None)

    def level(self, code: str) -> TerritoryLevel | None:
        return next((level for level in self.territory_levels if level.code == code), None)

    @property
    def local_unit_levels(self) -> tuple[str, ...]:
        return tuple(level.code for level in self.territory_levels if level.local_unit)

    @property
    def contact_bodies(self) -> tuple[OrganisationType, ...]:
        return tuple(kind for kind in self.organisation_types if kind.contact_body)


def _unique(key: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{key}: code {code!r} appears twice")
        seen.add(code)


class TerritoryRecord(Strict):
    code: str = Field(min_length=1, max_length=16)
    name: str = Field(min_length=1, max_length=120)
    level: Code
    parent: str | None = None
    # Public holidays that differ from the national ones (the `holidays` package's subdivision).
    holidays_subdivision: str | None = None


class TerritoryData(Strict):
    territories: tuple[TerritoryRecord, ...]
