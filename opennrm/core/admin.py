"""Administration of the core models. Every change made here is audited (see core.signals)."""

from typing import ClassVar

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from opennrm.core import jobs
from opennrm.core.acting import Actor, Channel
from opennrm.core.models import (
    FailedJob,
    JobLease,
    Membership,
    Organisation,
    Territory,
    TrainingRecord,
    User,
)

# Bulk deletions are logged by Django with bulk_create, which sends no signal and would escape
# the audit trail; objects are deleted one at a time from their own page instead.
admin.site.disable_action("delete_selected")


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    fields = ("organisation", "role", "is_admin", "is_active")
    autocomplete_fields = ("organisation",)


class TrainingRecordInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TrainingRecord
    extra = 0
    fields = ("course", "provider", "completed_on", "expires_on")


@admin.register(User)
class UserAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Passwords are never set here: people choose theirs through the invitation link."""

    list_display = ("email", "full_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    fields = (
        "email",
        "full_name",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
        "last_login",
        "date_joined",
    )
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions")
    inlines: ClassVar = [MembershipInline, TrainingRecordInline]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Reference data loaded from the profile (load_territories); read here, not edited."""

    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "national", "authorised_reporter")
    list_filter = ("kind", "national", "authorised_reporter")
    search_fields = ("name",)
    filter_horizontal = ("territories",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "organisation", "role", "is_admin", "is_active")
    list_filter = ("role", "is_admin", "is_active")
    search_fields = ("user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "course", "completed_on", "expires_on")
    search_fields = ("user__email", "course")
    autocomplete_fields = ("user",)
    list_select_related = ("user",)


@admin.register(FailedJob)
class FailedJobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Background jobs that failed every attempt (opennrm.core.jobs): run again by hand what
    they do (e.g. `send_identification_reminders`, `apply_retention`), then acknowledge."""

    list_display = ("task_path", "attempts", "error", "failed_at", "acknowledged_at")
    list_filter = ("acknowledged_at",)
    fields = ("task_id", *list_display)
    readonly_fields = fields
    actions = ("acknowledge",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Acknowledge (dealt with)"), permissions=["view"])
    def acknowledge(self, request: HttpRequest, queryset: QuerySet[FailedJob]) -> None:
        assert isinstance(request.user, User)  # noqa: S101  (the admin signs people in)
        count = jobs.acknowledge(Actor.for_user(request.user, channel=Channel.PAGE), queryset)
        self.message_user(
            request,
            ngettext("%(count)d job acknowledged.", "%(count)d jobs acknowledged.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(JobLease)
class JobLeaseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The jobs running now, and when their worker last showed it was alive."""

    list_display = ("task_id", "worker_id", "started_at", "beat_at")
    readonly_fields = list_display

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
