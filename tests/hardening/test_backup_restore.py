"""The restore drill of docs/backup.md, on PostgreSQL: dump the test database with
`pg_dump -Fc`, restore it into a fresh database with `pg_restore`, and check that every table
holds the same number of rows, that the audit chain verifies (recomputed here, and with
`manage.py verify_audit` run against the restored database), and that encrypted identities read
back with the keys kept outside the dump.
"""

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import Client

from opennrm.audit.models import AuditBatch, AuditEntry
from opennrm.audit.sealing import seal_all
from opennrm.audit.trail import record, verify_chain
from opennrm.cases.models import Case, Person
from opennrm.core.acting import Actor
from tests.factories import CaseFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent
RESTORED = "restored"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _libpq_environment() -> dict[str, str]:
    """PG* variables for pg_dump / pg_restore, from Django's connection settings."""
    db = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 — fixed programs, arguments built here
        list(command),
        env=env or _libpq_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore need PostgreSQL (DATABASE_URL=postgres://…)")
    for program in ("pg_dump", "pg_restore"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} not found (apt-get install postgresql-client)")


@pytest.fixture
def restored_database(postgresql: None) -> Iterator[str]:
    """An empty database, dropped after the test."""
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        restored = getattr(connections._connections, RESTORED, None)
        if restored is not None:
            restored.close()
            del connections[RESTORED]
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _connect(name: str) -> None:
    """A connection to the restored database under the alias RESTORED, for the ORM's
    `using()`: created here rather than declared in settings, like an operator's second
    DATABASES entry."""
    backend = load_backend(connection.settings_dict["ENGINE"])
    connections[RESTORED] = backend.DatabaseWrapper(
        {**connection.settings_dict, "NAME": name}, alias=RESTORED
    )


def _make_data(cast) -> None:
    """The cast, a few cases with identities, and audit entries of several kinds."""
    from tests.factories import PASSWORD

    for index in range(3):
        CaseFactory(
            owner=cast.association,
            person__given_names=f"Fictivegiven{index}",
            person__family_name="Restoretest",
        )
    CaseFactory(owner=cast.other_association)
    for case in Case.objects.all():
        record(
            "case.read", actor=Actor.for_user(cast.amina), target=case, details={"test": "backup"}
        )
    seal_all()  # sealed batches, and a few entries still waiting, are both restored
    Client().post("/accounts/login/", {"login": cast.hugo.email, "password": PASSWORD})
    Client().post("/accounts/login/", {"login": cast.hugo.email, "password": "wrong-Fictive-1"})
    assert AuditEntry.objects.count() >= 3
    assert AuditBatch.objects.exists()


def _model_counts(alias: str) -> dict[str, int]:
    return {
        model._meta.db_table: model._default_manager.using(alias).count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _verify_chain(alias: str) -> int:
    """The trail recomputed from the restored rows, as `verify_audit` does: every entry's seal
    and every batch seal."""
    checked, broken = verify_chain(using=alias)
    assert broken is None, broken
    return checked


def test_a_dump_restores_into_a_fresh_database(cast, restored_database, tmp_path):
    _make_data(cast)
    dump = tmp_path / "opennrm.dump"
    source = connection.settings_dict["NAME"]

    _run("pg_dump", "--format=custom", "--no-owner", "--file", str(dump), source)
    assert dump.stat().st_size > 0
    listing = _run("pg_restore", "--list", str(dump)).stdout
    assert "audit_auditentry" in listing

    _run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--dbname",
        restored_database,
        str(dump),
    )

    _connect(restored_database)
    original, restored = _model_counts("default"), _model_counts(RESTORED)
    assert restored == original
    assert restored["audit_auditentry"] == AuditEntry.objects.count()
    assert restored["cases_case"] == Case.objects.count() >= 4
    print(f"restored {sum(restored.values())} rows in {len(restored)} tables")  # noqa: T201

    # The audit trail verifies in the restored database, with the key kept outside it.
    assert _verify_chain(RESTORED) == AuditEntry.objects.count()

    # Identities are encrypted in the dump and read back with the keys.
    names = sorted(Person.objects.using(RESTORED).values_list("given_names", flat=True))
    assert names == sorted(Person.objects.values_list("given_names", flat=True))
    assert "Fictivegiven0" in names

    # The drill as an operator runs it: verify_audit against the restored database.
    db = connection.settings_dict
    url = (
        f"postgres://{db.get('USER') or ''}{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}"
        f"@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{restored_database}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "OPENNRM_AUDIT_KEY": settings.AUDIT_HMAC_KEY,
        "OPENNRM_FIELD_KEYS": settings.OPENNRM_FIELD_KEYS,
        "OPENNRM_INDEX_KEY": settings.OPENNRM_INDEX_KEY,
    }
    connections[RESTORED].close()
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_audit"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Audit chain intact: {AuditEntry.objects.count()} entries verified." in result.stdout


def test_a_restored_trail_checked_with_another_key_fails(
    cast, restored_database, tmp_path, settings
):
    """Why the audit key is backed up: without it, the restored trail cannot be verified."""
    record("backup.test", actor=Actor.for_user(cast.nadia))
    dump = tmp_path / "opennrm.dump"
    _run("pg_dump", "-Fc", "--no-owner", "-f", str(dump), connection.settings_dict["NAME"])
    _run("pg_restore", "--no-owner", "--exit-on-error", "-d", restored_database, str(dump))
    _connect(restored_database)
    settings.AUDIT_HMAC_KEY = "not-the-key-the-trail-was-written-with"
    with pytest.raises(AssertionError, match="does not match its seal"):
        _verify_chain(RESTORED)
