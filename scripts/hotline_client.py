#!/usr/bin/env python3
"""Example client of the 111 hotline integration (stdlib only; see docs/integrations.md).

    python3 scripts/hotline_client.py --url http://127.0.0.1:8010 --key cpk_… report --call-id CALL-1
    python3 scripts/hotline_client.py --url http://127.0.0.1:8010 --key cpk_… status 42
    python3 scripts/hotline_client.py --secret <signing secret> listen --port 8099

``report`` sends a form 01 three times with one Idempotency-Key (as a flaky network would) and
prints the three answers: one report, the same id. ``listen`` receives the status callbacks and
checks their HMAC-SHA256 signature.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer


def call(base: str, key: str, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base.rstrip("/") + path, data=data, method=method, headers={
        "Authorization": f"Api-Key {key}", "Content-Type": "application/json", "Accept-Language": "vi",
        **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read() or b"{}")


def report(args) -> int:
    body = {
        "received_at": dt.datetime.now(dt.UTC).isoformat(), "classification": "abused",
        "incident_area_code": args.area_code,
        "child": {"full_name": "Lý Thị Bé", "estimated_age": 9, "sex": "female"},
        "environment": "family", "description": "Hàng xóm nghe tiếng trẻ khóc và bị đánh nhiều lần.",
        "abuse_forms": ["violence_physical"], "perpetrators": [{"relation_code": "father"}],
    }
    ids = set()
    for attempt in range(3):
        code, headers, answer = call(args.url, args.key, "POST", "/api/integrations/reports/", body,
                                     {"Idempotency-Key": args.call_id})
        print(attempt + 1, code, headers.get("Idempotent-Replayed", ""), json.dumps(answer, ensure_ascii=False))
        if code != 201:
            return 1
        ids.add(answer["id"])
    print("reports made:", len(ids))
    return 0 if len(ids) == 1 else 1


def status(args) -> int:
    code, _, answer = call(args.url, args.key, "GET", f"/api/integrations/reports/{args.report_id}/")
    print(code, json.dumps(answer, ensure_ascii=False))
    return 0 if code == 200 else 1


def verify(secret: str, timestamp: str, body: bytes, signature: str, tolerance: int = 300) -> bool:
    if abs(time.time() - int(timestamp)) > tolerance:   # an old callback replayed
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def listen(args) -> int:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            ok = verify(args.secret, self.headers.get("X-Signature-Timestamp", "0"), body,
                        self.headers.get("X-Signature-SHA256", ""))
            print("valid" if ok else "INVALID SIGNATURE", body.decode(), flush=True)
            self.send_response(204 if ok else 401)
            self.end_headers()

    print(f"listening on http://127.0.0.1:{args.port}/", flush=True)
    HTTPServer(("127.0.0.1", args.port), Handler).serve_forever()
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", default="")
    parser.add_argument("--secret", default="")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("report")
    r.add_argument("--call-id", required=True, help="used as the Idempotency-Key")
    r.add_argument("--area-code", default="26734")
    s = sub.add_parser("status")
    s.add_argument("report_id", type=int)
    ls = sub.add_parser("listen")
    ls.add_argument("--port", type=int, default=8099)
    args = parser.parse_args(argv)
    return {"report": report, "status": status, "listen": listen}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
