# Capacita under gunicorn, as README's Deploy section runs it: the runtime lock only (no Playwright, pytest or ruff),
# Debian's Chromium for chart images (kaleido), a user without privileges. compose.yaml starts it with nginx,
# the worker, PostgreSQL and Redis.
FROM python:3.11-slim-bookworm

# chromium: kaleido draws chart PNG/SVG with it; postgresql-client-15: `flask backup` needs pg_dump of the server's major
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --home-dir /srv/capacita --shell /usr/sbin/nologin capacita
WORKDIR /srv/capacita

# The lock first, so that code changes reuse the installed packages' layer.
COPY requirements/runtime.txt requirements/runtime.txt
RUN python -m venv .venv \
    && .venv/bin/pip install -q --no-cache-dir --upgrade pip \
    && .venv/bin/pip install -q --no-cache-dir --require-hashes -r requirements/runtime.txt

COPY . .
RUN .venv/bin/pip install -q --no-cache-dir --no-deps -e . \
    && .venv/bin/pybabel compile -d translations >/dev/null \
    && mkdir -p instance && chown -R capacita:capacita instance

USER capacita
ENV PATH=/srv/capacita/.venv/bin:$PATH \
    CAPACITA_ENV=production \
    FLASK_APP=app
EXPOSE 8000
# gthread, as README deploys it: a password check holds a thread, not the worker; keep-alive above nginx's 60 s
# for its upstream connections, so that gunicorn never closes one just as nginx reuses it.
CMD ["gunicorn", "--workers", "4", "--threads", "4", "--worker-class", "gthread", "--keep-alive", "75", \
     "--bind", "127.0.0.1:8000", "app:create_app()"]
