"""Load fictional demo data: idempotent, refused outside demo mode.

Organisations, personas and the directory are created or updated. The concerns and cases of
detection and preliminary identification are made through the domain actions, as the pages
make them (so their timeline and audit entries exist), under fixed references: a second run
finds them and leaves them as they are.
"""

import datetime
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone

from opennrm.cases.enums import ConsentMethod, ConsentScope, DetectionChannel
from opennrm.cases.models import Case, Person
from opennrm.core.models import Membership, Organisation, Territory, TrainingRecord, User
from opennrm.demo.personas import (
    CASE_ASSESSMENT,
    CASE_CHILD,
    CASE_PRESUMED,
    DEMO_CONCERNS,
    DEMO_PASSWORD,
    DEMO_PERSONS,
    PERSONAS,
    DemoPerson,
)
from opennrm.detection import actions
from opennrm.detection.enums import AssessmentConclusion, ChildInvolved
from opennrm.detection.models import Concern, Guardian, PreliminaryAssessment
from opennrm.directory.models import ContactEntry
from opennrm.identification.models import Route
from opennrm.identification.services import refer
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.indicators.engine import evaluate
from opennrm.support.services import record_immediate_needs

DEPARTEMENTS = ("93", "13", "974")  # Seine-Saint-Denis, Bouches-du-Rhône, La Réunion (overseas)
LOCAL_KINDS = (
    ("association", "Association fictive d’aide aux victimes"),
    ("trade_union", "Union syndicale fictive"),
    ("police", "Commissariat fictif"),
    ("labour_inspection", "Inspection du travail fictive"),
    ("prefecture", "Préfecture fictive"),
    ("prosecutor", "Parquet fictif"),
    ("labour_directorate", "DDETS fictive"),
    ("accommodation", "Centre d’hébergement fictif"),
    ("local_coordination", "Coordination départementale fictive"),
)
REPORTER_KINDS = {"association", "trade_union", "police", "labour_inspection"}
CONTACT_REMITS = {
    "prefecture": ("Référent traite — bureau du séjour (fictif)", "Titres de séjour des victimes"),
    "prosecutor": ("Référent traite — parquet (fictif)", "Non-sanction, suites pénales"),
    "labour_directorate": ("Référent traite — DDETS (fictif)", "Exploitation par le travail"),
}


class Command(BaseCommand):
    help = "Create the fictional demo organisations, personas and directory (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo runs only in demo mode (OPENNRM_DEMO_MODE=true).")
        call_command("load_territories", verbosity=0)
        with transaction.atomic():
            organisations = self._organisations()
            self._personas(organisations)
            self._directory(organisations)
            Detection(organisations).seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(organisations)} fictional organisations, "
                f"{len(PERSONAS)} personas (password: {DEMO_PASSWORD}), "
                f"{len(DEMO_CONCERNS)} concerns and {len(DEMO_PERSONS)} cases."
            )
        )

    def _organisations(self) -> dict[str, Organisation]:
        today = timezone.localdate()
        result: dict[str, Organisation] = {}
        national, _ = Organisation.objects.update_or_create(
            name="Coordination nationale fictive (démo)",
            defaults={
                "kind": "national_coordinator",
                "national": True,
                "email": "coordination@demo.opennrm.invalid",
            },
        )
        result["national"] = national
        for code in DEPARTEMENTS:
            territory = Territory.objects.get(code=code)
            for kind, label in LOCAL_KINDS:
                reporter = kind in REPORTER_KINDS
                org, _ = Organisation.objects.update_or_create(
                    name=f"{label} — {territory.name} (démo)",
                    defaults={
                        "kind": kind,
                        "authorised_reporter": reporter,
                        "reporter_recognised_on": today.replace(year=today.year - 1)
                        if reporter
                        else None,
                        "reporter_recognition_ref": f"DEMO-AR-{code}-{kind}" if reporter else "",
                        "agreement_signed_on": today.replace(year=today.year - 1),
                        "agreement_ref": f"DEMO-CONV-{code}-{kind}",
                        "email": f"{kind.replace('_', '-')}.{code.lower()}@demo.opennrm.invalid",
                        "phone": "01 99 00 00 00",
                    },
                )
                org.territories.set([territory])
                result[f"{code}:{kind}"] = org
        # A child protection service in OpenNRM, for the child's case of La Réunion.
        reunion = Territory.objects.get(code="974")
        service, _ = Organisation.objects.update_or_create(
            name=f"Aide sociale à l’enfance fictive — {reunion.name} (démo)",
            defaults={
                "kind": "child_protection",
                "email": "child-protection.974@demo.opennrm.invalid",
                "phone": "01 99 00 00 00",
            },
        )
        service.territories.set([reunion])
        result["974:child_protection"] = service
        return result

    def _personas(self, organisations: dict[str, Organisation]) -> None:
        today = timezone.localdate()
        for persona in PERSONAS:
            user, created = User.objects.get_or_create(
                email=persona.email, defaults={"full_name": persona.full_name}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            EmailAddress.objects.get_or_create(
                user=user, email=persona.email, defaults={"primary": True, "verified": True}
            )
            Membership.objects.update_or_create(
                user=user,
                organisation=organisations[persona.organisation],
                role=persona.role,
                defaults={"is_admin": persona.is_admin, "is_active": True},
            )
            if persona.role in {"field_worker", "judicial_officer"}:
                TrainingRecord.objects.get_or_create(
                    user=user,
                    course="Formation fictive : repérer et protéger les victimes de traite",
                    defaults={
                        "provider": "Organisme de formation fictif",
                        "completed_on": today - datetime.timedelta(days=200),
                        "expires_on": today + datetime.timedelta(days=900),
                    },
                )

    def _directory(self, organisations: dict[str, Organisation]) -> None:
        today = timezone.localdate()
        for code in DEPARTEMENTS:
            territory = Territory.objects.get(code=code)
            for kind, (post, remit) in CONTACT_REMITS.items():
                if code == "974" and kind == "labour_directorate":
                    continue  # a gap, so that the coverage view has something to show
                org = organisations[f"{code}:{kind}"]
                # One entry in 93 is old, so that the stale flag shows.
                confirmed = today - datetime.timedelta(
                    days=250 if (code, kind) == ("93", "prosecutor") else 20
                )
                ContactEntry.objects.update_or_create(
                    organisation=org,
                    territory=territory,
                    post_title=post,
                    defaults={
                        "remit": remit,
                        "email": f"teh.{kind.replace('_', '-')}.{code}@demo.opennrm.invalid",
                        "phone": "01 99 00 00 01",
                        "last_confirmed_on": confirmed,
                        "is_published": True,
                    },
                )


# Detection and preliminary identification ---------------------------------------------------

# Indicators found present (catalogue 2026.1). Adults: recruitment by deception, exploitation
# and coercion at destination are each met, so the indicators advise "presumed victim".
ADULT_PRESENT = ("AL-DR-01", "AL-DR-08", "AL-EX-01", "AL-EX-04", "AL-CD-01", "AL-CD-03")
# The draft still under assessment: some answers given, the rest unknown.
DRAFT_ANSWERS = {
    "AL-DR-08": ("present", "Note fictive (démo) : salaire promis de 1 500 €, jamais versé."),
    "AL-EX-01": ("present", "Note fictive (démo) : sept jours sur sept."),
    "AL-CR-04": ("present", ""),
    "AL-CD-03": ("absent", ""),
}
# A child: exploitative conditions are enough; no "means" element is needed.
CHILD_PRESENT = ("CL-EX-01", "CL-EX-04")


def acting_request(user: User | None, membership: Membership | None = None) -> HttpRequest:
    """A request as the pages make it: the user, the membership they act with, a session.

    Without a user, a member of the public (the public report needs no account)."""
    request = RequestFactory().post("/")
    request.user = user if user is not None else AnonymousUser()
    request.membership = membership  # type: ignore[attr-defined]
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    return request


def _person_values(person: DemoPerson) -> dict[str, Any]:
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


class Detection:
    """The concerns and cases of issue 3, made by the personas through the domain actions."""

    def __init__(self, organisations: dict[str, Organisation]) -> None:
        self.organisations = organisations
        self.today = timezone.localdate()
        self.catalogue = latest_catalogue()

    def seed(self) -> None:
        self._concerns()
        self._case_under_assessment()
        self._presumed_victim_referred()
        self._child_case()

    # Who acts ---------------------------------------------------------------------------

    def _request(self, organisation: str, role: str) -> HttpRequest:
        membership = Membership.objects.select_related("user", "organisation").get(
            organisation=self.organisations[organisation], role=role, is_active=True
        )
        return acting_request(membership.user, membership)

    # Concerns ---------------------------------------------------------------------------

    def _concerns(self) -> None:
        public = acting_request(None)
        for item in DEMO_CONCERNS:
            if Concern.objects.filter(reference=item.reference).exists():
                continue
            concern = actions.submit_concern(
                public,
                channel=DetectionChannel.PUBLIC_REPORT,
                description=item.description,
                territory=Territory.objects.get(code=item.territory),
                commune=item.commune,
                place_type=item.place_type,
                sector=item.sector,
                signs=list(item.signs),
                child_involved=ChildInvolved.NO,
                contact="",
            )
            changes: dict[str, Any] = {"reference": item.reference}
            if item.overdue:  # received a week ago, never triaged
                changes["received_at"] = timezone.now() - datetime.timedelta(days=7)
                changes["triage_due"] = self.today - datetime.timedelta(days=3)
            Concern.objects.filter(pk=concern.pk).update(**changes)

    # Cases ------------------------------------------------------------------------------

    @staticmethod
    def _fix_reference(case: Case, reference: str) -> Case:
        """Give a new case its demo reference, before anything quotes the random one."""
        Case.objects.filter(pk=case.pk).update(reference=reference)
        case.reference = reference
        return case

    def _assess(
        self,
        case: Case,
        set_code: str,
        answers: dict[str, tuple[str, str]],
        request: HttpRequest,
    ) -> PreliminaryAssessment:
        assessment = actions.start_assessment(
            case, set_code=set_code, version=self.catalogue.version, request=request
        )
        actions.save_answers(
            assessment,
            {code: {"answer": answer, "note": note} for code, (answer, note) in answers.items()},
            request=request,
        )
        return assessment

    def _conclude_presumed(
        self, assessment: PreliminaryAssessment, reasons: str, request: HttpRequest
    ) -> None:
        from opennrm.web.views.assessments import ENGINE_CONCLUSION, engine_summary

        case = assessment.case
        evaluation = evaluate(
            self.catalogue,
            assessment.set_code,
            assessment.answer_map(),  # type: ignore[arg-type]
            "child" if case.child else "adult",
        )
        actions.conclude_assessment(
            assessment,
            conclusion=AssessmentConclusion.PRESUMED_VICTIM,
            reasons=reasons,
            engine_outcome=ENGINE_CONCLUSION[evaluation.presumed_victim],
            engine_summary=engine_summary(evaluation),
            request=request,
        )
        case.refresh_from_db()

    def _case_under_assessment(self) -> None:
        """93: the coordinator opened it from a concern; the association's draft assessment."""
        if Case.objects.filter(reference=CASE_ASSESSMENT).exists():
            return
        concern = Concern.objects.get(reference="S-DEM0-9303")
        if concern.case_id is not None or concern.status != "new":
            return  # triaged by hand in the demo: leave it as it is
        coordinator = self._request("93:local_coordination", "local_coordinator")
        worker = self._request("93:association", "field_worker")
        case = actions.open_case_from_concern(
            concern, owner=self.organisations["93:association"], request=coordinator
        )
        self._fix_reference(case, CASE_ASSESSMENT)
        # The worker met the person and records who she is.
        person = case.person
        values = _person_values(DEMO_PERSONS[CASE_ASSESSMENT])
        for field, value in values.items():
            setattr(person, field, value)
        actions.update_person(worker, case, person, [k for k, v in values.items() if v])
        self._assess(case, "adults_labour", DRAFT_ANSWERS, worker)

    def _presumed_victim_referred(self) -> None:
        """93: a presumed victim, informed, consenting, protected, referred to the platform."""
        if Case.objects.filter(reference=CASE_PRESUMED).exists():
            return
        worker = self._request("93:association", "field_worker")
        case = actions.open_case_directly(
            worker,
            person=Person(**_person_values(DEMO_PERSONS[CASE_PRESUMED])),
            channel=DetectionChannel.OUTREACH,
            territory=Territory.objects.get(code="93"),
            forms=["forced_labour"],
            sector="construction",
            places="Chantiers fictifs de Seine-Saint-Denis (démo)",
            period_start=self.today - datetime.timedelta(days=120),
            period_end=None,
            detected_on=self.today - datetime.timedelta(days=2),
        )
        self._fix_reference(case, CASE_PRESUMED)
        assessment = self._assess(
            case, "adults_labour", dict.fromkeys(ADULT_PRESENT, ("present", "")), worker
        )
        self._conclude_presumed(
            assessment,
            "Motifs fictifs (démo) : trompé sur l’emploi, papiers confisqués, isolé sur le "
            "chantier, jamais payé.",
            worker,
        )
        actions.record_rights_information(
            case,
            request=worker,
            given_on=self.today,
            language="ro",
            interpreter=True,
            interpreter_service="Service d’interprétariat fictif (démo)",
            leaflet_given=True,
            leaflet_language="en",
        )
        consent = actions.record_consent(
            case,
            scope=ConsentScope.REFERRAL,
            method=ConsentMethod.INTERPRETED,
            organisation=None,
            request=worker,
        )
        record_immediate_needs(
            case,
            request=worker,
            shelter=True,
            medical=True,
            psychological=False,
            interpreter=True,
            safety_risk="moderate",
            accompanying_children=0,
            urgency="urgent",
            notes="Besoins fictifs (démo) : hébergement d’urgence, consultation médicale.",
        )
        refer(
            case,
            route=Route.PLATFORM,
            target=self.organisations["93:local_coordination"],
            consent=consent,
            request=worker,
        )

    def _child_case(self) -> None:
        """974: a child presumed victim, an ad hoc administrator, child protection alerted."""
        if Case.objects.filter(reference=CASE_CHILD).exists():
            return
        worker = self._request("974:association", "field_worker")
        case = actions.open_case_directly(
            worker,
            person=Person(**_person_values(DEMO_PERSONS[CASE_CHILD])),
            channel=DetectionChannel.DIRECT,
            territory=Territory.objects.get(code="974"),
            forms=["forced_labour"],
            sector="agriculture",
            places="Exploitation agricole fictive (démo)",
            period_start=None,
            period_end=None,
            detected_on=self.today - datetime.timedelta(days=1),
        )
        self._fix_reference(case, CASE_CHILD)
        assessment = self._assess(
            case, "children_labour", dict.fromkeys(CHILD_PRESENT, ("present", "")), worker
        )
        self._conclude_presumed(
            assessment,
            "Motifs fictifs (démo) : une enfant de 15 ans travaille aux champs tous les jours, "
            "sans salaire.",
            worker,
        )
        actions.record_guardian(
            case,
            request=worker,
            kind=Guardian.Kind.AD_HOC,
            name="Administratrice ad hoc fictive (démo)",
            contact="01 99 00 00 02",
            appointed_on=self.today,
        )
        actions.alert_child_protection(
            case,
            service=self.organisations["974:child_protection"],
            service_name="",
            alerted_on=self.today,
            request=worker,
        )
