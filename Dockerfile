# Production image: the Django service run by gunicorn, static files served by whitenoise.

FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY scripts/vendor-assets.mjs scripts/
RUN node scripts/vendor-assets.mjs

FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH DJANGO_SETTINGS_MODULE=config.settings.production
# cairo and a font draw the Word export's charts (CairoSVG); without them matplotlib draws them.
RUN apt-get update && apt-get install -y --no-install-recommends libcairo2 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv && useradd --create-home --uid 1000 iro
WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
COPY --from=assets /app/static/vendor static/vendor
# collectstatic needs settings that load without the real secrets or database.
RUN SECRET_KEY=build-only-secret-key-not-used-at-runtime-000000 ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@localhost/build python manage.py collectstatic --noinput
USER iro
EXPOSE 8000
# Workers, timeouts and the backlog, with their reasons, are in config/gunicorn.conf.py.
CMD ["gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi:application"]
