FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY safeguard ./safeguard
COPY cases ./cases
COPY registers ./registers
COPY training ./training
COPY governance ./governance
RUN pip install .
COPY . .
RUN SECRET_KEY=build-only DJANGO_DEBUG=0 DATABASE_URL=postgres://none@localhost/none \
    python manage.py collectstatic --no-input
RUN useradd --create-home safeguard && mkdir -p /data/private-media && chown -R safeguard /data /app
USER safeguard
EXPOSE 8000
CMD ["gunicorn", "safeguard.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
