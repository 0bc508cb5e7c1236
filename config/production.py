"""Production settings, switched on by ``DEPLOY=production`` (config/settings.py imports this
last). The demo and the tests never set it: they keep plain HTTP on 127.0.0.1 and a fixed key.

Everything secret or site-specific comes from the environment, and a missing or unsafe value
stops the process at start-up instead of serving with a weak default:

  SECRET_KEY       required; at least 50 characters, not the demo key
  ALLOWED_HOSTS    required; comma-separated host names
  CSRF_TRUSTED_ORIGINS   optional; comma-separated https://… origins (another host in front)
  HSTS_SECONDS     default one year; HSTS_PRELOAD=0 to leave out the preload flag
  TRUSTED_PROXY    default 1: the documented deployment runs behind a TLS proxy that sets
                   X-Forwarded-Proto (and overwrites any value a client sent). Set 0 when
                   gunicorn terminates TLS itself, or the header could be spoofed.

`manage.py check --deploy` passes with no issue in this mode (tests/audit/test_production_settings.py).
"""

import os

from django.core.exceptions import ImproperlyConfigured


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith(("insecure", "django-insecure")):
    raise ImproperlyConfigured(
        "DEPLOY=production needs SECRET_KEY from the environment: at least 50 random characters, not the "
        "demo key (python -c 'from django.core.management.utils import get_random_secret_key as k; print(k())')."
    )
if _bool("DEBUG", False):
    raise ImproperlyConfigured("DEPLOY=production refuses DEBUG: error pages would show child data.")
DEBUG = False

ALLOWED_HOSTS = _list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("DEPLOY=production needs ALLOWED_HOSTS, the site's host names (no '*').")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")

# HTTPS only: redirect, tell browsers never to try plain HTTP again, cookies never sent over it.
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = _bool("HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
if _bool("TRUSTED_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Static files: `manage.py collectstatic` at deploy time; WhiteNoise serves the hashed, compressed
# copies with far-future caching, from the app itself (no CDN, nothing else to configure).
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The API's rate counters (casework/api/throttling.py) shared by every web worker: in a table of
# the application database (`manage.py createcachetable` at deploy time, docs/deploy/gunicorn.md).
# In memory, each of N workers would allow N times the documented rate.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "casework_rate_limits"},
}
