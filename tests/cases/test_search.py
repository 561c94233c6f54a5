"""Searching cases and concerns (#13 point 1): within what each persona may see, by identity only
for those who may read identities (through the blind index), every search audited without the
name or date of birth typed, and a case picker that never offers or accepts an outsider's case."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases import search
from opennrm.cases.access import VisibleCaseList
from opennrm.cases.enums import IdentificationStatus, ShareReason
from opennrm.cases.models import Case, CaseShare
from opennrm.core.models import Territory
from opennrm.detection.models import Concern
from opennrm.identification.models import Referral, Route
from tests.acting import actor_for
from tests.factories import CaseFactory, ConcernFactory, PersonFactory

HEADER = 1  # the header's count of unread notifications


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(cast):
    """Cases of Association 93 (one person named in Cyrillic), one of Association 13 (the
    outsider's), one shared with the coordination of 93 without the identity."""
    cast.natalya = CaseFactory(
        owner=cast.association,
        person=PersonFactory(
            given_names="Наталья",
            family_name="Иванова",
            date_of_birth=datetime.date(1994, 3, 2),
        ),
        forms=["sexual_exploitation"],
    )
    cast.maria = CaseFactory(
        owner=cast.association,
        person=PersonFactory(given_names="Maria", family_name="Popescu"),
        forms=["forced_labour"],
    )
    cast.outsiders = CaseFactory(
        owner=cast.other_association,
        territory=Territory.objects.get(code="13"),
        person=PersonFactory(given_names="Maria", family_name="Popescu"),
    )
    CaseShare.objects.create(
        case=cast.maria, organisation=cast.coordination, reason=ShareReason.COORDINATION
    )
    return cast


def _references(response) -> set[str]:
    return {row.case.reference for row in response.context["rows"]}


IDENTITY = {"name", "date_of_birth"}


def _search(cast, persona: str, **params):
    """A search as the page sends it: by POST when it names an identity, by GET otherwise."""
    client = cast.client_for(getattr(cast, persona))
    if IDENTITY & {name for name, value in params.items() if value}:
        return client.post(reverse("web:cases"), params)
    return client.get(reverse("web:cases"), params)


def _searches(action: str = "case.search") -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# Case search: need-to-know ------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        lambda w: {"reference": w.outsiders.reference},
        lambda w: {"reference": w.outsiders.reference[:6]},
        lambda w: {"pseudonym": w.outsiders.person.pseudonym},
        lambda w: {"territory": "13"},
        lambda w: {"owner": w.other_association.pk},
        lambda w: {"name": "Maria Popescu"},
    ],
    ids=["reference", "reference-prefix", "pseudonym", "territory", "owner", "name"],
)
def test_an_outsider_never_finds_another_organisations_case(world, params):
    for persona in ("amina", "hugo", "louis"):
        response = _search(world, persona, **params(world))
        assert response.status_code == 200
        assert world.outsiders.reference not in _references(response), persona
    # …and the outsider does not find Association 93's either.
    response = _search(world, "yasmine", reference=world.maria.reference)
    assert _references(response) == set()
    response = _search(world, "yasmine", name="Maria Popescu")
    assert _references(response) == {world.outsiders.reference}


def test_search_by_reference_exact_or_prefix_and_by_pseudonym(world):
    reference = world.maria.reference
    assert _references(_search(world, "hugo", reference=reference)) == {reference}
    assert reference in _references(_search(world, "hugo", reference=reference[:4].lower()))
    pseudonym = world.maria.person.pseudonym
    assert _references(_search(world, "hugo", pseudonym=pseudonym.lower())) == {reference}
    # Without its "P-", in lower case, by its beginning.
    assert reference in _references(_search(world, "hugo", pseudonym=pseudonym[2:6].lower()))


def test_search_by_status_form_territory_owner_route_and_due_dates(world):
    Case.objects.filter(pk=world.natalya.pk).update(
        status=IdentificationStatus.PRESUMED_VICTIM, assessment_due=datetime.date(2027, 1, 10)
    )
    Case.objects.filter(pk=world.maria.pk).update(assessment_due=datetime.date(2027, 3, 1))
    natalya, maria = world.natalya.reference, world.maria.reference
    assert _references(_search(world, "hugo", status="presumed_victim")) == {natalya}
    assert _references(_search(world, "hugo", form="forced_labour")) == {maria}
    assert _references(_search(world, "hugo", form="sexual_exploitation")) == {natalya}
    assert _references(_search(world, "hugo", territory="93")) == {natalya, maria}
    assert _references(_search(world, "hugo", territory="13")) == set()
    assert _references(_search(world, "hugo", owner=world.association.pk)) == {natalya, maria}
    assert _references(_search(world, "hugo", due_from="2027-02-01")) == {maria}
    assert _references(_search(world, "hugo", due_until="2027-02-01")) == {natalya}
    response = _search(world, "hugo", due_from="2027-02-01", due_until="2027-01-01")
    assert "due_until" in response.context["filters"].errors
    assert _references(response) == set()


def _owners_offered(response) -> set[str]:
    return {label for value, label in response.context["filters"].fields["owner"].choices if value}


def test_the_organisations_offered_are_those_working_where_the_organisation_works(world):
    """A field worker of the 93 is offered its own organisation and the 93's authorised
    reporters, not the 13's; the local coordinator the same (and its own organisation); the
    national coordinator (no territory) every authorised reporter. An organisation not
    offered is refused, not searched."""
    in_93 = {world.association.name, world.police.name}
    assert _owners_offered(_search(world, "hugo")) == in_93
    assert _owners_offered(_search(world, "louis")) == in_93 | {world.coordination.name}
    everyone = in_93 | {world.other_association.name, world.national.name}
    assert _owners_offered(_search(world, "nadia")) == everyone
    assert _owners_offered(_search(world, "yasmine")) == {world.other_association.name}
    response = _search(world, "hugo", owner=world.other_association.pk)
    assert "owner" in response.context["filters"].errors
    assert _references(response) == set()


def test_search_by_route(world):
    Referral.objects.create(
        case=world.natalya,
        route=Route.PLATFORM,
        target=world.coordination,
        referred_by=world.hugo,
        referring_organisation=world.association,
        decision_due=datetime.date(2027, 6, 1),
    )
    natalya = world.natalya.reference
    assert _references(_search(world, "hugo", route=Route.PLATFORM)) == {natalya}
    assert _references(_search(world, "hugo", route=Route.JUDICIAL)) == set()


# Case search: by identity ---------------------------------------------------------------


def test_a_field_worker_finds_a_person_named_in_cyrillic_by_the_latin_spelling(world):
    natalya = world.natalya.reference
    assert _references(_search(world, "hugo", name="Natalya Ivanova")) == {natalya}
    assert _references(_search(world, "hugo", name="ivanova natalia")) == {natalya}  # by sound
    assert _references(_search(world, "hugo", name="Иванова")) == {natalya}
    assert _references(_search(world, "hugo", date_of_birth="1994-03-02")) == {natalya}
    assert _references(_search(world, "hugo", name="Natalya", date_of_birth="1994-03-03")) == set()
    assert _references(_search(world, "hugo", name="Natalya Popescu")) == set()


def test_identity_search_is_refused_to_those_who_may_not_read_identities(world):
    # Paul sits on the platform: no identity of the association's cases.
    assert not search.may_search_identity(actor_for(world.paul))
    response = _search(world, "paul")
    assert "name" not in response.context["filters"].fields
    assert _search(world, "paul", name="Natalya").status_code == 404
    assert _search(world, "paul", date_of_birth="1994-03-02").status_code == 404
    assert "identity-search" not in response.content.decode()
    with pytest.raises(ValueError):
        search.identity_refine(actor_for(world.paul), name="Natalya")


def test_identity_search_reaches_only_the_cases_whose_identity_may_be_read(world):
    # Louis's coordination sees Maria's case, shared without the identity: not by her name.
    assert world.maria.reference in _references(_search(world, "louis"))
    assert _references(_search(world, "louis", name="Maria Popescu")) == set()
    # Shared with the identity, it is found.
    CaseShare.objects.filter(case=world.maria, organisation=world.coordination).update(
        identity=True
    )
    assert _references(_search(world, "louis", name="Maria Popescu")) == {world.maria.reference}


def test_a_search_by_identity_is_audited_without_the_name_or_date_typed(world):
    _search(world, "hugo", name="Natalya Ivanova", date_of_birth="1994-03-02", status="")
    (entry,) = _searches()
    assert entry.details["identity_search"] is True
    assert entry.details["results"] == 1
    assert entry.details["filters"]["identity"] == ["name", "date_of_birth"]
    text = json.dumps(entry.details, ensure_ascii=False).lower()
    for typed in ("natalya", "ivanova", "наталья", "1994", "03-02"):
        assert typed not in text


def test_a_name_typed_in_the_reference_or_pseudonym_field_is_refused_and_never_audited(world):
    for field in ("reference", "pseudonym"):
        response = _search(world, "hugo", **{field: "Maria Popescu"})
        assert field in response.context["filters"].errors
        assert _references(response) == set()
    concern = ConcernFactory()
    client = world.client_for(world.louis)
    options = reverse("web:concern_case_options", args=[concern.reference])
    assert client.get(options, {"case_search": "Popescu"}).context["picked"] == []
    response = client.get(reverse("web:concerns"), {"reference": "Popescu"})
    assert "reference" in response.context["filters"].errors
    for entry in AuditEntry.objects.all():
        assert "popescu" not in json.dumps(entry.details).lower()


def test_a_name_never_travels_in_an_address(world):
    # Put in a URL (a link, a bookmark), a name or a date of birth is refused, for everyone.
    client = world.client_for(world.hugo)
    assert client.get(reverse("web:cases"), {"name": "Natalya"}).status_code == 404
    assert client.get(reverse("web:cases"), {"date_of_birth": "1994-03-02"}).status_code == 404
    # Sent by the identity form, with the other filters carried along; no page links.
    response = client.post(reverse("web:cases"), {"name": "Natalya", "territory": "93"})
    assert _references(response) == {world.natalya.reference}
    content = response.content.decode()
    assert '<input type="hidden" name="territory" value="93">' in content
    assert "Natalya" not in "".join(line for line in content.splitlines() if "href=" in line)


def test_every_search_is_audited_with_its_filters(world):
    _search(world, "hugo", status="presumed_victim", territory="93")
    (entry,) = _searches()
    assert entry.details["filters"] == {
        "status": "presumed_victim",
        "territory": "93",
        "page": 1,
    }
    assert entry.details["identity_search"] is False
    assert entry.details["results"] == 0
    # The plain list stays a list read.
    _search(world, "hugo")
    assert AuditEntry.objects.filter(action="case.list").count() == 1


def test_the_filters_are_kept_in_the_pagination_links(world, monkeypatch):
    from opennrm.web.cases import views

    monkeypatch.setattr(views, "CASES_PER_PAGE", 1)
    response = _search(world, "hugo", territory="93", form="")
    content = response.content.decode()
    assert "territory=93&amp;form=&amp;page=2" in content


def test_the_search_reads_a_page_at_a_time_within_the_visible_cases(world):
    actor = actor_for(world.hugo)
    refine = search.identity_refine(actor, name="Maria Popescu")
    listed = VisibleCaseList(actor, refine=refine)
    assert [case.reference for case in listed[0:10]] == [world.maria.reference]
    assert listed.count() == 1


# Query counts --------------------------------------------------------------------------------

# (persona, search, queries). Signed in (4), the territories and organisations of the form (2);
# then a count per source of visibility (owned, shared); when something is found, a head per
# source and the page's cases; the audit entry. A search that finds nothing stops at the counts.
# By name: first the people holding every name (one query), and nothing more to count when
# nobody does.
SEARCHES = [
    ("hugo", {"reference": "C-"}, 12),
    ("hugo", {"pseudonym": "P-", "status": "preliminary_assessment", "form": "forced_labour"}, 12),
    ("hugo", {"territory": "93", "due_from": "2020-01-01", "due_until": "2040-01-01"}, 12),
    ("hugo", {"name": "Maria Popescu"}, 13),
    ("hugo", {"name": "Maria Popescu", "date_of_birth": "1990-01-01"}, 8),
    ("hugo", {"name": "Maria Popescu", "route": "platform"}, 10),
    ("louis", {"pseudonym": "P-"}, 12),
    # Without field rights: one query more, whether the organisation holds identity shares.
    ("paul", {"pseudonym": "P-"}, 13),
]


@pytest.mark.parametrize(
    ("persona", "params", "queries"), SEARCHES, ids=[str(p) for _, p, _ in SEARCHES]
)
def test_search_queries_are_pinned_and_constant(
    world, django_assert_num_queries, persona, params, queries
):
    Case.objects.update(assessment_due=datetime.date(2030, 1, 1))  # every search finds some
    client = world.client_for(getattr(world, persona))
    url = reverse("web:cases")
    send = client.post if IDENTITY & set(params) else client.get
    assert send(url, params).status_code == 200  # warm up
    with django_assert_num_queries(queries + HEADER):
        assert send(url, params).status_code == 200
    for _ in range(15):
        CaseFactory(
            owner=world.association,
            person=PersonFactory(given_names="Maria", family_name="Popescu"),
        )
        CaseShare.objects.create(
            case=CaseFactory(owner=world.other_association),
            organisation=world.coordination,
            reason=ShareReason.COORDINATION,
        )
    Case.objects.update(assessment_due=datetime.date(2030, 1, 1))
    with django_assert_num_queries(queries + HEADER):
        assert send(url, params).status_code == 200


def test_concern_search_and_picker_queries_are_pinned(world, django_assert_num_queries):
    concern = ConcernFactory()
    client = world.client_for(world.louis)
    options = reverse("web:concern_case_options", args=[concern.reference])
    # The list: signed in (4), its territories, a count, the page, the audit entry, the header.
    # The picker's fragment (no header): signed in (4), the concern, the cases (a read per
    # source of visibility, owned and shared, then the matches found), the audit entry.
    for url, params, queries in [
        (reverse("web:concerns"), {"reference": "S-", "territory": "93", "status": "new"}, 9),
        (options, {"case_search": "P-"}, 9),
    ]:
        assert client.get(url, params).status_code == 200
        with django_assert_num_queries(queries):
            assert client.get(url, params).status_code == 200
        for _ in range(10):
            ConcernFactory()
            CaseShare.objects.create(
                case=CaseFactory(owner=world.association),
                organisation=world.coordination,
                reason=ShareReason.COORDINATION,
            )
        with django_assert_num_queries(queries):
            assert client.get(url, params).status_code == 200


# Concern search ------------------------------------------------------------------------------


def test_concern_search_by_reference_territory_and_status(world):
    new = ConcernFactory()
    closed = ConcernFactory()
    Concern.objects.filter(pk=closed.pk).update(status="closed")
    elsewhere = ConcernFactory(territory=Territory.objects.get(code="13"))
    client = world.client_for(world.louis)

    def found(**params) -> set[str]:
        response = client.get(reverse("web:concerns"), params)
        assert response.status_code == 200
        return {concern.reference for concern in response.context["page"]}

    assert found(reference=new.reference.lower()) == {new.reference}
    assert found(reference=closed.reference) == {closed.reference}  # any status when searched
    assert found(reference=elsewhere.reference) == set()  # another département's
    assert found(status="closed") == {closed.reference}
    assert found(territory="93", status="new") == {new.reference}
    assert found(territory="13") == set()  # not a choice: the form refuses it
    entry = _searches("concern.search")[0]
    assert entry.details["filters"]["reference"] == new.reference
    assert entry.details["results"] == 1


# The case picker -----------------------------------------------------------------------------


def test_the_picker_lists_only_the_cases_the_concern_may_be_attached_to(world):
    concern = ConcernFactory()
    client = world.client_for(world.louis)
    options = reverse("web:concern_case_options", args=[concern.reference])
    maria = world.maria
    response = client.get(options, {"case_search": maria.person.pseudonym[:6]})
    assert response.status_code == 200
    assert [case.reference for case in response.context["picked"]] == [maria.reference]
    assert f'data-case-pick="{maria.reference}"' in response.content.decode()
    # Not the association's case that is not shared with the coordination, nor the outsider's.
    for other in (world.natalya, world.outsiders):
        response = client.get(options, {"case_search": other.reference})
        assert response.context["picked"] == []
    # Only the coordinator who may triage the concern.
    for persona in ("hugo", "yasmine", "paul"):
        assert world.client_for(getattr(world, persona)).get(options).status_code == 404
    assert _searches()[0].details["where"] == "picker"


def test_the_picker_works_without_javascript_and_the_server_checks_the_case(world):
    concern = ConcernFactory()
    client = world.client_for(world.louis)
    page = reverse("web:concern", args=[concern.reference])
    response = client.get(page, {"case_search": world.maria.reference})
    content = response.content.decode()
    assert f'name="case_reference" value="{world.maria.reference}"' in content
    attach = reverse("web:concern_attach", args=[concern.reference])
    # An outsider's reference gets the error of a reference that does not exist.
    refused = client.post(attach, {"case_reference": world.outsiders.reference})
    unknown = client.post(attach, {"case_reference": "C-0000-0000"})
    assert (
        refused.context["attach_form"].errors["case_reference"]
        == unknown.context["attach_form"].errors["case_reference"]
    )
    assert client.post(attach, {"case_reference": world.maria.reference}).status_code == 302
    assert Concern.objects.get(pk=concern.pk).case_id == world.maria.pk
