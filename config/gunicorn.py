"""gunicorn settings of the documented deployment (docs/deploy/gunicorn.md).

    gunicorn -c config/gunicorn.py config.wsgi:application

Everything can be overridden by the environment (GUNICORN_BIND, GUNICORN_WORKERS, …) or on the
command line. Synchronous workers: every request is a short transaction, and a worker blocked
on a stopped database is released by ``timeout``.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(min(4, multiprocessing.cpu_count() * 2 + 1))))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
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
