# syntax=docker/dockerfile:1
# Front-end assets: GOV.UK Frontend compiled with sass, in a Node stage.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY frontend ./frontend
RUN npm run build

# The service: gunicorn (web), or Celery (worker, beat) with the same image.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=kentlocality.settings.production
# Pango and fonts for WeasyPrint's PDFs; the PostgreSQL 15 client for make backup/restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
       postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY requirements ./requirements
RUN pip install --no-cache-dir -c requirements/constraints.txt . && rm -rf build *.egg-info
COPY . .
COPY --from=assets /app/static/css ./static/css
COPY --from=assets /app/static/govuk ./static/govuk
RUN DJANGO_SETTINGS_MODULE=kentlocality.settings.base python manage.py collectstatic --noinput \
    && useradd --system --home /app app \
    && mkdir -p /app/private-media /app/backups \
    && chown -R app /app/private-media /app/backups \
    && chmod 700 /app/private-media /app/backups
USER app
EXPOSE 8000
# Settings, and an access log with no query strings: deploy/gunicorn.conf.py.
CMD ["gunicorn", "kentlocality.wsgi", "-c", "deploy/gunicorn.conf.py"]
