"""The web tests' cast and cases (tests/web/conftest.py), reused for the performance guards."""

from tests.web.conftest import as_user, cases, web_data, world  # noqa: F401
