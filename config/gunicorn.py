"""gunicorn settings of the documented deployment (docs/deploy/gunicorn.md).

    gunicorn -c config/gunicorn.py config.wsgi:application

Everything can be overridden by the environment (GUNICORN_BIND, GUNICORN_WORKERS, …) or on the
command line. Synchronous workers: every request is a short transaction, and a worker blocked
on a stopped database is released by ``timeout``.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# 2 × cores + 1 (gunicorn's advice): a worker waiting on PostgreSQL leaves its core to another.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
# The application is imported once in the master and forked (copy-on-write): a new worker —
# at start and after every ``max_requests`` — does not pay the imports on its first request.
preload_app = True
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Sync workers close the connection after each response (gunicorn supports keep-alive only in
# its threaded/async workers); nginx in front keeps the clients' connections alive.
keepalive = 5
# A worker is replaced after this many requests: a slow leak never takes the site down.
max_requests = 2000
max_requests_jitter = 200
# Uploads (evidence files) are spooled to disk by Django, not held by gunicorn.
limit_request_line = 8190
# The proxy in front (nginx) terminates TLS and sets X-Forwarded-Proto; only it may be trusted.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
# The access log names paths and statuses, never query strings (a search may hold a child's name).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
