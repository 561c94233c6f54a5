"""What detection tells data protection (`opennrm.privacy.holders`): concerns closed at triage
without a case have their content erased after the profile's `retention.concern_months`,
counted from the triage."""

import datetime
from collections.abc import Iterator

from django.db import transaction

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.detection.models import Concern
from opennrm.privacy.anonymise import free_text_changes
from opennrm.privacy.holders import ErasureSource, register_erasure_source


def candidates() -> Iterator[tuple[int, datetime.datetime]]:
    closed = Concern.objects.closed_without_case().order_by("pk")
    for pk, triaged_at in closed.values_list("pk", "triaged_at"):
        if triaged_at is not None:
            yield pk, triaged_at


def erase_concern(concern_id: int, actor: Actor, now: datetime.datetime) -> bool:
    """Erase the content of a concern closed at triage without a case; its statistical skeleton
    stays. Returns False when it does not qualify (erased meanwhile by another run, say). One
    audit entry, ids only."""
    with transaction.atomic():
        locked = (
            Concern.objects.closed_without_case()
            .select_for_update(of=("self",))
            .filter(pk=concern_id)
            .first()
        )
        if locked is None:
            return False
        changes = free_text_changes(locked)
        # Who entered it: for a concern received by staff, the reporter's side of it. The
        # organisation (created_for) stays for statistics; the audit trail keeps who acted.
        changes.update(created_by_id=None, content_erased_at=now)
        Concern._base_manager.filter(pk=locked.pk).update(**changes)
        record(
            "retention.erase_concern",
            target=locked,
            actor=actor,
            details={"territory": locked.territory_id},
        )
    return True


register_erasure_source(ErasureSource(name="concerns", candidates=candidates, erase=erase_concern))
