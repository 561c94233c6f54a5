"""Steps every demo case goes through, made by the domain actions as the pages make them:
open the case, assess it against the indicators, conclude, inform of rights, record consent."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from opennrm.cases.enums import ConsentMethod, ConsentScope, DetectionChannel
from opennrm.cases.models import Case, Consent, Person
from opennrm.core.acting import Actor
from opennrm.demo import places
from opennrm.demo.personas import DEMO_PERSONS, DemoPerson
from opennrm.detection import actions
from opennrm.detection.advice import ENGINE_CONCLUSION, engine_summary, evaluate_assessment
from opennrm.detection.enums import AssessmentConclusion
from opennrm.detection.models import PreliminaryAssessment
from opennrm.indicators.catalogue import latest_catalogue

# Indicators found present (catalogue 2026.1). Adults: recruitment by deception, exploitation
# and coercion at destination are each met, so the indicators advise "presumed victim".
ADULT_PRESENT = ("AL-DR-01", "AL-DR-08", "AL-EX-01", "AL-EX-04", "AL-CD-01", "AL-CD-03")


def person_values(person: DemoPerson) -> dict[str, Any]:
    return {
        "given_names": person.given_names,
        "family_name": person.family_name,
        "aliases": person.aliases,
        "date_of_birth": datetime.date.fromisoformat(person.date_of_birth)
        if person.date_of_birth
        else None,
        "estimated_age": person.estimated_age,
        "sex": person.sex,
        "nationalities": list(person.nationalities),
        "languages": list(person.languages),
    }


def fix_reference(case: Case, reference: str) -> Case:
    """Give a new case its demo reference, before anything quotes the random one (a name, not
    a state: the demo's pages and guide quote these references)."""
    Case.objects.filter(pk=case.pk).update(reference=reference)
    case.reference = reference
    return case


def assess(
    case: Case, set_code: str, answers: dict[str, tuple[str, str]], actor: Actor
) -> PreliminaryAssessment:
    """Start an assessment with the latest catalogue and save the answers (a draft)."""
    assessment = actions.start_assessment(
        case, set_code=set_code, version=latest_catalogue().version, actor=actor
    )
    actions.save_answers(
        assessment,
        {code: {"answer": answer, "note": note} for code, (answer, note) in answers.items()},
        actor=actor,
    )
    return assessment


def conclude_presumed(assessment: PreliminaryAssessment, reasons: str, actor: Actor) -> None:
    """The professional concludes "presumed victim", with the indicators' advice stored as the
    assessment page stores it. Protection opens at once (support record, reflection period)."""
    evaluation = evaluate_assessment(assessment)
    actions.conclude_assessment(
        assessment,
        conclusion=AssessmentConclusion.PRESUMED_VICTIM,
        reasons=reasons,
        engine_outcome=ENGINE_CONCLUSION[evaluation.presumed_victim],
        engine_summary=engine_summary(evaluation),
        actor=actor,
    )
    assessment.case.refresh_from_db()


@dataclass(frozen=True)
class Story:
    """How an adult's case was detected, what was found, and in which language they were
    informed of their rights."""

    channel: str
    forms: tuple[str, ...]
    sector: str
    places: str
    reasons: str
    language: str
    interpreter: bool = False
    consent_method: str = ConsentMethod.ORAL
    exploited_for_days: int = 90
    detected_days_ago: int = 1


def presumed_adult(
    reference: str, story: Story, worker: Actor, *, consent_to_referral: bool = True
) -> tuple[Case, Consent | None]:
    """An adult's case opened by a field worker, assessed and concluded "presumed victim",
    rights information given, and (if the person agrees) consent to referral recorded."""
    today = timezone.localdate()
    case = actions.open_case_directly(
        worker,
        person=Person(**person_values(DEMO_PERSONS[reference])),
        channel=story.channel or DetectionChannel.DIRECT,
        territory=places.territory("93"),
        forms=list(story.forms),
        sector=story.sector,
        places=story.places,
        period_start=today - datetime.timedelta(days=story.exploited_for_days),
        period_end=None,
        detected_on=today - datetime.timedelta(days=story.detected_days_ago),
    )
    fix_reference(case, reference)
    assessment = assess(
        case, "adults_labour", dict.fromkeys(ADULT_PRESENT, ("present", "")), worker
    )
    conclude_presumed(assessment, story.reasons, worker)
    actions.record_rights_information(
        case,
        actor=worker,
        given_on=today,
        language=story.language,
        interpreter=story.interpreter,
        interpreter_service="Service d’interprétariat fictif (démo)" if story.interpreter else "",
        leaflet_given=True,
        leaflet_language=places.leaflet_language("fr" if story.language == "fr" else "en"),
    )
    consent = None
    if consent_to_referral:
        consent = actions.record_consent(
            case,
            scope=ConsentScope.REFERRAL,
            method=story.consent_method,
            organisation=None,
            actor=worker,
        )
    return case, consent
