import datetime as dt

import pytest
from django.utils import timezone

from casework.demo import build_world
from casework.services.intake import ChildInput, IntakeInput, PerpetratorInput, case_open


@pytest.fixture
def world(db):
    """The named cast (casework.demo): counsellor_a, officer_a, chair_a, police_a, officer_b …"""
    return build_world(password=None)


def intake_input(world, **overrides) -> IntakeInput:
    """A school counsellor's report of a pupil hurt at home, in commune A."""
    fields = dict(
        channel="in_person",
        received_at=timezone.now() - dt.timedelta(minutes=5),
        classification="abused",
        incident_commune_id=world.areas["a"].pk,
        child=ChildInput(full_name="Nguyễn Văn An", date_of_birth=dt.date(2016, 3, 4), sex="male",
                         residence_commune_id=world.areas["a"].pk, address="12 Lê Lợi",
                         school_id=world.orgs["a.school"].pk, class_name="4A", parents="Nguyễn Văn Bình"),
        environment="family",
        description="Bruises on arms, says father hits him.",
        child_condition="Bruises, frightened",
        abuse_forms=["violence_physical"],
        perpetrators=[PerpetratorInput(relation_code="father")],
    )
    fields.update(overrides)
    return IntakeInput(**fields)


@pytest.fixture
def open_case(world):
    """Open a case as ``who`` (default counsellor_a) and return it."""

    def make(who="counsellor_a", **overrides):
        return case_open(actor=world.users[who], data=intake_input(world, **overrides))

    return make


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions read guard messages in English; the vi catalog is tested on its own."""
    from django.utils import translation

    with translation.override("en"):
        yield


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL half of make test)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with empty API rate counters (casework/api/throttling.py): ids repeat
    between tests, and one test's calls must not count against the next one's."""
    from django.core.cache import caches

    caches["throttle"].clear()


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks run in-process during tests, after the commit that queued them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


_SEED: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The audit tables refuse TRUNCATE on PostgreSQL (docs/audit.md), yet Django empties the
    database with TRUNCATE after each transactional test: allow it on the test database only.

    Then save the data the migrations seeded (roles, classification terms, calendars …): every
    transactional test's flush removes it, and ``pytest_runtest_teardown`` below puts it back, so
    no test depends on running before or after a transactional one. (Django's serialized
    rollback does not fit: Playwright's sync API runs the browser tests where Django's connection
    is not the one the test database was serialized on.)"""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{connection.settings_dict["NAME"]}" SET casework.allow_truncate = on')
            connection.close()  # the setting applies to new sessions
        _SEED["data"] = connection.creation.serialize_db_to_string()


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # After every fixture's teardown, the transactional flush included. nextitem is None after
    # the last test: the test database is already gone.
    if nextitem is None or "data" not in _SEED or not _transactional(item):
        return
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock(), transaction.atomic():
        # The flush's post_migrate signal recreated content types and permissions under new ids;
        # the saved ones (which saved rows point to) replace them.
        ContentType.objects.all().delete()
        connection.creation.deserialize_db_from_string(_SEED["data"])
    ContentType.objects.clear_cache()
