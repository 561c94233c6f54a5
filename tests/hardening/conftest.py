"""Fixtures of the hardening tests. The browser fixtures are those of tests/browser (Chromium
from Debian, skipped without it unless OPENNRM_REQUIRE_BROWSER=1)."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from tests.browser.conftest import (  # noqa: F401 — fixtures and the required-browser hook
    base_url,
    page,
    pytest_runtest_makereport,
)
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Failed-login counters and used TOTP codes live in the cache: start clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_mfa(cast):
    """A member of Association 93 who has not set up an authenticator yet."""
    membership = MembershipFactory(
        organisation=cast.association, user=UserFactory(mfa=False), role="field_worker"
    )
    return membership.user


@pytest.fixture
def staff_without_mfa(cast):
    """A superuser (administration site) who has not set up an authenticator yet."""
    user = UserFactory(mfa=False, is_staff=True, is_superuser=True)
    MembershipFactory(organisation=cast.national, user=user, role="national_coordinator")
    return user
