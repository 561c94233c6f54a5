from dataclasses import dataclass

import pytest

from opennrm.core.models import Organisation, Territory
from opennrm.directory.models import ContactEntry
from tests.factories import ContactEntryFactory, OrganisationFactory


@dataclass
class Bodies:
    prefecture_93: Organisation
    prosecutor_93: Organisation
    labour_93: Organisation
    prefecture_13: Organisation
    entry_93: ContactEntry  # prefecture 93, published
    entry_prosecutor_93: ContactEntry  # prosecutor 93, published
    entry_13: ContactEntry  # prefecture 13, published
    hidden_93: ContactEntry  # prefecture 93, unpublished


@pytest.fixture
def bodies(cast) -> Bodies:
    t93 = Territory.objects.get(code="93")
    t13 = Territory.objects.get(code="13")
    prosecutor = OrganisationFactory(
        name="Prosecutor 93 (fictional)", kind="prosecutor", territories=[t93]
    )
    labour = OrganisationFactory(
        name="Labour directorate 93 (fictional)", kind="labour_directorate", territories=[t93]
    )
    prefecture_13 = OrganisationFactory(
        name="Prefecture 13 (fictional)", kind="prefecture", territories=[t13]
    )
    return Bodies(
        prefecture_93=cast.prefecture,
        prosecutor_93=prosecutor,
        labour_93=labour,
        prefecture_13=prefecture_13,
        entry_93=ContactEntryFactory(
            organisation=cast.prefecture, territory=t93, post_title="Foreigners office post 93"
        ),
        entry_prosecutor_93=ContactEntryFactory(
            organisation=prosecutor, territory=t93, post_title="Prosecutor post 93"
        ),
        entry_13=ContactEntryFactory(
            organisation=prefecture_13, territory=t13, post_title="Foreigners office post 13"
        ),
        hidden_93=ContactEntryFactory(
            organisation=cast.prefecture,
            territory=t93,
            post_title="Withdrawn post 93",
            is_published=False,
        ),
    )
