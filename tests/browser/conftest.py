"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

- Chromium is /usr/bin/chromium (or $CHROMIUM); Playwright's own browser download is never used.
- With CI=true a missing Chromium FAILS the tests; elsewhere they are skipped.
- The live server needs data other threads can read, so these tests use a transactional
  database; tests/conftest.py puts the migrations' data back after each one's flush.
- Screenshots of every step go to test-artifacts/browser/<database>/.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make from it
# (building data, reading a TOTP secret) are synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str | None:
    wanted = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if os.path.exists(wanted) and os.access(wanted, os.X_OK):
        return wanted
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        message = "Chromium not found at /usr/bin/chromium (Debian package 'chromium'); set $CHROMIUM"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " — CI must run the browser tests", pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Vietnamese user's browser: the pages must come up in Vietnamese.
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh",
            "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(transactional_db, fast_passwords):
    """The demo cast (password Demo-2026-bvte) and cases in the states the journeys need."""
    from casework.demo import DEMO_PASSWORD, build_world
    from tests.web.cases import build_cases, verified_device

    world = build_world(password=DEMO_PASSWORD)
    cases = build_cases(world)
    for who in ("chair_a", "supervisor_p1"):
        verified_device(world.users[who])
    return world, cases


class Shots:
    """Numbered screenshots of one journey."""

    def __init__(self, name: str):
        from django.db import connection

        self.dir = ARTIFACTS / connection.vendor
        self.dir.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.n = 0
        for old in self.dir.glob(f"{name}-*.png"):
            old.unlink()

    def __call__(self, page, step: str):
        self.n += 1
        page.screenshot(path=str(self.dir / f"{self.name}-{self.n:02d}-{step}.png"), full_page=True)


@pytest.fixture
def shots(request):
    name = request.node.originalname.removeprefix("test_")
    return Shots(re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))


def totp_now(username: str) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(page, base_url: str, username: str):
    from casework.demo import DEMO_PASSWORD

    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    if "/account/two-factor/" in page.url:
        page.fill("input[name=code]", totp_now(username))
        page.click("main button[type=submit]")
    assert "/login/" not in page.url, f"{username} could not log in"


def log_out(page):
    page.click("header form[action='/logout/'] button")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol: the pages' Content-Security-Policy forbids the
    # inline <script> that add_script_tag would insert (and must keep forbidding it).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
