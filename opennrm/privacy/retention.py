"""Retention periods from the profile: active stage, intermediate archive, then anonymisation.

The model is the French data protection authority's for social and medico-social support
(CNIL délibérations 2021-028 and 2023-095). A case is *closed* when support is closed
(opennrm.support records the closure and its date) or, for a case support never opened, when
a closure date was recorded here (`mark_closed`). Counting from that date:

- during `retention.active_months` the case stays where it is (active stage);
- then it is *archived*: it leaves every organisation's view and is read only under an
  exceptional access (opennrm.privacy.breakglass), for legal claims and proceedings;
- after `retention.archive_months` more it is *anonymised* (opennrm.privacy.anonymise): the
  person's and the narratives' data go, statistics fields stay.

A concern closed at triage without a case keeps its content for `retention.concern_months`
after its triage; then its content is *erased*: what was seen, the town, the reporter's contact,
the closing note (every free text) and who entered it go; its statistical skeleton stays
(reference, département, channel, type of place, sector, signs, whether a child seemed
involved, the organisation that entered it, dates, status and closing reason). A concern that
opened a case or was attached to one lives in that case: it is anonymised with the case
(opennrm.privacy.collect reaches it), never separately.

`run_retention(dry_run=True)` says what would happen, in counts only.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from opennrm.audit.trail import record
from opennrm.cases.models import Case
from opennrm.core.acting import Actor
from opennrm.privacy import holders
from opennrm.privacy.models import CaseRetention, RetentionStage
from opennrm.profiles.loader import active_profile

ACTION_ARCHIVE = "archive"
ACTION_ANONYMISE = "anonymise"
CONCERNS_TO_ERASE = "concerns_to_erase"
CONCERNS_KEPT = "concerns_kept"
CONCERNS_ERASED = "concerns_erased"
RETENTION_PROCESS = "retention"  # the system actor of the retention job and command
# Where support's public functions are looked for (services first, as the architecture asks).


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def retired_case_ids() -> "QuerySet[CaseRetention, Any]":
    """A subquery of the cases that left the active stage (archived or anonymised)."""
    return CaseRetention.objects.exclude(stage=RetentionStage.ACTIVE).values("case_id")


def stage_of(case: Case) -> str:
    state = CaseRetention.objects.filter(case=case).only("stage").first()
    return state.stage if state is not None else RetentionStage.ACTIVE


def mark_closed(
    case: Case, closed_at: datetime.datetime | None = None, *, actor: Actor | None = None
) -> CaseRetention:
    """Record that a case without support is closed (the retention clock starts). Audited."""
    moment = closed_at or timezone.now()
    with transaction.atomic():
        state, _created = CaseRetention.objects.update_or_create(
            case=case, defaults={"closed_at": moment}
        )
        record(
            "retention.closed",
            target=case,
            actor=actor,
            details={"closed_on": timezone.localdate(moment).isoformat()},
        )
    return state


def mark_reopened(case: Case) -> bool:
    """The case goes on: the retention clock stops (True if it was running). An archived case
    is out of every organisation's view and is not reopened. The caller audits the reopening."""
    cleared = CaseRetention.objects.filter(case=case, stage=RetentionStage.ACTIVE).update(
        closed_at=None
    )
    return bool(cleared)


# Closure ---------------------------------------------------------------------------------


def closure_date(case: Case) -> datetime.date | None:
    """When the case was closed, or None while it is open.

    A step that decides closure (support, through `holders`) decides when it has the case:
    open there means an open case, closed there gives its closure date. A case no such step
    ever had is closed when `mark_closed` recorded it."""
    for source in holders.closure_sources():
        status = source.status(case)
        if status == "open":
            return None
        if status is not None:
            closed_on = source.closed_on(case)
            if closed_on is not None:
                return closed_on
    state = CaseRetention.objects.filter(case=case, closed_at__isnull=False).first()
    if state is None or state.closed_at is None:
        return None
    return timezone.localdate(state.closed_at)


def _closed_candidates() -> QuerySet[Case]:
    """Cases that may be closed and are not anonymised yet."""
    marked = CaseRetention.objects.filter(closed_at__isnull=False).values("case_id")
    cases = Case.objects.filter(pk__in=marked)
    for source in holders.closure_sources():
        cases = cases | Case.objects.filter(pk__in=source.closed_case_ids())
    anonymised = CaseRetention.objects.filter(stage=RetentionStage.ANONYMISED).values("case_id")
    return cases.exclude(pk__in=anonymised).order_by("pk")


# Plan and run ----------------------------------------------------------------------------


@dataclass
class RetentionReport:
    """What a run did, or would do: counts only, never a name or a reference."""

    today: datetime.date
    dry_run: bool
    active_months: int
    archive_months: int
    concern_months: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    to_archive: list[int] = field(default_factory=list)
    to_anonymise: list[int] = field(default_factory=list)
    erasures: list[tuple[str, int]] = field(default_factory=list)  # (erasure source, id)

    @property
    def concerns_to_erase(self) -> list[int]:
        return [record_id for _source, record_id in self.erasures]

    def as_details(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "dry_run": self.dry_run,
            "active_months": self.active_months,
            "archive_months": self.archive_months,
            "concern_months": self.concern_months,
            **{key: self.counts[key] for key in sorted(self.counts)},
        }


def _plan_concerns(report: RetentionReport) -> None:
    """Which concerns closed at triage without a case have their content erased on the day."""
    for source in holders.erasure_sources():
        for pk, started_at in source.candidates():
            erase_from = add_months(timezone.localdate(started_at), report.concern_months)
            if report.today >= erase_from:
                report.erasures.append((source.name, pk))
                report.counts[CONCERNS_TO_ERASE] += 1
            else:
                report.counts[CONCERNS_KEPT] += 1


def plan_retention(today: datetime.date | None = None) -> RetentionReport:
    """Which closed cases pass into the archive, which are anonymised, and which concerns
    closed at triage have their content erased, on `today`."""
    day = today or timezone.localdate()
    retention = active_profile().retention
    report = RetentionReport(
        today=day,
        dry_run=True,
        active_months=retention.active_months,
        archive_months=retention.archive_months,
        concern_months=retention.concern_months,
    )
    stages = dict(CaseRetention.objects.values_list("case_id", "stage"))
    for case in _closed_candidates().select_related(None).only("pk"):
        closed_on = closure_date(case)
        if closed_on is None:
            report.counts["closed_without_date"] += 1
            continue
        stage = stages.get(case.pk, RetentionStage.ACTIVE)
        archive_from = add_months(closed_on, retention.active_months)
        anonymise_from = add_months(archive_from, retention.archive_months)
        if day >= anonymise_from:
            report.to_anonymise.append(case.pk)
            report.counts[ACTION_ANONYMISE] += 1
        elif day >= archive_from and stage == RetentionStage.ACTIVE:
            report.to_archive.append(case.pk)
            report.counts[ACTION_ARCHIVE] += 1
        elif stage == RetentionStage.ARCHIVED:
            report.counts["stay_archived"] += 1
        else:
            report.counts["stay_active"] += 1
    _plan_concerns(report)
    return report


def archive_case(case: Case, *, actor: Actor, now: datetime.datetime | None = None) -> None:
    moment = now or timezone.now()
    with transaction.atomic():
        CaseRetention.objects.update_or_create(
            case=case, defaults={"stage": RetentionStage.ARCHIVED, "archived_at": moment}
        )
        record("retention.archive", target=case, actor=actor, details={"owner": case.owner_id})


def run_retention(
    today: datetime.date | None = None, *, dry_run: bool = False, actor: Actor | None = None
) -> RetentionReport:
    """Archive and anonymise the cases that are due and erase the content of the concerns that
    are due; with `dry_run`, only count. Audited either way, in the name of `actor` (by default
    the system's retention job)."""
    actor = actor or Actor.system(RETENTION_PROCESS)
    from opennrm.privacy.anonymise import anonymise_case

    report = plan_retention(today)
    report.dry_run = dry_run
    if not dry_run:
        done: Counter[str] = Counter()
        for case in Case.objects.filter(pk__in=report.to_archive).order_by("pk"):
            archive_case(case, actor=actor)
        for case in Case.objects.filter(pk__in=report.to_anonymise).order_by("pk"):
            done["persons_anonymised"] += int(anonymise_case(case, actor=actor))
        erasers = {source.name: source.erase for source in holders.erasure_sources()}
        now = timezone.now()
        for name, record_id in report.erasures:
            done[CONCERNS_ERASED] += int(erasers[name](record_id, actor, now))
        report.counts.update(done)
    record(
        "retention.dry_run" if dry_run else "retention.run",
        object_type="privacy.retention",
        actor=actor,
        details=report.as_details(),
    )
    return report
