"""Point-in-time recovery drill (docs/backup.md §6): a PostgreSQL cluster of the test's own
archives its WAL with the documented plain `archive_command`; a base backup is taken; rows are
written, the time noted, more rows written; a copy of the base backup replays the archive up to
the noted time, and holds exactly the rows written before it.

Runs where the PostgreSQL server programs are installed (initdb, pg_ctl, pg_basebackup), skipped
elsewhere. The cluster runs as the `postgres` system user when the test runs as root.
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.hardening.test_database_restart import _as_postgres, _bin, _free_port

pytestmark = pytest.mark.postgres

# The documentation's archive_command, with the archive folder of the test.
ARCHIVE_COMMAND = "test ! -f {archive}/%f && cp %p {archive}/%f"


def _programs() -> dict[str, str]:
    found = {name: _bin(name) for name in ("initdb", "pg_ctl", "pg_basebackup")}
    missing = [name for name, path in found.items() if not path]
    if missing:
        pytest.skip(f"needs the PostgreSQL server programs ({', '.join(missing)})")
    return {name: str(path) for name, path in found.items()}


class Cluster:
    def __init__(self, programs: dict[str, str], folder: Path, data: Path) -> None:
        self.programs, self.folder, self.data = programs, folder, data
        self.port = _free_port()

    def ctl(self, *args: str) -> None:
        log = str(self.folder / f"{self.data.name}.log")
        base = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        done = _as_postgres(
            self.programs["pg_ctl"], "-D", str(self.data), "-w", "-l", log,
            "-o", base, *args,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr + _tail(log)

    def stop(self) -> None:
        _as_postgres(self.programs["pg_ctl"], "-D", str(self.data), "-m", "immediate", "stop")

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        )


def _tail(path: str) -> str:
    try:
        return Path(path).read_text(errors="replace")[-3000:]
    except OSError:
        return ""


def _insert(connection: psycopg.Connection, notes: list[str]) -> None:
    for note in notes:  # one transaction each: each commit has its own time
        connection.execute("INSERT INTO drill (note) VALUES (%s)", (note,))


@pytest.fixture
def workspace():
    folder = Path(tempfile.mkdtemp(prefix="opennrm-pitr-"))
    folder.chmod(0o777)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    clusters: list[Cluster] = []
    try:
        yield folder, clusters
    finally:
        for cluster in clusters:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_recovery_to_a_moment_holds_exactly_what_was_committed_before_it(workspace):
    programs = _programs()
    folder, clusters = workspace
    archive = folder / "wal-archive"
    done = _as_postgres("mkdir", "-m", "0700", str(archive))
    assert done.returncode == 0, done.stderr
    source = Cluster(programs, folder, folder / "source")
    done = _as_postgres(programs["initdb"], "-D", str(source.data), "-A", "trust", "-U", "postgres")
    assert done.returncode == 0, done.stderr
    # The documented configuration, as a file of the cluster's own.
    with (source.data / "postgresql.conf").open("a") as conf:
        conf.write(
            "wal_level = replica\narchive_mode = on\n"
            f"archive_command = '{ARCHIVE_COMMAND.format(archive=archive)}'\n"
        )
    source.ctl("start")
    clusters.append(source)

    with source.connect() as db:
        db.execute("CREATE TABLE drill (id serial PRIMARY KEY, note text NOT NULL)")
        _insert(db, ["before the base backup"])

    base = folder / "base"
    done = _as_postgres(
        programs["pg_basebackup"], "-h", "127.0.0.1", "-p", str(source.port), "-U", "postgres",
        "-D", str(base), "-Fp", "-X", "none", "--checkpoint=fast",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr  # -X none: the replay takes every WAL from the archive

    with source.connect() as db:
        _insert(db, ["kept 1", "kept 2", "kept 3"])
        target = db.execute("SELECT clock_timestamp()").fetchone()[0]
        time.sleep(1.1)  # commit times are to the microsecond; leave no doubt
        _insert(db, ["lost 1", "lost 2"])
        last = db.execute("SELECT pg_walfile_name(pg_current_wal_lsn())").fetchone()[0]
        db.execute("SELECT pg_switch_wal()")  # the segment with the last commits goes out now
        for _ in range(200):
            archived = db.execute("SELECT last_archived_wal FROM pg_stat_archiver").fetchone()[0]
            if archived is not None and archived >= last:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"segment {last} was never archived:\n{_tail(str(folder / 'source.log'))}")
        assert db.execute("SELECT failed_count FROM pg_stat_archiver").fetchone()[0] == 0
    source.stop()
    clusters.remove(source)

    # The documented recovery: the base backup, restore_command, a target time, promote.
    restored = Cluster(programs, folder, base)
    settings = (
        f"restore_command = 'cp {archive}/%f %p'\n"
        f"recovery_target_time = '{target.isoformat()}'\n"
        "recovery_target_action = 'promote'\n"
    )
    with (base / "postgresql.auto.conf").open("a") as conf:
        conf.write(settings)
    (base / "recovery.signal").touch()
    if os.geteuid() == 0:
        for path in (base / "postgresql.auto.conf", base / "recovery.signal"):
            shutil.chown(path, "postgres")
    restored.ctl("start")
    clusters.append(restored)
    with restored.connect() as db:
        for _ in range(200):
            if not db.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the recovered cluster never left recovery")
        notes = [row[0] for row in db.execute("SELECT note FROM drill ORDER BY id")]
    assert notes == ["before the base backup", "kept 1", "kept 2", "kept 3"]
    log = _tail(str(folder / "base.log"))
    assert "recovery stopping before commit" in log, log
