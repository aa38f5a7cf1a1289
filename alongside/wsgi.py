import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
application = get_wsgi_application()
# Import every view and index every URL now, as each server process starts, rather than in
# the first request each process answers (3 s on a cold disk; 100 ms warm).
get_resolver().reverse_dict  # noqa: B018
