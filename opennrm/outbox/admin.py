"""The outbox in the administration: what waits, what was sent, what failed — never the
addresses or the content."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from opennrm.core.acting import Actor, Channel
from opennrm.core.models import User
from opennrm.outbox.delivery import requeue
from opennrm.outbox.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "id",
        "status",
        "attempts",
        "queued_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("status",)
    ordering = ("-queued_at",)
    fields = list_display
    readonly_fields = list_display
    actions = ("send_again",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send the failed e-mails again"), permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        assert isinstance(request.user, User)  # noqa: S101  (the admin signs people in)
        count = requeue(Actor.for_user(request.user, channel=Channel.PAGE), list(queryset))
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
