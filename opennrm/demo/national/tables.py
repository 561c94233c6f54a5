"""The tables the national dataset writes in bulk, and the columns of each row, in order."""

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import (
    Case,
    CaseClosure,
    CaseEvent,
    CaseShare,
    Consent,
    Person,
    PersonIndexToken,
    PossibleMatch,
)
from opennrm.demo.national.writer import Row, Table, null, text
from opennrm.detection.models import (
    AnonymousNotification,
    ChildProtectionAlert,
    Concern,
    Guardian,
    PreliminaryAssessment,
    RightsInformation,
)
from opennrm.identification.models import IdentificationDecision, JudicialRecord, Referral
from opennrm.privacy.models import CaseRetention
from opennrm.support.models import (
    CompensationClaim,
    ImmediateNeeds,
    Need,
    NonPunishmentRecord,
    Orientation,
    OrientationTransition,
    Placement,
    ReflectionPeriod,
    ResidenceApplication,
    SupportClosure,
    SupportRecord,
)

PERSON = Table(
    Person,
    ("id", "pseudonym", "given_names", "family_name", "aliases", "date_of_birth",
     "estimated_age", "may_be_child", "sex", "gender_identity", "nationalities", "languages",
     "created_at"),
)  # fmt: skip


# The three largest tables get their own COPY lines: the same text as `writer.copy_line`
# (tested), without looking at each value's type. Kinds, codes, tokens, seals and ciphertexts
# hold nothing to escape; JSON and free text are escaped.


def _token_line(row: Row) -> str:
    return f"{row[0]}\t{row[1]}\t{row[2]}\t{row[3]}\n"


def _event_line(row: Row) -> str:
    return (
        f"{row[0]}\t{row[1]}\t{row[2].isoformat()}\t{row[3]}\t{row[4]}\t{row[5]}\t{row[6]}\t"
        f"{text(row[7])}\t{null(row[8])}\t{null(row[9])}\n"
    )


def _audit_line(row: Row) -> str:
    return (
        f"{row[0]}\t{row[1].isoformat()}\t{null(row[2])}\t{null(row[3])}\t{row[4]}\t{row[5]}\t"
        f"{row[6]}\t\\N\t{row[8]}\t{row[9]}\t{text(row[10])}\t{row[11]}\t{row[12]}\t"
        f"{null(row[13])}\n"
    )


TOKEN = Table(PersonIndexToken, ("id", "person", "kind", "token"), _token_line)
CASE = Table(
    Case,
    ("id", "reference", "person", "owner", "territory", "status", "forms", "sector", "places",
     "period_start", "period_end", "channel", "detected_by", "detected_on", "age_at_detection",
     "child", "assessment_due", "opened_at"),
)  # fmt: skip
SHARE = Table(
    CaseShare,
    ("id", "case", "organisation", "reason", "identity", "consent", "granted_at", "granted_by",
     "revoked_at", "case_opened_at"),
)  # fmt: skip
CONSENT = Table(
    Consent,
    ("id", "case", "scope", "organisation", "method", "given_on", "recorded_by", "recorded_for",
     "withdrawn_at", "withdrawn_by"),
)  # fmt: skip
EVENT = Table(
    CaseEvent,
    ("id", "case", "at", "kind", "source", "target", "note", "details", "actor", "organisation"),
    _event_line,
)
MATCH = Table(PossibleMatch, ("id", "case", "organisation", "found_at"))
CASE_CLOSURE = Table(
    CaseClosure,
    ("id", "case", "reason", "closed_on", "note", "closed_by", "organisation", "closed_at",
     "reopened_at", "reopened_by", "reopen_reason"),
)  # fmt: skip
RETENTION = Table(
    CaseRetention, ("id", "case", "closed_at", "stage", "archived_at", "anonymised_at")
)
CONCERN = Table(
    Concern,
    ("id", "reference", "received_at", "channel", "territory", "commune", "place_type",
     "sector", "description", "signs", "child_involved", "contact", "created_by", "created_for",
     "status", "triage_due", "triaged_at", "triaged_by", "case", "closing_reason",
     "closing_note", "content_erased_at", "submission_key"),
)  # fmt: skip
ASSESSMENT = Table(
    PreliminaryAssessment,
    ("id", "case", "catalogue_version", "set_code", "answers", "engine_outcome",
     "engine_summary", "conclusion", "reasons", "assessed_by", "organisation", "created_at",
     "updated_at", "finalised_at"),
)  # fmt: skip
RIGHTS = Table(
    RightsInformation,
    ("id", "case", "given_on", "language", "interpreter", "interpreter_service",
     "leaflet_given", "leaflet_language", "given_by", "organisation", "recorded_at"),
)  # fmt: skip
GUARDIAN = Table(
    Guardian,
    ("id", "case", "kind", "name", "contact", "appointed_on", "recorded_by", "recorded_at"),
)
ALERT = Table(
    ChildProtectionAlert,
    ("id", "case", "service", "service_name", "alerted_on", "recorded_by", "recorded_at"),
)
ANONYMOUS = Table(
    AnonymousNotification,
    ("id", "notified_on", "forms", "age_group", "sex", "nationality", "territory", "sector",
     "notified_by"),
)  # fmt: skip
SUPPORT = Table(SupportRecord, ("id", "case", "opened_on", "status", "opened_by"))
REFLECTION = Table(
    ReflectionPeriod, ("id", "case", "starts_on", "ends_on", "legal_basis", "created_at")
)
IMMEDIATE_NEEDS = Table(
    ImmediateNeeds,
    ("id", "case", "shelter", "medical", "psychological", "interpreter", "safety_risk",
     "accompanying_children", "urgency", "notes", "recorded_by", "organisation", "recorded_at"),
)  # fmt: skip
REFERRAL = Table(
    Referral,
    ("id", "case", "territory", "route", "target", "consent", "status", "referred_at",
     "referred_by",
     "referring_organisation", "decision_due", "received_at", "paused_since", "paused_days",
     "reconsideration_of", "new_elements", "file_items", "withheld_evidence"),
)  # fmt: skip
JUDICIAL = Table(
    JudicialRecord,
    ("id", "referral", "kind", "recorded_on", "service", "offence", "procedure_reference",
     "recorded_by", "organisation", "recorded_at", "cooperation_ended_on",
     "cooperation_ended_by"),
)  # fmt: skip
DECISION = Table(
    IdentificationDecision,
    ("id", "referral", "case", "route", "outcome", "reasons", "decided_on", "decided_at",
     "decided_by", "organisation", "platform", "chair", "tally", "status_before",
     "status_after", "reconsideration_due"),
)  # fmt: skip
VOTERS = Table(
    IdentificationDecision.voters.through, ("id", "identificationdecision", "platformmember")
)
NEED = Table(
    Need,
    ("id", "support", "case", "service_type", "description", "from_immediate_needs",
     "recorded_by", "organisation", "recorded_at"),
)  # fmt: skip
ORIENTATION = Table(
    Orientation,
    ("id", "case", "need", "service", "provider", "responsible", "status", "brief",
     "identity_needed", "child", "accompanying_children", "interpreter_needed", "urgency",
     "best_interests", "consent", "sent_on", "response_due", "responded_at", "decline_reason",
     "started_on", "completed_on", "cancel_reason", "proposed_by", "proposed_at", "updated_at"),
)  # fmt: skip
TRANSITION = Table(
    OrientationTransition,
    ("id", "orientation", "source", "target", "at", "actor", "organisation", "note"),
)
PLACEMENT = Table(
    Placement, ("id", "orientation", "service", "case", "places", "started_on", "ended_on")
)
RESIDENCE = Table(
    ResidenceApplication,
    ("id", "case", "basis", "prefecture", "authority_name", "applied_on", "receipt_on",
     "decided_on", "outcome", "refusal_reason", "refusal_details", "valid_from", "valid_until",
     "renewal_of", "recorded_by", "organisation", "recorded_at"),
)  # fmt: skip
NON_PUNISHMENT = Table(
    NonPunishmentRecord,
    ("id", "case", "offences", "circumstances", "factors", "prosecutor",
     "proceedings_reference", "asylum_safeguard", "note_sent_on", "outcome", "outcome_on",
     "outcome_details", "recorded_by", "organisation", "recorded_at"),
)  # fmt: skip
COMPENSATION = Table(
    CompensationClaim,
    ("id", "case", "kind", "body_name", "lodged_on", "amount_claimed", "amount_awarded",
     "currency", "legal_aid", "lawyer", "stay_of_removal_needed", "outcome", "decided_on",
     "notes", "recorded_by", "organisation", "recorded_at"),
)  # fmt: skip
SUPPORT_CLOSURE = Table(
    SupportClosure,
    ("id", "support", "case", "reason", "closed_on", "follow_up_on", "followed_up_on",
     "transferred_to", "note", "best_interests", "closed_by", "organisation", "closed_at",
     "reopened_at", "reopened_by", "reopen_reason"),
)  # fmt: skip
AUDIT = Table(
    AuditEntry,
    ("id", "created_at", "actor", "organisation", "action", "object_type", "object_id",
     "ip_address", "channel", "process", "details", "previous_hash", "entry_hash", "batch"),
    _audit_line,
)  # fmt: skip

# In the order they are written (parents first: SQLite checks foreign keys at commit anyway).
ALL = (
    PERSON, TOKEN, CASE, CONSENT, SHARE, EVENT, MATCH, CASE_CLOSURE, RETENTION, CONCERN,
    ASSESSMENT, RIGHTS, GUARDIAN, ALERT, ANONYMOUS, SUPPORT, REFLECTION, IMMEDIATE_NEEDS,
    REFERRAL, JUDICIAL, DECISION, VOTERS, NEED, ORIENTATION, TRANSITION, PLACEMENT, RESIDENCE,
    NON_PUNISHMENT, COMPENSATION, SUPPORT_CLOSURE, AUDIT,
)  # fmt: skip
