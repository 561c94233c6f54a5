"""The facts, exploiters and workplaces travel with the referral like the account: those who
decide on the referral in force read them (`facts_in_referred_file`,
`exploiters_and_workplaces_in_referred_file`), nobody else; each read is audited; a withdrawn
consent ends it. Which other organisations hold a matching workplace stays with the owner."""

import re

import pytest
from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ConsentScope
from opennrm.cases.models import Case
from opennrm.detection import facts
from opennrm.detection.access import (
    exploiters_and_workplaces_in_referred_file,
    facts_in_referred_file,
    links_for_member,
)
from opennrm.detection.enums import Sector
from tests.acting import actor_for

WORKPLACE = "Fictional Orchards of the Referred File"


def _record(cast, case):
    actor = actor_for(cast.amina)
    facts.save_facts(
        case, {"recruitment_methods": ["family"], "sectors": ["agriculture"]}, actor=actor
    )
    facts.add_exploiter(case, {"name": "Fictional Referred Exploiter"}, actor=actor)
    facts.add_workplace(case, {"name": WORKPLACE}, actor=actor)


def test_the_platform_reads_them_within_the_referral(cast, platform_referral):
    case = platform_referral.case
    _record(cast, case)
    paul = actor_for(cast.paul)
    read = facts_in_referred_file(paul, case)
    assert read is not None and read.recruitment_methods == ["family"]
    parties = exploiters_and_workplaces_in_referred_file(paul, case)
    assert [w.name for w in parties.workplaces] == [WORKPLACE]
    assert len(parties.exploiters) == 1
    for action in ("facts.read", "exploiters.read"):
        entry = AuditEntry.objects.filter(action=action).latest("pk")
        assert entry.details["via"] == "referral" and entry.details["case"] == case.pk
    # The referred file's readers are not told of other organisations' matching records.
    assert not links_for_member(paul, case)


def test_nobody_else_and_not_after_withdrawal(cast, judicial_referral):
    case = judicial_referral.case
    _record(cast, case)
    claire = actor_for(cast.claire)
    assert facts_in_referred_file(claire, case) is not None
    for name in ("paul", "louis", "ines", "yasmine", "hugo"):
        actor = actor_for(getattr(cast, name))
        with pytest.raises(Http404):
            facts_in_referred_file(actor, case)
        with pytest.raises(Http404):
            exploiters_and_workplaces_in_referred_file(actor, case)
    case.active_consent(ConsentScope.REFERRAL).withdraw(actor=actor_for(cast.amina))
    with pytest.raises(Http404):
        facts_in_referred_file(claire, case)
    with pytest.raises(Http404):
        exploiters_and_workplaces_in_referred_file(claire, case)


def test_before_anything_is_recorded(cast, judicial_referral):
    claire = actor_for(cast.claire)
    assert facts_in_referred_file(claire, judicial_referral.case) is None
    assert not exploiters_and_workplaces_in_referred_file(claire, judicial_referral.case)


def test_the_referred_file_names_the_sector(cast, platform_referral):
    """The sector is shown through its label, never its code (issue #13, point 7)."""
    Case.objects.filter(pk=platform_referral.case.pk).update(sector="construction")
    client = cast.client_for(cast.paul)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("web:platform_case", args=[platform_referral.pk])).content.decode()
    with translation.override("fr"):
        label = str(Sector("construction").label)
        heading = translation.gettext("Sector of activity")
    shown = re.search(rf"{re.escape(heading)}</dt>\s*<dd>\s*([^<]*?)\s*</dd>", page)
    assert shown is not None and shown.group(1) == label != "construction"
