"""Hostile requests to the public report form and the login form: never a server error.

The test client re-raises any exception a view lets through, so a crash fails the test with its
traceback; the status code is checked too.
"""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opennrm.web.concerns.forms import PublicConcernForm
from tests.hardening.hostile import hostile_form_data

HOSTILE_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
LOGIN_FIELDS = {
    "login": PublicConcernForm.base_fields["contact"],
    "password": PublicConcernForm.base_fields["contact"],
    "remember": PublicConcernForm.base_fields["website"],
}
CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=does-not-exist",
    "application/json",
    "text/plain",
    "multipart/form-data; boundary=broken",
    "multipart/form-data",
]


def _post(path: str, body: bytes, content_type: str):
    cache.clear()  # rate limits would otherwise stop the fuzzing before the form
    response = Client().generic("POST", path, body, content_type=content_type)
    assert response.status_code < 500, (path, response.status_code)
    return response


def _encoded(data: dict[str, list[str]]) -> bytes:
    return urlencode(data, doseq=True).encode("utf-8", "surrogatepass")


@pytest.fixture
def report_fields(territories):
    return PublicConcernForm().fields


@HOSTILE_SETTINGS
@given(data=st.data())
def test_the_public_report_form_survives_hostile_posts(report_fields, data):
    posted = data.draw(hostile_form_data(report_fields))
    response = _post("/report/", _encoded(posted), "application/x-www-form-urlencoded")
    assert response.status_code in (200, 302, 400, 413, 429)


@HOSTILE_SETTINGS
@given(data=st.data())
def test_the_login_form_survives_hostile_posts(db, data):
    posted = data.draw(hostile_form_data(LOGIN_FIELDS))
    response = _post("/accounts/login/", _encoded(posted), "application/x-www-form-urlencoded")
    assert response.status_code in (200, 302, 400, 429)
    assert "_auth_user_id" not in response.client.session


@HOSTILE_SETTINGS
@given(body=st.binary(max_size=2000), content_type=st.sampled_from(CONTENT_TYPES))
@pytest.mark.parametrize("path", ["/report/", "/accounts/login/"])
def test_raw_bodies_of_any_type(territories, path, body, content_type):
    _post(path, body, content_type)


@pytest.mark.parametrize("path", ["/report/", "/accounts/login/"])
def test_a_huge_body_is_refused_without_error(territories, path):
    body = _encoded({"description": ["A" * 3_000_000], "login": ["x" * 3_000_000]})
    response = _post(path, body, "application/x-www-form-urlencoded")
    assert response.status_code in (200, 400, 413)


@pytest.mark.parametrize("path", ["/report/", "/accounts/login/"])
def test_thousands_of_fields_are_refused_without_error(territories, path):
    body = "&".join(f"f{i}=x" for i in range(5000)).encode()
    response = _post(path, body, "application/x-www-form-urlencoded")
    assert response.status_code in (200, 400, 413)


@pytest.mark.parametrize(
    "query",
    ["?next=//attacker.invalid/", "?next=javascript:alert(1)", "?next=%00", "?a=" + "%" * 50],
)
def test_hostile_query_strings_on_the_login_page(db, query):
    response = Client().get("/accounts/login/" + query)
    assert response.status_code < 500
    assert "attacker.invalid" not in response.content.decode().split("<form", 1)[0]


def test_an_open_redirect_after_login_is_refused(cast):
    from tests.factories import PASSWORD

    cache.clear()
    client = Client()
    response = client.post(
        "/accounts/login/?next=https://attacker.invalid/",
        {"login": cast.hugo.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "attacker.invalid" not in response["Location"]
