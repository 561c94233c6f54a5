"""The person's account and the interview record (issue #12, point 1): written once, in the
professional's words, section by section, each saved on its own; read on a need-to-know basis;
encrypted; audited without personal data."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases import closure
from opennrm.cases.models import TransitionError
from opennrm.core.models import Territory
from opennrm.detection import accounts
from opennrm.detection.models import ExploitativeSituation, PersonAccount
from tests.acting import actor_for
from tests.factories import CaseFactory
from tests.security.helpers import raw_value

BACKGROUND = "Fictional: grew up on a farm near the coast, left school at fourteen."
RECRUITMENT = "Fictional: a cousin promised restaurant work and papers for 3,000 euros."
INSIGHT = "Fictional insight: consistent account of deception and debt bondage."


def _client(cast, user):
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(case, name="web:account", *args):
    return reverse(name, args=[case.reference, *args])


def _section(client, case, section, **values):
    data = {f"{section}-{name}": value for name, value in values.items()}
    return client.post(_url(case, "web:account_section", section), data)


def _situation(client, case, pk=None, **values):
    prefix = f"situation-{pk}" if pk else "situation-new"
    data = {f"{prefix}-{name}": value for name, value in values.items()}
    url = _url(case, "web:account_situation", pk) if pk else _url(case, "web:account_situation_add")
    return client.post(url, data)


# Writing, section by section ---------------------------------------------------------------


def test_a_field_worker_saves_sections_in_any_order_and_finds_them_again(cast, case):
    client = _client(cast, cast.hugo)
    page = client.get(_url(case)).content.decode()
    assert "0 of 10 sections filled" in page
    assert page.count("Not saved yet") == 10

    response = _section(client, case, "recruitment", recruitment=RECRUITMENT)
    assert response.status_code == 302
    assert response["Location"] == _url(case) + "#section-recruitment"
    _section(client, case, "background", background=BACKGROUND)
    _section(
        client,
        case,
        "interview",
        interview_place="Fictional: our office",
        interview_on=str(timezone.localdate()),
        interpreter_language="ro",
        present="An interpreter by phone (fictional service).",
        insight=INSIGHT,
    )

    account = PersonAccount.objects.get(case=case)
    assert account.background == BACKGROUND
    assert account.recruitment == RECRUITMENT
    assert account.interview_on == timezone.localdate()
    assert account.interpreter_language == "ro"
    assert set(account.saved_at) == {"background", "recruitment", "interview"}
    page = client.get(_url(case)).content.decode()
    assert BACKGROUND in page and RECRUITMENT in page and INSIGHT in page
    assert "3 of 10 sections filled" in page
    assert page.count("Saved — last saved on") == 3
    # One section saved leaves the others as they were.
    _section(client, case, "background", background="")
    account.refresh_from_db()
    assert account.background == "" and account.recruitment == RECRUITMENT
    assert case.events.filter(kind="account.started").count() == 1


def test_a_refused_section_keeps_what_was_typed_and_saves_nothing(cast, case):
    client = _client(cast, cast.amina)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _section(client, case, "interview", interview_on=str(tomorrow), insight=INSIGHT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The date cannot be in the future (today is" in html
    assert INSIGHT in html  # nothing typed is lost
    assert not PersonAccount.objects.exists()
    response = _section(client, case, "interview", interview_on="1899-12-31")
    assert "The date cannot be before 1900." in response.content.decode()
    assert _section(client, case, "nonsense", text="x").status_code == 404


def test_the_account_is_encrypted_at_rest(cast, case):
    actor = actor_for(cast.amina)
    account = accounts.save_section(case, "background", {"background": BACKGROUND}, actor=actor)
    situation = accounts.add_situation(
        case, {"commune": "Fictionville", "description": "Fictional bakery work"}, actor=actor
    )
    for instance, field, plaintext in (
        (account, "background", "farm near the coast"),
        (situation, "commune", "Fictionville"),
        (situation, "description", "bakery"),
    ):
        stored = str(raw_value(instance, field))
        assert stored.startswith("v1:test:")
        assert plaintext not in stored


def test_each_save_is_audited_with_ids_and_the_section_only(cast, case):
    client = _client(cast, cast.hugo)
    _section(client, case, "background", background=BACKGROUND)
    client.get(_url(case))
    entries = AuditEntry.objects.filter(action__startswith="account.")
    assert {e.action for e in entries} >= {"account.create", "account.save_section", "account.read"}
    saved = entries.get(action="account.save_section")
    assert saved.details == {"case": case.pk, "section": "background"}
    for entry in entries:
        assert "farm" not in str(entry.details)


# Exploitative situations -------------------------------------------------------------------


def test_situations_repeat_with_their_dates_place_sector_and_forms(cast, case):
    client = _client(cast, cast.hugo)
    territory = Territory.objects.get(code="93")
    response = _situation(
        client,
        case,
        started_on="2023-03-01",
        ended_on="2023-09-30",
        territory=territory.pk,
        commune="Fictionville",
        sector="hospitality",
        forms=["forced_labour"],
        description="Fictional: kitchen work, 14 hours a day.",
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#section-situations")
    _situation(client, case, abroad="on", country="RO", timing="Fictional: two summers before")
    first, second = ExploitativeSituation.objects.order_by("pk")
    assert first.territory == territory and first.forms == ["forced_labour"]
    assert second.abroad and second.country == "RO" and second.territory is None
    page = client.get(_url(case)).content.decode()
    assert "Situation 1" in page and "Situation 2" in page
    assert "1 of 10 sections filled" in page

    # Edit the first; remove the second.
    response = _situation(client, case, first.pk, started_on="2023-04-01", sector="hospitality")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.started_on == datetime.date(2023, 4, 1) and first.description == ""
    response = client.post(_url(case, "web:account_situation_remove", second.pk))
    assert response.status_code == 302
    assert list(ExploitativeSituation.objects.all()) == [first]
    assert case.events.filter(kind="account.situation_removed").exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"started_on": "2999-01-01"},
            "started_on",
            "An exploitation cannot start or end in the future",
        ),
        ({"started_on": "1850-01-01"}, "started_on", "The date cannot be before 1900."),
        (
            {"started_on": "2023-05-01", "ended_on": "2023-01-01"},
            "ended_on",
            "The end comes before the start.",
        ),
        ({"abroad": "on"}, "country", "Choose the country"),
        ({"abroad": "on", "country": "FR"}, "country", "This country is not abroad."),
        ({}, None, "Fill in at least one field of the situation."),
    ],
)
def test_implausible_situations_are_refused(cast, case, values, field, message):
    client = _client(cast, cast.amina)
    typed = {"description": "Fictional kept text"} if values else {}
    response = _situation(client, case, **typed, **values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Fictional kept text" in response.content.decode() or not values
    assert not ExploitativeSituation.objects.exists()


def test_the_domain_refuses_implausible_dates_too(cast, case):
    actor = actor_for(cast.amina)
    with pytest.raises(ValidationError) as error:
        accounts.add_situation(
            case,
            {"started_on": datetime.date(2024, 5, 1), "ended_on": datetime.date(2024, 1, 1)},
            actor=actor,
        )
    assert "ended_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        accounts.save_section(
            case, "interview", {"interview_on": datetime.date(1800, 1, 1)}, actor=actor
        )
    assert "interview_on" in error.value.message_dict


# Who writes, who reads ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["amina", "hugo"])
def test_the_owners_field_staff_write_it(cast, case, name):
    client = _client(cast, getattr(cast, name))
    assert client.get(_url(case)).status_code == 200
    assert _section(client, case, "journey", journey="Fictional bus").status_code == 302


@pytest.mark.parametrize("name", ["paul", "louis", "claire", "ines", "nadia", "robert", "yasmine"])
def test_the_others_do_not_reach_it(cast, case, name):
    accounts.save_section(
        case, "background", {"background": BACKGROUND}, actor=actor_for(cast.amina)
    )
    client = _client(cast, getattr(cast, name))
    assert client.get(_url(case)).status_code == 404
    assert _section(client, case, "journey", journey="Fictional").status_code == 404
    assert _situation(client, case, description="Fictional").status_code == 404
    assert PersonAccount.objects.get().journey == ""


def test_anonymous_visitors_are_sent_to_the_login_page(client, cast, case):
    response = client.get(_url(case))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_coordinator_of_the_owning_organisation_reads_it_without_writing(cast):
    case = CaseFactory(owner=cast.coordination)
    with pytest.raises(TransitionError):
        accounts.save_section(
            case, "background", {"background": BACKGROUND}, actor=actor_for(cast.louis)
        )
    PersonAccount.objects.create(
        case=case,
        background=BACKGROUND,
        created_by=cast.louis,
        organisation=cast.coordination,
    )
    client = _client(cast, cast.louis)
    page = client.get(_url(case)).content.decode()
    assert BACKGROUND in page
    assert "Save this section" not in page
    assert _section(client, case, "journey", journey="x").status_code == 404


def test_a_closed_case_is_read_not_written(cast, case):
    actor = actor_for(cast.amina)
    accounts.save_section(case, "background", {"background": BACKGROUND}, actor=actor)
    closure.close_case(
        case, actor=actor, reason="withdrew", closed_on=timezone.localdate(), note=""
    )
    with pytest.raises(TransitionError):
        accounts.save_section(case, "journey", {"journey": "Fictional"}, actor=actor)
    page = _client(cast, cast.amina).get(_url(case)).content.decode()
    assert BACKGROUND in page and "Save this section" not in page


# Where the professional works ----------------------------------------------------------------


def test_the_case_page_says_how_complete_the_account_is_and_links_to_it(cast, case):
    client = _client(cast, cast.hugo)
    page = client.get(reverse("web:case", args=[case.reference])).content.decode()
    assert "Not recorded yet." in page
    assert "Record the person&#x27;s account and the interview" in page
    accounts.save_section(
        case, "background", {"background": BACKGROUND}, actor=actor_for(cast.hugo)
    )
    page = client.get(reverse("web:case", args=[case.reference])).content.decode()
    assert "Recorded: 1 of 10 sections filled." in page
    assert "Complete the person&#x27;s account (1 of 10 sections)" in page
    assert _url(case) in page
    assert BACKGROUND not in page  # the case page shows no narrative
    # The coordination the case is shared with sees neither.
    page = _client(cast, cast.louis).get(reverse("web:case", args=[case.reference]))
    assert "account-status" not in page.content.decode()


def test_the_assessment_page_links_to_the_account(cast, case, draft):
    page = _client(cast, cast.hugo).get(reverse("web:assessment", args=[draft.pk]))
    assert _url(case) in page.content.decode()
