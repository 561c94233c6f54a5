"""Fixtures of data protection: a case of Association 93 (amina is its administrator), helpers
to act as a persona, to open exceptional access and to read PDFs.

The person's names below appear nowhere else: finding them proves a copy holds the identity;
not finding them proves anonymisation removed it.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from opennrm.cases.enums import ShareReason
from opennrm.core.models import User
from opennrm.privacy import breakglass
from opennrm.privacy.models import BreakGlassGrant
from tests.acting import actor_for
from tests.factories import CaseFactory

GIVEN_NAMES = "Ysoline Marjolaine"
FAMILY_NAME = "Brzeczyszczykiewiczowa"
ALIAS = "Kingfisher-Ninety-Three"


@pytest.fixture(autouse=True)
def english():
    """Messages in the source language, whatever the French catalogue already holds."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """The audit chain's status is cached between requests: start each test without it."""
    cache.clear()
    yield
    cache.clear()


def acting(user: User):
    """`user` acting for their (only) organisation, for actions in tests."""
    return actor_for(user)


def client_for(user: User | None) -> Client:
    """A client (signed in when a user is given) reading the pages in English."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def open_access(user: User, case, *, identity: bool = False, hours: int = 4) -> BreakGlassGrant:
    return breakglass.open_grant(
        acting(user),
        case=case,
        reason="Fictional: the person's lawyer asked for a copy of the file (test).",
        hours=hours,
        identity=identity,
    )


def expire(grant: BreakGlassGrant) -> None:
    """Move the grant into the past, as if its hours had gone by."""
    past = timezone.now() - datetime.timedelta(hours=5)
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        opened_at=past, expires_at=past + datetime.timedelta(hours=4)
    )


@pytest.fixture
def case(cast):
    """An adult's case owned by Association 93, shared with the local coordination."""
    case = CaseFactory(
        owner=cast.association,
        person__given_names=GIVEN_NAMES,
        person__family_name=FAMILY_NAME,
        person__aliases=ALIAS,
    )
    case.share_with(cast.coordination, ShareReason.COORDINATION, actor=acting(cast.amina))
    return case
