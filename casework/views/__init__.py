"""Server-rendered pages, one module per journey (see casework/urls.py for the map)."""
