"""Data protection's part in the case file, registered with `opennrm.cases.hooks` when the app
is ready: retired cases leave every view, exceptional access opens a case to its holder, and
closing or reopening a case starts or stops the retention clock."""

import datetime
from typing import Any

from django.db.models import QuerySet

from opennrm.cases.models import Case
from opennrm.core.acting import Actor
from opennrm.privacy import breakglass, retention


class PrivacyAccessPolicy:
    def retired_case_ids(self) -> "QuerySet[Any, Any] | None":
        return retention.retired_case_ids()

    def granted_case_ids(self, actor: Actor) -> "QuerySet[Any, Any] | None":
        return breakglass.granted_case_ids(actor)

    def read_details(self, actor: Actor, case: Case) -> dict[str, Any]:
        return breakglass.read_details(actor, case)

    def allows_identity(self, actor: Actor, case: Case) -> bool:
        return breakglass.allows_identity(actor, case)


class RetentionClock:
    def case_closed(self, case: Case, closed_at: datetime.datetime, actor: Actor) -> None:
        retention.mark_closed(case, closed_at, actor=actor)  # audited: retention.closed

    def case_reopened(self, case: Case) -> bool:
        return retention.mark_reopened(case)


ACCESS_POLICY = PrivacyAccessPolicy()
RETENTION_CLOCK = RetentionClock()
