import { type DatabaseCredentials, type DatabaseEngine, ENGINE_PORTS } from './engines';

export const DEFAULT_ENV_PREFIX: Record<DatabaseEngine, string> = {
  postgres: 'DATABASE',
  mariadb: 'DATABASE',
  redis: 'REDIS',
};

const SCHEME: Record<DatabaseEngine, string> = { postgres: 'postgres', mariadb: 'mysql', redis: 'redis' };

/** The connection URL apps use, e.g. postgres://app:secret@rise-db-hello-main:5432/app. */
export function connectionUrl(
  engine: DatabaseEngine,
  host: string,
  credentials: DatabaseCredentials,
): string {
  const url = new URL(`${SCHEME[engine]}://${host}:${ENGINE_PORTS[engine]}`);
  url.password = credentials.password;
  if (engine === 'redis') return url.toString().replace(/\/$/, '');
  url.username = credentials.username;
  url.pathname = `/${credentials.database}`;
  return url.toString();
}

/** The env vars a linked database gives its project: <prefix>_URL plus the parts, for apps that want them. */
export function connectionEnv(
  engine: DatabaseEngine,
  host: string,
  credentials: DatabaseCredentials,
  prefix: string,
): Record<string, string> {
  const port = String(ENGINE_PORTS[engine]);
  const common = {
    [`${prefix}_URL`]: connectionUrl(engine, host, credentials),
    [`${prefix}_HOST`]: host,
    [`${prefix}_PORT`]: port,
    [`${prefix}_PASSWORD`]: credentials.password,
  };
  if (engine === 'redis') return common;
  return { ...common, [`${prefix}_USER`]: credentials.username, [`${prefix}_NAME`]: credentials.database };
}

export const connectionEnvKeys = (engine: DatabaseEngine, prefix: string) =>
  Object.keys(connectionEnv(engine, 'h', { username: 'u', password: 'p', database: 'd' }, prefix));
