"""Where a case stands: the mechanism's steps (detection → preliminary identification →
protection → formal identification → support → closure), each with its state and due date, and
what the responsible organisation's field staff still have to do.

Pure: computed from what the case page already loads (the case, its timeline, its referrals,
its reflection periods, its closure before support), so the page's query count does not move.
The timeline is read for what only it records on this page (rights information given,
immediate needs recorded, guardian, child protection alerted, referral refused, support opened,
closed, reopened).
"""

import datetime
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.cases.enums import IdentificationStatus
from opennrm.detection.accounts import Completeness
from opennrm.identification.models import ReferralStatus, Route

PRESUMED_ON = frozenset(
    {
        IdentificationStatus.PRESUMED_VICTIM,
        IdentificationStatus.IDENTIFIED_VICTIM,
        IdentificationStatus.NOT_IDENTIFIED,
    }
)
DECIDED = frozenset({IdentificationStatus.IDENTIFIED_VICTIM, IdentificationStatus.NOT_IDENTIFIED})


class State(enum.StrEnum):
    DONE = "done"
    CURRENT = "current"
    TODO = "todo"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return {
            State.DONE: _("Done"),
            State.CURRENT: _("In progress"),
            State.TODO: _("To do"),
            State.NOT_APPLICABLE: _("Not applicable"),
        }[self]

    @property
    def badge(self) -> str:
        """The DSFR badge's modifier."""
        return {
            State.DONE: "fr-badge--success",
            State.CURRENT: "fr-badge--info",
            State.TODO: "",
            State.NOT_APPLICABLE: "",
        }[self]


class Step(enum.StrEnum):
    DETECTION = "detection"
    PRELIMINARY = "preliminary"
    PROTECTION = "protection"
    FORMAL = "formal"
    SUPPORT = "support"
    CLOSURE = "closure"

    @property
    def label(self) -> str:
        return {
            Step.DETECTION: _("Detection"),
            Step.PRELIMINARY: _("Preliminary identification"),
            Step.PROTECTION: _("Protection"),
            Step.FORMAL: _("Formal identification"),
            Step.SUPPORT: _("Support"),
            Step.CLOSURE: _("Closure"),
        }[self]


@dataclass(frozen=True)
class ReferralFacts:
    route: str
    status: str
    decision_due: datetime.date
    paused: bool = False

    @property
    def pending(self) -> bool:
        return self.status in {ReferralStatus.SENT, ReferralStatus.RECEIVED}


@dataclass(frozen=True)
class CaseFacts:
    """What the page knows of the case, as plain values."""

    status: str
    child: bool
    detected_on: datetime.date
    assessment_due: datetime.date | None = None
    # The timeline's kinds with their day, oldest first.
    events: tuple[tuple[str, datetime.date], ...] = ()
    referrals: tuple[ReferralFacts, ...] = ()
    reflection_ends_on: datetime.date | None = None
    # The closure before support in force, if any.
    closed_on: datetime.date | None = None
    has_referral_consent: bool = False

    def happened(self, kind: str) -> bool:
        return any(k == kind for k, _day in self.events)

    def last(self, kind: str) -> datetime.date | None:
        days = [day for k, day in self.events if k == kind]
        return days[-1] if days else None

    @property
    def support(self) -> tuple[str | None, datetime.date | None]:
        """Support's status ("open", "closed" or None when it never opened) and its day."""
        status: str | None = None
        day: datetime.date | None = None
        for kind, at in self.events:
            if kind in {"support.opened", "support.reopened"}:
                status, day = "open", at
            elif kind == "support.closed":
                status, day = "closed", at
        return status, day

    @property
    def referrals_in_force(self) -> list[ReferralFacts]:
        return [r for r in self.referrals if r.status != ReferralStatus.WITHDRAWN]


@dataclass(frozen=True)
class StepProgress:
    step: Step
    state: State
    due: datetime.date | None = None
    due_label: str = ""
    overdue: bool = False
    note: str = ""
    day: datetime.date | None = None  # when it was done

    @property
    def label(self) -> str:
        return self.step.label


@dataclass(frozen=True)
class Progress:
    steps: list[StepProgress]

    @property
    def current_index(self) -> int:
        """1-based: the first step in progress, else the first to do, else the last done."""
        for wanted in (State.CURRENT, State.TODO):
            for index, step in enumerate(self.steps, start=1):
                if step.state == wanted:
                    return index
        return len(self.steps)

    @property
    def current(self) -> StepProgress:
        return self.steps[self.current_index - 1]

    @property
    def following(self) -> StepProgress | None:
        """The next step still to come after the current one, if any."""
        for step in self.steps[self.current_index :]:
            if step.state in {State.TODO, State.CURRENT}:
                return step
        return None

    def of(self, step: Step) -> StepProgress:
        return next(s for s in self.steps if s.step == step)


def progress(facts: CaseFacts, today: datetime.date) -> Progress:
    return Progress(
        [
            StepProgress(Step.DETECTION, State.DONE, day=facts.detected_on),
            _preliminary(facts, today),
            _protection(facts),
            _formal(facts, today),
            _support(facts),
            _closure(facts),
        ]
    )


def _preliminary(facts: CaseFacts, today: datetime.date) -> StepProgress:
    status = facts.status
    if status == IdentificationStatus.PRELIMINARY_ASSESSMENT:
        if facts.closed_on is not None:
            return StepProgress(Step.PRELIMINARY, State.NOT_APPLICABLE, note=_("Case closed"))
        due = facts.assessment_due
        return StepProgress(
            Step.PRELIMINARY,
            State.CURRENT,
            due=due,
            due_label=_("Assessment due") if due else "",
            overdue=due is not None and due < today,
        )
    if status == IdentificationStatus.NOT_PRESUMED:
        return StepProgress(
            Step.PRELIMINARY,
            State.DONE,
            note=_("Not presumed a victim"),
            day=facts.last("status.not_presumed"),
        )
    return StepProgress(
        Step.PRELIMINARY,
        State.DONE,
        note=_("Presumed victim"),
        day=facts.last("status.presumed_victim"),
    )


def _protection(facts: CaseFacts) -> StepProgress:
    if facts.status not in PRESUMED_ON:
        if facts.closed_on is not None or facts.status == IdentificationStatus.NOT_PRESUMED:
            return StepProgress(Step.PROTECTION, State.NOT_APPLICABLE)
        return StepProgress(Step.PROTECTION, State.TODO)
    due = facts.reflection_ends_on
    needs = facts.last("protection.immediate_needs")
    return StepProgress(
        Step.PROTECTION,
        State.DONE if needs else State.CURRENT,
        due=due,
        due_label=_("Reflection period ends") if due else "",
        note="" if needs else _("Immediate needs not recorded yet"),
        day=needs,
    )


def _formal(facts: CaseFacts, today: datetime.date) -> StepProgress:
    status = facts.status
    if status in DECIDED:
        return StepProgress(
            Step.FORMAL,
            State.DONE,
            note=str(IdentificationStatus(status).label),
            day=facts.last(f"status.{status}"),
        )
    if status != IdentificationStatus.PRESUMED_VICTIM:
        if facts.closed_on is not None or status == IdentificationStatus.NOT_PRESUMED:
            return StepProgress(Step.FORMAL, State.NOT_APPLICABLE)
        return StepProgress(Step.FORMAL, State.TODO)
    pending = [r for r in facts.referrals_in_force if r.pending]
    if pending:
        first = min(pending, key=lambda r: r.decision_due)
        running = [r for r in pending if not r.paused]
        return StepProgress(
            Step.FORMAL,
            State.CURRENT,
            due=first.decision_due,
            due_label=_("Decision due"),
            overdue=any(r.decision_due < today for r in running),
            note=_("Referred, awaiting the decision"),
        )
    if not facts.referrals_in_force and facts.happened("referral.refused") and not facts.child:
        return StepProgress(
            Step.FORMAL,
            State.NOT_APPLICABLE,
            note=_("The person declined to be referred (anonymous notification sent)"),
        )
    return StepProgress(Step.FORMAL, State.CURRENT, note=_("Not referred yet"))


def _support(facts: CaseFacts) -> StepProgress:
    status, day = facts.support
    if status == "open":
        return StepProgress(Step.SUPPORT, State.CURRENT)
    if status == "closed":
        return StepProgress(Step.SUPPORT, State.DONE, day=day)
    if facts.closed_on is not None or facts.status == IdentificationStatus.NOT_PRESUMED:
        return StepProgress(Step.SUPPORT, State.NOT_APPLICABLE)
    return StepProgress(Step.SUPPORT, State.TODO)


def _closure(facts: CaseFacts) -> StepProgress:
    if facts.closed_on is not None:
        return StepProgress(
            Step.CLOSURE, State.DONE, day=facts.closed_on, note=_("Closed before support")
        )
    status, day = facts.support
    if status == "closed":
        return StepProgress(Step.CLOSURE, State.DONE, day=day, note=_("Closed after support"))
    if status is None and facts.status == IdentificationStatus.NOT_PRESUMED:
        return StepProgress(Step.CLOSURE, State.CURRENT, note=_("To close if the case ends here"))
    return StepProgress(Step.CLOSURE, State.TODO)


# What to do next ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str | None = None


@dataclass
class _Steps:
    url: Callable[[str], str | None]
    items: list[NextStep] = field(default_factory=list)

    def add(self, text: str, page: str | None) -> None:
        self.items.append(NextStep(text, self.url(page) if page else None))


def next_steps(
    facts: CaseFacts,
    state: Progress,
    *,
    url: Callable[[str], str | None],
    account: Completeness | None,
    draft_url: str | None = None,
) -> list[NextStep]:
    """What the responsible organisation's field staff still have to do, from the state.

    `url(name)` gives the link of one of the case's pages (None while it does not exist);
    the caller shows these only to the responsible organisation's field staff of an open case.
    """
    steps = _Steps(url)
    status = facts.status
    support_status, _day = facts.support
    if facts.closed_on is not None or state.of(Step.CLOSURE).state == State.DONE:
        return []
    if status not in DECIDED and (account is None or not account.complete):
        steps.items.append(
            NextStep(
                _("Record the person's account and the interview")
                if account is None
                else _("Complete the person's account (%(filled)s of %(total)s sections)")
                % {"filled": account.filled, "total": account.total},
                url("web:account"),
            )
        )
    if status in {IdentificationStatus.PRELIMINARY_ASSESSMENT, IdentificationStatus.NOT_PRESUMED}:
        if draft_url is not None:
            steps.items.append(NextStep(_("Continue the preliminary assessment"), draft_url))
        else:
            steps.add(
                _("Run the preliminary assessment with indicators")
                if status == IdentificationStatus.PRELIMINARY_ASSESSMENT
                else _("Run a new assessment if new facts come to light"),
                "web:assessment_start",
            )
    if not facts.happened("rights.informed"):
        steps.add(
            _("Inform the person of their rights, in a language they understand"), "web:rights"
        )
    if status == IdentificationStatus.NOT_PRESUMED:
        steps.add(_("Close the case if it ends here"), "web:case_close")
    if status in PRESUMED_ON:
        _protection_steps(facts, steps)
    if status == IdentificationStatus.PRESUMED_VICTIM:
        _referral_steps(facts, steps)
    if status == IdentificationStatus.NOT_IDENTIFIED:
        steps.add(
            _("Ask for a reconsideration of the decision if new facts come to light"),
            "web:identification",
        )
    if support_status == "open":
        steps.add(
            _("Follow the support plan: needs, orientations, accommodation"), "web:support_plan"
        )
    return steps.items


def _protection_steps(facts: CaseFacts, steps: _Steps) -> None:
    if not facts.happened("protection.immediate_needs"):
        steps.add(_("Record the person's immediate needs"), "web:protection")
    if facts.child:
        if not facts.happened("child.guardian"):
            steps.add(_("Record the guardian or ad hoc administrator"), "web:guardian")
        if not facts.happened("child.protection_alerted"):
            steps.add(_("Alert child protection services"), "web:child_protection")


def _referral_steps(facts: CaseFacts, steps: _Steps) -> None:
    in_force = facts.referrals_in_force
    routes = {r.route for r in in_force}
    if any(r.paused for r in in_force if r.pending):
        steps.add(_("Answer the question asked about the referral"), "web:identification")
    if in_force:
        steps.add(_("Follow the formal identification"), "web:identification")
        if len(routes) < len(Route.values):
            steps.add(_("Refer also by the other route, if the person wishes"), "web:refer")
        return
    if facts.child:
        steps.add(_("Refer the child to formal identification (no consent needed)"), "web:refer")
    elif facts.has_referral_consent:
        steps.add(_("Refer to formal identification by the route the person chose"), "web:refer")
    elif facts.happened("referral.refused"):
        steps.add(
            _("If the person changes their mind: record their consent to be referred"),
            "web:consents",
        )
    else:
        steps.add(_("Ask whether the person consents to be referred"), "web:consents")
        steps.add(
            _("If the person refuses: send an anonymous notification"),
            "web:anonymous_notification",
        )


def events_of(
    kinds_and_moments: Iterable[tuple[str, datetime.datetime]],
) -> tuple[tuple[str, datetime.date], ...]:
    """The timeline as (kind, local day), oldest first."""
    return tuple((kind, timezone.localdate(at)) for kind, at in kinds_and_moments)
