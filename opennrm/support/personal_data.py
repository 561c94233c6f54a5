"""What support tells data protection (`opennrm.privacy.holders`): support decides when a case it
opened is closed, and its closure's last contact starts the retention clock."""

import datetime
from typing import Any

from django.db.models import QuerySet

from opennrm.cases.models import Case
from opennrm.privacy.holders import ClosureSource, register_closure_source
from opennrm.support.closure import current_closure
from opennrm.support.models import SupportRecord, SupportStatus


def status(case: Case) -> str | None:
    value = SupportRecord.objects.filter(case=case).values_list("status", flat=True).first()
    return str(value) if value is not None else None


def closed_on(case: Case) -> datetime.date | None:
    """The last contact of closed support: the closure, or the follow-up after it if one took
    place (the CNIL counts from the last contact)."""
    closure = current_closure(case)
    if closure is None:
        return None
    dates = [value for value in (closure.closed_on, closure.followed_up_on) if value is not None]
    return max(dates) if dates else None


def closed_case_ids() -> "QuerySet[Any, Any]":
    return SupportRecord.objects.filter(status=SupportStatus.CLOSED).values("case_id")


register_closure_source(
    ClosureSource(
        name="support", status=status, closed_on=closed_on, closed_case_ids=closed_case_ids
    )
)
