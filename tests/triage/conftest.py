from tests.integrations.conftest import hotline_api, hotline_client, receiver  # noqa: F401
