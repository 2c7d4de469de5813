import { createHash } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import type { DatabaseEngine } from '../src/server/databases/types';
import { buildDebianBase, dockerBuild, TEST_DEBIAN_IMAGE } from './build-images';

// Local stand-ins for the official postgres, mariadb and redis images (no registry is reachable in
// tests). Each is Debian bookworm plus Debian's packages and a small entrypoint that honours the same
// contract as the official image (environment variables, data directory, unprivileged server user,
// first-start initialisation), so Rise runs unchanged against either. Every image carries rise.test=1.

export const TEST_DATABASE_IMAGES: Record<DatabaseEngine, string> = {
  postgres: 'rise-test/postgres:15',
  mariadb: 'rise-test/mariadb:10.11',
  redis: 'rise-test/redis:7',
};

const LABEL = 'rise.test';
const RECIPE_LABEL = 'rise.test.recipe';

type Recipe = { packages: string[]; dockerfile: string[]; entrypoint: string; cmd: string[] };

const APT_INSTALL = 'apt-get update && apt-get install -y --no-install-recommends';

// Like the official image: initdb on first start with scram password auth over TCP, then a temporary
// server on the Unix socket only (so nothing outside sees the half-initialised database) creates
// POSTGRES_DB, and the real server runs as `postgres` listening on every interface.
const POSTGRES_ENTRYPOINT = `#!/bin/bash
set -euo pipefail
: "\${POSTGRES_USER:=postgres}"
: "\${POSTGRES_DB:=$POSTGRES_USER}"
: "\${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
mkdir -p "$PGDATA" /var/run/postgresql
chown -R postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile="$(mktemp)"
  printf '%s\\n' "$POSTGRES_PASSWORD" > "$pwfile"
  chown postgres "$pwfile"
  gosu postgres initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8
  rm -f "$pwfile"
  printf 'host all all all scram-sha-256\\n' >> "$PGDATA/pg_hba.conf"
  gosu postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  if [ "$POSTGRES_DB" != postgres ]; then
    echo 'CREATE DATABASE :"db";' | gosu postgres psql -v ON_ERROR_STOP=1 --username="$POSTGRES_USER" \\
      --dbname=postgres --set db="$POSTGRES_DB"
  fi
  gosu postgres pg_ctl -D "$PGDATA" -m fast -w stop
  echo 'PostgreSQL init process complete; ready for start up.'
fi
if [ "\${1:-}" = postgres ]; then exec gosu postgres "$@"; fi
exec "$@"
`;

// Like the official image: mariadb-install-db on first start, a temporary server without networking
// sets the root password (root@localhost and root@'%'), the database and the user, then the real
// server runs as \`mysql\` bound to every interface.
const MARIADB_ENTRYPOINT = `#!/bin/bash
set -euo pipefail
: "\${MARIADB_ROOT_PASSWORD:?MARIADB_ROOT_PASSWORD is required}"
datadir=/var/lib/mysql
socket=/run/mysqld/mysqld.sock
mkdir -p "$datadir" /run/mysqld
chown -R mysql:mysql "$datadir" /run/mysqld
sql_string() { printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\\\/\\\\\\\\/g' -e "s/'/''/g")"; }
sql_name() { printf '\`%s\`' "$(printf '%s' "$1" | sed 's/\`/\`\`/g')"; }
if [ ! -d "$datadir/mysql" ]; then
  mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db --auth-root-authentication-method=normal > /dev/null
  gosu mysql mariadbd --datadir="$datadir" --socket="$socket" --skip-networking &
  pid=$!
  for _ in $(seq 60); do
    mariadb-admin --socket="$socket" -uroot ping > /dev/null 2>&1 && break
    sleep 1
  done
  root=$(sql_string "$MARIADB_ROOT_PASSWORD")
  {
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $root;"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY $root;"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [ -n "\${MARIADB_DATABASE:-}" ]; then
      echo "CREATE DATABASE IF NOT EXISTS $(sql_name "$MARIADB_DATABASE");"
    fi
    if [ -n "\${MARIADB_USER:-}" ]; then
      echo "CREATE USER $(sql_string "$MARIADB_USER")@'%' IDENTIFIED BY $(sql_string "\${MARIADB_PASSWORD:-}");"
      if [ -n "\${MARIADB_DATABASE:-}" ]; then
        echo "GRANT ALL ON $(sql_name "$MARIADB_DATABASE").* TO $(sql_string "$MARIADB_USER")@'%';"
      fi
    fi
    echo 'FLUSH PRIVILEGES;'
  } | mariadb --socket="$socket" -uroot
  kill "$pid"
  wait "$pid" || true
  echo 'MariaDB init process done. Ready for start up.'
fi
if [ "\${1:-}" = mariadbd ]; then exec gosu mysql "$@"; fi
exec "$@"
`;

// Like the official image: /data is the working directory and is handed to the \`redis\` user.
const REDIS_ENTRYPOINT = `#!/bin/bash
set -euo pipefail
if [ "\${1:-}" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \\! -user redis -exec chown redis '{}' +
  exec gosu redis "$@"
fi
exec "$@"
`;

const RECIPES: Record<DatabaseEngine, Recipe> = {
  postgres: {
    packages: ['postgresql-15', 'gosu'],
    dockerfile: [
      // Debian's package would otherwise create (and later start) a cluster of its own.
      'RUN mkdir -p /etc/postgresql-common/createcluster.d && echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/rise.conf',
      'INSTALL',
      'ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data LANG=C.UTF-8',
      // As in the official image: new clusters listen on every interface.
      'RUN sed -ri "s/^#?(listen_addresses)\\s*=\\s*\\S+.*/\\1 = \'*\'/" /usr/share/postgresql/15/postgresql.conf.sample && grep -q "^listen_addresses = \'\\*\'" /usr/share/postgresql/15/postgresql.conf.sample',
      'RUN mkdir -p /var/lib/postgresql/data && chown -R postgres:postgres /var/lib/postgresql',
      'STOPSIGNAL SIGINT',
      'EXPOSE 5432',
    ],
    entrypoint: POSTGRES_ENTRYPOINT,
    cmd: ['postgres'],
  },
  mariadb: {
    packages: ['mariadb-server', 'mariadb-client', 'gosu'],
    dockerfile: [
      'INSTALL',
      // The package initialises a data directory at install time; Docker would copy it into a fresh
      // volume, so the entrypoint would never initialise with the configured passwords.
      'RUN rm -rf /var/lib/mysql && mkdir -p /var/lib/mysql /run/mysqld && chown mysql:mysql /var/lib/mysql /run/mysqld',
      'EXPOSE 3306',
    ],
    entrypoint: MARIADB_ENTRYPOINT,
    cmd: ['mariadbd', '--bind-address=0.0.0.0'],
  },
  redis: {
    packages: ['redis-server', 'redis-tools', 'gosu'],
    dockerfile: ['INSTALL', 'RUN mkdir -p /data && chown redis:redis /data', 'WORKDIR /data', 'EXPOSE 6379'],
    entrypoint: REDIS_ENTRYPOINT,
    cmd: ['redis-server'],
  },
};

const builds = new Map<DatabaseEngine, Promise<string>>();

/** Builds (or reuses) the three database images, in parallel once the Debian base exists. */
export async function buildTestDatabaseImages(
  options: { docker?: Dockerode; log?: (line: string) => void } = {},
): Promise<Record<DatabaseEngine, string>> {
  const docker = options.docker ?? new Dockerode();
  const log = options.log ?? (() => {});
  await buildDebianBase(docker, log);
  const engines = Object.keys(RECIPES) as DatabaseEngine[];
  await Promise.all(engines.map((engine) => buildOnce(docker, engine, log)));
  return TEST_DATABASE_IMAGES;
}

/** Builds (or reuses) one database image. */
export async function buildTestDatabaseImage(
  engine: DatabaseEngine,
  options: { docker?: Dockerode; log?: (line: string) => void } = {},
): Promise<string> {
  const docker = options.docker ?? new Dockerode();
  const log = options.log ?? (() => {});
  await buildDebianBase(docker, log);
  return buildOnce(docker, engine, log);
}

function buildOnce(docker: Dockerode, engine: DatabaseEngine, log: (line: string) => void): Promise<string> {
  let build = builds.get(engine);
  if (!build) {
    build = buildIfMissing(docker, TEST_DATABASE_IMAGES[engine], RECIPES[engine], log);
    builds.set(engine, build);
    build.catch(() => builds.delete(engine));
  }
  return build;
}

async function buildIfMissing(
  docker: Dockerode,
  tag: string,
  recipe: Recipe,
  log: (line: string) => void,
): Promise<string> {
  // An image left by an older recipe under the same tag is rebuilt: the recipe's hash is a label.
  const hash = createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 16);
  const current = await docker
    .getImage(tag)
    .inspect()
    .then(
      (image) => image.Config.Labels?.[RECIPE_LABEL] === hash,
      () => false,
    );
  if (current) return tag;
  const scratch = await mkdtemp(path.join(tmpdir(), 'rise-test-db-image-'));
  try {
    const entrypoint = path.join(scratch, 'docker-entrypoint.sh');
    await writeFile(entrypoint, recipe.entrypoint);
    await chmod(entrypoint, 0o755);
    const install = `RUN ${APT_INSTALL} ${recipe.packages.join(' ')} && rm -rf /var/lib/apt/lists/*`;
    const dockerfile = [
      `FROM ${TEST_DEBIAN_IMAGE}`,
      `LABEL ${LABEL}=1 ${RECIPE_LABEL}=${hash}`,
      ...recipe.dockerfile.map((line) => (line === 'INSTALL' ? install : line)),
      'COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh',
      'RUN chmod 755 /usr/local/bin/docker-entrypoint.sh',
      'ENTRYPOINT ["docker-entrypoint.sh"]',
      `CMD ${JSON.stringify(recipe.cmd)}`,
    ];
    log(`building ${tag}`);
    await dockerBuild(docker, tag, log, dockerfile, { 'docker-entrypoint.sh': entrypoint });
    return tag;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// `npx tsx test/database-images.ts` builds the images ahead of a test run.
if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  await buildTestDatabaseImages({ log: (line) => console.log(line) });
  console.log(`test database images ready in ${Math.round((Date.now() - started) / 1000)} s`);
}
