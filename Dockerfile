ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1

FROM base AS deps
# package.json "allowScripts" + .npmrc strict-allow-scripts need npm 11.19+; pin it rather than trust the image.
ARG NPM_VERSION=11.19.1
RUN npm install --global npm@${NPM_VERSION}
COPY package.json package-lock.json .npmrc prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
RUN npm ci

FROM deps AS build
COPY . .
RUN npm run build \
 && rm -rf .next/cache \
 && mkdir -p public

FROM base AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    RISE_DATA_DIR=/var/lib/rise
# pg_dump / pg_restore for backups of Rise's own database (managed databases use their own containers).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin rise \
 && mkdir -p /var/lib/rise/registry-certs \
 && chown -R rise:rise /var/lib/rise
# The app tree stays root-owned (read-only for the server); only Next's cache is writable.
COPY --from=build /app ./
RUN mkdir -p .next/cache && chown rise:rise .next/cache
USER rise
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Migrates, then execs `next start`; the worker service overrides this command.
CMD ["/app/scripts/docker-entrypoint.sh"]
