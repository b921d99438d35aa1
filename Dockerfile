# The production image: gunicorn web, Celery worker and beat all run from it (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PETITION_DESK_VAR_DIR=/data

# WeasyPrint needs pango; Chinese PDFs need a CJK font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY petitions ./petitions
COPY escalation ./escalation
COPY reports ./reports
COPY information ./information
COPY public ./public
COPY integrations ./integrations
RUN pip install .
COPY . .
RUN for po in locale/*/LC_MESSAGES/django.po locale-vendor/*/LC_MESSAGES/django.po; do pybabel compile -i "$po" -o "${po%.po}.mo"; done \
 && DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost EMAIL_URL=consolemail:// \
    python manage.py collectstatic --noinput \
 && useradd --system --uid 1000 --home /app petitiondesk \
 && mkdir -p /data/media && chown -R petitiondesk /data

USER petitiondesk
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
