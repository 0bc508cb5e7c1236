"""Tags every row-history event of a request with its user and URL (PostgreSQL only)."""

from django.db import connection
from pghistory.middleware import HistoryMiddleware


class HistoryContextMiddleware(HistoryMiddleware):
    """pghistory's middleware, skipped on SQLite: it prefixes statements with PostgreSQL's
    ``set_config``, which SQLite does not have (and SQLite records no row history anyway)."""

    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)
