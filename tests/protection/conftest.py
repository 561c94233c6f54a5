"""Cases of Association 93 (amina's organisation) at the steps the protection pages need."""

import io

import pytest
from django.conf import settings
from django.test import Client
from pypdf import PdfReader

from opennrm.cases.enums import IdentificationStatus
from opennrm.core.acting import Actor
from opennrm.support.services import open_protection
from tests.acting import actor_for
from tests.factories import CaseFactory, ContactEntryFactory, PersonFactory


def acting(user) -> Actor:
    """`user` acting for their (only) organisation, for actions called in tests."""
    return actor_for(user)


def client_in_english(cast, user) -> Client:
    """A signed-in client using the English interface (the pages' texts are checked)."""
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def make_presumed(case, user):
    """What concluding the assessment does: presumed victim, then protection opens at once."""
    request = acting(user)
    case.transition(IdentificationStatus.PRESUMED_VICTIM, actor=request)
    open_protection(case, actor=request)
    case.refresh_from_db()
    return case


def words(text: str) -> str:
    """Text with every run of whitespace (no-break spaces included) as one space."""
    return " ".join(text.split())


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return words(" ".join(page.extract_text() for page in reader.pages))


def pdf_language(content: bytes) -> str:
    return str(PdfReader(io.BytesIO(content)).trailer["/Root"].get("/Lang"))


@pytest.fixture
def assessed(cast):
    """An adult case of Association 93, still under preliminary assessment."""
    return CaseFactory(owner=cast.association)


@pytest.fixture
def presumed(cast):
    """An adult presumed victim of Association 93: reflection period running."""
    return make_presumed(CaseFactory(owner=cast.association), cast.amina)


@pytest.fixture
def child(cast):
    """A child presumed victim of Association 93 (estimated age 15)."""
    case = CaseFactory(owner=cast.association, person=PersonFactory(estimated_age=15))
    assert case.child
    return make_presumed(case, cast.amina)


@pytest.fixture
def contact(cast):
    """A published contact post of prefecture 93 (for the leaflet's local contacts)."""
    return ContactEntryFactory(
        organisation=cast.prefecture,
        post_title="Fictional THB contact post, foreigners office",
        remit="Residence permits for victims",
        phone="01 00 00 00 00",
    )
