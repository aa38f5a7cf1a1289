"""Settings for a worker started by a test as a separate process (test_email_reliability,
test_redis).

The test's database, the DirectoryBackend (which the test can make hang mid-send), leases
of seconds rather than minutes so a killed worker's leftovers are picked up quickly, and the
Redis task queue's keys under the test process's own prefix.
"""

import os

from alongside.settings import *  # noqa: F403
from alongside.settings import DATABASES, TASKS

DATABASES["default"]["NAME"] = os.environ["TEST_DB_NAME"]
MAILERS = {"default": {"BACKEND": "alongside.outbox.testing.DirectoryBackend"}}
OUTBOX_LEASE_SECONDS = 2
TASK_LEASE_SECONDS = 3
OUTBOX_SWEEP_SECONDS = 0.5
if "TEST_REDIS_KEY_PREFIX" in os.environ and "OPTIONS" in TASKS["default"]:
    TASKS["default"]["OPTIONS"]["REDIS_KEY_PREFIX"] = os.environ["TEST_REDIS_KEY_PREFIX"]
