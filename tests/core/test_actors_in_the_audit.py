"""Every way of acting names who acted: a persona on a page, the demo's personas (a command),
the system's jobs and commands, the public. Read back from the audit trail."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from opennrm.audit.models import AuditEntry
from opennrm.audit.trail import verify_chain
from opennrm.cases.models import Case, CaseEvent
from opennrm.core.acting import Actor, Channel, NotSignedIn
from opennrm.core.models import User
from opennrm.demo.personas import AMINA, CASE_ASSESSMENT, LOUIS
from opennrm.identification.tasks import REMINDERS_PROCESS, send_decision_reminders
from opennrm.privacy.retention import RETENTION_PROCESS
from opennrm.privacy.tasks import apply_retention

pytestmark = pytest.mark.django_db


def test_the_demo_personas_act_through_a_command_actor(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    amina = User.objects.get(email=AMINA)
    case = Case.objects.get(reference=CASE_ASSESSMENT)
    entries = AuditEntry.objects.filter(actor=amina, channel=Channel.COMMAND)
    assert entries.exists()
    assert not AuditEntry.objects.filter(actor=amina).exclude(channel=Channel.COMMAND).exists()
    assessment = (
        AuditEntry.objects.filter(
            actor=amina, action="assessment.start", details__case=case.pk
        ).first()
        or entries.filter(object_id=str(case.pk)).first()
    )
    assert assessment is not None
    assert assessment.organisation == case.owner
    assert assessment.ip_address is None and assessment.process == ""
    # The coordinator triaged a public concern into the case: named on the timeline as well.
    louis = User.objects.get(email=LOUIS)
    triage = CaseEvent.objects.get(case=case, kind="concern.triaged")
    assert triage.actor == louis
    # The public concerns came from nobody: no user, no address, the channel still said.
    public = AuditEntry.objects.filter(action="concern.create", actor__isnull=True)
    assert public.exists()
    assert set(public.values_list("channel", "ip_address")) == {(Channel.COMMAND, None)}
    assert verify_chain()[1] is None


def test_the_retention_job_and_command_act_as_the_system():
    apply_retention.enqueue(dry_run=True)  # the immediate backend of the test settings
    call_command("apply_retention", "--dry-run", stdout=io.StringIO())
    runs = AuditEntry.objects.filter(action="retention.dry_run").order_by("pk")
    assert [(e.actor_id, e.process, e.channel) for e in runs] == [
        (None, RETENTION_PROCESS, Channel.JOB),
        (None, RETENTION_PROCESS, Channel.COMMAND),
    ]


def test_the_reminder_job_acts_as_the_system(cast):
    send_decision_reminders.enqueue()
    entry = AuditEntry.objects.get(action="identification.reminders_sent")
    assert (entry.actor_id, entry.organisation_id) == (None, None)
    assert (entry.process, entry.channel) == (REMINDERS_PROCESS, Channel.JOB)


def test_a_maintenance_command_acts_as_the_system(cast):
    call_command("rebuild_person_index", stdout=io.StringIO())
    entry = AuditEntry.objects.get(action="crypto.rebuild_person_index")
    assert (entry.actor_id, entry.process, entry.channel) == (
        None,
        "rebuild_person_index",
        Channel.COMMAND,
    )


def test_a_page_names_the_persona_their_organisation_and_address(cast):
    client = cast.client_for(cast.robert)
    response = client.get("/audit/", REMOTE_ADDR="198.51.100.23")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="audit.read")
    membership = cast.robert.memberships.get()
    assert (entry.actor, entry.organisation) == (cast.robert, membership.organisation)
    assert (entry.ip_address, entry.channel, entry.process) == ("198.51.100.23", "page", "")


def test_a_sign_in_is_named_with_the_address_it_came_from(cast):
    client = Client(REMOTE_ADDR="198.51.100.25")
    client.post("/accounts/login/", {"login": cast.amina.email, "password": "wrong-Fictive-1"})
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert (failed.actor, failed.ip_address, failed.channel) == (None, "198.51.100.25", "page")
    assert failed.details == {"known_account": True}


def test_the_system_and_the_public_cannot_do_what_needs_a_person():
    with pytest.raises(NotSignedIn):
        Actor.system("retention").signed_in_user()
    with pytest.raises(NotSignedIn):
        Actor.public().signed_in_user()
    with pytest.raises(ValueError, match="process"):
        Actor.system("")
    assert str(Actor.system("retention")) == "system:retention"
    assert Actor.public().organisation is None
