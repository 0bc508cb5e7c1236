"""Server-rendered pages (issue 4)."""

urlpatterns: list = []
