"""gunicorn settings for production (`gunicorn -c gunicorn.conf.py wsgi:app`); `make run` uses them
too. Every value can be changed from the environment (GUNICORN_*), see docs/deploy.md.

- Workers: 2 × CPUs + 1 (gunicorn's own advice for synchronous workers), unless GUNICORN_WORKERS.
- Timeouts: a worker silent for `timeout` seconds is killed and replaced; on shutdown or reload
  workers get `graceful_timeout` seconds to finish the requests they hold.
- Graceful reload: `kill -HUP <master pid>` (systemd: `systemctl reload ocop-web`) starts new
  workers with the new code and stops the old ones once their requests are answered; the app is
  not preloaded in the master, so the new workers import the new code.
- Access log: one line per request with the request id the app sends back in `X-Request-ID` (the
  proxy's, when well formed, else a new one), the same id as in the app's JSON logs and on error
  pages.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5  # behind nginx, which keeps its upstream connections open
# A worker is replaced after this many requests (plus jitter, so that they do not all restart at
# once): a slow leak in a library cannot grow for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
preload_app = False
# Only the proxy on this machine may set X-Forwarded-*: nginx passes the client's address and scheme.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# %({x-request-id}o)s is the response's X-Request-ID header: the id the application used.
access_log_format = (
    '%(h)s - %(u)s [%(t)s] "%(r)s" %(s)s %(B)s %(L)ss "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'
)
