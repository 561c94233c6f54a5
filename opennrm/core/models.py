"""Shared core: staff users, territories, organisations, memberships, training records."""

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile

if TYPE_CHECKING:
    from opennrm.profiles.schema import Label


def _label(label: "Label | None", code: str) -> str:
    if label is None:
        return code
    return label.get(get_language() or "fr", active_profile().default_language)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A staff member of an organisation. Victims never have accounts."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("access to the administration site"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def valid_training_on(self, day: datetime.date) -> bool:
        return self.training_records.valid_on(day).exists()


class TerritoryQuerySet(models.QuerySet["Territory"]):
    def local_units(self) -> "TerritoryQuerySet":
        return self.filter(level__in=active_profile().local_unit_levels)


class Territory(models.Model):
    """A territorial unit of the jurisdiction (région, département…), loaded from the profile."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=32)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    holidays_subdivision = models.CharField(
        _("public holidays subdivision"), max_length=16, blank=True
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def level_label(self) -> str:
        return _label(getattr(active_profile().level(self.level), "label", None), self.level)


class Organisation(models.Model):
    """A body taking part in the mechanism. Its kind is an organisation type of the profile."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=48)
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="organisations", verbose_name=_("territories covered")
    )
    national = models.BooleanField(_("covers the whole jurisdiction"), default=False)
    authorised_reporter = models.BooleanField(_("recognised as authorised reporter"), default=False)
    reporter_recognised_on = models.DateField(_("recognition date"), null=True, blank=True)
    reporter_recognition_ref = models.CharField(
        _("recognition reference"), max_length=120, blank=True
    )
    agreement_signed_on = models.DateField(_("cooperation agreement date"), null=True, blank=True)
    agreement_ref = models.CharField(
        _("cooperation agreement reference"), max_length=120, blank=True
    )
    email = models.EmailField(_("functional e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        kind = active_profile().organisation_type(self.kind)
        if kind is None:
            raise ValidationError({"kind": _("Unknown organisation type for this profile.")})
        if self.authorised_reporter:
            if not kind.may_be_authorised_reporter:
                raise ValidationError(
                    {"authorised_reporter": _("This type of organisation cannot be recognised.")}
                )
            if not (self.reporter_recognised_on and self.reporter_recognition_ref):
                raise ValidationError(
                    {
                        "reporter_recognition_ref": _(
                            "Give the date and reference of the recognition."
                        )
                    }
                )

    @property
    def kind_label(self) -> str:
        return _label(
            getattr(active_profile().organisation_type(self.kind), "label", None), self.kind
        )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """A user acting for an organisation, with one role of the profile."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=48)
    is_admin = models.BooleanField(_("organisation administrator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership_role"
            )
        ]
        ordering: ClassVar = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.role})"

    def clean(self) -> None:
        role = active_profile().role(self.role)
        if role is None:
            raise ValidationError({"role": _("Unknown role for this profile.")})
        if self.organisation_id is not None and not role.allowed_for(self.organisation.kind):
            raise ValidationError(
                {"role": _("This role cannot be given in this type of organisation.")}
            )

    @property
    def role_label(self) -> str:
        return _label(getattr(active_profile().role(self.role), "label", None), self.role)

    @property
    def capabilities(self) -> frozenset[Capability]:
        role = active_profile().role(self.role)
        granted = set(role.capabilities) if role else set()
        if self.is_admin:
            granted.add(Capability.ADMINISTER_ORGANISATION)
        return frozenset(granted)

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities


class TrainingRecordQuerySet(models.QuerySet["TrainingRecord"]):
    def valid_on(self, day: datetime.date) -> "TrainingRecordQuerySet":
        return self.filter(completed_on__lte=day).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=day)
        )


class TrainingRecord(models.Model):
    """A course a user followed; reporting may require a valid one (profile setting)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_records")
    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("training provider"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering: ClassVar = ["-completed_on"]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on})"

    def clean(self) -> None:
        if self.expires_on and self.completed_on and self.expires_on < self.completed_on:
            raise ValidationError({"expires_on": _("Expiry must come after completion.")})

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.completed_on <= day and (self.expires_on is None or self.expires_on >= day)


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one user. It never holds personal data: `message` is an English
    source string (marked with gettext_noop where it is written) translated when shown, and
    `params` hold codes, counts and case references only. `kind` is a code of the registry
    (`opennrm.core.notification_kinds`); an urgent one (an urgent orientation) is marked so."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64)
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=300, blank=True)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["created_at"], name="core_notification_created"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"

    @property
    def text(self) -> str:
        from django.utils.translation import gettext

        try:
            return str(gettext(self.message) % self.params)
        except (KeyError, TypeError, ValueError):
            return gettext(self.message)

    @property
    def kind_label(self) -> str:
        from opennrm.core.notification_kinds import label

        return label(self.kind)

    @classmethod
    def send(
        cls,
        recipients: "models.QuerySet[User] | list[User]",
        *,
        kind: str,
        message: str,
        params: dict[str, Any] | None = None,
        link: str = "",
        urgent: bool = False,
        email: bool = True,
        once: str = "",
    ) -> int:
        """One notification per distinct recipient; returns how many were created.

        `kind` must be a code of `opennrm.core.notification_kinds` (`ValueError` otherwise).
        Those who want this kind e-mailed at once get an e-mail (a count, the kind's label and
        a link: nothing else), queued in the outbox in the caller's transaction, so it leaves
        only once what it tells is committed. `email=False` for a sender that writes its own
        e-mail (the identification reminders). A job that may run twice gives `once` (codes:
        kind and day), which keys each person's e-mail so that it is queued once."""
        from opennrm.core import notification_kinds

        if not notification_kinds.is_known(kind):
            raise ValueError(f"Unknown notification kind {kind!r}.")
        kind_urgent = urgent and notification_kinds.get(kind).urgent_capable
        seen: set[int] = set()
        rows = []
        for user in recipients:
            if user.pk in seen:
                continue
            seen.add(user.pk)
            rows.append(
                cls(
                    recipient=user,
                    kind=kind,
                    message=message,
                    params=params or {},
                    link=link,
                    urgent=kind_urgent,
                )
            )
        if not rows:
            return 0
        cls.objects.bulk_create(rows)
        if email:
            from opennrm.core.notifying import email_at_once

            email_at_once(rows, once=once)
        return len(rows)


class NotificationPreference(models.Model):
    """How one person wants one kind of notification e-mailed (no row: the kind's default)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=64)
    email = models.CharField(_("e-mail"), max_length=16)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="one_notification_preference_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.email}"


class NotificationDigest(models.Model):
    """The daily digest sent to one person for one day: recorded with the e-mail, in one
    transaction, so that the job run twice sends it once (the unique constraint). `until` is
    where the next digest starts counting."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_digests")
    day = models.DateField()
    until = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("notification digest")
        verbose_name_plural = _("notification digests")
        ordering: ClassVar = ["-day"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "day"], name="one_notification_digest_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class ScheduledRun(models.Model):
    """One period of a periodic job (`opennrm.core.scheduling`), claimed once: the unique
    constraint on (job, period start) is what keeps a restarted scheduler, or two of them, from
    queueing the same run twice."""

    ENQUEUED = "enqueued"
    MISSED = "missed"  # the period had passed by more than the job's grace: not queued

    job = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    outcome = models.CharField(max_length=16, default=ENQUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering: ClassVar = ["-period_start", "job"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["job", "period_start"], name="one_scheduled_run_per_job_and_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period_start:%Y-%m-%d %H:%M} {self.outcome}"


class JobLease(models.Model):
    """The heartbeat of a background job being run (`opennrm.core.jobs`): the worker running
    it renews `beat_at` every few seconds; a lease left silent means the worker died, and the
    scheduler's recovery pass puts the job back in the queue. One row per running job, removed
    when it ends."""

    task_id = models.UUIDField(primary_key=True)
    worker_id = models.CharField(max_length=64)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("running job")
        verbose_name_plural = _("running jobs")
        ordering: ClassVar = ["started_at"]

    def __str__(self) -> str:
        return f"{self.task_id} on {self.worker_id}"


class FailedJob(models.Model):
    """A background job that failed every attempt (or whose worker died every time): it is not
    run again on its own. Recorded once, logged, shown in `/health/ready/` and the admin until
    an operator acknowledges it. Holds the task's path and the exception's class, never its
    arguments or message."""

    task_id = models.UUIDField(unique=True)
    task_path = models.CharField(max_length=200)
    attempts = models.PositiveIntegerField()
    error = models.CharField(max_length=200, blank=True)
    failed_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("failed job")
        verbose_name_plural = _("failed jobs")
        ordering: ClassVar = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.task_path} ({self.attempts} attempts)"


class FormSubmission(models.Model):
    """A create form sent by a signed-in person, kept a short while (`opennrm.core.submissions`):
    the form's random key and what it made. The same form sent again (after an error page, a
    double click, a resend by the browser) stores nothing twice and leads to what was made.
    Holds ids only: who sent it, the model and the id of the record made."""

    key = models.CharField(max_length=64)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    target_model = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("form sent")
        verbose_name_plural = _("forms sent")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "key"], name="one_form_submission_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.target_model} {self.target_id}"
