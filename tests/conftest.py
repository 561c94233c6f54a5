"""The cast: one persona per role, plus outsiders. Used by every access test."""

import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from opennrm.core.models import Organisation, User
from tests.factories import MembershipFactory, OrganisationFactory, TrainingRecordFactory

# Browser tests drive Playwright's sync API, which runs an event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def audit_checkpoints(settings: Any, tmp_path: Any) -> Any:
    """Each test keeps its audit checkpoints apart: the file outlives a rolled-back database."""
    settings.OPENNRM_AUDIT_CHECKPOINTS = str(tmp_path / "audit-checkpoints.jsonl")
    return tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture
def territories(db: None) -> None:
    """The profile's territories. Loaded once into the test database (see django_db_setup);
    reloaded only after a transactional test emptied the tables."""
    from opennrm.core.models import Territory
    from opennrm.profiles.loader import active_territory_records

    if Territory.objects.count() != len(active_territory_records()):
        call_command("load_territories", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("load_territories", verbosity=0)


@dataclass
class Cast:
    """The personas: each is a User with MFA set up and one membership."""

    national: Organisation
    association: Organisation  # 93, authorised reporter
    police: Organisation  # 93
    prefecture: Organisation  # 93
    accommodation: Organisation  # 93
    coordination: Organisation  # 93
    other_association: Organisation  # 13: the outsider's organisation
    nadia: User  # national coordinator
    louis: User  # local coordinator 93
    amina: User  # field worker, association 93, organisation administrator
    hugo: User  # field worker, association 93, not administrator
    claire: User  # judicial officer, police 93
    sophie: User  # contact person, prefecture 93
    paul: User  # platform member, association 93
    ines: User  # service provider, accommodation 93
    robert: User  # data protection officer
    yasmine: User  # outsider: field worker of another organisation, another département

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def _org(name: str, kind: str, code: str | None, **extra: object) -> Organisation:
    from opennrm.core.models import Territory

    territories = [Territory.objects.get(code=code)] if code else []
    return OrganisationFactory(name=name, kind=kind, territories=territories, **extra)


def _member(org: Organisation, role: str, name: str, *, admin: bool = False) -> User:
    membership = MembershipFactory(
        organisation=org,
        role=role,
        is_admin=admin,
        user__full_name=name,
        user__email=f"{name.lower()}@test.opennrm.invalid",
    )
    return membership.user


@pytest.fixture
def cast(territories: None) -> Cast:
    import datetime

    recognised = {
        "authorised_reporter": True,
        "reporter_recognised_on": datetime.date(2025, 1, 6),
        "reporter_recognition_ref": "TEST-AR-1",
    }
    national = _org("National coordinator (fictional)", "national_coordinator", None, national=True)
    association = _org("Association 93 (fictional)", "association", "93", **recognised)
    police = _org("Police 93 (fictional)", "police", "93", **recognised)
    prefecture = _org("Prefecture 93 (fictional)", "prefecture", "93")
    accommodation = _org("Shelter 93 (fictional)", "accommodation", "93")
    coordination = _org("Coordination 93 (fictional)", "local_coordination", "93")
    other = _org("Association 13 (fictional)", "association", "13", **recognised)
    people = {
        "nadia": _member(national, "national_coordinator", "Nadia", admin=True),
        "louis": _member(coordination, "local_coordinator", "Louis", admin=True),
        "amina": _member(association, "field_worker", "Amina", admin=True),
        "hugo": _member(association, "field_worker", "Hugo"),
        "claire": _member(police, "judicial_officer", "Claire"),
        "sophie": _member(prefecture, "contact_person", "Sophie", admin=True),
        "paul": _member(association, "platform_member", "Paul"),
        "ines": _member(accommodation, "service_provider", "Ines", admin=True),
        "robert": _member(national, "data_protection_officer", "Robert"),
        "yasmine": _member(other, "field_worker", "Yasmine", admin=True),
    }
    for name in ("amina", "hugo", "claire", "yasmine"):
        TrainingRecordFactory(user=people[name])
    return Cast(
        national=national,
        association=association,
        police=police,
        prefecture=prefecture,
        accommodation=accommodation,
        coordination=coordination,
        other_association=other,
        **people,
    )


@dataclass
class ReceivedMail:
    """One message as the SMTP server received it."""

    mail_from: str
    recipients: list[str]
    content: str

    @property
    def message(self):
        import email
        from email import policy

        return email.message_from_string(self.content, policy=policy.default)

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


class _CollectingHandler:
    def __init__(self) -> None:
        self.messages: list[ReceivedMail] = []

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content
        if isinstance(content, bytes):
            content = content.decode("utf-8", errors="replace")
        self.messages.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd); Django sends to it. Yields received mails."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = _CollectingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    try:
        yield handler.messages
    finally:
        controller.stop()


# CI (.ci/run) sets these: a test needing what they name must run, never be skipped.
REQUIRED_WHEN = {"postgres": "OPENNRM_REQUIRE_POSTGRES", "gettext": "OPENNRM_REQUIRE_GETTEXT"}


def _required(variable: str) -> bool:
    return os.environ.get(variable, "").lower() in {"1", "true", "yes", "on"}


def pytest_configure(config: pytest.Config) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if _required("OPENNRM_REQUIRE_POSTGRES") and not url.startswith(("postgres", "postgis")):
        raise pytest.UsageError(
            "OPENNRM_REQUIRE_POSTGRES=1 but DATABASE_URL does not point to PostgreSQL."
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """When CI requires PostgreSQL or gettext, a skipped test that needs it is a failure."""
    report: pytest.TestReport = yield
    if report.skipped:
        for marker, variable in REQUIRED_WHEN.items():
            if item.get_closest_marker(marker) and _required(variable):
                reason = (
                    report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
                )
                report.outcome = "failed"
                report.longrepr = f"{marker} test skipped but {variable}=1 requires it: {reason}"
                break
    return report


@pytest.fixture(scope="session")
def browser() -> Any:
    """One Chromium for the whole session, shared by every directory's browser tests."""
    from tests.browser.conftest import launch_browser

    yield from launch_browser()
