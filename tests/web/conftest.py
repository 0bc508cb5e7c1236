import pytest

from .cases import build_cases, login


@pytest.fixture
def cases(world):
    return build_cases(world)


@pytest.fixture
def as_user(client, world):
    """``as_user("officer_a")`` → the test client, logged in as that persona."""

    def become(username):
        client.logout()
        login(client, world.users[username])
        return client

    return become
