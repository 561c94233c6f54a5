"""Detection and preliminary identification in the demo (issue 3): public concerns, a case
under assessment, a presumed victim referred to the platform, a child in La Réunion, and a
case transferred from Seine-Saint-Denis to Bouches-du-Rhône (issue 12)."""

import datetime
from typing import Any

from django.utils import timezone

from opennrm.cases import transfer
from opennrm.cases.enums import (
    ConsentMethod,
    ConsentScope,
    DetectionChannel,
    EvidenceKind,
    FileFormat,
    FormerOwnerAccess,
)
from opennrm.cases.evidence import Upload, attach_evidence
from opennrm.cases.models import Case, Person
from opennrm.cases.persons import update_person
from opennrm.cases.safe_contact import record_safe_contact
from opennrm.core.models import Organisation
from opennrm.demo import places
from opennrm.demo.acting import as_persona, public
from opennrm.demo.casework import (
    ADULT_PRESENT,
    assess,
    conclude_presumed,
    fix_reference,
    person_values,
)
from opennrm.demo.documents import fictional_pdf, fictional_png
from opennrm.demo.personas import (
    AMINA,
    CASE_ASSESSMENT,
    CASE_CHILD,
    CASE_PRESUMED,
    CASE_TRANSFERRED,
    DEMO_CONCERNS,
    DEMO_PERSONS,
    JEAN,
    LOUIS,
    YASMINE,
)
from opennrm.detection import accounts, actions, facts
from opennrm.detection.enums import ChildInvolved
from opennrm.detection.models import Concern, Guardian
from opennrm.identification.models import Route
from opennrm.identification.services import refer
from opennrm.support.services import record_immediate_needs

# The draft still under assessment: some answers given, the rest unknown.
DRAFT_ANSWERS = {
    "AL-DR-08": ("present", "Note fictive (démo) : salaire promis de 1 500 €, jamais versé."),
    "AL-EX-01": ("present", "Note fictive (démo) : sept jours sur sept."),
    "AL-CR-04": ("present", ""),
    "AL-CD-03": ("absent", ""),
}
# A child: exploitative conditions are enough; no "means" element is needed.
CHILD_PRESENT = ("CL-EX-01", "CL-EX-04")


class Detection:
    """The concerns and cases of issue 3, made by the personas through the domain actions."""

    def __init__(self, organisations: dict[str, Organisation]) -> None:
        self.organisations = organisations
        self.today = timezone.localdate()

    def seed(self) -> None:
        self._concerns()
        self._case_under_assessment()
        self._presumed_victim_referred()
        self._child_case()
        self._transferred_case()

    # Concerns ---------------------------------------------------------------------------

    def _concerns(self) -> None:
        public_actor = public()
        for item in DEMO_CONCERNS:
            if Concern.objects.filter(reference=item.reference).exists():
                continue
            concern = actions.submit_concern(
                public_actor,
                channel=DetectionChannel.PUBLIC_REPORT,
                description=item.description,
                territory=places.territory(item.territory),
                commune=item.commune,
                place_type=item.place_type,
                sector=item.sector,
                signs=list(item.signs),
                child_involved=ChildInvolved.NO,
                contact="",
            )
            # Demo references; the overdue one is back-dated (received a week ago, never
            # triaged) so that the overdue lists have something to show.
            changes: dict[str, Any] = {"reference": item.reference}
            if item.overdue:
                changes["received_at"] = timezone.now() - datetime.timedelta(days=7)
                changes["triage_due"] = self.today - datetime.timedelta(days=3)
            Concern.objects.filter(pk=concern.pk).update(**changes)

    # Cases ------------------------------------------------------------------------------

    def _case_under_assessment(self) -> None:
        """93: the coordinator opened it from a concern; the association's draft assessment."""
        if Case.objects.filter(reference=CASE_ASSESSMENT).exists():
            return
        concern = Concern.objects.get(reference="S-DEM0-9303")
        if concern.case_id is not None or concern.status != "new":
            return  # triaged by hand in the demo: leave it as it is
        coordinator = as_persona(LOUIS)
        worker = as_persona(AMINA)
        case = actions.open_case_from_concern(
            concern, owner=self.organisations["93:association"], actor=coordinator
        )
        fix_reference(case, CASE_ASSESSMENT)
        # The worker met the person and records who she is.
        person = case.person
        values = person_values(DEMO_PERSONS[CASE_ASSESSMENT])
        for field, value in values.items():
            setattr(person, field, value)
        update_person(worker, case, person, [k for k, v in values.items() if v])
        assess(case, "adults_labour", DRAFT_ANSWERS, worker)

    def _presumed_victim_referred(self) -> None:
        """93: a presumed victim, informed, consenting, protected, referred to the platform."""
        if Case.objects.filter(reference=CASE_PRESUMED).exists():
            return
        worker = as_persona(AMINA)
        case = actions.open_case_directly(
            worker,
            person=Person(**person_values(DEMO_PERSONS[CASE_PRESUMED])),
            channel=DetectionChannel.OUTREACH,
            territory=places.territory("93"),
            forms=["forced_labour"],
            sector="construction",
            places="Chantiers fictifs de Seine-Saint-Denis (démo)",
            period_start=self.today - datetime.timedelta(days=120),
            period_end=None,
            detected_on=self.today - datetime.timedelta(days=2),
        )
        fix_reference(case, CASE_PRESUMED)
        assessment = assess(
            case, "adults_labour", dict.fromkeys(ADULT_PRESENT, ("present", "")), worker
        )
        conclude_presumed(
            assessment,
            "Motifs fictifs (démo) : trompé sur l’emploi, papiers confisqués, isolé sur le "
            "chantier, jamais payé.",
            worker,
        )
        actions.record_rights_information(
            case,
            actor=worker,
            given_on=self.today,
            language="ro",
            interpreter=True,
            interpreter_service="Service d’interprétariat fictif (démo)",
            leaflet_given=True,
            leaflet_language=places.leaflet_language("en"),
        )
        consent = actions.record_consent(
            case,
            scope=ConsentScope.REFERRAL,
            method=ConsentMethod.INTERPRETED,
            organisation=None,
            actor=worker,
        )
        record_immediate_needs(
            case,
            actor=worker,
            shelter=True,
            medical=True,
            psychological=False,
            interpreter=True,
            safety_risk="moderate",
            accompanying_children=0,
            urgency="urgent",
            notes="Besoins fictifs (démo) : hébergement d’urgence, consultation médicale.",
        )
        self._account(case, worker)
        self._evidence(case, worker)
        # How to reach her safely: through the association, never by post (fictional).
        record_safe_contact(
            case,
            {
                "phone": "06 00 00 00 00 (fictif, démo)",
                "address": "Adresse fictive (démo), Saint-Denis",
                "through_organisation": True,
                "contact_organisation": self.organisations["93:association"],
                "preferred_language": "ro",
                "safe_times": "En semaine, de 10 h à 12 h (fictif, démo)",
                "do_not_write": True,
                "do_not_call": False,
                "precautions": "Précautions fictives (démo) : le chef de chantier relève le "
                "courrier ; ne jamais laisser de message vocal, se présenter comme « le "
                "cabinet médical ».",
            },
            actor=worker,
        )
        refer(
            case,
            route=Route.PLATFORM,
            target=self.organisations["93:local_coordination"],
            consent=consent,
            actor=worker,
        )

    def _evidence(self, case: Case, worker: Any) -> None:
        """Two documents attached to the case, generated here and marked fictional: the receipt
        of a complaint (PDF) and a photograph of where she slept (PNG)."""
        receipt = fictional_pdf(
            [
                "DOCUMENT FICTIF - DÉMONSTRATION OPENNRM",
                "Récépissé de dépôt de plainte (fictif)",
                "Commissariat fictif de Seine-Saint-Denis",
                "Aucune personne, aucun service réels.",
            ]
        )
        attach_evidence(
            case,
            Upload(receipt, FileFormat.PDF, "recepisse_plainte_fictif.pdf"),
            kind=EvidenceKind.COMPLAINT_RECEIPT,
            document_date=self.today - datetime.timedelta(days=1),
            description="Récépissé fictif (démo) de la plainte déposée pour travail forcé.",
            actor=worker,
        )
        photo = fictional_png(
            [
                "IMAGE FICTIVE - DEMONSTRATION OPENNRM",
                "Local de stockage du chantier ou elle dormait",
                "(fictif : aucune personne, aucun lieu reels)",
            ]
        )
        attach_evidence(
            case,
            Upload(photo, FileFormat.PNG, "photo_local_chantier_fictif.png"),
            kind=EvidenceKind.PHOTO,
            description="Photographie fictive (démo) du local où elle dormait sur le chantier.",
            actor=worker,
        )

    def _account(self, case: Case, worker: Any) -> None:
        """The person's complete account (every section, two situations): what the platform
        reads in the referred file. Fictional throughout."""
        sections: dict[str, dict[str, Any]] = {
            "background": {
                "background": "Récit fictif (démo) : a grandi dans un village agricole, a "
                "quitté l’école à 15 ans, a travaillé comme manœuvre sur des chantiers locaux."
            },
            "recruitment": {
                "recruitment": "Récit fictif (démo) : un homme rencontré au village promet un "
                "emploi dans le bâtiment en France, 1 500 € par mois, logé ; le voyage, avancé "
                "par lui, est à rembourser sur les salaires (2 000 €)."
            },
            "journey": {
                "journey": "Récit fictif (démo) : trajet en minibus avec quatre autres "
                "hommes, passeports gardés par le chauffeur « pour les contrôles »."
            },
            "conditions": {
                "conditions": "Récit fictif (démo) : douze heures par jour, sept jours sur "
                "sept ; logé à six dans un conteneur sur le chantier ; un repas par jour."
            },
            "control": {
                "control_means": ["documents", "debt", "threats", "isolation"],
                "control": "Récit fictif (démo) : passeport jamais rendu ; la dette augmente "
                "à chaque « amende » ; menaces de dénonciation à la police.",
            },
            "leaving": {
                "still_there": "no",
                "leaving": "Récit fictif (démo) : a quitté le chantier lors d’une "
                "maraude de l’association, sans ses papiers.",
            },
            "contact": {
                "last_contact": "month",
                "reprisals": "Récit fictif (démo) : messages menaçants reçus de l’employeur ; "
                "crainte pour un frère resté au pays.",
            },
            "reported": {
                "reported_before": "no",
                "reported_details": "Récit fictif (démo) : peur de la police, ne savait pas "
                "à qui s’adresser.",
            },
            "interview": {
                "interview_place": "Locaux de l’association (démo)",
                "interview_on": self.today - datetime.timedelta(days=1),
                "interpreter_language": "ro",
                "present": "Interprète du service fictif (démo), par téléphone ; une "
                "travailleuse sociale de l’association.",
                "breaks": "Deux pauses, à la demande de la personne.",
                "person_state": "Fatigué, inquiet pour ses papiers, calme.",
                "insight": "Analyse fictive (démo) : récit constant de tromperie sur "
                "l’emploi, de confiscation des papiers et de servitude pour dettes.",
                "credibility": "",
            },
        }
        for section, values in sections.items():
            accounts.save_section(case, section, values, actor=worker)
        seine_saint_denis = places.territory("93")
        for values in (
            {
                "timing": "Fictif (démo) : deux semaines, au départ",
                "abroad": True,
                "country": "RO",
                "sector": "construction",
                "forms": ["forced_labour"],
                "description": "Situation fictive (démo) : travail sur un chantier de "
                "transit, sans salaire, en attendant le départ.",
            },
            {
                "started_on": self.today - datetime.timedelta(days=120),
                "territory": seine_saint_denis,
                "commune": "Commune fictive (démo)",
                "sector": "construction",
                "forms": ["forced_labour"],
                "description": "Situation fictive (démo) : gros œuvre sur des chantiers, "
                "jamais payé.",
            },
        ):
            accounts.add_situation(case, values, actor=worker)
        # The facts in standard terms (HTCDS), one exploiter and one workplace (fictional).
        facts.save_facts(
            case,
            {
                "recruitment_methods": ["friends"],
                "control_means": ["documents", "debt", "threats", "isolation", "takes_earnings"],
                "recruitment_countries": ["RO"],
                "transit_countries": ["HU", "AT", "DE"],
                "exploitation_countries": ["RO", "FR"],
                "exploitation_territories": [places.unit("93")],
                "sectors": ["construction"],
                "forms": ["forced_labour"],
                "relation_to_exploiter": "acquaintance",
                "minor_during_exploitation": "no",
                "self_identifies": "partly",
            },
            actor=worker,
        )
        facts.add_exploiter(
            case,
            {
                "roles": ["recruiter", "employer", "controller"],
                "name": "« Le Patron » (surnom fictif, démo)",
                "nationality": "RO",
                "sex": "male",
                "notes": "Notes fictives (démo) : recrute au village, encaisse les salaires, "
                "passe chaque soir au conteneur.",
            },
            actor=worker,
        )
        facts.add_workplace(
            case,
            {
                "name": "SARL Bâtiment Fictif du Nord (démo)",
                "address": "Chantier fictif (démo), avenue Imaginaire",
                "commune": "Commune fictive (démo)",
                "territory": seine_saint_denis,
                "sector": "construction",
            },
            actor=worker,
        )

    def _child_case(self) -> None:
        """974: a child presumed victim, an ad hoc administrator, child protection alerted."""
        if Case.objects.filter(reference=CASE_CHILD).exists():
            return
        worker = as_persona(JEAN)
        case = actions.open_case_directly(
            worker,
            person=Person(**person_values(DEMO_PERSONS[CASE_CHILD])),
            channel=DetectionChannel.DIRECT,
            territory=places.territory("974"),
            forms=["forced_labour"],
            sector="agriculture",
            places="Exploitation agricole fictive (démo)",
            period_start=None,
            period_end=None,
            detected_on=self.today - datetime.timedelta(days=1),
        )
        fix_reference(case, CASE_CHILD)
        assessment = assess(
            case, "children_labour", dict.fromkeys(CHILD_PRESENT, ("present", "")), worker
        )
        conclude_presumed(
            assessment,
            "Motifs fictifs (démo) : une enfant de 15 ans travaille aux champs tous les jours, "
            "sans salaire.",
            worker,
        )
        actions.record_guardian(
            case,
            actor=worker,
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
            actor=worker,
        )

    def _transferred_case(self) -> None:
        """93 → 13: a presumed victim whose exploiters found her in Seine-Saint-Denis is moved
        away for her safety; Amina proposes the transfer with her consent (through an
        interpreter), the association keeps read-only access as she agreed, and Yasmine's
        association of Bouches-du-Rhône accepts and carries on the support."""
        if Case.objects.filter(reference=CASE_TRANSFERRED).exists():
            return
        worker = as_persona(AMINA)
        case = actions.open_case_directly(
            worker,
            person=Person(**person_values(DEMO_PERSONS[CASE_TRANSFERRED])),
            channel=DetectionChannel.DROP_IN,
            territory=places.territory("93"),
            forms=["domestic_servitude"],
            sector="domestic_work",
            places="Domicile fictif d’un employeur de Seine-Saint-Denis (démo)",
            period_start=self.today - datetime.timedelta(days=200),
            period_end=self.today - datetime.timedelta(days=10),
            detected_on=self.today - datetime.timedelta(days=9),
        )
        fix_reference(case, CASE_TRANSFERRED)
        assessment = assess(
            case, "adults_labour", dict.fromkeys(ADULT_PRESENT, ("present", "")), worker
        )
        conclude_presumed(
            assessment,
            "Motifs fictifs (démo) : recrutée comme nourrice par une fausse promesse, dette de "
            "voyage, papiers confisqués, jamais payée, jamais seule hors de la maison.",
            worker,
        )
        actions.record_rights_information(
            case,
            actor=worker,
            given_on=self.today - datetime.timedelta(days=8),
            language="ro",
            interpreter=True,
            interpreter_service="Service d’interprétariat fictif (démo)",
            leaflet_given=True,
            # No leaflet in Romanian: the English one, interpreted.
            leaflet_language=places.leaflet_language("en"),
        )
        proposal = transfer.propose_transfer(
            case,
            actor=worker,
            to_organisation=self.organisations["13:association"],
            to_territory=places.territory("13"),
            reason="distancing",
            explanation="Explication fictive (démo) : ses exploiteurs l’ont retrouvée près du "
            "centre d’hébergement ; le réseau national d’accueil éloigné a une place dans les "
            "Bouches-du-Rhône.",
            agreement=transfer.Agreement(
                former_access=FormerOwnerAccess.READ_ONLY,
                person_consents=True,
                method=ConsentMethod.INTERPRETED,
            ),
        )
        transfer.accept_transfer(proposal, actor=as_persona(YASMINE))
