"""Two senders at once on PostgreSQL (two threads, two connections, two transactions): every
message is sent exactly once, whichever sender takes it (ADR 0015)."""

import threading
from collections import Counter

import pytest
from django.core.mail import EmailMessage
from django.db import connection, connections

from opennrm.core.acting import Actor
from opennrm.outbox.backend import serialise
from opennrm.outbox.delivery import deliver_due
from opennrm.outbox.models import OutgoingEmail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MESSAGES = 40


def _queued(i: int) -> OutgoingEmail:
    # Written directly: through the backend, each would be delivered as soon as committed.
    row = OutgoingEmail()
    row.message = serialise(
        EmailMessage(f"Fictional {i}", "Fictional body", None, [f"person{i}@example.invalid"])
    )
    return row


def test_two_workers_delivering_at_once_send_each_message_once(outbox_mail):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: DATABASE_URL=postgres://…")
    OutgoingEmail.objects.bulk_create([_queued(i) for i in range(MESSAGES)])
    barrier = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            barrier.wait(timeout=30)
            sent.append(deliver_due(Actor.system("outbox")).sent)
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(sent) == MESSAGES
    received = Counter(mail.recipients[0] for mail in outbox_mail)
    assert len(received) == MESSAGES and set(received.values()) == {1}
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {OutgoingEmail.SENT}
