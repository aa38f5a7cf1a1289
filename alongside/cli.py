"""The `alongside` command: Alongside's own commands (COMMANDS, listed first by `alongside`,
`alongside --help` and `alongside help`), and any Django management command, as manage.py
would run it (`alongside help --django` lists those).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command, execute_from_command_line
from django.db import connections

from alongside.lib import backup as backups
from alongside.lib import secretkey
from alongside.lib.progress import Progress

# Alongside's own commands, each with one line, in the order someone meets them.
COMMANDS = {
    "demo": "try it: a demo network, the web server and the worker on http://127.0.0.1:8000",
    "serve": "run the site: migrate, collect static files, start the web server (gunicorn)",
    "worker": "send the emails and run the other background tasks; keep one running",
    "createsuperuser": "make a network admin, who signs in by emailed code",
    "backup": "copy the database to a file while the site runs (to DATA_DIR/backups)",
    "restore": "put a backup back in place of the database (stop the site first)",
    "migrate": "bring the database up to this version (serve does it when it starts)",
    "check": "look for problems; --deploy for a site open to the world",
    "generate": "fill an empty database with a synthetic network, for benchmarks",
    "load_demo": "add the demo network to an empty database",
}
HELP_WORDS = {"help", "--help", "-h"}


def usage() -> str:
    width = max(map(len, COMMANDS)) + 2
    lines = ["Usage: alongside <command> [options]", "", "Alongside's commands:"]
    lines += [f"  {name:<{width}}{line}" for name, line in COMMANDS.items()]
    lines += [
        "",
        "Any Django management command works too: alongside <django command>.",
        "alongside help --django lists them; alongside help <command> explains one.",
        "Settings come from the environment: see the README.",
    ]
    return "\n".join(lines)


def show_help(argv: list[str]) -> None:
    """`alongside help [--django | command]`."""
    if not argv:
        print(usage())
    elif argv[0] in OWN_PARSERS:
        OWN_PARSERS[argv[0]](["--help"])
    else:
        # Django's help, for its commands and ours that are management commands (worker),
        # without running any of them first.
        _setup()
        execute_from_command_line(["alongside", "help", *([] if argv[0] == "--django" else argv)])


def _setup(**env: str) -> None:
    for key, value in env.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    django.setup()


def demo(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="alongside demo", description=COMMANDS["demo"])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--fresh", action="store_true", help="delete the demo's database first and start again"
    )
    parser.add_argument("--verbose", action="store_true", help="say how much the demo holds")
    args = parser.parse_args(argv)
    site_root = f"http://127.0.0.1:{args.port}"
    # Stopped by a service manager or `kill`, the demo takes its worker with it, as Ctrl+C
    # does: the handler unwinds through the finally below.
    signal.signal(signal.SIGTERM, _stop)
    # DEBUG stays off, as on a real site: a stale link shows the friendly 404 page, not
    # every URL pattern. Whitenoise serves the static files from the source instead.
    _setup(SITE_ROOT=site_root, STATIC_FROM_SOURCE="1")
    # First what someone trying it needs; the server says it is ready a moment later.
    print(
        f"\nAlongside demo: {site_root}/\n"
        f"Sign in as the demo organiser at {site_root}/accounts/login/ with\n"
        "  melissa@dudleycvs.example\n"
        "and type the code that is printed below (emails go to this console).\n"
        "Press Ctrl+C to stop.\n"
        f"Database: {settings.DATABASES['default']['NAME']}\n",
        flush=True,
    )
    if args.fresh:
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.sqlite3":
            sys.exit(
                "alongside demo --fresh starts only a SQLite database afresh, not DATABASE_URL's"
            )
        connections.close_all()
        for removed in remove_sqlite_database(Path(database["NAME"])):
            print(f"Deleted {removed}")

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=2 if args.verbose else 1)
    # The worker sends the emails queued by bookings; it prints them to this console.
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "alongside.cli", "worker", "--no-reload", "--interval", "0.5"],
        env=os.environ.copy(),
    )
    try:
        call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False)
    except KeyboardInterrupt:
        pass  # Ctrl+C: the worker had it too; stop quietly
    finally:
        _stop_child(worker)


def remove_sqlite_database(path: Path) -> list[Path]:
    """Delete a SQLite database and the files SQLite keeps beside it, and say which went.

    Only those: the secret key and the backups in the same folder stay.
    """
    removed = []
    for file in [path, *(path.with_name(f"{path.name}{end}") for end in SQLITE_FILES)]:
        if file.is_file():
            file.unlink()
            removed.append(file)
    return removed


SQLITE_FILES = ("-wal", "-shm", "-journal")


def _stop(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not cut the clean-up
    raise SystemExit(0)


def _stop_child(child: subprocess.Popen[bytes]) -> None:
    child.terminate()
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="alongside serve", description=COMMANDS["serve"])
    parser.add_argument("--bind", default=os.getenv("BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.getenv("WEB_WORKERS", "3")))
    args = parser.parse_args(argv)
    key_file = secretkey.key_file()
    new_key = not secretkey.given() and not key_file.exists()
    _setup(STATIC_MANIFEST="1")  # the settings make the key when there is none
    if new_key:
        print(
            f"Made a new secret key in {key_file}: keep it, and give every worker the same "
            "one (SECRET_KEY_FILE)",
            file=sys.stderr,
        )

    call_command("migrate", interactive=False, verbosity=1)
    call_command("collectstatic", interactive=False, verbosity=0)
    gunicorn = [sys.executable, "-m", "gunicorn", "alongside.wsgi:application"]
    os.execv(sys.executable, [*gunicorn, *gunicorn_options(args.bind, args.workers)])  # noqa: S606


# The request log: one line per request on stderr, the path without its query string
# (%(U)s), which can hold signed tokens or what someone searched for.
ACCESS_LOG_FORMAT = '%(t)s INFO gunicorn.access %(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def gunicorn_options(bind: str, workers: int) -> list[str]:
    return [
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "--error-logfile",
        "-",
    ]


def backup(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="alongside backup", description=COMMANDS["backup"])
    parser.add_argument("path", nargs="?")
    parser.add_argument("--quiet", action="store_true", help="no progress, only where it went")
    args = parser.parse_args(argv)
    _setup()
    path = backups.backup(args.path, progress=Progress(quiet=args.quiet))
    print(f"Backed up to {path}")


def restore(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="alongside restore", description=COMMANDS["restore"])
    parser.add_argument("path")
    parser.add_argument("--yes", action="store_true", help="do not ask first (for scripts)")
    args = parser.parse_args(argv)
    _setup()
    try:
        backups.check(args.path)
    except backups.NotABackup as e:
        sys.exit(f"Nothing was changed. {e}")
    if not args.yes:
        if not sys.stdin.isatty():
            sys.exit("Nothing was changed. Add --yes to restore without being asked.")
        answer = input(
            f"This replaces the database with the backup in {args.path}; the database now "
            "is kept in the backups folder. Type yes to go on: "
        )
        if answer.strip().lower() != "yes":
            sys.exit("Nothing was changed.")
    kept = backups.restore(args.path)
    print(f"Restored from {args.path}. The database it replaced is in {kept}.")


# The commands with a parser of their own here; the rest are management commands.
OWN_PARSERS = {"demo": demo, "serve": serve, "backup": backup, "restore": restore}


def _uses_redis_queue() -> bool:
    return settings.TASKS["default"]["BACKEND"] == settings.REDIS_TASKS_BACKEND


def redis_worker_argv(argv: list[str]) -> list[str]:
    """`alongside worker`'s options (db_worker's) as the Redis worker's command line.

    The same command starts a worker whichever queue is configured, so a service file or
    the demo need not change when the queue moves to Redis.
    """
    parser = argparse.ArgumentParser(prog="alongside worker", add_help=False)
    parser.add_argument("--queue-name")
    parser.add_argument("--interval")
    parser.add_argument("--batch", action="store_true")
    parser.add_argument("--max-tasks")
    # Only the database worker reloads on code changes or waits a moment before starting.
    parser.add_argument("--reload", action=argparse.BooleanOptionalAction)
    parser.add_argument("--no-startup-delay", action="store_true")
    args, rest = parser.parse_known_args(argv)
    redis_argv = ["run_redis_tasks"]
    if not args.batch:
        redis_argv.append("--continuous")
    if args.queue_name and args.queue_name != "*":
        redis_argv += ["--queue", args.queue_name]
    if args.interval:
        redis_argv += ["--interval", args.interval]
    if args.max_tasks:
        redis_argv += ["--max-tasks", args.max_tasks]
    return [*redis_argv, *rest]


def worker_key_problem() -> str | None:
    """Why a worker may not start, or None.

    A worker signs the links in the emails it sends, so it must have the web server's key.
    It never makes one of its own: a worker started on another machine, or before the web
    server, would send links the site then refuses.
    """
    if secretkey.given() or secretkey.key_file().exists():
        return None
    return (
        f"alongside worker: no secret key: set SECRET_KEY or SECRET_KEY_FILE to the web "
        f"server's key, or run `alongside serve` once, which makes {secretkey.key_file()}"
    )


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command in HELP_WORDS:
        show_help(argv[1:])
    elif command == "demo":
        demo(argv[1:])
    elif command == "serve":
        serve(argv[1:])
    elif command == "backup":
        backup(argv[1:])
    elif command == "restore":
        restore(argv[1:])
    else:
        if command == "worker" and (problem := worker_key_problem()):
            sys.exit(problem)
        _setup()
        if command == "worker":
            # Only now: it reads the models, which need Django set up, and that needs the
            # environment this command sets first.
            from alongside.outbox.management.commands import worker

            redis = _uses_redis_queue()
            worker.prepare(redis=redis)
            if redis:
                argv = redis_worker_argv(argv[1:])
        execute_from_command_line(["alongside", *argv])


if __name__ == "__main__":
    main()
