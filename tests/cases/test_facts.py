"""Facts in standard terms, exploiters and workplaces (issue #12, point 2): recorded beside the
account by the responsible organisation's field staff, codes checked against the IOM's HTCDS
mapping, names encrypted, read on a need-to-know basis, audited without personal data; and
cases that name the same employer linked by blind index, each organisation learning only which
other one to contact."""

import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import Sex
from opennrm.core.models import Notification, Territory
from opennrm.detection import accounts, facts, htcds, links
from opennrm.detection.access import links_for_member
from opennrm.detection.enums import (
    ControlMeans,
    ExploiterRole,
    RecruitmentMethod,
    RelationToExploiter,
    Sector,
)
from opennrm.detection.models import (
    AccountFacts,
    Exploiter,
    LinkToken,
    PersonAccount,
    Workplace,
    siret_is_valid,
)
from opennrm.profiles.loader import active_profile
from tests.acting import actor_for
from tests.factories import CaseFactory, MembershipFactory, OrganisationFactory
from tests.security.helpers import raw_value

EXPLOITER_NAME = "Fictional Dragomir Vasilescu-Ombre"
EXPLOITER_NOTES = "Fictional: drives a grey van, collects the wages on Fridays."
WORKPLACE_NAME = "SARL Les Vergers du Sud"
WORKPLACE_ADDRESS = "12 chemin fictif des Pommiers"
WORKPLACE_TOWN = "Fictiveville-sur-Durance"
VALID_SIRET = "73282932000074"  # a well-formed (Luhn) number, fictional use


def _client(cast, user):
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(case, name, *args):
    return reverse(name, args=[case.reference, *args])


def _post(client, url, prefix, **values):
    data = {}
    for name, value in values.items():
        data[f"{prefix}-{name}"] = value
    return client.post(url, data)


# The HTCDS mapping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "codes", "field"),
    [
        (htcds.RECRUITMENT_METHODS, RecruitmentMethod.values, htcds.METHOD_OF_RECRUITMENT),
        (htcds.CONTROL_METHODS, ControlMeans.values, htcds.METHODS_OF_CONTROL),
        (htcds.ISIC_SECTIONS, Sector.values, htcds.FORCED_LABOUR_INDUSTRY),
        (htcds.RELATIONSHIPS, RelationToExploiter.values, htcds.RELATIONSHIP_TO_TRAFFICKER),
        (htcds.ROLES, ExploiterRole.values, htcds.ROLE_IN_PROCESS),
        (htcds.GENDERS, Sex.values, htcds.GENDER),
    ],
)
def test_every_code_maps_to_a_value_of_the_standard(table, codes, field):
    assert set(table) == set(codes)
    values = {value for value in table.values() if value is not None}
    assert values <= htcds.STANDARD_VALUES[field]


def test_every_form_of_exploitation_of_the_profile_has_its_type():
    standard = htcds.STANDARD_VALUES[htcds.TYPE_OF_EXPLOITATION]
    for form in active_profile().forms_of_exploitation:
        assert htcds.TYPES_OF_EXPLOITATION[form.code] in standard, form.code
    assert htcds.types_of_exploitation(["forced_labour", "servitude", "domestic_servitude"]) == [
        "ForcedLabour",
        "Servitude",
    ]
    assert htcds.industries(["agriculture", "begging", "domestic_work"]) == [
        "A_AgricultureForestryAndFishing",
        "T_ActivitiesOfHouseholdsAsEmployers",
    ]


# Company names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "les vergers du sud",
        "LES VERGERS DU SUD",
        "S.A.R.L. Les Vergers du Sud",
        "Vergers du Sud (Les), SARL",
        "Ets Vergers du Sud",
        "Le Verger du Sud",
        "Sud Vergers",
        "Les Vérgers-du-Sud SAS",
    ],
)
def test_spellings_of_one_employer_meet(variant):
    assert links.company_key(variant) == links.company_key(WORKPLACE_NAME) == "sud verger"


@pytest.mark.parametrize(
    "other", ["Les Vergers du Nord", "Les Jardins du Sud", "Vergers", "SARL", "Sud Primeurs"]
)
def test_other_employers_do_not(other):
    assert links.company_key(other) != links.company_key(WORKPLACE_NAME)


def test_siret_checks():
    assert siret_is_valid(VALID_SIRET)
    assert not siret_is_valid("73282932000075")
    assert not siret_is_valid("1234")
    assert links.siren_of("732 829 320 00074") == "732829320"


# Facts ------------------------------------------------------------------------------------


def _facts_data(**overrides):
    data = {
        "recruitment_methods": ["online_social_network", "friends"],
        "control_means": ["documents", "takes_earnings"],
        "recruitment_countries": ["RO"],
        "transit_countries": ["HU", "AT"],
        "exploitation_countries": ["FR"],
        "exploitation_territories": ["93"],
        "sectors": ["agriculture"],
        "forms": ["forced_labour"],
        "relation_to_exploiter": "acquaintance",
        "minor_during_exploitation": "no",
        "self_identifies": "partly",
    }
    data.update(overrides)
    return data


def test_a_field_worker_records_the_facts_and_finds_them_again(cast, case):
    client = _client(cast, cast.hugo)
    url = _url(case, "web:account_facts")
    page = client.get(url).content.decode()
    assert "Not saved yet" in page and "Methods of recruitment" in page
    response = _post(client, url, "facts", **_facts_data())
    assert response.status_code == 302 and response["Location"] == url
    saved = AccountFacts.objects.get(account__case=case)
    assert saved.recruitment_methods == ["online_social_network", "friends"]
    assert saved.transit_countries == ["HU", "AT"] or set(saved.transit_countries) == {"HU", "AT"}
    assert saved.exploitation_territories == ["93"]
    assert saved.self_identifies == "partly"
    assert saved.saved_at is not None
    # One list of means of control: the account's.
    account = PersonAccount.objects.get(case=case)
    assert account.control_means == ["documents", "takes_earnings"]
    assert "control" in accounts.filled_sections(account, 0).sections
    page = client.get(url).content.decode()
    assert "Saved — last saved on" in page
    entry = AuditEntry.objects.filter(action="facts.save").latest("pk")
    assert entry.details == {"case": case.pk, "account": account.pk}
    assert htcds.control_methods(account.control_means) == ["WithholdsDocuments", "TakesEarnings"]


def test_the_facts_start_from_what_the_case_and_the_account_say(cast, case):
    actor = actor_for(cast.hugo)
    accounts.add_situation(
        case,
        {"territory": Territory.objects.get(code="93"), "sector": "hospitality", "forms": []},
        actor=actor,
    )
    accounts.add_situation(case, {"abroad": True, "country": "RO"}, actor=actor)
    page = _client(cast, cast.hugo).get(_url(case, "web:account_facts")).content.decode()
    assert re.search(r'name="facts-sectors"\s+value="hospitality"\s+checked', page)
    assert re.search(r'name="facts-exploitation_territories"\s+value="93"\s+checked', page)
    assert re.search(r'name="facts-exploitation_countries"\s+value="RO"\s+checked', page)
    assert AccountFacts.objects.count() == 0  # nothing saved by reading


def test_unknown_codes_are_refused_with_clear_errors(cast, case):
    actor = actor_for(cast.hugo)
    with pytest.raises(ValidationError) as refused:
        facts.save_facts(
            case,
            {
                "recruitment_methods": ["by_pigeon"],
                "recruitment_countries": ["XX"],
                "exploitation_territories": ["99"],
                "sectors": ["unknown"],
                "forms": ["piracy"],
            },
            actor=actor,
        )
    errors = refused.value.message_dict
    assert "by_pigeon" in errors["recruitment_methods"][0]
    assert "XX" in errors["recruitment_countries"][0]
    assert "99" in errors["exploitation_territories"][0]
    assert "unknown" in errors["sectors"][0]
    assert "piracy" in errors["forms"][0]
    with pytest.raises(ValidationError):
        facts.save_facts(case, {"control_means": ["mind_control"]}, actor=actor)
    assert not AccountFacts.objects.exists()
    # Through the page: the form refuses, the page says why and keeps what was chosen.
    client = _client(cast, cast.hugo)
    response = _post(
        client, _url(case, "web:account_facts"), "facts", recruitment_methods=["by_pigeon"]
    )
    assert response.status_code == 200
    assert "The facts could not be saved" in response.content.decode()
    assert not AccountFacts.objects.exists()


def test_who_reads_and_writes_the_facts(cast, case):
    facts.save_facts(case, _facts_data(), actor=actor_for(cast.hugo))
    url = _url(case, "web:account_facts")
    page = _client(cast, cast.louis)
    # Louis coordinates (the case is shared with his coordination, not owned): not a reader.
    assert page.get(url).status_code == 404
    for name in ("paul", "yasmine", "ines", "claire", "nadia"):
        assert _client(cast, getattr(cast, name)).get(url).status_code == 404, name
        assert _client(cast, getattr(cast, name)).post(url, {}).status_code == 404, name
    assert cast.client_for(None).get(url).status_code == 302  # to the login page
    response = _client(cast, cast.amina).get(url)
    assert response.status_code == 200
    read = AuditEntry.objects.filter(action="facts.read").latest("pk")
    assert read.details["via"] == "case" and read.details["case"] == case.pk


def test_a_closed_case_takes_no_facts(cast, case):
    from opennrm.cases import closure

    actor = actor_for(cast.amina)
    closure.close_case(case, reason="withdrew", note="", actor=actor)
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        facts.save_facts(case, _facts_data(), actor=actor)
    page = _client(cast, cast.amina).get(_url(case, "web:account_facts")).content.decode()
    assert 'id="facts-form"' not in page


# Exploiters and workplaces ------------------------------------------------------------------


def test_a_field_worker_records_exploiters_and_workplaces(cast, case):
    client = _client(cast, cast.hugo)
    page_url = _url(case, "web:account_parties")
    assert client.get(page_url).status_code == 200
    response = _post(
        client,
        _url(case, "web:account_exploiter_add"),
        "exploiter-new",
        roles=["recruiter", "employer"],
        name=EXPLOITER_NAME,
        nationality="RO",
        sex="male",
        notes=EXPLOITER_NOTES,
    )
    assert response.status_code == 302
    assert response["Location"] == page_url + "#exploiters"
    response = _post(
        client,
        _url(case, "web:account_workplace_add"),
        "workplace-new",
        name=WORKPLACE_NAME,
        address=WORKPLACE_ADDRESS,
        commune=WORKPLACE_TOWN,
        territory=Territory.objects.get(code="93").pk,
        sector="agriculture",
        siret="732 829 320 00074",
    )
    assert response.status_code == 302
    exploiter = Exploiter.objects.get(account__case=case)
    workplace = Workplace.objects.get(account__case=case)
    assert exploiter.roles == ["recruiter", "employer"] and exploiter.nationality == "RO"
    assert workplace.siret == VALID_SIRET and workplace.sector == "agriculture"
    # Encrypted at rest; blind-index tokens, not names.
    for item, name, clear in (
        (exploiter, "name", EXPLOITER_NAME),
        (exploiter, "notes", EXPLOITER_NOTES),
        (workplace, "name", WORKPLACE_NAME),
        (workplace, "address", WORKPLACE_ADDRESS),
        (workplace, "commune", WORKPLACE_TOWN),
        (workplace, "siret", VALID_SIRET),
    ):
        stored = str(raw_value(item, name))
        assert stored.startswith("v1:") and clear not in stored
    kinds = set(LinkToken.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {links.COMPANY, links.SIREN, links.EXPLOITER}
    page = client.get(page_url).content.decode()
    assert EXPLOITER_NAME in page and WORKPLACE_NAME in page
    for action in ("exploiter.add", "workplace.add"):
        entry = AuditEntry.objects.get(action=action)
        assert entry.details["case"] == case.pk
        assert WORKPLACE_NAME not in str(entry.details) and EXPLOITER_NAME not in str(entry.details)

    # Corrected, then removed.
    _post(
        client,
        _url(case, "web:account_workplace", workplace.pk),
        f"workplace-{workplace.pk}",
        name="Les Jardins du Nord",
        sector="agriculture",
    )
    workplace.refresh_from_db()
    assert workplace.name == "Les Jardins du Nord" and workplace.address == ""
    assert AuditEntry.objects.filter(action="workplace.update").exists()
    response = client.post(_url(case, "web:account_exploiter_remove", exploiter.pk))
    assert response.status_code == 302
    assert not Exploiter.objects.exists()
    assert not LinkToken.objects.filter(kind=links.EXPLOITER).exists()
    assert AuditEntry.objects.filter(action="exploiter.remove").exists()
    client.post(_url(case, "web:account_workplace_remove", workplace.pk))
    assert not Workplace.objects.exists() and not LinkToken.objects.exists()


def test_bad_values_are_refused(cast, case):
    client = _client(cast, cast.hugo)
    response = _post(
        client,
        _url(case, "web:account_workplace_add"),
        "workplace-new",
        name="Fictional farm",
        siret="12345678901234",
    )
    assert response.status_code == 200
    assert "valid one" in response.content.decode()
    response = _post(client, _url(case, "web:account_exploiter_add"), "exploiter-new")
    assert response.status_code == 200
    assert "Fill in at least one field." in response.content.decode()
    with pytest.raises(ValidationError):
        facts.add_exploiter(case, {"roles": ["pirate"]}, actor=actor_for(cast.hugo))
    with pytest.raises(ValidationError):
        facts.add_workplace(
            case,
            {"country": "RO", "territory": Territory.objects.get(code="93")},
            actor=actor_for(cast.hugo),
        )
    assert not Exploiter.objects.exists() and not Workplace.objects.exists()


def test_only_the_account_writers_change_them_and_its_readers_see_them(cast, case):
    item = facts.add_workplace(case, {"name": WORKPLACE_NAME}, actor=actor_for(cast.hugo))
    for name in ("paul", "yasmine", "louis", "ines", "claire"):
        client = _client(cast, getattr(cast, name))
        assert client.get(_url(case, "web:account_parties")).status_code == 404, name
        response = _post(
            client, _url(case, "web:account_workplace", item.pk), f"workplace-{item.pk}", name="X"
        )
        assert response.status_code == 404, name
        with pytest.raises(ValidationError):
            facts.update_workplace(
                case, item.pk, {"name": "X"}, actor=actor_for(getattr(cast, name))
            )
    item.refresh_from_db()
    assert item.name == WORKPLACE_NAME
    # A record of another case is not reachable through this one.
    other = CaseFactory(owner=cast.association)
    response = _client(cast, cast.hugo).post(_url(other, "web:account_workplace_remove", item.pk))
    assert response.status_code == 302
    assert Workplace.objects.filter(pk=item.pk).exists()


# Linking by blind index ---------------------------------------------------------------------


def test_two_organisations_recording_one_employer_learn_only_of_each_other(cast, case):
    """The acceptance test: different spellings, each learns which organisation holds a
    matching workplace and nothing else; an unrelated organisation learns nothing; an outsider
    gets 404."""
    marseille = CaseFactory(
        owner=cast.other_association, territory=Territory.objects.get(code="13")
    )
    unrelated_org = OrganisationFactory(
        name="Association Tierce (fictional)",
        territories=[Territory.objects.get(code="93")],
        authorised_reporter=True,
    )
    unrelated_worker = MembershipFactory(organisation=unrelated_org).user
    unrelated = CaseFactory(owner=unrelated_org)

    first = facts.add_workplace(
        case,
        {"name": WORKPLACE_NAME, "address": WORKPLACE_ADDRESS, "commune": WORKPLACE_TOWN},
        actor=actor_for(cast.hugo),
    )
    facts.add_workplace(
        unrelated, {"name": "Les Jardins du Nord"}, actor=actor_for(unrelated_worker)
    )
    assert not Notification.objects.exists()
    assert not links_for_member(actor_for(cast.hugo), case)

    second = facts.add_workplace(
        marseille, {"name": "les vergers du sud", "commune": "Autre"}, actor=actor_for(cast.yasmine)
    )

    # Association 13 sees Association 93 to contact, on its own case's page.
    page = _client(cast, cast.yasmine).get(_url(marseille, "web:account_parties")).content.decode()
    assert "Another organisation holds a case with a matching workplace." in page
    assert cast.association.name in page and cast.association.email in page
    for secret in (
        case.reference,
        case.person.pseudonym,
        WORKPLACE_ADDRESS,
        WORKPLACE_TOWN,
        WORKPLACE_NAME,
        f"workplaces/{first.pk}/",
    ):
        assert secret not in page, secret
    # Association 93 sees Association 13, and was told by a notification naming its own case.
    page = _client(cast, cast.hugo).get(_url(case, "web:account_parties")).content.decode()
    assert cast.other_association.name in page
    assert marseille.reference not in page and "Autre" not in page
    told = Notification.objects.filter(kind="account.workplace_match")
    assert set(told.values_list("recipient__email", flat=True)) == {
        cast.amina.email,
        cast.hugo.email,
    }
    assert all(n.params == {"reference": case.reference} for n in told)
    assert marseille.reference not in told.first().text
    # The unrelated organisation learns nothing.
    page = _client(cast, unrelated_worker).get(_url(unrelated, "web:account_parties"))
    assert "matching workplace" not in page.content.decode()
    assert cast.association.name not in page.content.decode()
    # Outsiders get 404 on the other organisation's pages.
    assert _client(cast, unrelated_worker).get(_url(case, "web:account_parties")).status_code == 404
    assert _client(cast, cast.yasmine).get(_url(case, "web:account_parties")).status_code == 404
    # Audited with organisation ids only.
    entry = AuditEntry.objects.get(action="workplace.possible_match")
    assert entry.details == {"workplace": second.pk, "organisations": [cast.association.pk]}
    shown = AuditEntry.objects.filter(action="account.links_shown").latest("pk")
    assert shown.details["organisations"] == [cast.other_association.pk]
    # Saving again tells no one twice.
    facts.update_workplace(
        marseille, second.pk, {"name": "Vergers du Sud"}, actor=actor_for(cast.yasmine)
    )
    assert Notification.objects.filter(kind="account.workplace_match").count() == 2


def test_the_same_siren_links_and_a_removed_workplace_no_longer_does(cast, case):
    marseille = CaseFactory(owner=cast.other_association)
    facts.add_workplace(case, {"siret": VALID_SIRET}, actor=actor_for(cast.hugo))
    item = facts.add_workplace(
        marseille,
        {"name": "Another name entirely", "siret": VALID_SIRET},
        actor=actor_for(cast.yasmine),
    )
    assert links_for_member(actor_for(cast.yasmine), marseille).workplaces[item.pk][0].name == (
        cast.association.name
    )
    facts.remove_workplace(marseille, item.pk, actor=actor_for(cast.yasmine))
    assert not links_for_member(actor_for(cast.hugo), case)


def test_exploiter_names_link_only_when_full(cast, case):
    marseille = CaseFactory(owner=cast.other_association)
    facts.add_exploiter(case, {"name": "Dragomir Vasilescu"}, actor=actor_for(cast.hugo))
    facts.add_exploiter(marseille, {"name": "Dragomir"}, actor=actor_for(cast.yasmine))
    assert not links_for_member(actor_for(cast.hugo), case)
    item = facts.add_exploiter(
        marseille, {"name": "VASILESCU Dragomir"}, actor=actor_for(cast.yasmine)
    )
    found = links_for_member(actor_for(cast.yasmine), marseille)
    assert [c.name for c in found.exploiters[item.pk]] == [cast.association.name]
    page = _client(cast, cast.hugo).get(_url(case, "web:account_parties")).content.decode()
    assert "exploiter of the same name" in page


def test_the_same_organisation_is_not_told_of_itself(cast, case):
    other = CaseFactory(owner=cast.association)
    facts.add_workplace(case, {"name": WORKPLACE_NAME}, actor=actor_for(cast.hugo))
    facts.add_workplace(other, {"name": WORKPLACE_NAME}, actor=actor_for(cast.hugo))
    assert not links_for_member(actor_for(cast.hugo), other)
    assert not Notification.objects.exists()


def test_the_index_is_rebuilt(cast, case):
    facts.add_workplace(
        case, {"name": WORKPLACE_NAME, "siret": VALID_SIRET}, actor=actor_for(cast.hugo)
    )
    facts.add_exploiter(case, {"name": "Dragomir Vasilescu"}, actor=actor_for(cast.hugo))
    before = set(LinkToken.objects.values_list("kind", "token"))
    LinkToken.objects.all().delete()
    assert links.rebuild_link_index() == 3
    assert set(LinkToken.objects.values_list("kind", "token")) == before
    out = io.StringIO()
    call_command("rebuild_link_index", stdout=out)
    assert "Link tokens rebuilt: 3." in out.getvalue()
    assert set(LinkToken.objects.values_list("kind", "token")) == before
    assert AuditEntry.objects.get(action="crypto.rebuild_link_index").details == {"tokens": 3}


def test_a_coordinator_of_the_owner_reads_them_without_forms(cast):
    """Coordinators of the responsible organisation read the facts, exploiters and workplaces
    (no form); the matching organisations are shown to them too."""
    from opennrm.detection.access import may_write_account

    case = CaseFactory(owner=cast.coordination)
    louis = actor_for(cast.louis)
    assert not may_write_account(louis, case)
    account = PersonAccount.objects.create(
        case=case, created_by=cast.louis, organisation=cast.coordination
    )
    AccountFacts.objects.create(
        account=account, recruitment_methods=["at_work"], sectors=["retail"]
    )
    Exploiter.objects.create(account=account, created_by=cast.louis, name=EXPLOITER_NAME)
    workplace = Workplace.objects.create(
        account=account,
        created_by=cast.louis,
        name=WORKPLACE_NAME,
        territory=Territory.objects.get(code="93"),
    )
    links.refresh_workplace(workplace, case)
    facts.add_workplace(
        CaseFactory(owner=cast.association), {"name": "Vergers du Sud"}, actor=actor_for(cast.hugo)
    )
    client = _client(cast, cast.louis)
    page = client.get(_url(case, "web:account_facts")).content.decode()
    assert "At work" in page and "Retail" in page and 'id="facts-form"' not in page
    page = client.get(_url(case, "web:account_parties")).content.decode()
    assert EXPLOITER_NAME in page and WORKPLACE_NAME in page
    assert "Add this workplace" not in page
    assert cast.association.name in page
