"""A network admin who signs in like everyone else: no password, by emailed code.

Replaces Django's createsuperuser, which would make an account that signs in with a
password at /admin/login/, skipping the emailed code and the second factor.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction


class Command(BaseCommand):
    help = "Make a network admin, who signs in by emailed code and a second factor."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", help="Their email address.")
        parser.add_argument("--username", help="Defaults to the email address.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Ask nothing: --email is then required.",
        )  # fmt: skip

    def handle(self, *args, email=None, username=None, interactive=True, **options) -> None:
        if not email and interactive:
            email = input("Email address: ")
        email = (email or "").strip()
        if not email:
            raise CommandError("An email address is needed: they sign in with a code sent there.")
        try:
            validate_email(email)
        except ValidationError as e:
            raise CommandError(f"{email} is not an email address.") from e
        if EmailAddress.objects.filter(email__iexact=email).exists():
            raise CommandError(f"Someone already signs in as {email}.")
        users = get_user_model()
        username = username or email
        if users.objects.filter(username=username).exists():
            raise CommandError(f"The username {username} is taken.")
        with transaction.atomic():
            # create_superuser would insist on a password; create_user without one stores
            # an unusable password, so no password form can ever sign them in.
            user = users.objects.create_user(username, email)
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        self.stdout.write(
            f"Made {email} a network admin. They sign in at /accounts/login/ with a code "
            "emailed to them, and are asked to set up a second factor (an authenticator app) "
            "the first time they open a network or admin page."
        )
