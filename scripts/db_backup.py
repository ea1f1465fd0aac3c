#!/usr/bin/env python3
"""Back up and restore Consulta's database, PostgreSQL or SQLite (docs/deploy.md).

    scripts/db_backup.py backup  [--database-url URL] [--dir DIR]     # prints the file it wrote
    scripts/db_backup.py restore FILE [--database-url URL] --yes     # replaces that database

The database is DATABASE_URL unless --database-url says otherwise (the same URL the app uses;
``postgresql+psycopg://`` is accepted). PostgreSQL is dumped with ``pg_dump -Fc`` (one consistent
snapshot, even while the app writes) and restored with ``pg_restore --clean --if-exists`` in a
single transaction into the named database, which must exist. SQLite is copied with SQLite's
online backup API (a consistent snapshot while the app writes, WAL included) and restored the
same way. Backups hold answers and staff accounts: files are created with mode 0600.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DIR = "/var/backups/consulta"
COUNTED = ("consultation", "encounter", "submission", "answer", "staff_user")


def libpq_url(url: str) -> str:
    """SQLAlchemy's postgresql+psycopg:// spelling back to a URL that pg_dump understands."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


def sqlite_path(url: str) -> Path:
    if not url.startswith("sqlite:///"):
        raise SystemExit(f"not a SQLite file URL: {url}")
    return Path(url[len("sqlite:///") :])


def kind(url: str) -> str:
    scheme = urlsplit(url).scheme.split("+")[0]
    if scheme in ("postgresql", "postgres"):
        return "postgresql"
    if scheme == "sqlite":
        return "sqlite"
    raise SystemExit(f"unsupported database URL scheme: {scheme}")


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install postgresql-client (same major as the server)")
    return found


def private_file(path: Path) -> None:
    """Create (or truncate) ``path`` readable by its owner only, before any data goes in."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def backup(url: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if kind(url) == "postgresql":
        target = folder / f"consulta-{stamp}.dump"
        private_file(target)
        done = subprocess.run(
            [
                tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(target),
                libpq_url(url),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            target.unlink(missing_ok=True)
            raise SystemExit(f"pg_dump failed: {done.stderr.strip()}")
        what = f"PostgreSQL database {urlsplit(url).path.lstrip('/')} (pg_dump -Fc)"
    else:
        source = sqlite_path(url)
        if not source.exists():
            raise SystemExit(f"no SQLite database at {source}")
        target = folder / f"consulta-{stamp}.sqlite"
        private_file(target)
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
            with sqlite3.connect(target) as dst:
                src.backup(dst)  # a consistent snapshot, even while the app writes
        what = f"SQLite database {source} (online backup API)"
    size = target.stat().st_size
    mode = oct(target.stat().st_mode & 0o777)[2:]
    print(f"backup: {what} -> {target} ({size:,} bytes, mode {mode})")
    print(f"backup: rows {counts(url)}")
    return target


def restore(file: Path, url: str) -> None:
    if not file.exists():
        raise SystemExit(f"no backup file at {file}")
    if kind(url) == "postgresql":
        done = subprocess.run(
            [
                tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                libpq_url(url),
                str(file),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"pg_restore failed (nothing changed): {done.stderr.strip()}")
        what = f"PostgreSQL database {urlsplit(url).path.lstrip('/')} (pg_restore --clean)"
    else:
        target = sqlite_path(url)
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as src:
            with sqlite3.connect(target) as dst:
                src.backup(dst)
        os.chmod(target, 0o600)
        what = f"SQLite database {target} (online backup API)"
    print(f"restore: {file} -> {what}")
    print(f"restore: rows {counts(url)}")


def counts(url: str) -> str:
    """A few table sizes, so that whoever runs a backup or a drill sees that data is there."""
    found = {}
    if kind(url) == "postgresql":
        import psycopg

        with psycopg.connect(libpq_url(url)) as conn:
            for table in COUNTED:
                exists = conn.execute("SELECT to_regclass(%s)", (f"public.{table}",)).fetchone()[0]
                if exists:
                    found[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    else:
        with sqlite3.connect(f"file:{sqlite_path(url)}?mode=ro", uri=True) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            for table in COUNTED:
                if table in names:
                    found[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return ", ".join(f"{name}={value}" for name, value in found.items()) or "(no Consulta tables)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write a backup file and print its path")
    make.add_argument("--dir", default=os.environ.get("BACKUP_DIR", DEFAULT_DIR))
    back = commands.add_parser("restore", help="replace the database with a backup's content")
    back.add_argument("file", type=Path)
    back.add_argument("--yes", action="store_true", help="confirm: the database is replaced")
    args = parser.parse_args(argv)
    if not args.database_url:
        raise SystemExit("set DATABASE_URL or pass --database-url")
    if args.command == "backup":
        backup(args.database_url, Path(args.dir))
    else:
        if not args.yes:
            raise SystemExit("restore replaces every table of that database: add --yes")
        restore(args.file, args.database_url)


if __name__ == "__main__":
    sys.exit(main())
