"""Staff entry of concerns and triage by the local coordinator: access, actions, audit."""

import datetime
import html
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import Case, CaseShare
from opennrm.core.models import Territory
from opennrm.detection.models import Concern
from tests.factories import CaseFactory, ConcernFactory, MembershipFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(cast):
    """The cast, a coordinator of département 13, and concerns in 93 and in 13."""
    territory_13 = Territory.objects.get(code="13")
    coordination_13 = OrganisationFactory(
        name="Coordination 13 (fictional)", kind="local_coordination", territories=[territory_13]
    )
    cast.coordinator_13 = MembershipFactory(
        organisation=coordination_13, role="local_coordinator", user__full_name="Marc"
    ).user
    cast.coordination_13 = coordination_13
    cast.concern = ConcernFactory()  # 93, from the public
    cast.concern_13 = ConcernFactory(territory=territory_13)
    return cast


def _url(name: str, concern: Concern) -> str:
    return reverse(f"web:{name}", args=[concern.reference])


def _audited(action: str, concern: Concern) -> bool:
    return AuditEntry.objects.filter(action=action, object_id=str(concern.pk)).exists()


STAFF_DATA = {
    "channel": "hotline",
    "description": "Fictional: a caller says her neighbour's maid never goes out.",
    "territory": "93",
    "commune": "",
    "place_type": "private_home",
    "sector": "domestic_work",
    "signs": ["cannot_leave"],
    "child_involved": "unknown",
    "contact": "",
}


# Anonymous visitors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("concerns", "get"),
        ("concern_create", "get"),
        ("concern_create", "post"),
        ("concern", "get"),
        ("concern_open_case", "post"),
        ("concern_attach", "post"),
        ("concern_close", "get"),
        ("concern_close", "post"),
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(world, name, method):
    url = (
        reverse(f"web:{name}")
        if name in {"concerns", "concern_create"}
        else _url(name, world.concern)
    )
    response = getattr(world.client_for(None), method)(url)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")


# Staff entry ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["hugo", "amina", "claire", "louis"])
def test_field_staff_and_coordinators_record_concerns(world, persona):
    user = getattr(world, persona)
    client = world.client_for(user)
    assert client.get(reverse("web:concern_create")).status_code == 200
    response = client.post(reverse("web:concern_create"), STAFF_DATA)
    concern = Concern.objects.get(channel="hotline")
    assert response.status_code == 302
    assert response["Location"] == _url("concern", concern)
    membership = user.memberships.get()
    assert concern.created_by == user
    assert concern.created_for == membership.organisation
    assert concern.status == "new"
    assert _audited("concern.create", concern)
    # The organisation that entered it can read it and follow it.
    assert client.get(_url("concern", concern)).status_code == 200
    assert _audited("concern.read", concern)
    assert concern.reference in client.get(reverse("web:concerns") + "?show=all").content.decode()


@pytest.mark.parametrize("persona", ["nadia", "paul", "sophie", "ines", "robert"])
def test_others_cannot_record_concerns(world, persona):
    client = world.client_for(getattr(world, persona))
    assert client.get(reverse("web:concern_create")).status_code == 404
    assert client.post(reverse("web:concern_create"), STAFF_DATA).status_code == 404
    assert not Concern.objects.filter(channel="hotline").exists()


@pytest.mark.parametrize("channel", ["public_report", "direct", "carrier-pigeon"])
def test_staff_channels_exclude_the_public_form_and_direct_detection(world, channel):
    client = world.client_for(world.hugo)
    response = client.post(reverse("web:concern_create"), {**STAFF_DATA, "channel": channel})
    assert response.status_code == 200
    assert "channel" in response.context["form"].errors
    assert html.escape(STAFF_DATA["description"]) in response.content.decode()  # nothing lost
    assert Concern.objects.count() == 2


def test_staff_entry_refuses_control_characters_and_escapes_scripts(world):
    client = world.client_for(world.hugo)
    response = client.post(
        reverse("web:concern_create"), {**STAFF_DATA, "description": "bad\x1bchar <script>"}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("description", "control_characters")
    assert "&lt;script&gt;" in response.content.decode()


def test_a_concern_entered_by_an_association_is_seen_by_the_coordinator_not_by_colleagues(world):
    world.client_for(world.hugo).post(reverse("web:concern_create"), STAFF_DATA)
    concern = Concern.objects.get(channel="hotline")
    assert world.client_for(world.louis).get(_url("concern", concern)).status_code == 200
    assert world.client_for(world.amina).get(_url("concern", concern)).status_code == 200
    # paul is a platform member of the same association: no need to know.
    assert world.client_for(world.paul).get(_url("concern", concern)).status_code == 404
    assert world.client_for(world.yasmine).get(_url("concern", concern)).status_code == 404


def test_the_entering_organisation_reads_but_does_not_triage(world):
    world.client_for(world.hugo).post(reverse("web:concern_create"), STAFF_DATA)
    concern = Concern.objects.get(channel="hotline")
    client = world.client_for(world.hugo)
    page = client.get(_url("concern", concern))
    assert "open_form" not in page.context
    assert not page.context["triage"]
    assert (
        client.post(_url("concern_open_case", concern), {"owner": world.association.pk})
    ).status_code == 404
    assert client.post(_url("concern_attach", concern), {}).status_code == 404
    assert client.get(_url("concern_close", concern)).status_code == 404
    concern.refresh_from_db()
    assert concern.status == "new"


def test_a_coordinator_who_records_a_concern_of_another_departement_hands_it_over(world):
    """Louis (93) records a call about Marseille: coordinator 13 triages, Louis follows it."""
    client = world.client_for(world.louis)
    client.post(reverse("web:concern_create"), {**STAFF_DATA, "territory": "13"})
    concern = Concern.objects.get(channel="hotline")
    assert world.client_for(world.coordinator_13).get(_url("concern", concern)).status_code == 200
    page = client.get(_url("concern", concern))
    assert page.status_code == 200
    assert not page.context["triage"]
    assert client.get(_url("concern_close", concern)).status_code == 404


# Who sees which concern -----------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["coordinator_13", "yasmine", "hugo", "amina", "nadia", "paul", "claire", "robert"]
)
def test_outsiders_get_404_on_a_concern_of_93(world, persona):
    client = world.client_for(getattr(world, persona))
    concern = world.concern
    assert client.get(_url("concern", concern)).status_code == 404
    assert (
        client.post(_url("concern_open_case", concern), {"owner": world.association.pk})
    ).status_code == 404
    assert client.post(_url("concern_attach", concern), {"case_reference": "x"}).status_code == 404
    assert client.get(_url("concern_close", concern)).status_code == 404
    assert (
        client.post(_url("concern_close", concern), {"reason": "abusive", "note": "x"})
    ).status_code == 404
    concern.refresh_from_db()
    assert concern.status == "new"
    assert not _audited("concern.read", concern)


def test_an_unknown_reference_is_not_found_like_a_foreign_one(world):
    client = world.client_for(world.louis)
    assert client.get(reverse("web:concern", args=["S-0000-0000"])).status_code == 404
    assert client.get(_url("concern", world.concern_13)).status_code == 404


@pytest.mark.parametrize("persona", ["nadia", "paul", "sophie", "ines", "robert"])
def test_the_list_is_not_found_for_those_who_neither_triage_nor_enter(world, persona):
    assert world.client_for(getattr(world, persona)).get(reverse("web:concerns")).status_code == 404


def test_each_coordinator_lists_the_concerns_of_their_departements(world):
    louis = world.client_for(world.louis).get(reverse("web:concerns")).content.decode()
    assert world.concern.reference in louis
    assert world.concern_13.reference not in louis
    marc = world.client_for(world.coordinator_13).get(reverse("web:concerns")).content.decode()
    assert world.concern_13.reference in marc
    assert world.concern.reference not in marc


def test_field_staff_list_only_what_their_organisation_entered(world):
    response = world.client_for(world.yasmine).get(reverse("web:concerns") + "?show=all")
    assert response.status_code == 200
    body = response.content.decode()
    assert world.concern.reference not in body and world.concern_13.reference not in body


def test_the_list_filters_to_triage_and_flags_overdue_concerns(world):
    today = timezone.localdate()
    overdue = ConcernFactory(triage_due=today - datetime.timedelta(days=1))
    closed = ConcernFactory(status="closed", closing_reason="abusive")
    client = world.client_for(world.louis)
    response = client.get(reverse("web:concerns"))
    body = response.content.decode()
    assert overdue.reference in body
    assert closed.reference not in body
    assert response.context["page"][0].reference == overdue.reference
    assert body.count("fr-badge--error") == 1
    everything = client.get(reverse("web:concerns") + "?show=all").content.decode()
    assert closed.reference in everything
    assert Concern.objects.get(pk=overdue.pk).is_overdue


def test_the_list_is_paginated(world):
    ConcernFactory.create_batch(55)
    client = world.client_for(world.louis)
    first = client.get(reverse("web:concerns"))
    assert len(first.context["page"].object_list) == 50
    second = client.get(reverse("web:concerns") + "?page=2")
    assert len(second.context["page"].object_list) == 6
    assert client.get(reverse("web:concerns") + "?page=junk").status_code == 200


@pytest.mark.parametrize("query", ["", "?show=all"])
def test_the_list_makes_a_constant_number_of_queries(world, django_assert_num_queries, query):
    client = world.client_for(world.louis)
    url = reverse("web:concerns") + query
    ConcernFactory.create_batch(2)  # 3 concerns in 93
    client.get(url)  # warm the session and the profile
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    ConcernFactory.create_batch(27)  # 30 concerns in 93
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 30


# Reading a concern ----------------------------------------------------------------------


def test_the_coordinator_reads_a_concern_and_the_read_is_audited(world):
    response = world.client_for(world.louis).get(_url("concern", world.concern))
    assert response.status_code == 200
    assert response.context["triage"]
    assert {"open_form", "attach_form"} <= set(response.context.keys())
    body = response.content.decode()
    assert "workers sleep on the building site" in body
    entry = AuditEntry.objects.get(action="concern.read", object_id=str(world.concern.pk))
    assert entry.actor == world.louis
    assert entry.organisation == world.coordination


def test_the_owners_offered_are_authorised_reporters_of_the_departement_and_the_coordination(
    world,
):
    form = world.client_for(world.louis).get(_url("concern", world.concern)).context["open_form"]
    offered = set(form.fields["owner"].queryset)
    assert offered == {world.association, world.police, world.coordination}


# Open a case ----------------------------------------------------------------------------


def test_the_coordinator_opens_a_case_for_an_authorised_reporter(world):
    client = world.client_for(world.louis)
    response = client.post(
        _url("concern_open_case", world.concern), {"owner": world.association.pk}
    )
    assert response.status_code == 302
    concern = Concern.objects.get(pk=world.concern.pk)
    assert concern.status == "case_opened"
    assert concern.triaged_by == world.louis
    case = concern.case
    assert case.owner == world.association
    assert case.territory.code == "93"
    assert case.channel == "public_report"
    assert CaseShare.objects.filter(
        case=case, organisation=world.coordination, revoked_at__isnull=True
    ).exists()
    try:
        expected = reverse("web:case", args=[case.reference])
    except NoReverseMatch:
        expected = _url("concern", concern)
    assert response["Location"] == expected
    assert _audited("concern.open_case", concern)
    assert AuditEntry.objects.filter(action="case.create", object_id=str(case.pk)).exists()
    # Triage is done once: a second attempt changes nothing and says why.
    again = client.post(_url("concern_open_case", concern), {"owner": world.association.pk})
    assert again.status_code == 302
    assert again["Location"] == _url("concern", concern)
    assert Case.objects.count() == 1


def test_the_coordinator_may_keep_the_case(world):
    client = world.client_for(world.louis)
    client.post(_url("concern_open_case", world.concern), {"owner": world.coordination.pk})
    assert Concern.objects.get(pk=world.concern.pk).case.owner == world.coordination


@pytest.mark.parametrize("owner", ["other_association", "accommodation", "prefecture"])
def test_a_case_cannot_be_given_to_an_organisation_outside_the_choices(world, owner):
    client = world.client_for(world.louis)
    response = client.post(
        _url("concern_open_case", world.concern), {"owner": getattr(world, owner).pk}
    )
    assert response.status_code == 200
    assert "owner" in response.context["open_form"].errors
    assert Concern.objects.get(pk=world.concern.pk).status == "new"
    assert Case.objects.count() == 0


def test_open_case_takes_only_a_post(world):
    client = world.client_for(world.louis)
    assert client.get(_url("concern_open_case", world.concern)).status_code == 405
    assert client.get(_url("concern_attach", world.concern)).status_code == 405


# Attach -----------------------------------------------------------------------------------


def test_the_coordinator_attaches_a_concern_to_a_case_it_can_see(world):
    case = CaseFactory(owner=world.coordination)
    client = world.client_for(world.louis)
    response = client.post(
        _url("concern_attach", world.concern), {"case_reference": case.reference.lower()}
    )
    assert response.status_code == 302
    concern = Concern.objects.get(pk=world.concern.pk)
    assert concern.status == "attached"
    assert concern.case == case
    assert _audited("concern.attach", concern)


def test_a_case_shared_with_the_coordination_can_be_attached_to(world):
    client = world.client_for(world.louis)
    client.post(_url("concern_open_case", world.concern), {"owner": world.association.pk})
    case = Concern.objects.get(pk=world.concern.pk).case
    second = ConcernFactory()
    client.post(_url("concern_attach", second), {"case_reference": case.reference})
    assert Concern.objects.get(pk=second.pk).case == case


@pytest.mark.parametrize("which", ["not_visible", "other_departement", "unknown", "empty"])
def test_attaching_to_a_case_that_is_not_there_explains_and_changes_nothing(world, which):
    reference = {
        "not_visible": lambda: CaseFactory(owner=world.association).reference,
        "other_departement": lambda: (
            CaseFactory(
                owner=world.coordination, territory=Territory.objects.get(code="13")
            ).reference
        ),
        "unknown": lambda: "C-0000-0000",
        "empty": lambda: "",
    }[which]()
    client = world.client_for(world.louis)
    response = client.post(_url("concern_attach", world.concern), {"case_reference": reference})
    assert response.status_code == 200
    assert "case_reference" in response.context["attach_form"].errors
    assert Concern.objects.get(pk=world.concern.pk).status == "new"


# Close ------------------------------------------------------------------------------------


def test_closing_asks_for_confirmation_then_closes_with_a_reason(world):
    client = world.client_for(world.louis)
    confirm = client.get(_url("concern_close", world.concern))
    assert confirm.status_code == 200
    assert Concern.objects.get(pk=world.concern.pk).status == "new"  # a GET changes nothing
    response = client.post(
        _url("concern_close", world.concern),
        {"reason": "other_service", "note": "Fictional: passed to the labour inspectorate."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:concerns")
    concern = Concern.objects.get(pk=world.concern.pk)
    assert concern.status == "closed"
    assert concern.closing_reason == "other_service"
    assert concern.closing_note == "Fictional: passed to the labour inspectorate."
    assert concern.case is None
    assert _audited("concern.close", concern)
    # Already triaged: the close page sends back to the concern.
    assert client.get(_url("concern_close", concern))["Location"] == _url("concern", concern)
    page = client.get(_url("concern", concern))
    assert "open_form" not in page.context
    assert "Fictional: passed to the labour inspectorate." in page.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"reason": "other_service", "note": ""},
        {"reason": "because", "note": "x"},
        {"reason": "abusive", "note": "x" * 2001},
        {"reason": "abusive", "note": "bell\x07"},
    ],
)
def test_closing_needs_a_valid_reason_and_note(world, data):
    client = world.client_for(world.louis)
    response = client.post(_url("concern_close", world.concern), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Concern.objects.get(pk=world.concern.pk).status == "new"


def test_a_closing_note_with_a_script_is_escaped(world):
    client = world.client_for(world.louis)
    client.post(
        _url("concern_close", world.concern), {"reason": "abusive", "note": "<script>x</script>"}
    )
    body = client.get(_url("concern", world.concern)).content.decode()
    assert "<script>x</script>" not in body
    assert "&lt;script&gt;x&lt;/script&gt;" in body


def test_an_empty_staff_form_shows_every_missing_field(world):
    response = world.client_for(world.hugo).post(reverse("web:concern_create"), {})
    assert response.status_code == 200
    assert {"channel", "description", "territory", "place_type"} <= set(
        response.context["form"].errors
    )
    assert Concern.objects.count() == 2
