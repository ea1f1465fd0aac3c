"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py run:app` (docs/deploy.md).

Every value can be overridden from the environment (the systemd unit's EnvironmentFile).
"""

import multiprocessing
import os
import sys

# Listen where nginx proxies to: a local port by default, or a unix socket ("unix:/run/...").
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# 2 x cores + 1 is gunicorn's rule of thumb, capped: every worker loads its own copy of the
# spaCy pipeline (about 210 MB resident per worker, measured), and a submission is CPU-bound analysis,
# so more workers than cores buy little beyond hiding slow database round trips.
WORKER_CAP = int(os.environ.get("GUNICORN_WORKER_CAP", "8"))
workers = int(
    os.environ.get("GUNICORN_WORKERS")
    or os.environ.get("WEB_CONCURRENCY")
    or min(2 * multiprocessing.cpu_count() + 1, WORKER_CAP)
)
worker_class = "sync"

# A sync worker's timeout bounds a whole request. The slowest one is the analysts' XLSX export
# of answers (built in memory): 77 s for 100,000 answers on the 2-core test machine under load,
# against 7.5 s for the streamed CSV and 13 s for the plan report. 180 s leaves room; nginx's
# proxy_read_timeout (docs/deploy.md) is set a little above it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "180"))
# On restart a worker finishes the submission it is storing (one transaction) before it exits.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then to bound memory growth. A wide jitter (half the limit) keeps
# workers from restarting together: each new one spends seconds loading spaCy before it serves
# (benchmarks/city_day.py saw both restart within 3 s with a jitter of 200).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "4000"))
max_requests_jitter = max_requests // 2

# No preload: the app, its database pool and the spaCy pipeline are built in each worker after
# the fork, so no connection or model state is shared between processes. The pipeline is loaded
# when a worker starts (post_worker_init), not on the first child's submission.
preload_app = False

# nginx on the same host sets X-Forwarded-For/-Proto; only it is trusted. The app applies
# ProxyFix itself (PROXY_HOPS, production default 1) for the client hash and the https scheme.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Privacy: no access log at all. gunicorn's access log would print client addresses and user
# agents; Consulta logs method, route pattern, status and duration itself (consulta/logs.py).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")  # "debug" would print client addresses
capture_output = False
proc_name = "consulta"
# gunicorn 23+ opens a control socket in the user's home; systemd restarts are enough here.
control_socket_disable = True


def on_starting(server):
    """Refuse to start at all (non-zero exit, one clear message) without a real SECRET_KEY."""
    if os.environ.get("CONSULTA_ENV") != "production":
        return
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from consulta.config import InsecureConfiguration, check_production

    try:
        check_production(os.environ)
    except InsecureConfiguration as exc:
        server.log.error("%s", exc.code)
        sys.exit(3)


def post_worker_init(worker):
    """Load the spaCy pipeline and the shipped codebook once per worker, before any request."""
    if os.environ.get("CONSULTA_SKIP_WARMUP") == "1":
        return
    from analysis.codebook import CodebookError
    from analysis.pipeline import get_nlp
    from analysis.tagger import load_codebook

    get_nlp()
    try:
        load_codebook()
    except CodebookError as exc:  # submissions still work: see services/text_analysis.py
        worker.log.error("shipped codebook could not be loaded: %s", type(exc).__name__)
    # The active codebook (a database row) and any learned model load on first use: analyse one
    # harmless text now, so the first child's submission does not wait seconds for them.
    app = getattr(worker, "wsgi", None)
    if app is None or not hasattr(app, "app_context"):
        return
    try:
        with app.app_context():
            from consulta.services.text_analysis import analyse_texts

            analyse_texts(["Hola, me gusta el parque."])
    except Exception as exc:  # the store may be away at start-up: requests will retry it
        worker.log.warning("warm-up skipped: %s", type(exc).__name__)
