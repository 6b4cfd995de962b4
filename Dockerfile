# syntax=docker/dockerfile:1
# SC Votes as production runs it: gunicorn, DEBUG off, static files collected at build time,
# the data release inside the image. See docs/deploy.md; compose.yaml adds PostgreSQL 15,
# Redis and the scheduled sync.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app

# The production lock alone, hash-checked: no test or lint tool in the image. psycopg's
# binary wheel brings libpq, so no compiler or system library is needed.
COPY requirements/prod.lock requirements/prod.lock
RUN python -m pip install --require-hashes --no-deps -r requirements/prod.lock

COPY . .

# With DEBUG off every page needs the collected files' manifest (config/checks.py); the
# key below exists only for this build step.
RUN DEBUG=0 SECRET_KEY=collectstatic-at-build-time-only ALLOWED_HOSTS=build \
    python manage.py collectstatic --no-input -v0

RUN useradd --system --uid 10001 --no-create-home --home-dir /app scvotes
USER scvotes

ENV DEBUG=0 \
    HOST=0.0.0.0 \
    PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
    CMD ["python", "-c", "import socket; socket.create_connection(('127.0.0.1', 8000), 2)"]
CMD ["gunicorn", "--config", "config/gunicorn.py"]
