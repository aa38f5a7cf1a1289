import pytest


@pytest.fixture(autouse=True)
def _counting_is_quick(monkeypatch):
    """Count a test's small network as quick to count, however loaded the machine.

    A count over 300 ms makes the next page show the last figures while a worker counts
    again (impact/snapshots.py); a busy CI worker can take that long on its first count. The
    tests of the slow path mark a snapshot as taking 5 s.
    """
    from alongside.impact import snapshots

    monkeypatch.setattr(snapshots, "COMPUTE_NOW_MS", 3000)


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    """A request through the test client leaves the language it chose active in the thread
    (a Welsh cookie: Welsh), and a later test writing a card or a form outside a request
    would speak it. Each test starts in the site's language, whatever ran before it."""
    from django.utils import translation

    translation.deactivate()  # back to LANGUAGE_CODE, as in a new process
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def topics_put_back(django_db_setup, django_db_blocker):
    """Put back the shared topics after a module of transactional tests.

    Transactional tests (live server, concurrency) end with a flush of every table, and the
    flush recreates only content types and permissions, not the topics a data migration
    made. Module scope makes this run after that flush.
    """
    yield
    from alongside.surgeries.models import Topic
    from alongside.surgeries.topics import ensure_topics

    with django_db_blocker.unblock():
        ensure_topics(Topic)


@pytest.fixture(scope="session")
def _shared_chromium():
    from alongside.browsertest import SharedChromium, chromium_or_skip

    shared = SharedChromium(chromium_or_skip())
    yield shared
    shared.close()


@pytest.fixture
def chromium(_shared_chromium, request):
    """Chromium, started once per test process: drive it inside `with chromium as browser:`.

    A unittest-style test gets it as `self.chromium` through
    `@pytest.mark.usefixtures("chromium")`.
    """
    if request.instance is not None:
        request.instance.chromium = _shared_chromium
    return _shared_chromium


def _transactional(item: pytest.Item) -> bool:
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase)
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def pytest_collection_modifyitems(items):
    # With tests spread over workers (pytest-xdist), a test that empties the tables can be
    # followed on its worker by any other test, so each must put the topics back.
    missing = [
        item.nodeid
        for item in items
        if _transactional(item) and "topics_put_back" not in getattr(item, "fixturenames", ())
    ]
    if missing:
        raise pytest.UsageError(
            "Transactional tests must use the topics_put_back fixture:\n  " + "\n  ".join(missing)
        )
