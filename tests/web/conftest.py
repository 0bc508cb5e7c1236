"""The web tests share one cast and one set of cases per test module, built once inside an outer
transaction (Django's setUpTestData pattern): each test runs in a savepoint that is rolled back,
so every test starts from the same cases, and the module's data is rolled back at its end."""

from dataclasses import dataclass

import pytest
from django.db import transaction

from casework.demo import build_world

from .cases import Cases, build_cases, login


@dataclass
class WebData:
    world: object
    cases: Cases


@pytest.fixture(scope="module")
def web_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world(password=None)
            yield WebData(world=world, cases=build_cases(world))
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(web_data, db):
    for user in web_data.world.users.values():
        user.__dict__.pop("_casework_assignments", None)
    return web_data.world


@pytest.fixture
def cases(web_data, world):
    for case in web_data.cases.all:
        case.refresh_from_db()
    return web_data.cases


@pytest.fixture
def as_user(client, world):
    """``as_user("officer_a")`` → the test client, logged in as that persona."""

    def become(username):
        client.logout()
        login(client, world.users[username])
        return client

    return become
