"""A throwaway PostgreSQL server for the tests: a real one, never a mock. The cluster lives
in a temporary directory, listens on a free 127.0.0.1 port and is stopped (and deleted) at the
end of the session. The binaries come from PATH or Debian's /usr/lib/postgresql/*/bin (.ci/run
installs the ``postgresql`` package when they are missing)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .ports import free_port

DATABASE = "diplofacts_test"


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _run_as() -> list[str]:
    """initdb and postgres refuse to run as root: as root, run them as postgres (or nobody)."""
    if os.geteuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return ["runuser", "-u", user, "--"]
    raise RuntimeError("running as root and there is no postgres or nobody user for initdb")


@dataclass
class PostgresServer:
    directory: Path
    port: int
    pg_ctl: str
    prefix: list[str]

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def stop(self) -> None:
        subprocess.run(
            [
                *self.prefix,
                self.pg_ctl,
                "-D",
                str(self.directory / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def start_server() -> PostgresServer:
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError(
            "PostgreSQL is not installed (no initdb/pg_ctl on PATH or in "
            "/usr/lib/postgresql/*/bin): apt-get install postgresql, as .ci/run does"
        )
    prefix = _run_as()
    directory = Path(tempfile.mkdtemp(prefix="diplofacts-pg-"))
    if prefix:
        user = pwd.getpwnam(prefix[2])
        os.chown(directory, user.pw_uid, user.pw_gid)
    data = directory / "data"
    subprocess.run(
        [
            *prefix,
            initdb,
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    started = subprocess.run(
        [
            *prefix,
            pg_ctl,
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(directory / "log"),
            "-w",
            "-t",
            "60",
            "start",
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    server = PostgresServer(directory, port, pg_ctl, prefix)
    if started.returncode != 0:
        log = (
            (directory / "log").read_text(errors="replace") if (directory / "log").exists() else ""
        )
        server.stop()
        raise RuntimeError(f"pg_ctl start failed: {started.stderr}\n{log}")
    import psycopg

    with psycopg.connect(server.admin_url, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {DATABASE}")
    return server
