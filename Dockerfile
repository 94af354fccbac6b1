# qunbot: a small non-root image running `qunbot run`; the database lives on the /data volume.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml requirements.lock README.md NOTICE ./
COPY bot bot
COPY handlers handlers
COPY rules rules
COPY storage storage
# Pinned by the lock file: the image gets the versions CI tested.
RUN pip install --no-cache-dir --prefix=/install -c requirements.lock ".[postgres]"

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /data qunbot && mkdir -p /data /config && chown qunbot /data
COPY --from=build /install /usr/local
COPY config.example.toml /config/rules.toml
USER qunbot
WORKDIR /data
ENV QUNBOT_DATABASE_URL=sqlite+aiosqlite:////data/qunbot.db \
    QUNBOT_CONFIG=/config/rules.toml \
    QUNBOT_HTTP__HOST=0.0.0.0 \
    QUNBOT_HTTP__PORT=8080 \
    QUNBOT_LOG__FORMAT=json \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status == 200 else 1)"
CMD ["qunbot", "run"]
