"""The e-mail backend of the application (`EMAIL_BACKEND`): it delivers nothing, it queues.

Every `send_mail`, `EmailMessage.send()` or allauth message becomes a `OutgoingEmail` row,
written in the caller's transaction: the e-mail exists exactly when what it tells was committed
(a reminder and its notification, an invitation and its membership). Once that transaction
commits, a delivery job is queued (`outbox.tasks.deliver_outbox`; the periodic `outbox.deliver`
catches anything left). A message may carry an `X-Outbox-Key` header (codes and ids, never an
address; removed before sending): a second message with the same key is not queued, so a job
run twice sends its e-mail once.
"""

import base64
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import make_msgid
from django.db import transaction

from opennrm.outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

KEY_HEADER = "X-Outbox-Key"


def outbox_key(message: EmailMessage) -> str | None:
    for name, value in message.extra_headers.items():
        if str(name).lower() == KEY_HEADER.lower() and value:
            return str(value)[:200]
    return None


def _domain() -> str:
    address = str(settings.DEFAULT_FROM_EMAIL).rstrip(">")
    return address.rsplit("@", 1)[-1] if "@" in address else "opennrm.invalid"


def serialise(message: EmailMessage) -> dict[str, Any]:
    """The message as JSON, with a Message-ID fixed now: sent again after a crash, it is
    recognisably the same message."""
    headers = {
        str(name): str(value)
        for name, value in message.extra_headers.items()
        if str(name).lower() != KEY_HEADER.lower()
    }
    if not any(name.lower() == "message-id" for name in headers):
        headers["Message-ID"] = make_msgid(domain=_domain())
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise TypeError("The outbox keeps attachments given as (name, content, type) only.")
        filename, content, mimetype = attachment
        raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        attachments.append([filename, base64.b64encode(raw).decode("ascii"), mimetype])
    return {
        "from": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "subject": str(message.subject),
        "body": str(message.body),
        "subtype": message.content_subtype,
        "alternatives": [
            [str(content), str(mimetype)]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "headers": headers,
        "attachments": attachments,
    }


def rebuild(data: dict[str, Any]) -> EmailMultiAlternatives:
    """The message to hand to the transport."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data.get("subtype", "plain")
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def _deliver_soon() -> None:
    from opennrm.outbox.tasks import deliver_outbox

    deliver_outbox.enqueue()


class OutboxBackend(BaseEmailBackend):
    """Queues the messages in the outbox table; returns how many were queued."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        rows = []
        for message in email_messages:
            if not message.recipients():
                continue
            row = OutgoingEmail(key=outbox_key(message))
            row.message = serialise(message)
            rows.append(row)
        if not rows:
            return 0
        try:
            with transaction.atomic():
                keys = [row.key for row in rows if row.key]
                known = set(
                    OutgoingEmail.objects.filter(key__in=keys).values_list("key", flat=True)
                )
                fresh = [row for row in rows if row.key is None or row.key not in known]
                # A key queued meanwhile by another transaction: that one is kept.
                OutgoingEmail.objects.bulk_create(fresh, ignore_conflicts=True)
        except Exception:
            if self.fail_silently:
                logger.exception("E-mails not queued in the outbox.")
                return 0
            raise
        transaction.on_commit(_deliver_soon, robust=True)
        return len(fresh)
