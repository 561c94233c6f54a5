"""Protection and support in the demo (issue 5): the service directory, a presumed victim's
support plan with orientations in every state, an accommodation placement, a residence
application, a non-punishment record and a compensation claim; and a case whose support closed
once the person was self-reliant, with a follow-up date.

Services are added by their providers (or by the national coordinator, who may add any
organisation's), orientations move by the support actions (each step in the orientation's
transition log, the case's timeline and the audit trail), and the placement takes its place
with the same conditional update as the pages.
"""

import datetime
import decimal

from django.utils import timezone

from opennrm.cases.enums import ConsentMethod, DetectionChannel
from opennrm.cases.models import Case
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation, Territory
from opennrm.demo import places
from opennrm.demo.acting import as_persona
from opennrm.demo.casework import Story, presumed_adult
from opennrm.demo.personas import (
    AMINA,
    BRUNO,
    CAROLE,
    CASE_JUDICIAL_IDENTIFIED,
    CASE_SUPPORTED,
    DEMO_SERVICES,
    ELISE,
    GAELLE,
    INES,
    NADIA,
)
from opennrm.support import closure, compensation, non_punishment, plans, providers, residence
from opennrm.support.models import (
    ClaimKind,
    ClosureReason,
    ConstraintFactor,
    LegalAid,
    Need,
    Orientation,
    Service,
    ServiceType,
    SupportClosure,
)
from opennrm.support.services import record_immediate_needs

PROVIDER_ROLE = "service_provider"
FOLLOW_UP_DAYS = 90  # after a closure, when the association checks in with the person


class Support:
    """The service directory and the support of two cases, made by the personas."""

    def __init__(self, organisations: dict[str, Organisation]) -> None:
        self.organisations = organisations
        self.today = timezone.localdate()
        self.services: dict[str, Service] = {}

    def seed(self) -> None:
        self._directory()
        self._support_plan()
        self._closed_after_self_reliance()

    # The service directory --------------------------------------------------------------

    def _directory(self) -> None:
        for item in DEMO_SERVICES:
            organisation = self.organisations[item.organisation]
            service = Service.objects.filter(organisation=organisation, name=item.name).first()
            if service is None:
                by = as_persona(NADIA) if item.by == NADIA else as_persona(item.by, PROVIDER_ROLE)
                service = providers.create_service(
                    by,
                    organisation=organisation,
                    territories=list(
                        Territory.objects.filter(code__in=places.units(item.territories))
                    ),
                    name=item.name,
                    service_type=item.service_type,
                    description=item.description,
                    national=item.national,
                    accepts_adults=item.accepts_adults,
                    accepts_children=item.accepts_children,
                    accepts_families=item.accepts_families,
                    gender_policy=item.gender_policy,
                    languages=item.languages,
                    specialised=item.specialised,
                    secure=item.secure,
                    distancing_network=item.distancing_network,
                    trained_staff=item.trained_staff,
                    places_total=item.places_total,
                    places_free=item.places_free,
                )
                if item.capacity_age_days:
                    # Back-dated, like the overdue concern: a provider who has not confirmed
                    # its capacity for a while, so that the directory flags it as stale.
                    Service.objects.filter(pk=service.pk).update(
                        capacity_updated_at=timezone.now()
                        - datetime.timedelta(days=item.capacity_age_days)
                    )
            self.services[item.key] = service

    # Orientations -----------------------------------------------------------------------

    def _propose(
        self,
        need: Need,
        service: str,
        worker: Actor,
        brief: str,
        *,
        identity_needed: bool = False,
    ) -> Orientation:
        return plans.propose(
            need,
            self.services[service],
            actor=worker,
            brief=brief,
            identity_needed=identity_needed,
        )

    @staticmethod
    def _send(orientation: Orientation, worker: Actor) -> Orientation:
        """The person agrees to share with the provider; the orientation is sent."""
        plans.consent_to_orientation(orientation, method=ConsentMethod.ORAL, actor=worker)
        plans.send(orientation, actor=worker)
        return orientation

    # Cases ------------------------------------------------------------------------------

    def _support_plan(self) -> None:
        """C-DEM0-9306: a presumed victim taking her reflection period before choosing a route;
        support does not wait for identification."""
        if Case.objects.filter(reference=CASE_SUPPORTED).exists():
            return
        worker = as_persona(AMINA)
        case, _consent = presumed_adult(
            CASE_SUPPORTED,
            Story(
                channel=DetectionChannel.DROP_IN,
                forms=("domestic_servitude", "forced_criminality"),
                sector="domestic work",
                places="Appartement fictif à Bobigny (démo)",
                reasons="Motifs fictifs (démo) : employée de maison sans salaire, papiers "
                "retenus, contrainte à vendre des marchandises contrefaites.",
                language="fr",
                exploited_for_days=300,
                detected_days_ago=5,
            ),
            worker,
            consent_to_referral=False,  # she takes her reflection period to decide
        )
        record_immediate_needs(
            case,
            actor=worker,
            shelter=True,
            medical=True,
            psychological=True,
            interpreter=False,
            safety_risk="high",
            accompanying_children=0,
            urgency="immediate",
            notes="Besoins fictifs (démo) : mise à l’abri le jour même, soins, soutien "
            "psychologique.",
        )
        needs = {need.service_type: need for need in plans.needs_from_immediate(case, actor=worker)}
        for service_type, description in (
            (ServiceType.LEGAL_AID, "Besoin fictif (démo) : conseil sur la plainte et le séjour."),
            (ServiceType.LANGUAGE_CLASSES, "Besoin fictif (démo) : cours de français écrit."),
        ):
            needs[service_type] = plans.add_need(
                case, service_type=service_type, description=description, actor=worker
            )

        # Declined: the distancing network has no place before three weeks.
        network = self._send(
            self._propose(
                needs[ServiceType.ACCOMMODATION],
                "distancing_network",
                worker,
                "Orientation fictive (démo) : femme seule, risque élevé, souhaite s’éloigner.",
            ),
            worker,
        )
        plans.decline(
            network,
            reason="Motif fictif (démo) : aucune place disponible avant trois semaines ; "
            "orienter vers un hébergement sécurisé local en attendant.",
            actor=as_persona(GAELLE, PROVIDER_ROLE),
        )
        # Accepted then started: Inès's centre takes her (one place fewer), she arrived.
        shelter = self._send(
            self._propose(
                needs[ServiceType.ACCOMMODATION],
                "shelter_93",
                worker,
                "Orientation fictive (démo) : femme seule, mise à l’abri immédiate.",
            ),
            worker,
        )
        ines = as_persona(INES, PROVIDER_ROLE)
        plans.accept(shelter, actor=ines)
        plans.start(shelter, actor=ines, started_on=self.today)
        # Completed: a medical consultation.
        health = self._send(
            self._propose(
                needs[ServiceType.HEALTH],
                "health_93",
                worker,
                "Orientation fictive (démo) : bilan de santé.",
                identity_needed=True,
            ),
            worker,
        )
        elise = as_persona(ELISE, PROVIDER_ROLE)
        plans.accept(health, actor=elise)
        plans.complete(health, actor=elise, ended_on=self.today)
        # Accepted: psychological care, first appointment to come.
        care = self._send(
            self._propose(
                needs[ServiceType.PSYCHOLOGICAL_CARE],
                "psychotrauma_93",
                worker,
                "Orientation fictive (démo) : suivi en psychotraumatologie.",
            ),
            worker,
        )
        plans.accept(care, actor=as_persona(BRUNO, PROVIDER_ROLE))
        # Sent: the legal aid service has three working days to answer (Carole, in the demo).
        self._send(
            self._propose(
                needs[ServiceType.LEGAL_AID],
                "legal_aid_93",
                worker,
                "Orientation fictive (démo) : information sur la plainte et le séjour.",
                identity_needed=True,
            ),
            worker,
        )
        # Proposed: language classes, not yet discussed with her.
        self._propose(
            needs[ServiceType.LANGUAGE_CLASSES],
            "french_75",
            worker,
            "Orientation fictive (démo) : cours de français, niveau intermédiaire.",
        )

        # Residence: the reflection period's receipt, applied for at the prefecture of 93.
        application = residence.apply(
            case,
            actor=worker,
            basis="reflection_period",
            prefecture=residence.prefectures(case).first(),
            applied_on=self.today,
        )
        residence.record_receipt(application, actor=worker, receipt_on=self.today)
        # Non-punishment: offences she was compelled to commit; the note sent to the
        # prosecutor's office contact person.
        entry = non_punishment.record_offences(
            case,
            actor=worker,
            offences="Vente à la sauvette de marchandises contrefaites (fictif, démo).\n"
            "Usage d’un faux titre de séjour fourni par les exploiteurs (fictif, démo).",
            circumstances="Circonstances fictives (démo) : sortie chaque soir par l’employeur "
            "avec des sacs de marchandises, menacée d’être dénoncée à la police.",
            factors=[
                ConstraintFactor.ORDERED,
                ConstraintFactor.DOCUMENTS,
                ConstraintFactor.THREATS,
            ],
            prosecutor=non_punishment.prosecutors(case).first(),
            asylum_safeguard=True,
        )
        non_punishment.mark_note_sent(entry, actor=worker, sent_on=self.today)
        # Compensation: unpaid wages before the labour court.
        compensation.lodge(
            case,
            actor=worker,
            kind=ClaimKind.LABOUR_COURT,
            body_name="Conseil de prud’hommes fictif de Bobigny (démo)",
            lodged_on=self.today,
            amount_claimed=decimal.Decimal("9800.00"),
            legal_aid=LegalAid.REQUESTED,
            lawyer="Permanence d’accès au droit fictive — Seine-Saint-Denis (démo)",
            stay_of_removal_needed=True,
            notes="Note fictive (démo) : dix mois de travail sans salaire.",
        )

    def _closed_after_self_reliance(self) -> None:
        """C-DEM0-9304, identified on his complaint: his unpaid wages recovered with the legal
        aid service, he found a job; support closed, a follow-up planned."""
        case = Case.objects.filter(reference=CASE_JUDICIAL_IDENTIFIED).first()
        if case is None:
            return
        if (
            Need.objects.filter(case=case).exists()
            or SupportClosure.objects.filter(case=case).exists()
        ):
            return  # made already (by this seed, or by hand in the demo)
        worker = as_persona(AMINA)
        need = plans.add_need(
            case,
            service_type=ServiceType.LABOUR_RIGHTS,
            description="Besoin fictif (démo) : récupérer six mois de salaire.",
            actor=worker,
        )
        wages = self._send(
            self._propose(
                need,
                "labour_rights_93",
                worker,
                "Orientation fictive (démo) : saisine du conseil de prud’hommes.",
                identity_needed=True,
            ),
            worker,
        )
        carole = as_persona(CAROLE, PROVIDER_ROLE)
        plans.accept(wages, actor=carole)
        plans.complete(wages, actor=carole, ended_on=self.today)
        closure.close_support(
            case,
            actor=worker,
            reason=ClosureReason.SELF_RELIANCE,
            closed_on=self.today,
            follow_up_on=self.today + datetime.timedelta(days=FOLLOW_UP_DAYS),
            note="Note fictive (démo) : emploi déclaré et logement autonome trouvés.",
        )
