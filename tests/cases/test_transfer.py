"""Transfer of a case to another organisation or département (issue #12, point 7).

Acceptance: the person's consent for an adult (the guardian consulted for a child), both
organisations' agreement, the history kept, the former organisation's access ended or kept read
only as the person agreed (and revocable), outsiders still 404, everything audited; two
acceptances at the same moment change hands once (PostgreSQL).
"""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from opennrm.audit.models import AuditEntry
from opennrm.cases import transfer as transfers
from opennrm.cases.enums import (
    ConsentMethod,
    ConsentScope,
    FormerOwnerAccess,
    IdentificationStatus,
    ShareReason,
    TransferStatus,
)
from opennrm.cases.models import Case, CaseEvent, CaseShare, CaseTransfer, Consent
from opennrm.core.models import Notification, Territory
from opennrm.detection import actions as detection
from opennrm.detection.models import Guardian
from opennrm.identification.models import Route
from opennrm.identification.services import refer
from tests.acting import actor_for
from tests.factories import CaseFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The actions' refusals are matched in English, whatever a test before activated."""
    with translation.override("en"):
        yield


CONSENTED = transfers.Agreement(person_consents=True, method=ConsentMethod.ORAL)
READ_ONLY = transfers.Agreement(
    person_consents=True,
    method=ConsentMethod.INTERPRETED,
    former_access=FormerOwnerAccess.READ_ONLY,
)
SECRET_EXPLANATION = "her fictional sister lives near the Vieux-Port"


@pytest.fixture
def case(cast):
    """An adult's case of Association 93, shared with the coordination of 93, with a history."""
    case = CaseFactory(owner=cast.association)
    amina = actor_for(cast.amina)
    CaseEvent.log(case, "case.opened", actor=amina)
    case.share_with(cast.coordination, ShareReason.COORDINATION, actor=amina)
    return case


def _propose(cast, case, agreement=CONSENTED, **values):
    values = {
        "to_organisation": cast.other_association,
        "to_territory": Territory.objects.get(code="13"),
        "reason": "person_moves",
        "explanation": SECRET_EXPLANATION,
        **values,
    }
    return transfers.propose_transfer(
        case, actor=actor_for(cast.amina), agreement=agreement, **values
    )


def _page(cast, user, name, *args):
    with translation.override("en"):  # the page activates French; English again after it
        return cast.client_for(user).get(reverse(name, args=args)).status_code


# Proposing --------------------------------------------------------------------------------


def test_an_adults_case_is_transferred_only_with_the_persons_consent(cast, case):
    with pytest.raises(transfers.TransferError, match="consent"):
        _propose(cast, case, agreement=transfers.Agreement(person_consents=False))
    with pytest.raises(transfers.TransferError, match="how the person gave"):
        _propose(cast, case, agreement=transfers.Agreement(person_consents=True))
    assert not CaseTransfer.objects.exists()
    transfer = _propose(cast, case)
    consent = transfer.consent
    assert consent.scope == ConsentScope.TRANSFER
    assert consent.organisation == cast.other_association
    assert consent.method == ConsentMethod.ORAL
    assert consent.recorded_for == cast.association


def test_only_the_responsible_organisations_coordinator_proposes(cast, case):
    for user in (cast.hugo, cast.paul, cast.louis, cast.yasmine, cast.claire):
        with pytest.raises(transfers.TransferError):
            transfers.propose_transfer(
                case,
                actor=actor_for(user),
                to_organisation=cast.other_association,
                to_territory=Territory.objects.get(code="13"),
                reason="person_moves",
                agreement=CONSENTED,
            )


def test_the_receiving_organisation_must_cover_the_departement(cast, case):
    with pytest.raises(transfers.TransferError, match="does not cover"):
        _propose(cast, case, to_territory=Territory.objects.get(code="974"))


def test_an_organisation_without_a_coordinator_cannot_take_a_case(cast, case):
    with pytest.raises(transfers.TransferError, match="cannot take a case"):
        _propose(cast, case, to_organisation=cast.prefecture, to_territory=case.territory)


def test_a_proposal_waits_for_the_receiving_organisation_and_tells_its_coordinators(cast, case):
    transfer = _propose(cast, case)
    case.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING
    assert case.owner == cast.association  # nothing changes before the other side agrees
    notice = Notification.objects.get(recipient=cast.yasmine)
    assert notice.kind == "transfer.proposed"
    assert case.reference in notice.text
    assert SECRET_EXPLANATION not in notice.text
    assert notice.link == reverse("web:transfer", args=[transfer.pk])
    # The receiving side reads the transfer (pseudonymised), not the case, before accepting.
    assert _page(cast, cast.yasmine, "web:case", case.reference) == 404
    response = cast.client_for(cast.yasmine).get(reverse("web:transfer", args=[transfer.pk]))
    assert response.status_code == 200
    assert case.person.given_names not in response.content.decode()
    assert AuditEntry.objects.filter(action="transfer.propose", object_id=str(transfer.pk)).exists()
    assert AuditEntry.objects.filter(action="transfer.read", actor=cast.yasmine).exists()


def test_one_transfer_waits_at_a_time(cast, case):
    _propose(cast, case)
    with pytest.raises(transfers.TransferError, match="already waiting"):
        _propose(cast, case)


def test_a_closed_case_or_one_awaiting_a_decision_is_not_transferred(cast, case):
    from opennrm.cases.closure import close_case

    close_case(case, actor=actor_for(cast.amina), reason="withdrew")
    with pytest.raises(transfers.TransferError, match="closed"):
        _propose(cast, case)
    other = CaseFactory(owner=cast.association, status=IdentificationStatus.PRESUMED_VICTIM)
    consent = detection.record_consent(
        other,
        scope=ConsentScope.REFERRAL,
        method=ConsentMethod.ORAL,
        organisation=None,
        actor=actor_for(cast.amina),
    )
    refer(
        other,
        route=Route.JUDICIAL,
        target=cast.police,
        consent=consent,
        actor=actor_for(cast.amina),
    )
    with pytest.raises(transfers.TransferError, match="formal identification decision"):
        _propose(cast, other)


# Accepting ---------------------------------------------------------------------------------


def test_acceptance_hands_the_case_over_and_keeps_its_history(cast, case):
    before = list(case.events.values_list("pk", flat=True))
    transfer = _propose(cast, case)
    with pytest.raises(transfers.TransferError, match="other organisation's coordinator"):
        transfers.accept_transfer(transfer, actor=actor_for(cast.amina))  # the asking side
    transfers.accept_transfer(transfer, actor=actor_for(cast.yasmine))
    case.refresh_from_db()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert transfer.decided_by == cast.yasmine
    assert case.owner == cast.other_association
    assert case.territory.code == "13"
    # The whole history stays, and the transfer is on it.
    kinds = list(case.events.values_list("kind", flat=True))
    assert set(before) <= set(case.events.values_list("pk", flat=True))
    assert kinds[0] == "case.opened"
    assert "transfer.proposed" in kinds and kinds[-1] == "transfer.accepted"
    accepted = case.events.get(kind="transfer.accepted")
    assert accepted.details["from"] == cast.association.pk
    assert accepted.details["to"] == cast.other_association.pk
    assert accepted.organisation == cast.other_association
    audit = AuditEntry.objects.get(action="transfer.accept")
    assert audit.details["case"] == case.pk and audit.actor == cast.yasmine
    assert SECRET_EXPLANATION not in str(audit.details)
    # The new owner works on the case; the previous département's coordination no longer sees it.
    assert _page(cast, cast.yasmine, "web:case", case.reference) == 200
    assert _page(cast, cast.yasmine, "web:case_identity", case.reference) == 200
    assert _page(cast, cast.louis, "web:case", case.reference) == 404
    assert accepted.details["coordination_shares_revoked"] == 1
    # The former owner was told; its access ended (the default).
    assert Notification.objects.filter(recipient=cast.amina, kind="transfer.accepted").exists()
    for user in (cast.amina, cast.hugo, cast.paul):
        assert _page(cast, user, "web:case", case.reference) == 404


def test_the_former_owner_keeps_read_only_access_when_the_person_agreed(cast, case):
    transfer = _propose(cast, case, agreement=READ_ONLY)
    share_consent = transfer.former_access_consent
    assert share_consent.scope == ConsentScope.SHARE
    assert share_consent.organisation == cast.association
    transfers.accept_transfer(transfer, actor=actor_for(cast.yasmine))
    transfer.refresh_from_db()
    share = transfer.former_share
    assert share.reason == ShareReason.FORMER_OWNER
    assert share.organisation == cast.association and not share.identity
    assert share.consent == share_consent
    # Read only: the case page, pseudonymised; not the identity, not any owner's page.
    response = cast.client_for(cast.amina).get(reverse("web:case", args=[case.reference]))
    assert response.status_code == 200
    assert 'id="read-only"' in response.content.decode()
    for name in ("web:case_identity", "web:case_edit", "web:consents", "web:account"):
        assert _page(cast, cast.amina, name, case.reference) == 404, name
    # It may ask to take the case back (the person returns): the new owner would decide.
    case.refresh_from_db()
    assert transfers.may_request(actor_for(cast.amina), case)
    # The person withdraws that consent: the access ends at once.
    Consent.objects.get(pk=share_consent.pk).withdraw(actor=actor_for(cast.yasmine))
    assert _page(cast, cast.amina, "web:case", case.reference) == 404


def test_the_new_owner_ends_the_former_owners_access(cast, case):
    transfer = _propose(cast, case, agreement=READ_ONLY)
    transfers.accept_transfer(transfer, actor=actor_for(cast.yasmine))
    transfer.refresh_from_db()
    with pytest.raises(transfers.TransferError):
        transfers.end_former_access(transfer, actor=actor_for(cast.hugo))  # not a coordinator
    transfers.end_former_access(transfer, actor=actor_for(cast.yasmine))
    assert _page(cast, cast.amina, "web:case", case.reference) == 404
    assert CaseShare.objects.get(pk=transfer.former_share_id).revoked_at is not None
    assert case.events.filter(kind="transfer.former_access_ended").exists()
    assert AuditEntry.objects.filter(action="transfer.end_former_access").exists()
    with pytest.raises(transfers.TransferError, match="no access to end"):
        transfers.end_former_access(transfer, actor=actor_for(cast.yasmine))


def test_a_withdrawn_consent_stops_the_transfer(cast, case):
    transfer = _propose(cast, case)
    Consent.objects.get(pk=transfer.consent_id).withdraw(actor=actor_for(cast.amina))
    with pytest.raises(transfers.TransferError, match="consent"):
        transfers.accept_transfer(transfer, actor=actor_for(cast.yasmine))
    case.refresh_from_db()
    assert case.owner == cast.association


def test_a_declined_or_withdrawn_transfer_changes_nothing(cast, case):
    transfer = _propose(cast, case)
    with pytest.raises(transfers.TransferError, match="Say why"):
        transfers.decline_transfer(transfer, actor=actor_for(cast.yasmine), note=" ")
    transfers.decline_transfer(transfer, actor=actor_for(cast.yasmine), note="No place for now.")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED
    assert transfer.decision_note == "No place for now."
    assert Notification.objects.filter(recipient=cast.amina, kind="transfer.declined").exists()
    with pytest.raises(transfers.TransferError, match="already decided"):
        transfers.accept_transfer(transfer, actor=actor_for(cast.yasmine))
    again = _propose(cast, case)  # a new proposal once the first is decided
    with pytest.raises(transfers.TransferError):
        transfers.withdraw_transfer(again, actor=actor_for(cast.yasmine))  # not the asking side
    transfers.withdraw_transfer(again, actor=actor_for(cast.amina))
    again.refresh_from_db()
    assert again.status == TransferStatus.WITHDRAWN
    assert Notification.objects.filter(recipient=cast.yasmine, kind="transfer.withdrawn").exists()
    case.refresh_from_db()
    assert case.owner == cast.association
    assert [e.kind for e in case.events.filter(kind__startswith="transfer.")] == [
        "transfer.proposed",
        "transfer.declined",
        "transfer.proposed",
        "transfer.withdrawn",
    ]


# A child ---------------------------------------------------------------------------------------


def test_a_childs_case_needs_the_guardian_consulted_not_consent(cast):
    child = CaseFactory(owner=cast.association, person=PersonFactory(estimated_age=15))
    assert child.child
    consulted = transfers.Agreement(guardian_consulted=True)
    with pytest.raises(transfers.TransferError, match="guardian"):
        _propose(cast, child, agreement=consulted)  # no guardian recorded yet
    detection.record_guardian(
        child, actor=actor_for(cast.amina), kind=Guardian.Kind.AD_HOC, name="Fictional Guardian"
    )
    with pytest.raises(transfers.TransferError, match="consulted"):
        _propose(cast, child, agreement=transfers.Agreement())
    transfer = _propose(cast, child, agreement=consulted)
    assert transfer.consent is None and transfer.guardian_consulted
    transfers.accept_transfer(transfer, actor=actor_for(cast.yasmine))
    child.refresh_from_db()
    assert child.owner == cast.other_association


# A request the other way -------------------------------------------------------------------


def test_a_linked_organisation_asks_to_take_the_case(cast, case):
    territory = case.territory
    with pytest.raises(transfers.TransferError):  # not linked to the case
        transfers.request_transfer(
            case, actor=actor_for(cast.yasmine), to_territory=territory, reason="better_placed"
        )
    transfer = transfers.request_transfer(
        case, actor=actor_for(cast.louis), to_territory=territory, reason="better_placed"
    )
    assert Notification.objects.filter(recipient=cast.amina, kind="transfer.requested").exists()
    with pytest.raises(transfers.TransferError):
        transfers.accept_transfer(transfer, actor=actor_for(cast.louis))  # asked: cannot accept
    with pytest.raises(transfers.TransferError, match="agreement"):
        transfers.accept_transfer(transfer, actor=actor_for(cast.amina))
    with pytest.raises(transfers.TransferError, match="consent"):
        transfers.accept_transfer(
            transfer, actor=actor_for(cast.amina), agreement=transfers.Agreement()
        )
    transfers.accept_transfer(transfer, actor=actor_for(cast.amina), agreement=READ_ONLY)
    case.refresh_from_db()
    transfer.refresh_from_db()
    assert case.owner == cast.coordination and case.territory == territory
    assert transfer.consent.recorded_for == cast.association
    assert Notification.objects.filter(recipient=cast.louis, kind="transfer.accepted").exists()
    assert _page(cast, cast.amina, "web:case", case.reference) == 200  # read only, as agreed


# Pages -------------------------------------------------------------------------------------------


def test_outsiders_get_404_on_every_transfer_page(cast, case):
    transfer = _propose(cast, case, to_organisation=cast.coordination, to_territory=case.territory)
    outsiders = (
        cast.hugo,
        cast.paul,
        cast.claire,
        cast.sophie,
        cast.ines,
        cast.nadia,
        cast.yasmine,
    )
    for user in outsiders:
        client = cast.client_for(user)
        assert client.get(reverse("web:transfer", args=[transfer.pk])).status_code == 404
        assert client.get(reverse("web:transfer_accept", args=[transfer.pk])).status_code == 404
        for name in (
            "web:transfer_decline",
            "web:transfer_withdraw",
            "web:transfer_end_former_access",
        ):
            assert client.post(reverse(name, args=[transfer.pk])).status_code == 404, name
    assert _page(cast, cast.yasmine, "web:case_transfer", case.reference) == 404
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING


def test_the_dashboard_tells_the_receiving_coordinator(cast, case):
    _propose(cast, case)
    html = cast.client_for(cast.yasmine).get(reverse("web:dashboard")).content.decode()
    assert 'id="transfers-alert"' in html
    assert reverse("web:transfers") in html
    html = cast.client_for(cast.amina).get(reverse("web:dashboard")).content.decode()
    assert 'id="transfers-alert"' not in html


def test_proposing_and_accepting_through_the_pages(cast, case):
    amina = cast.client_for(cast.amina)
    page = amina.get(reverse("web:case", args=[case.reference])).content.decode()
    assert reverse("web:case_transfer", args=[case.reference]) in page
    response = amina.post(
        reverse("web:case_transfer", args=[case.reference]),
        {
            "to_organisation": cast.other_association.pk,
            "to_territory": Territory.objects.get(code="13").pk,
            "reason": "distancing",
            "person_consents": "on",
            "method": "written",
            "former_access": "end",
        },
    )
    transfer = CaseTransfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:transfer", args=[transfer.pk])
    yasmine = cast.client_for(cast.yasmine)
    assert case.reference in yasmine.get(reverse("web:transfers")).content.decode()
    accept = reverse("web:transfer_accept", args=[transfer.pk])
    assert yasmine.post(accept, {}).status_code == 200  # the confirmation is needed
    assert Case.objects.get(pk=case.pk).owner == cast.association
    response = yasmine.post(accept, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case", args=[case.reference])
    assert Case.objects.get(pk=case.pk).owner == cast.other_association


def test_the_consent_form_does_not_offer_a_transfer(cast, case):
    html = cast.client_for(cast.amina).get(reverse("web:consents", args=[case.reference]))
    assert 'value="transfer"' not in html.content.decode()


# Two acceptances at the same moment -------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises every write, so there is no real concurrency",
)
@pytest.mark.django_db(transaction=True)
def test_a_transfer_is_accepted_once_when_two_coordinators_accept_at_once(cast):
    import threading

    from django.db import connection as main_connection

    case = CaseFactory(owner=cast.association)
    second = MembershipFactory(
        organisation=cast.other_association, role="field_worker", is_admin=True
    ).user
    transfer = _propose(cast, case)
    users = [cast.yasmine, second]
    barrier = threading.Barrier(len(users))
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(user) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=20)
            transfers.accept_transfer(transfer, actor=actor_for(user))
            outcome: object = "accepted"
        except BaseException as error:  # collected and checked below
            outcome = error
        finally:
            thread_connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    main_connection.close()

    assert outcomes.count("accepted") == 1, outcomes
    (refused,) = [outcome for outcome in outcomes if outcome != "accepted"]
    assert isinstance(refused, transfers.TransferError)
    assert CaseEvent.objects.filter(case=case, kind="transfer.accepted").count() == 1
    assert AuditEntry.objects.filter(action="transfer.accept").count() == 1
    assert Case.objects.get(pk=case.pk).owner == cast.other_association


def test_asking_to_take_a_case_and_accepting_it_through_the_pages(cast, case):
    louis = cast.client_for(cast.louis)
    page = louis.get(reverse("web:case", args=[case.reference])).content.decode()
    assert reverse("web:case_transfer", args=[case.reference]) in page
    response = louis.post(
        reverse("web:case_transfer", args=[case.reference]),
        {"reason": "better_placed", "explanation": "Fictional: our team follows her already."},
    )
    transfer = CaseTransfer.objects.get()
    assert response.status_code == 302
    assert (transfer.kind, transfer.to_organisation) == ("request", cast.coordination)
    assert transfer.to_territory == case.territory  # kept: the coordination covers it
    amina = cast.client_for(cast.amina)
    accept = reverse("web:transfer_accept", args=[transfer.pk])
    form = amina.get(accept).content.decode()
    assert 'name="person_consents"' in form and 'name="former_access"' in form
    assert amina.post(accept, {"confirm": "on", "former_access": "end"}).status_code == 200
    assert Case.objects.get(pk=case.pk).owner == cast.association  # no consent: refused
    response = amina.post(
        accept,
        {"confirm": "on", "former_access": "end", "person_consents": "on", "method": "oral"},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).owner == cast.coordination
    assert _page(cast, cast.amina, "web:case", case.reference) == 404  # access ended, as agreed
    assert _page(cast, cast.louis, "web:case_identity", case.reference) == 200
