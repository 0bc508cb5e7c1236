"""DEPLOY=production: `check --deploy` is clean, and unsafe settings stop the process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k3y-" + "".join(chr(97 + (i * 7) % 26) for i in range(60))


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items()
            # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment must not.
            if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DEPLOY", "SENTRY_DSN", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    base.update(DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'check-deploy.sqlite3'}", **env)
    return subprocess.run([sys.executable, "manage.py", *args], check=False, cwd=ROOT, env=base, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_is_clean_in_production_mode():
    done = manage("check", "--deploy", "--fail-level", "WARNING",
                  DEPLOY="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="baovetreem.example.vn")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_the_demo_mode_is_what_check_deploy_complains_about():
    done = manage("check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    found = {word for word in done.stderr.replace("(", " ").replace(")", " ").split() if word.startswith("security.")}
    # Insecure session cookie: W012 names Django's SessionMiddleware, W010 the sessions app (our
    # middleware is a subclass, config.middleware.IdleSessionMiddleware).
    assert {"security.W004", "security.W008", "security.W016"} <= found and found & {"security.W010", "security.W012"}


@pytest.mark.parametrize(("env", "message"), [
    ({"ALLOWED_HOSTS": "baovetreem.example.vn"}, "needs SECRET_KEY"),
    ({"SECRET_KEY": "insecure-demo-key-change-me-in-production-0123456789abcdef",
      "ALLOWED_HOSTS": "baovetreem.example.vn"}, "not the demo key"),
    ({"SECRET_KEY": GOOD_KEY}, "needs ALLOWED_HOSTS"),
    ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*"}, "needs ALLOWED_HOSTS"),
    ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "baovetreem.example.vn", "DEBUG": "1"}, "refuses DEBUG"),
])
def test_production_mode_refuses_unsafe_settings(env, message):
    done = manage("check", DEPLOY="production", **env)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and message in done.stderr


def test_production_settings_values():
    done = manage("shell", "-c", "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
                  "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, "
                  "s.DEBUG)", DEPLOY="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="baovetreem.example.vn")
    assert done.stdout.split("\n")[-2] == "True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https') False"
