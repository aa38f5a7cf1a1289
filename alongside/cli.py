"""The `alongside` command.

alongside demo [--port N]   demo network on SQLite, web server and task worker
alongside serve             production: migrate, collect static files, run gunicorn
alongside worker            run the background task worker (sends the emails)
alongside backup [path]     copy the database to a file, while the site runs
alongside restore path      put a backup back in place of the database
alongside <command>         any Django management command, as manage.py would
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys


def _setup(**env: str) -> None:
    for key, value in env.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()


def demo(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="alongside demo")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    site_root = f"http://127.0.0.1:{args.port}"
    _setup(DEBUG="1", SITE_ROOT=site_root)

    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo")
    # The worker sends the emails queued by bookings; it prints them to this console.
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "alongside.cli", "worker", "--no-reload", "--interval", "0.5"],
        env=os.environ.copy(),
    )
    print(
        f"\nAlongside demo: {site_root}/\n"
        f"Database: {settings.DATABASES['default']['NAME']}\n"
        f"Sign in as the demo organiser at {site_root}/accounts/login/ with\n"
        "  melissa@dudleycvs.example\n"
        "and type the code that is printed below (emails go to this console).\n"
        "Press Ctrl+C to stop.\n",
        flush=True,
    )
    try:
        call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False)
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="alongside serve")
    parser.add_argument("--bind", default=os.getenv("BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.getenv("WEB_WORKERS", "3")))
    args = parser.parse_args(argv)
    _setup(STATIC_MANIFEST="1")

    from django.core.management import call_command

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
    parser = argparse.ArgumentParser(prog="alongside backup")
    parser.add_argument("path", nargs="?")
    args = parser.parse_args(argv)
    _setup()
    from alongside.lib import backup

    print(f"Backed up to {backup.backup(args.path)}")


def restore(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="alongside restore")
    parser.add_argument("path")
    args = parser.parse_args(argv)
    _setup()
    from alongside.lib import backup

    backup.restore(args.path)
    print(f"Restored from {args.path}")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command == "demo":
        demo(argv[1:])
    elif command == "serve":
        serve(argv[1:])
    elif command == "backup":
        backup(argv[1:])
    elif command == "restore":
        restore(argv[1:])
    else:
        _setup()
        if command == "worker":
            from alongside.lib.daily import ensure_scheduled

            # The daily jobs book each next run themselves; this starts the first one.
            ensure_scheduled()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["alongside", *argv])


if __name__ == "__main__":
    main()
