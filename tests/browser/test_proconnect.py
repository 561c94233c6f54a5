"""ProConnect through a real browser, against the local ProConnect-like provider (issue #14, 8).

The button on the login page → the provider's login form → back signed in; with a sign-in the
profile accepts as multi-factor there is no TOTP prompt, without it the TOTP step is asked;
signing out goes through the provider's end-session endpoint and back.
"""

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import french
from tests.browser.pages import current_totp_code
from tests.factories import TOTP_SECRET
from tests.proconnect.conftest import linked_agent
from tests.proconnect.local_provider import PROVIDER_PASSWORD, LocalProConnect, running_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def local_proconnect(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProConnect]:
    with running_provider(tmp_path_factory.mktemp("proconnect-browser")) as provider:
        yield provider


@pytest.fixture
def proconnect(local_proconnect: LocalProConnect, settings: Any, base_url: str) -> Any:
    local_proconnect.allow(base_url)
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "proconnect": local_proconnect.socialaccount_settings(),
    }
    return local_proconnect


def sign_in_with_proconnect(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    button = page.locator("#proconnect-button")
    expect(button).to_be_visible()
    expect(page.locator(".fr-connect__brand")).to_have_text("ProConnect")
    button.click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/login/")  # the provider's form
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PROVIDER_PASSWORD)
    with page.expect_navigation(url=lambda url: url.startswith(base_url)):
        page.locator("button[type=submit]").click()


def test_proconnect_with_mfa_signs_in_without_totp_and_out_through_proconnect(
    page: Page, base_url: str, proconnect: LocalProConnect, cast: Any
) -> None:
    linked_agent(cast, "agent.totp")
    requests_seen: list[str] = []
    page.on("request", lambda request: requests_seen.append(request.url))

    sign_in_with_proconnect(page, base_url, "agent.totp")
    page.wait_for_url(f"{base_url}/dashboard/")
    assert not any("/accounts/2fa/authenticate/" in url for url in requests_seen)
    expect(page.locator("#current-user")).to_be_visible()

    page.locator("header form[action='/accounts/logout/'] button:visible").first.click()
    page.wait_for_url(f"{base_url}/")
    end_session = [
        url for url in requests_seen if url.startswith(f"{proconnect.issuer}/end-session")
    ]
    assert len(end_session) == 1
    query = parse_qs(urlsplit(end_session[0]).query)
    assert query["id_token_hint"][0].count(".") == 2  # a JWT
    assert query["post_logout_redirect_uri"] == [f"{base_url}/accounts/proconnect/logout/callback/"]
    assert any(
        url.startswith(f"{base_url}/accounts/proconnect/logout/callback/?state=")
        for url in requests_seen
    )
    expect(page.get_by_text(french("Your ProConnect session is closed too."))).to_be_visible()
    expect(page.locator("#current-user")).to_have_count(0)


def test_proconnect_without_mfa_asks_for_the_totp_code(
    page: Page, base_url: str, proconnect: LocalProConnect, cast: Any
) -> None:
    linked_agent(cast, "agent.password")
    sign_in_with_proconnect(page, base_url, "agent.password")
    page.wait_for_url(f"{base_url}/accounts/2fa/authenticate/")
    page.locator("#id_code").fill(current_totp_code(TOTP_SECRET))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{base_url}/dashboard/")
    expect(page.locator("#current-user")).to_be_visible()
