"""Environment for the test run, loaded by pytest (`-p alongside.testenv`) before Django starts."""

import os

# Links in emails point here, so tests can follow them with the test client.
os.environ.setdefault("SITE_ROOT", "http://testserver")
