"""manage.py generate: fill an empty database with a synthetic network of a given size.

    alongside generate --tier small                        # the database in DATABASE_URL
    alongside generate --tier large --database-url postgres://postgres@127.0.0.1/alongside_scale
    alongside generate --surgeries 50 --sessions 2000 --bookings 20000 --help-records 8000

See alongside/generate.py for what the network holds.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from alongside.generate import TIERS, Sizes, ensure_database, generate
from alongside.lib.progress import Progress


class Command(BaseCommand):
    help = "Build a synthetic network of surgeries, sessions, bookings and help, quickly."

    def add_arguments(self, parser):
        parser.add_argument("--tier", choices=list(TIERS), default="small")
        parser.add_argument("--surgeries", type=int, help="instead of the tier's number")
        parser.add_argument("--sessions", type=int)
        parser.add_argument("--bookings", type=int)
        parser.add_argument("--help-records", type=int)
        parser.add_argument("--seed", type=int, default=2010, help="same seed, same network")
        parser.add_argument("--today", type=dt.date.fromisoformat,
                            help="the day sessions are held before and planned after "
                            "(YYYY-MM-DD; today by default)")  # fmt: skip
        parser.add_argument("--replace", action="store_true",
                            help="throw away the surgeries already there, and everything of "
                            "theirs")  # fmt: skip
        parser.add_argument("--database-url",
                            help="build in this database instead (PostgreSQL: created if "
                            "missing, and migrated)")  # fmt: skip
        parser.add_argument("--migrate", action="store_true", help="run migrations first")
        parser.add_argument("--quiet", action="store_true",
                            help="no progress on stderr, only the summary")  # fmt: skip

    def handle(self, *args, database_url: str | None, **options):
        if database_url:
            return self._elsewhere(database_url, options)
        tier = TIERS[options["tier"]]
        sizes = Sizes(
            surgeries=options["surgeries"] or tier.surgeries,
            sessions=options["sessions"] or tier.sessions,
            bookings=options["bookings"] or tier.bookings,
            help_records=options["help_records"] or tier.help_records,
        )
        # Each table as it is loaded, with its rows and seconds, for someone watching; the
        # summary on stdout for everyone. Straight to stderr: the command's own wrapper would
        # colour every line as an error.
        progress = Progress(quiet=options["quiet"])
        if options["migrate"]:
            progress.say("Migrating the database…")
            call_command("migrate", interactive=False, verbosity=0)
        progress.say(
            f"Generating {sizes.surgeries:,} surgeries, {sizes.sessions:,} sessions, "
            f"{sizes.bookings:,} bookings and {sizes.help_records:,} records of help "
            f"(seed {options['seed']})…"
        )
        try:
            counts = generate(
                sizes, seed=options["seed"], today=options["today"], replace=options["replace"],
                out=progress.say,
            )  # fmt: skip
        except ValueError as e:
            # Never mix made-up people into a database that holds real surgeries.
            raise CommandError(f"{e} Nothing was changed. Use --replace to replace them.") from e
        self.stdout.write(
            f"Generated {sizes.surgeries:,} surgeries, {sizes.sessions:,} sessions, "
            f"{sizes.bookings:,} bookings and {sizes.help_records:,} records of help "
            f"in {counts['seconds']:,} s"
        )

    def _elsewhere(self, url: str, options: dict) -> None:
        """Run again with DATABASE_URL set: settings read it once, when Django starts."""
        if url.startswith(("postgres://", "postgresql://")):
            ensure_database(url)
        argv = ["generate", "--tier", options["tier"], "--seed", str(options["seed"]), "--migrate"]
        for name in ("surgeries", "sessions", "bookings", "help_records", "today"):
            if options[name] is not None:
                argv += [f"--{name.replace('_', '-')}", str(options[name])]
        argv += ["--replace"] if options["replace"] else []
        argv += ["--quiet"] if options["quiet"] else []
        env = {**os.environ, "DATABASE_URL": url}
        command = [sys.executable, "-m", "alongside.cli", *argv]
        done = subprocess.run(command, env=env, check=False)  # noqa: S603 - our own interpreter
        if done.returncode:
            raise CommandError("Generating failed.")
