import pytest


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
