"""manage.py load_demo: fill an empty database with Dudley borough's demo network."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from alongside.demo.audit import DEMO_TOTP_SECRET, demo_totp_code
from alongside.demo.build import build_demo_network
from alongside.surgeries.models import Surgery


class Command(BaseCommand):
    help = "Load a demo network of surgeries in Dudley borough, if there are no surgeries yet."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2010, help="Seed for the made-up people.")

    def handle(self, *args, seed: int, verbosity: int = 1, **options):
        # Never mix made-up people into a database that holds real surgeries.
        if Surgery.objects.exists():
            self.stdout.write("The demo is already loaded: there are surgeries in the database.")
            return
        started = time.monotonic()
        counts = build_demo_network(today=timezone.localdate(), seed=seed)
        took = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {took:.1f} s."))
        self.stdout.write("Sign in as melissa@dudleycvs.example to see it as an organiser,")
        self.stdout.write("jo@dudleycvs.example as Dudley borough's coordinator,")
        self.stdout.write("lorna@dudleycvs.example to run Dudley CVS's own space,")
        self.stdout.write("digital.lead@dudley.gov.example for Dudley Council's staff surgeries,")
        self.stdout.write("campaigns@alongside.example on the campaigns' team,")
        self.stdout.write("lead.toronto@example.org to lead a campaign's Toronto chapter,")
        self.stdout.write("or admin@alongside.example as a network admin, who also needs a code")
        self.stdout.write(
            f"from an authenticator app set up with the demo secret {DEMO_TOTP_SECRET}"
            f" (the code now: {demo_totp_code()})."
        )
        # What was made, for whoever works on the demo (-v 2, `alongside demo --verbose`).
        if verbosity >= 2:
            for name, count in counts.items():
                self.stdout.write(f"{name.replace('_', ' ')}: {count}")
