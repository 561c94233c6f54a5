"""The local ProConnect-like provider (one per session of these tests) and its agents."""

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache

from tests.factories import MembershipFactory, UserFactory
from tests.proconnect.local_provider import USERS, LocalProConnect, running_provider


@pytest.fixture(scope="session")
def local_proconnect(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProConnect]:
    with running_provider(tmp_path_factory.mktemp("proconnect")) as provider:
        provider.allow("http://testserver")
        yield provider


@pytest.fixture
def proconnect(local_proconnect: LocalProConnect, settings: Any) -> LocalProConnect:
    """ProConnect turned on (as PROCONNECT_* would) against the local provider."""
    cache.clear()  # used TOTP codes, rate limits
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "proconnect": local_proconnect.socialaccount_settings(),
    }
    return local_proconnect


def linked_agent(cast: Any, username: str, *, mfa: bool = True) -> Any:
    """A field worker of Association 93 whose account is linked to the provider's `username`."""
    user = UserFactory(mfa=mfa)
    MembershipFactory(organisation=cast.association, user=user, role="field_worker")
    SocialAccount.objects.create(user=user, provider="proconnect", uid=USERS[username]["sub"])
    return user
