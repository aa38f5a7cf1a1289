import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
application = get_wsgi_application()
# Import every view now, as each server process starts, so that the first visitor each
# process answers does not wait seconds for it (3 s on a cold disk).
get_resolver().url_patterns  # noqa: B018
