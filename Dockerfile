# Rise's image: the web server (Next.js standalone), the worker (one bundled file) and the migration
# tool. Build from the repository root: `docker build -t rise:local .` (docker-compose.yml does).
#
# Build arguments:
#   NODE_IMAGE           base image with Node 24 and npm (default node:24-bookworm-slim)
#   NPM_CONFIG_REGISTRY  npm registry or mirror for `npm ci` (default: npm's own)
#   NPM_VERSION          npm used for `npm ci` when the base image's is older (package.json's
#                        "allowScripts" needs npm 11.19+)
# A registry whose certificate is not in the base image's trust store: put its CA bundle (PEM, e.g. the
# host's /etc/ssl/certs/ca-certificates.crt) into deploy/build-ca/ as *.crt or *.pem. It is used by the
# build stages only and never enters the final image.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1

FROM base AS deps
ARG NPM_CONFIG_REGISTRY=
ARG NPM_VERSION=11.19.1
COPY deploy/build-ca/ /tmp/build-ca/
# npm reads NPM_CONFIG_* from the environment; an empty value must mean "npm's default", not "".
RUN set -eu; \
    find /tmp/build-ca -maxdepth 1 -type f \( -name '*.crt' -o -name '*.pem' \) -exec cat {} + > /tmp/build-ca.pem; \
    if [ -s /tmp/build-ca.pem ]; then npm config set --location=global cafile /tmp/build-ca.pem; fi; \
    if [ -n "${NPM_CONFIG_REGISTRY}" ]; then npm config set --location=global registry "${NPM_CONFIG_REGISTRY}"; fi; \
    current="$(env -u NPM_CONFIG_REGISTRY npm --version)"; \
    if [ "$(printf '%s\n%s\n' "${NPM_VERSION}" "${current}" | sort -V | head -n1)" != "${NPM_VERSION}" ]; then \
      env -u NPM_CONFIG_REGISTRY npm install --global --no-audit --no-fund "npm@${NPM_VERSION}"; \
    fi
ENV NODE_EXTRA_CA_CERTS=/tmp/build-ca.pem
COPY package.json package-lock.json .npmrc prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
RUN env -u NPM_CONFIG_REGISTRY npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
# RISE_NEXT_OUTPUT=standalone: Next.js copies only the files the server needs (see next.config.ts).
RUN RISE_NEXT_OUTPUT=standalone npm run build \
 && node scripts/build-image.mjs /out

FROM base AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    RISE_DATA_DIR=/var/lib/rise
# pg_dump / pg_restore for backups of Rise's own database (managed databases use their own containers):
# the two programs of Debian's postgresql-client and libpq, without psql, its Perl wrappers and docs.
# PG_MAJOR must be at least the major version of Rise's PostgreSQL (docker-compose.yml: 15).
ARG PG_MAJOR=15
RUN printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/locale/*' \
      > /etc/dpkg/dpkg.cfg.d/rise-no-docs \
 && apt-get update \
 && apt-get install -y --no-install-recommends libpq5 \
 && cd /tmp \
 && apt-get download "postgresql-client-${PG_MAJOR}" \
 && dpkg-deb -x postgresql-client-*.deb /tmp/pg \
 && install -m 755 "/tmp/pg/usr/lib/postgresql/${PG_MAJOR}/bin/pg_dump" "/tmp/pg/usr/lib/postgresql/${PG_MAJOR}/bin/pg_restore" /usr/local/bin/ \
 && pg_dump --version \
 && rm -rf /tmp/pg /tmp/*.deb /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /var/cache/debconf/*-old /var/log/apt /var/log/dpkg.log \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /var/lib/rise --shell /usr/sbin/nologin rise \
 && mkdir -p /var/lib/rise/registry-certs /run/rise-gateway \
 && chown -R rise:rise /var/lib/rise /run/rise-gateway
# The app tree stays root-owned (read-only for the server); only Next's cache is writable.
COPY --from=build /out/ /app/
RUN mkdir -p .next/cache && chown rise:rise .next/cache
USER rise
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/scripts/healthcheck.mjs", "web"]
# `migrate` | `web` | `worker` | `platform-restore <backup-id> --yes`; no argument: migrate, then web.
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
CMD []
