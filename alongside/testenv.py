"""Environment for the test run, loaded by pytest (`-p alongside.testenv`) before Django starts.

Tasks run immediately in tests, so a test sees the email a booking queues in `mail.outbox`.
"""

import os

os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("SITE_ROOT", "http://testserver")
