"""The bare floor for benchmarks/pages.py: Alongside's settings with Django's defaults.

The same apps, database and template loaders, but the MIDDLEWARE and context processors
that `django-admin startproject` generates, and one URL: the floor view
(benchmarks/floor.py). What Django itself costs on this machine, beside which Alongside's
floor is measured. Never used by the real app.
"""

from alongside.settings import *  # noqa: F403
from alongside.settings import TEMPLATES


class DefaultMiddleware(list):
    """allauth will not start unless its middleware is listed; the bare floor runs without it
    (Django iterates the list, which holds only Django's defaults)."""

    def __contains__(self, name: object) -> bool:
        return name == "allauth.account.middleware.AccountMiddleware" or super().__contains__(name)


MIDDLEWARE = DefaultMiddleware(
    [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
)
ROOT_URLCONF = "benchmarks.bare_urls"
TEMPLATES = [
    {
        **TEMPLATES[0],
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]
