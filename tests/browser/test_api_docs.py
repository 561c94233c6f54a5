"""The API's documentation page in Chromium (issue #16): Swagger UI, served by the instance itself
(django-ninja's static files, no CDN), renders the operations under the site's strict
Content-Security-Policy without a single violation, and "Try it out" calls the API.

The page stays behind the login page, open to every signed-in member (the authorisation matrix):
Hugo, a field worker, reads it.
"""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from opennrm.web.api import api
from tests.browser.helpers import CspViolations
from tests.browser.pages import LoginPage
from tests.factories import PASSWORD, TOTP_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = "/api/v1/docs"


def _operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation the schema publishes."""
    paths = api.get_openapi_schema()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


def test_the_documentation_lists_every_operation_without_a_csp_violation(
    base_url: str, cast: Any, contexts: Any
) -> None:
    page = contexts(1280)
    violations = CspViolations(page)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    LoginPage(page, base_url).log_in(cast.hugo.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    response = page.goto(DOCS)
    assert response is not None
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("OpenNRM API")
    operations = _operations()
    assert len(operations) >= 4
    blocks = page.locator(".swagger-ui .opblock")
    expect(blocks).to_have_count(len(operations))
    for method, path in operations:
        block = blocks.filter(
            has=page.locator(f".opblock-summary-path[data-path='{path}']")
        ).filter(has=page.locator(".opblock-summary-method", has_text=method))
        expect(block).to_have_count(1)

    # "Try it out" on a POST: the session's CSRF token goes with it (api-docs.js).
    evaluate = blocks.filter(
        has=page.locator(".opblock-summary-path[data-path='/api/v1/indicators/evaluate']")
    )
    evaluate.locator(".opblock-summary").click()
    evaluate.locator("button.try-out__btn").click()
    evaluate.locator("textarea.body-param__text").fill(
        '{"set": "adults_labour", "age_group": "adult", "answers": {}}'
    )
    with page.expect_response(re.compile(r"/api/v1/indicators/evaluate$")) as answer:
        evaluate.locator("button.execute").click()
    assert answer.value.status == 200, answer.value.text()[:300]
    status = evaluate.locator(".live-responses-table tr.response .response-col_status")
    expect(status.first).to_have_text(re.compile(r"^\s*200"))

    violations.assert_none()
    # Everything came from the instance itself: no CDN, no validator badge.
    assert [url for url in requested if not url.startswith(base_url)] == []
