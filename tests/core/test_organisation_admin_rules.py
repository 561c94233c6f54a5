"""An organisation keeps an administrator: an administrator cannot remove their own access, and
the last administrator's access cannot be removed — refused with a message, nothing changed,
even when two administrators remove each other at the same moment (PostgreSQL)."""

import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.core import actions
from opennrm.core.models import Membership
from tests.acting import actor_for
from tests.factories import MembershipFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _acting(user, membership=None):
    return actor_for(user, membership)


def _url(membership) -> str:
    return reverse("web:deactivate_member", args=[membership.organisation_id, membership.pk])


def _second_admin(cast) -> Membership:
    return MembershipFactory(
        organisation=cast.association,
        role="field_worker",
        is_admin=True,
        user__full_name="Fictional Second Admin",
        user__email="second-admin@test.opennrm.invalid",
    )


def test_an_administrator_cannot_remove_their_own_access(cast):
    own = cast.amina.memberships.get()
    client = _client(cast.amina)

    page = client.get(_url(own))
    assert page.status_code == 200
    assert "cannot remove your own access" in page.context["refusal"]
    assert 'type="submit"' not in page.content.decode().split('id="deactivation-refused"')[1]

    response = client.post(_url(own))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:organisation", args=[cast.association.pk])
    ((level, text),) = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert level == "error"
    assert "cannot remove your own access" in text
    own.refresh_from_db()
    assert own.is_active
    assert not AuditEntry.objects.filter(action="organisation.deactivate_member").exists()


def test_own_access_is_refused_even_with_another_administrator(cast):
    _second_admin(cast)
    own = cast.amina.memberships.get()
    with pytest.raises(actions.DeactivationError, match="own access"):
        actions.deactivate_membership(_acting(cast.amina), own)
    own.refresh_from_db()
    assert own.is_active


def test_the_last_administrator_is_kept(cast):
    """The rule holds in the action, whoever calls it (the page only shows allowed removals)."""
    amina = cast.amina.memberships.get()
    with pytest.raises(actions.DeactivationError, match="last administrator"):
        actions.deactivate_membership(_acting(cast.nadia), amina)
    amina.refresh_from_db()
    assert amina.is_active
    assert actions.deactivation_refusal(_acting(cast.nadia), amina)
    assert not AuditEntry.objects.filter(action="organisation.deactivate_member").exists()


def test_an_administrator_by_role_counts_as_an_administrator(cast):
    role_admin = MembershipFactory(
        organisation=cast.association,
        role="organisation_admin",
        user__email="role-admin@test.opennrm.invalid",
    )
    amina = cast.amina.memberships.get()
    assert actions.deactivation_refusal(_acting(cast.nadia), amina) is None
    assert actions.deactivation_refusal(_acting(cast.nadia), role_admin) is None
    # The administrator by role removes amina; then they are the last one, and kept.
    actions.deactivate_membership(_acting(role_admin.user, role_admin), amina)
    amina.refresh_from_db()
    assert not amina.is_active
    assert "last administrator" in actions.deactivation_refusal(_acting(cast.nadia), role_admin)


def test_another_administrator_can_be_removed_while_one_remains(cast):
    second = _second_admin(cast)
    client = _client(cast.amina)
    assert client.get(_url(second)).context["refusal"] is None
    response = client.post(_url(second))
    assert response.status_code == 302
    second.refresh_from_db()
    assert not second.is_active
    audit = AuditEntry.objects.get(action="organisation.deactivate_member")
    assert (audit.actor, audit.object_id) == (cast.amina, str(second.pk))
    # Now amina is the last administrator, and still cannot remove herself.
    own = cast.amina.memberships.get()
    assert "own access" in actions.deactivation_refusal(_acting(cast.amina), own)


def test_the_members_page_offers_only_allowed_removals(cast):
    page = _client(cast.amina).get(reverse("web:organisation", args=[cast.association.pk]))
    html = page.content.decode()
    own = cast.amina.memberships.get()
    hugo = cast.hugo.memberships.get()
    assert _url(hugo) in html
    assert _url(own) not in html
    assert page.context["kept"] == {own.pk}


# Two administrators removing each other at the same moment ----------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises every write, so there is no real concurrency",
)
@pytest.mark.django_db(transaction=True)
def test_two_administrators_removing_each_other_leave_one(cast):
    second = _second_admin(cast)
    amina = cast.amina.memberships.get()
    pairs = [(cast.amina, amina, second), (second.user, second, amina)]
    barrier = threading.Barrier(len(pairs))
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(user, membership, target) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=20)
            actions.deactivate_membership(_acting(user, membership), target)
            outcome: object = "removed"
        except BaseException as error:  # collected and checked below
            outcome = error
        finally:
            thread_connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("removed") == 1, outcomes
    (refused,) = [outcome for outcome in outcomes if outcome != "removed"]
    assert isinstance(refused, actions.DeactivationError)
    assert actions.administrators(cast.association.pk).count() == 1
    assert AuditEntry.objects.filter(action="organisation.deactivate_member").count() == 1
