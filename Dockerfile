# Zhongxin production image: one image for web (gunicorn), worker and beat (celery).
#   docker build -t zhongxin:latest .        (or: docker compose build)
FROM python:3.11-slim

# PYTHONPATH=/app puts /app first on the path, so the code (and BASE_DIR: templates/, static/, locale/)
# is always the copy in /app, never the one `pip install .` also puts into site-packages.
# Gunicorn reads WEB_CONCURRENCY (workers) and GUNICORN_CMD_ARGS; override them in the environment.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=zhongxin.settings \
    MEDIA_ROOT=/data/media \
    ZHONGXIN_VAR_DIR=/data/var \
    WEB_CONCURRENCY=3 \
    GUNICORN_CMD_ARGS="--timeout 60"

WORKDIR /app

# Pango for WeasyPrint (the PDF report) and the CJK fonts it typesets Chinese with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in their own layer: a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-deps . \
    && rm -rf build *.egg-info

# Static files are part of the image (served by whitenoise). DEBUG=0 selects the compressed manifest
# storage, as at run time; the key is a throw-away that exists only in this build step.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret DEBUG=0 \
    python manage.py collectstatic --no-input \
    && test -f /app/staticfiles/staticfiles.json

# Unprivileged user; the code in /app stays root-owned (read-only to it). Its own home is writable
# (gunicorn >= 25 puts its control socket in ~/.gunicorn). /data (media, var) is created here so new
# named volumes mounted on it inherit this owner.
RUN groupadd --system --gid 10001 zhongxin \
    && useradd --system --uid 10001 --gid zhongxin --create-home --home-dir /home/zhongxin \
        --shell /usr/sbin/nologin zhongxin \
    && mkdir -p /data/media /data/var \
    && chown -R zhongxin:zhongxin /data
USER zhongxin:zhongxin

EXPOSE 8000

# Worker and beat override this command (see docker-compose.yml).
CMD ["gunicorn", "zhongxin.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
