import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rest_framework.test import APIClient

from integrations.models import IntegrationClient


class Receiver:
    """A real HTTP endpoint on loopback that records every callback it gets."""

    def __init__(self):
        self.calls: list[dict] = []
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append({"headers": self.headers, "body": body})  # case-insensitive
                code = 500 if receiver.fail_next > 0 else 204
                receiver.fail_next -= 1
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/callbacks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def payloads(self):
        return [json.loads(c["body"]) for c in self.calls]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hotline_client(world, receiver):
    """The 111 hotline as an integration client, with its key (as shown once) and callback URL."""
    client = IntegrationClient(name="Tổng đài 111", user=world.users["hotline"], webhook_url=receiver.url)
    key = client.issue_key()
    client.save()
    client.plain_key = key
    return client


@pytest.fixture
def hotline_api(hotline_client):
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.credentials(HTTP_AUTHORIZATION=f"Api-Key {hotline_client.plain_key}")
    return c


def hotline_report(**overrides) -> dict:
    body = {
        "received_at": "2026-01-05T08:15:00+07:00", "classification": "abused", "incident_area_code": "26734",
        "child": {"full_name": "Nguyễn Văn An", "estimated_age": 9, "sex": "male"},
        "environment": "family", "description": "Neighbours heard the child crying and being hit.",
        "abuse_forms": ["violence_physical"], "perpetrators": [{"relation_code": "father"}],
    }
    body.update(overrides)
    return body
