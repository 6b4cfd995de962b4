"""gunicorn's settings for `make serve` and the Docker image (gunicorn -c config/gunicorn.py).

Each can be overridden from the environment, as gunicorn itself allows
(``GUNICORN_CMD_ARGS``), or by the variables read here.
"""

import os

bind = os.environ.get(
    "GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
# Pages are short database reads: a couple of processes per core, a few threads each.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# The full dumps stream for a few seconds; nothing should take longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never becomes an outage. Not every
# couple of thousand requests: a new worker starts with an empty local-memory page
# cache (the default, CACHE_URL unset) and renders the heavy pages again, up to a
# second or two each, and its start takes a core for a second; at a few hundred
# requests/s that was every few seconds per worker, and most of what `make bench`
# measured under gunicorn.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
# Behind a TLS-terminating proxy: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "config.wsgi:application"
