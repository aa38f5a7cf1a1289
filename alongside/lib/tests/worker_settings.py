"""Settings for a worker started by a test as a separate process (test_email_reliability).

The test's database, the DirectoryBackend (which the test can make hang mid-send), and
leases of seconds rather than minutes so a killed worker's leftovers are picked up quickly.
"""

import os

from alongside.settings import *  # noqa: F403
from alongside.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["TEST_DB_NAME"]
MAILERS = {"default": {"BACKEND": "alongside.outbox.testing.DirectoryBackend"}}
OUTBOX_LEASE_SECONDS = 2
TASK_LEASE_SECONDS = 3
OUTBOX_SWEEP_SECONDS = 0.5
