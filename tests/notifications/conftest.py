"""The process tests commit for real (other processes must see the data): after Django's flush
put back what the migrations seeded (roles, terms …), as tests/audit/conftest.py does."""

from pathlib import Path

import pytest

_SEED: dict[str, str] = {}


@pytest.fixture
def seeded_transactional_db(transactional_db):
    from django.db import connection

    _SEED.setdefault("data", connection.creation.serialize_db_to_string())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if nextitem is not None and "data" in _SEED and "seeded_transactional_db" in getattr(item, "fixturenames", ()):
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection, transaction
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock(), transaction.atomic():
            ContentType.objects.all().delete()
            connection.creation.deserialize_db_from_string(_SEED["data"])
        ContentType.objects.clear_cache()


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server", "seeded_transactional_db"}
                & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The process tests first among the transactional tests: some of those flush the database
    without putting the migrations' data back, and these need it (the browser tests, moved by
    tests/browser/conftest.py, still go before them and restore it after each)."""
    mine = [i for i in items if "seeded_transactional_db" in getattr(i, "fixturenames", ())
            and Path(str(i.path)).parent == Path(__file__).parent]
    if not mine:
        return
    others = [i for i in items if i not in mine]
    first = next((n for n, i in enumerate(others) if _transactional(i)), len(others))
    items[:] = others[:first] + mine + others[first:]
