"""gunicorn settings for production: `gunicorn app:server` reads this file.

Everything else (DATABASE_URL, SECRET_KEY, REDIS_URL, SECURE_COOKIES, TRUSTED_PROXIES)
comes from the environment, as dashboard/config.py documents.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8050")
# Reports are CPU work in pandas: one worker per core, plus one for requests waiting on
# the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
# A cold national comparator and a full school's PDF take seconds, not minutes.
timeout = int(os.environ.get("WORKER_TIMEOUT", "60"))
graceful_timeout = 20
# Workers import the app after forking, so each opens its own database connections.
preload_app = False
# The app logs one line per request itself, without query strings.
accesslog = None
raw_env = ["TRACKER_ENV=production"]
