"""Formal identification in the demo (issue 4): the platform of 93 with its members, and cases
at each stage — before the platform awaiting votes, identified by the platform, identified by
the judicial route, not identified and open to reconsideration.

Everything goes through the identification actions (seats, conflicts, interviews, votes,
decisions, complaint), so each case has its timeline, transition log and audit entries, and
its deadlines (decision due, reconsideration open until) computed by the profile's timeframes.
"""

from django.utils import timezone

from opennrm.cases.enums import ConsentMethod, DetectionChannel
from opennrm.cases.models import Case, Consent
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation
from opennrm.demo import places
from opennrm.demo.acting import as_persona, membership_of
from opennrm.demo.casework import Story, presumed_adult
from opennrm.demo.personas import (
    AMINA,
    BRUNO,
    CAROLE,
    CASE_JUDICIAL_IDENTIFIED,
    CASE_NOT_IDENTIFIED,
    CASE_PLATFORM_IDENTIFIED,
    CASE_PRESUMED,
    CLAIRE,
    ELISE,
    FARID,
    HUGO,
    IRENE,
    LOUIS,
    ODILE,
    PAUL,
    PLATFORM_93,
    THOMAS,
)
from opennrm.identification import actions
from opennrm.identification.models import (
    Outcome,
    PlatformMember,
    Referral,
    Route,
    StatementKind,
    VoteChoice,
)
from opennrm.identification.services import refer

CHAIR_ROLE = "local_coordinator"
MEMBER_ROLE = "platform_member"

# C-DEM0-9302, before the platform: three votes cast, Paul (whose association referred the
# case) declared a conflict of interest. Two more votes, one of them institutional, make the
# quorum and the mix: e.g. Odile's and Louis's, then Louis records the decision.
PENDING_VOTES = (
    (
        THOMAS,
        VoteChoice.IDENTIFIED,
        "Motifs fictifs (démo) : salaire promis jamais versé, "
        "papiers confisqués par l’employeur, hébergé sur le chantier.",
    ),
    (
        CAROLE,
        VoteChoice.IDENTIFIED,
        "Motifs fictifs (démo) : le récit recueilli par "
        "l’association est constant et détaillé ; la contrainte est établie.",
    ),
    (
        FARID,
        VoteChoice.IDENTIFIED,
        "Motifs fictifs (démo) : conditions de travail et "
        "d’hébergement contraires à la dignité, dette imposée.",
    ),
)

# C-DEM0-9305, not identified. Its voters and chair take no part in a reconsideration: Thomas,
# Yves, Carole, Farid and Samuel remain (quorum 5, institutions and civil society).
NOT_IDENTIFIED_VOTES = (
    (
        LOUIS,
        VoteChoice.NOT_IDENTIFIED,
        "Motifs fictifs (démo) : aucun élément de contrainte établi à ce stade.",
    ),
    (
        ODILE,
        VoteChoice.NOT_IDENTIFIED,
        "Motifs fictifs (démo) : la personne a pu quitter "
        "l’emploi librement ; salaires versés en partie.",
    ),
    (
        IRENE,
        VoteChoice.NOT_IDENTIFIED,
        "Motifs fictifs (démo) : le dossier ne décrit pas le recrutement.",
    ),
    (
        ELISE,
        VoteChoice.IDENTIFIED,
        "Motifs fictifs (démo) : horaires excessifs et isolement décrits de façon constante.",
    ),
    (
        BRUNO,
        VoteChoice.MORE_INFORMATION,
        "Motifs fictifs (démo) : un entretien serait utile avant de conclure.",
    ),
)


class Identification:
    """The platform of 93 and the cases of formal identification, made by the personas."""

    def __init__(self, organisations: dict[str, Organisation]) -> None:
        self.organisations = organisations
        self.today = timezone.localdate()
        self.platform = actions.ensure_platform(places.territory("93"))

    def seed(self) -> None:
        self._seats()
        self._awaiting_votes()
        self._identified_by_the_platform()
        self._identified_on_complaint()
        self._not_identified()

    # The platform -----------------------------------------------------------------------

    def _seats(self) -> None:
        """Louis, the chair, gives a seat to each member (and to himself)."""
        chair = as_persona(LOUIS, CHAIR_ROLE)
        for seat in PLATFORM_93:
            membership = membership_of(seat.email, seat.role)
            if PlatformMember.objects.filter(
                platform=self.platform, membership=membership
            ).exists():
                continue  # seated already (or removed by hand in the demo: leave it so)
            actions.add_member(
                self.platform, membership=membership, profession=seat.profession, actor=chair
            )
        # Thomas took no part in the negative decision on C-DEM0-9305: as deputy chair he can
        # chair its reconsideration, which Louis (who chaired the first decision) cannot.
        deputy = self._seat(THOMAS)
        if not deputy.is_deputy_chair:
            actions.designate_deputy_chair(deputy, actor=chair)

    def _seat(self, email: str, role: str = MEMBER_ROLE) -> PlatformMember:
        return PlatformMember.objects.active().get(
            platform=self.platform, membership=membership_of(email, role)
        )

    @staticmethod
    def _vote(referral: Referral, email: str, choice: str, reasons: str) -> None:
        role = CHAIR_ROLE if email == LOUIS else MEMBER_ROLE
        actions.cast_vote(referral, choice=choice, reasons=reasons, actor=as_persona(email, role))

    def _refer_to_platform(self, case: Case, consent: Consent | None, worker: Actor) -> Referral:
        return refer(
            case,
            route=Route.PLATFORM,
            target=self.organisations["93:local_coordination"],
            consent=consent,
            actor=worker,
        )

    # Cases ------------------------------------------------------------------------------

    def _awaiting_votes(self) -> None:
        """C-DEM0-9302 before the platform: a conflict declared, three votes of five."""
        referral = Referral.objects.filter(
            case__reference=CASE_PRESUMED, route=Route.PLATFORM, reconsideration_of__isnull=True
        ).first()
        if referral is None or not referral.is_pending:
            return  # decided or withdrawn in the demo: leave it as it is
        if referral.votes.exists() or referral.conflicts.exists():
            return  # examined already (by this seed, or by hand in the demo)
        actions.declare_conflict(referral, actor=as_persona(PAUL, MEMBER_ROLE))
        for email, choice, reasons in PENDING_VOTES:
            self._vote(referral, email, choice, reasons)

    def _identified_by_the_platform(self) -> None:
        """C-DEM0-9303: referred by the trade union; interviewed by a psychologist and a
        lawyer; six votes (three institutional); identified by the platform's decision."""
        if Case.objects.filter(reference=CASE_PLATFORM_IDENTIFIED).exists():
            return
        worker = as_persona(HUGO)
        case, consent = presumed_adult(
            CASE_PLATFORM_IDENTIFIED,
            Story(
                channel=DetectionChannel.OUTREACH,
                forms=("domestic_servitude", "servitude"),
                sector="domestic work",
                places="Domicile privé fictif à Montreuil (démo)",
                reasons="Motifs fictifs (démo) : recrutée comme garde d’enfants, passeport "
                "retenu, aucun jour de repos, jamais payée.",
                language="en",
                exploited_for_days=400,
                detected_days_ago=20,
            ),
            worker,
        )
        referral = self._refer_to_platform(case, consent, worker)
        chair = as_persona(LOUIS, CHAIR_ROLE)
        actions.designate_interviewers(
            referral, members=[self._seat(BRUNO), self._seat(CAROLE)], actor=chair
        )
        actions.record_interview_report(
            referral,
            held_on=self.today,
            report="Compte rendu fictif (démo) : entretien mené en anglais ; récit constant, "
            "emprise de l’employeuse, peur de représailles contre la famille.",
            actor=as_persona(BRUNO, MEMBER_ROLE),
        )
        for email in (LOUIS, ODILE, THOMAS, ELISE, BRUNO, CAROLE):
            self._vote(
                referral,
                email,
                VoteChoice.IDENTIFIED,
                "Motifs fictifs (démo) : servitude domestique établie par le dossier et "
                "l’entretien.",
            )
        actions.record_platform_decision(
            referral,
            outcome=Outcome.IDENTIFIED,
            reasons="Décision fictive (démo) : servitude domestique ; recrutement trompeur, "
            "passeport retenu, travail sans repos ni salaire.",
            actor=chair,
        )

    def _identified_on_complaint(self) -> None:
        """C-DEM0-9304: the person lodged a complaint; the police identified him in the
        judicial procedure (the same status as by the platform)."""
        if Case.objects.filter(reference=CASE_JUDICIAL_IDENTIFIED).exists():
            return
        worker = as_persona(AMINA)
        case, consent = presumed_adult(
            CASE_JUDICIAL_IDENTIFIED,
            Story(
                channel=DetectionChannel.DROP_IN,
                forms=("forced_labour",),
                sector="logistics",
                places="Entrepôt fictif de Seine-Saint-Denis (démo)",
                reasons="Motifs fictifs (démo) : recruté par une fausse agence, dette de voyage, "
                "logé par l’employeur, salaire confisqué.",
                language="ro",
                interpreter=True,
                consent_method=ConsentMethod.INTERPRETED,
                exploited_for_days=200,
                detected_days_ago=30,
            ),
            worker,
        )
        referral = refer(
            case,
            route=Route.JUDICIAL,
            target=self.organisations["93:police"],
            consent=consent,
            actor=worker,
        )
        officer = as_persona(CLAIRE)
        actions.record_statement(
            referral,
            kind=StatementKind.COMPLAINT,
            recorded_on=self.today,
            service="Commissariat fictif — Seine-Saint-Denis (démo)",
            offence="Traite des êtres humains aux fins de travail forcé — qualification "
            "fictive (démo)",
            procedure_reference="DEMO-PV-2026-0093",
            actor=officer,
        )
        actions.record_judicial_decision(
            referral,
            outcome=Outcome.IDENTIFIED,
            reasons="Décision fictive (démo) : plainte pour traite des êtres humains, "
            "éléments concordants recueillis par l’enquête.",
            actor=officer,
        )

    def _not_identified(self) -> None:
        """C-DEM0-9305: the platform decided "not identified"; the association may ask for a
        reconsideration, with new elements, within the profile's time limit."""
        if Case.objects.filter(reference=CASE_NOT_IDENTIFIED).exists():
            return
        worker = as_persona(AMINA)
        case, consent = presumed_adult(
            CASE_NOT_IDENTIFIED,
            Story(
                channel=DetectionChannel.HOTLINE,
                forms=("forced_labour", "undignified_conditions"),
                sector="beauty",
                places="Salon de manucure fictif à Saint-Denis (démo)",
                reasons="Motifs fictifs (démo) : horaires excessifs, logée dans l’arrière-"
                "boutique, salaire retenu pour rembourser le voyage.",
                language="zh",
                interpreter=True,
                consent_method=ConsentMethod.INTERPRETED,
                exploited_for_days=150,
                detected_days_ago=25,
            ),
            worker,
        )
        referral = self._refer_to_platform(case, consent, worker)
        for email, choice, reasons in NOT_IDENTIFIED_VOTES:
            self._vote(referral, email, choice, reasons)
        actions.record_platform_decision(
            referral,
            outcome=Outcome.NOT_IDENTIFIED,
            reasons="Décision fictive (démo) : les éléments réunis ne suffisent pas à établir la "
            "contrainte ; un réexamen est possible avec des éléments nouveaux.",
            actor=as_persona(LOUIS, CHAIR_ROLE),
        )
