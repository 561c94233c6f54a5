"""Create forms sent once: the same form sent again stores nothing twice.

Every create form carries a random key (`new_key`, a hidden field the web layer adds). The
view runs the action through `once(key, user, act)`, inside one transaction with it: the key is
claimed first (a `FormSubmission` row, unique per user and key), then the action runs, and the
record it made is noted on the claim. Sent again — the person saw an error page although the
record was stored, clicked twice, or the browser resent the form — the claim is found and the
record made the first time is returned, marked as resent, and nothing runs. Two sendings at the
same moment: the second waits on the first's claim (the unique index) and, once the first
commits, finds its record; if the first was refused and rolled back, the second runs.

A refused action rolls its claim back with it, so the same form corrected and sent again runs.
Claims are kept `KEEP` (a day), then purged by the daily housekeeping job (`core.tasks`).
"""

import datetime
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from opennrm.core.models import FormSubmission, User

T = TypeVar("T")

KEY = re.compile(r"[0-9a-f]{32}")
KEEP = datetime.timedelta(days=1)


def new_key() -> str:
    """A form's random key (32 hex digits)."""
    return secrets.token_hex(16)


def is_key(value: object) -> bool:
    return isinstance(value, str) and KEY.fullmatch(value) is not None


@dataclass(frozen=True)
class Sent(Generic[T]):
    """What the form made, and whether this sending was a resend of one already stored."""

    result: T
    resent: bool = False


def _made(claim: FormSubmission) -> models.Model | None:
    if not claim.target_model:
        return None
    model = apps.get_model(claim.target_model)
    made: models.Model | None = model._default_manager.filter(pk=claim.target_id).first()
    return made


def _earlier(key: str, user: User) -> FormSubmission | None:
    return FormSubmission.objects.filter(user=user, key=key).first()


def made_before(key: str, user: User | None) -> models.Model | None:
    """The record a form with this key made when `user` sent it before; None if none."""
    if user is None or not is_key(key):
        return None
    claim = _earlier(key, user)
    return _made(claim) if claim is not None else None


def once(key: str, user: User | None, act: Callable[[], T]) -> Sent[T]:
    """`act()` once per form key and user, in the caller's transaction (or one of its own).
    Without a valid key or a user, `act()` runs as usual. The action must return the record it
    made (a model instance): it is what a resend is given."""
    if user is None or not is_key(key):
        return Sent(act())
    with transaction.atomic():
        claim = _earlier(key, user)
        if claim is None:
            try:
                with transaction.atomic():
                    # A second sending at the same moment waits here until the first ends.
                    claim = FormSubmission.objects.create(key=key, user=user)
            except IntegrityError:
                claim = _earlier(key, user)
                if claim is None:
                    raise
            else:
                result = act()
                if not isinstance(result, models.Model) or result.pk is None:
                    raise TypeError(
                        f"An action run once per form returns the record it made, not {result!r}."
                    )
                claim.target_model = result._meta.label
                claim.target_id = str(result.pk)
                claim.save(update_fields=["target_model", "target_id"])
                return Sent(result)
        made = _made(claim)
        if made is None:  # what it made is gone since (erased): run it as a new sending
            claim.delete()
            return once(key, user, act)
        return Sent(made, resent=True)  # type: ignore[arg-type]


def purge(now: datetime.datetime | None = None) -> int:
    """Forget the claims older than `KEEP`; the number forgotten."""
    before = (now or timezone.now()) - KEEP
    deleted, _detail = FormSubmission.objects.filter(sent_at__lt=before).delete()
    return deleted
