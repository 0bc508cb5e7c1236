"""The process tests commit for real (other processes must see the data): after Django's flush
put back what the migrations seeded (roles, terms …), as tests/audit/conftest.py does."""

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
