"""Every kind of in-app notification, in one typed registry.

A kind is what a notification asks its recipient to act on (or tells them of). The registry is
what `Notification.send` checks (an unknown kind is a programming error) and what the
notification preferences page lists: each person chooses, per kind, whether it is e-mailed at
once, in a daily digest or not at all. E-mails never say more than a count, the kind's label and
a link to the application.

Kinds are codes (`<domain>.<what>`), written by the domain actions; labels are shown in the
reader's language.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class EmailMode:
    """How a person wants a kind of notification e-mailed."""

    NONE = "none"
    IMMEDIATE = "immediate"
    DIGEST = "digest"

    CHOICES = (
        (IMMEDIATE, _("E-mail at once")),
        (DIGEST, _("Daily digest")),
        (NONE, _("No e-mail")),
    )
    VALUES = frozenset({NONE, IMMEDIATE, DIGEST})


@dataclass(frozen=True)
class NotificationKind:
    """One kind: its code, its label, whether a notification of it may be urgent (an urgent
    one is e-mailed at once to who chose the daily digest), and the e-mail mode of those who
    chose nothing."""

    code: str
    label: Promise
    urgent_capable: bool = False
    default_email: str = EmailMode.DIGEST


KINDS: tuple[NotificationKind, ...] = (
    # Detection
    NotificationKind("detection.concern_to_triage", _("A concern to triage")),
    NotificationKind(
        "detection.triage_due",
        _("Concerns to triage due soon or overdue"),
        default_email=EmailMode.IMMEDIATE,
    ),
    NotificationKind(
        "account.workplace_match", _("A workplace matching another organisation's record")
    ),
    NotificationKind(
        "account.exploiter_match", _("An exploiter matching another organisation's record")
    ),
    # Recognition of authorised reporters
    NotificationKind(
        "recognition.expiry", _("A recognition or cooperation agreement expiring soon")
    ),
    # Cases
    NotificationKind("consent.withdrawn", _("A consent withdrawn")),
    NotificationKind("transfer.proposed", _("A transfer proposed to your organisation")),
    NotificationKind("transfer.requested", _("A transfer asked for by another organisation")),
    NotificationKind("transfer.accepted", _("A transfer accepted")),
    NotificationKind("transfer.declined", _("A transfer declined")),
    NotificationKind("transfer.withdrawn", _("A transfer withdrawn")),
    NotificationKind("transfer.received", _("A case received by transfer")),
    # Formal identification
    NotificationKind("identification.referred", _("A referral received")),
    NotificationKind("identification.question", _("A question from the platform")),
    NotificationKind("identification.answer", _("An answer to the platform's question")),
    NotificationKind("identification.decision", _("A decision taken")),
    NotificationKind("identification.statement", _("A complaint or testimony recorded")),
    NotificationKind("identification.judicial_decision", _("A decision on the judicial route")),
    NotificationKind("identification.file_updated", _("A referred file updated")),
    NotificationKind(
        "identification.reminder",
        _("Identification decisions due soon or overdue"),
        default_email=EmailMode.IMMEDIATE,
    ),
    # Protection and support
    NotificationKind(
        "support.orientation_received", _("An orientation received"), urgent_capable=True
    ),
    NotificationKind(
        "support.orientation_due",
        _("Orientations awaiting your answer due soon or overdue"),
        default_email=EmailMode.IMMEDIATE,
    ),
)

_BY_CODE: dict[str, NotificationKind] = {kind.code: kind for kind in KINDS}
if len(_BY_CODE) != len(KINDS):  # pragma: no cover - a typo in the list above
    raise RuntimeError("Two notification kinds share a code.")


def get(code: str) -> NotificationKind:
    """The kind of this code; `KeyError` for a code nobody registered."""
    return _BY_CODE[code]


def is_known(code: str) -> bool:
    return code in _BY_CODE


def label(code: str) -> str:
    """The kind's label in the active language (the code itself for a kind since removed)."""
    kind = _BY_CODE.get(code)
    return str(kind.label) if kind is not None else code


def mode_for(code: str, chosen: str | None, *, urgent: bool = False) -> str:
    """The e-mail mode that applies: the person's choice, else the kind's default; an urgent
    notification that would wait for the digest goes at once."""
    kind = _BY_CODE[code]
    mode = chosen if chosen in EmailMode.VALUES else kind.default_email
    if urgent and kind.urgent_capable and mode == EmailMode.DIGEST:
        return EmailMode.IMMEDIATE
    return mode
