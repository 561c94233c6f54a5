"""The public concern form: no account, abuse resistance, nothing accepted is lost."""

import hashlib
import hmac
import html
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.core.models import Territory
from opennrm.detection.models import Concern
from opennrm.profiles.loader import active_profile
from opennrm.web.ratelimit import (
    DEFAULT_REPORT_RATE,
    Rate,
    client_key,
    parse_rates,
    report_limiter,
)

REPORT = "/report/"
THANKS = "/report/thanks/"
TEXT_FIELDS = ("description", "commune", "contact")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public(cast) -> Client:
    return Client()


def _data(**overrides):
    data = {
        "description": "Fictional: three workers sleep in the shed and never leave the farm.",
        "territory": "93",
        "commune": "Fictiveville",
        "place_type": "farm",
        "sector": "agriculture",
        "signs": ["cannot_leave", "unpaid"],
        "child_involved": "no",
        "contact": "",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _notice(response) -> str:
    profile = active_profile()
    return profile.emergency_notice.get(response["Content-Language"], profile.default_language)


# The page ----------------------------------------------------------------------------------


def test_the_form_needs_no_account_and_shows_quick_exit_and_emergency_numbers(public):
    response = public.get(REPORT)
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-quick-exit" in body
    assert html.escape(_notice(response)) in body
    assert response.context["triage_delay"]
    assert "no-store" in response["Cache-Control"]


def test_the_form_works_without_javascript_and_is_labelled(public):
    response = public.get(REPORT)
    body = response.content.decode()
    assert f'action="{REPORT}"' in body
    assert 'method="post"' in body
    for name in ("description", "territory", "commune", "place_type", "sector", "contact"):
        assert f'for="id_{name}"' in body, name
    # Checkbox and radio groups are fieldsets with a legend.
    assert 'id="checkboxes-id_signs"' in body
    assert 'id="radio-id_child_involved"' in body
    assert body.count("<legend") >= 3  # where, signs, child
    # The honeypot: hidden from sight and keyboard, labelled for screen readers.
    form = response.context["form"]
    widget = form.fields["website"].widget.attrs
    assert widget["autocomplete"] == "off"
    assert widget["tabindex"] == "-1"
    assert 'for="id_website"' in body
    assert '<div class="fr-sr-only">' in body


def test_the_territory_choices_are_the_local_units(public):
    form = public.get(REPORT).context["form"]
    codes = {territory.code for territory in form.fields["territory"].queryset}
    assert "93" in codes and "13" in codes
    assert codes == set(Territory.objects.local_units().values_list("code", flat=True))


# Accepted reports ----------------------------------------------------------------------------


def test_an_accepted_concern_is_stored_and_its_reference_shown_once(public, cast):
    response = public.post(REPORT, _data(contact="06 00 00 00 00 (fictional)"))
    assert response.status_code == 302
    assert response["Location"] == THANKS  # the reference is not in the URL
    concern = Concern.objects.get()
    assert concern.channel == "public_report"
    assert concern.territory.code == "93"
    assert concern.signs == ["cannot_leave", "unpaid"]
    assert concern.child_involved == "no"
    assert concern.contact == "06 00 00 00 00 (fictional)"
    assert concern.created_by is None and concern.created_for is None
    assert concern.status == "new"
    assert AuditEntry.objects.filter(
        action="concern.create", object_id=str(concern.pk), actor=None
    ).exists()

    thanks = public.get(THANKS)
    assert thanks.status_code == 200
    assert concern.reference in thanks.content.decode()
    assert "no-store" in thanks["Cache-Control"]
    again = public.get(THANKS)
    assert concern.reference not in again.content.decode()


def test_the_concern_goes_to_the_coordinator_of_its_departement(public, cast):
    public.post(REPORT, _data())
    reference = Concern.objects.get().reference
    louis = cast.client_for(cast.louis)
    assert reference in louis.get(reverse("web:concerns")).content.decode()
    assert louis.get(reverse("web:concern", args=[reference])).status_code == 200


def test_line_breaks_count_once_and_tabs_and_newlines_are_kept(public):
    description = "a\r\n" * 2000  # 6,000 bytes sent, 4,000 characters once normalised
    response = public.post(REPORT, _data(description=description))
    assert response.status_code == 302
    public.post(REPORT, _data(description="line one\r\n\tindented line"))
    texts = set(Concern.objects.values_list("description", flat=True))
    assert "line one\n\tindented line" in texts


# Bad input: a clear error, never a 500, nothing typed lost ----------------------------------


@pytest.mark.parametrize(
    ("field", "size"), [("description", 4001), ("commune", 121), ("contact", 201)]
)
def test_oversized_fields_are_refused_with_a_clear_error(public, field, size):
    typed = "x" * size
    response = public.post(REPORT, _data(**{field: typed}))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert typed in response.content.decode()  # re-displayed, nothing lost
    assert Concern.objects.count() == 0


def test_an_oversized_request_body_is_refused_before_it_is_read(public):
    response = public.post(REPORT, _data(description="x" * 200_000))
    assert response.status_code == 413
    assert response.context["body_too_large"]
    assert Concern.objects.count() == 0


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b[31m", "\x0b", "\x7f", "\x85"])
def test_control_characters_are_removed_and_the_form_says_so(public, field, control):
    response = public.post(REPORT, _data(**{field: f"visible{control}text"}))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(field, "control_characters")
    body = response.content.decode()
    shown = form[field].value()
    assert "\x00" not in shown and "\x07" not in shown and "\x1b" not in shown
    assert "visible" in shown and "text" in shown
    assert "\x1b" not in body and "\x00" not in body
    assert Concern.objects.count() == 0


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_script_tags_are_stored_as_text_and_always_escaped(public, cast, field):
    script = '<script>alert("x")</script>'
    response = public.post(REPORT, _data(**{field: f"Fictional {script}"}))
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert getattr(concern, field) == f"Fictional {script}"
    page = cast.client_for(cast.louis).get(reverse("web:concern", args=[concern.reference]))
    body = page.content.decode()
    assert script not in body
    assert html.escape(script) in body


def test_script_tags_are_escaped_when_a_form_with_errors_is_shown_back(public):
    script = "<script>alert(1)</script>"
    data = _data(territory="nowhere", **dict.fromkeys(TEXT_FIELDS, script))
    response = public.post(REPORT, data)
    assert response.status_code == 200
    assert script not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


def test_invalid_choices_are_refused(public, territories):
    region = Territory.objects.exclude(level__in=active_profile().local_unit_levels).first()
    response = public.post(
        REPORT,
        _data(
            territory=region.code,
            place_type="spaceship",
            sector="piracy",
            signs=["cannot_leave", "not-a-sign"],
            child_involved="maybe",
        ),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {
        "territory",
        "place_type",
        "sector",
        "signs",
        "child_involved",
    }
    assert Concern.objects.count() == 0


def test_missing_fields_are_named_and_linked_to_their_messages(public):
    typed = "Fictional: something I saw"
    response = public.post(REPORT, {"description": "", "commune": typed})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"description", "territory", "place_type", "sector", "child_involved"} <= set(
        form.errors
    )
    body = response.content.decode()
    assert typed in body
    assert 'id="form-errors"' in body
    assert 'href="#id_description"' in body
    assert 'aria-describedby="id_description-desc-error"' in body
    assert 'id="id_description-desc-error"' in body
    assert Concern.objects.count() == 0


def test_a_get_with_junk_and_other_methods_never_fail(public):
    assert public.get(REPORT, {"territory": "<script>"}).status_code == 200
    assert public.put(REPORT).status_code == 405
    assert public.post(THANKS).status_code == 405


# Flood ------------------------------------------------------------------------------------


def test_a_flood_of_submissions_meets_a_friendly_429(public, settings):
    settings.OPENNRM_REPORT_RATE = "3/10m,20/1d"
    for _ in range(3):
        assert public.post(REPORT, _data()).status_code == 302
    response = public.post(REPORT, _data(description="Fictional: the fourth report"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert html.escape(_notice(response)) in body
    assert "Fictional: the fourth report" in body  # shown back to be kept
    assert "data-quick-exit" in body
    assert Concern.objects.count() == 3
    # Another address is not affected.
    other = public.post(REPORT, _data(), REMOTE_ADDR="192.0.2.10")
    assert other.status_code == 302


def test_the_daily_limit_applies_too(public, settings):
    settings.OPENNRM_REPORT_RATE = "100/10m,2/1d"
    assert public.post(REPORT, _data()).status_code == 302
    assert public.post(REPORT, _data()).status_code == 302
    assert public.post(REPORT, _data()).status_code == 429
    assert Concern.objects.count() == 2


def test_the_window_slides_no_burst_passes_at_the_edge_of_a_slot(public, settings, monkeypatch):
    """5 in 10 minutes means 5 in any 10 minutes: five reports just before the end of a
    ten-minute slot and five just after are not ten."""
    from opennrm.web import ratelimit

    settings.OPENNRM_REPORT_RATE = "5/10m"
    slot = 1_800_000_000  # a multiple of 600 s: a ten-minute boundary
    clock = {"now": float(slot)}
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock["now"])
    for second in range(595, 600):  # one a second, in the last seconds of a slot
        clock["now"] = slot + second
        assert public.post(REPORT, _data()).status_code == 302
    clock["now"] = slot + 605  # the next fixed slot has begun
    refused = public.post(REPORT, _data())
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 590  # when the first of the five is 10 minutes old
    clock["now"] += 590
    assert public.post(REPORT, _data()).status_code == 302
    assert public.post(REPORT, _data()).status_code == 429
    assert Concern.objects.count() == 6


def test_forms_with_errors_do_not_use_up_the_limit(public, settings):
    settings.OPENNRM_REPORT_RATE = "1/10m"
    for _ in range(3):
        assert public.post(REPORT, _data(territory="")).status_code == 200
    assert public.post(REPORT, _data()).status_code == 302
    assert public.post(REPORT, _data()).status_code == 429


def test_the_limiter_stores_no_raw_address(public, settings):
    settings.OPENNRM_REPORT_RATE = "5/10m"
    public.post(REPORT, _data(), REMOTE_ADDR="198.51.100.7")
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys, "the locmem cache of the test settings holds the counters"
    assert not any("198.51.100.7" in key for key in keys)
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"198.51.100.7", digestmod=hashlib.sha256
    ).hexdigest()
    assert client_key(request) == digest
    assert any(digest in key for key in keys)


def test_rates_are_parsed_and_wrong_ones_named():
    assert parse_rates("5/10m,20/1d") == (Rate(5, 600), Rate(20, 86_400))
    assert parse_rates("3/h") == (Rate(3, 3600),)
    with pytest.raises(ImproperlyConfigured, match="often"):
        parse_rates("often")
    with pytest.raises(ImproperlyConfigured):
        parse_rates("0/1m")


def test_the_default_rate_is_in_code(settings):
    del settings.OPENNRM_REPORT_RATE
    assert parse_rates(DEFAULT_REPORT_RATE) == (Rate(5, 600), Rate(20, 86_400))
    assert report_limiter.rates == parse_rates(DEFAULT_REPORT_RATE)


# Honeypot ---------------------------------------------------------------------------------


def test_the_honeypot_pretends_success_stores_nothing_and_is_audited(public):
    response = public.post(REPORT, _data(website="https://spam.invalid/"))
    assert response.status_code == 302
    assert response["Location"] == THANKS
    thanks = public.get(THANKS)
    assert thanks.context["reference"]  # looks like a real one
    assert thanks.context["reference"].startswith("S-")
    assert Concern.objects.count() == 0
    entry = AuditEntry.objects.get(action="concern.honeypot")
    assert entry.ip_address is None and entry.actor is None
    assert not AuditEntry.objects.filter(action="concern.create").exists()


def test_the_honeypot_pretends_success_even_when_the_rest_is_invalid(public):
    response = public.post(REPORT, {"website": "spam"})
    assert response.status_code == 302
    assert Concern.objects.count() == 0


# Signed-in staff may use the public page too ---------------------------------------------


def test_a_signed_in_member_sees_the_public_form_with_quick_exit(cast):
    response = cast.client_for(cast.hugo).get(REPORT)
    assert response.status_code == 200
    assert "data-quick-exit" in response.content.decode()


def test_a_signed_in_user_without_organisation_gets_a_clear_error_not_a_500(cast):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())
    response = client.post(REPORT, _data())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Concern.objects.count() == 0


# A report sent again ----------------------------------------------------------------------


def _submission(client) -> str:
    page = client.get(REPORT).content.decode()
    match = re.search(r'name="submission" value="([0-9a-f]{32})"', page)
    assert match, "the form carries its random key"
    return match.group(1)


def test_a_report_sent_again_is_stored_once_and_shows_the_same_reference(public, settings):
    """The thanks page failed, the person sends the form again (back, refresh): nothing is
    stored twice, the reference is the first one, the limit counts it once."""
    settings.OPENNRM_REPORT_RATE = "2/10m"
    key = _submission(public)
    first = public.post(REPORT, _data(submission=key), follow=True).content.decode()
    again = public.post(REPORT, _data(submission=key), follow=True).content.decode()
    (concern,) = Concern.objects.all()
    assert concern.reference in first and concern.reference in again
    assert concern.submission_key == key
    # Only the first sending counted: one more report still fits in "2 in 10 minutes".
    assert public.post(REPORT, _data(submission=_submission(public))).status_code == 302
    assert Concern.objects.count() == 2


def test_a_new_form_gives_a_new_key_and_a_forged_key_is_ignored(public):
    assert _submission(public) != _submission(public)
    public.post(REPORT, _data(submission="not-a-key"))
    public.post(REPORT, _data(submission="not-a-key"))
    assert Concern.objects.count() == 2
    assert set(Concern.objects.values_list("submission_key", flat=True)) == {""}


def test_staff_sending_a_concern_twice_are_told_and_it_is_stored_once(cast):
    client = cast.client_for(cast.amina)
    page = client.get(reverse("web:concern_create")).content.decode()
    key = re.search(r'name="submission" value="([0-9a-f]{32})"', page).group(1)
    data = _data(submission=key, channel="hotline")
    data.pop("website")
    assert client.post(reverse("web:concern_create"), data).status_code == 302
    response = client.post(reverse("web:concern_create"), data, follow=True)
    (concern,) = Concern.objects.all()
    assert concern.reference in response.content.decode()
    assert "already sent" in response.content.decode() or "déjà" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_report_sent_twice_at_once_is_stored_once(cast):
    import threading

    from django.db import connection, connections

    from opennrm.core.acting import Actor
    from opennrm.core.models import Territory
    from opennrm.detection.actions import submit_concern

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent transactions")
    key = "ab" * 16
    barrier = threading.Barrier(4)
    references: list[str] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait(timeout=10)
            concern = submit_concern(
                Actor.public(),
                submission_key=key,
                channel="public_report",
                description="Fictional: sent twice at once.",
                territory=Territory.objects.get(code="93"),
                commune="",
                place_type="farm",
                sector="agriculture",
                signs=[],
                child_involved="no",
                contact="",
            )
            references.append(concern.reference)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Concern.objects.count() == 1
    assert set(references) == {Concern.objects.get().reference}
