"""Transactional tests here put back the data the migrations seeded (roles, terms …) after
Django's flush, so the transactional tests that run after them still find it (the same approach
as tests/browser/conftest.py)."""

import pytest

_SEED: dict[str, str] = {}


@pytest.fixture
def seeded_transactional_db(transactional_db):
    from django.db import connection

    _SEED.setdefault("data", connection.creation.serialize_db_to_string())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # nextitem is None after the last test: the test database is already gone.
    if nextitem is not None and "data" in _SEED and "seeded_transactional_db" in getattr(item, "fixturenames", ()):
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection, transaction
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock(), transaction.atomic():
            ContentType.objects.all().delete()
            connection.creation.deserialize_db_from_string(_SEED["data"])
        ContentType.objects.clear_cache()
