// What the CLI, the dashboard and the server agree on about managed databases, free of their adapters.

export const DATABASE_ENGINES = ['postgres', 'mariadb', 'redis'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** The port each engine listens on inside its container (never published on the host). */
export const ENGINE_PORTS: Record<DatabaseEngine, number> = {
  postgres: 5432,
  mariadb: 3306,
  redis: 6379,
};

/** Generated when a database is created; the password is encrypted at rest by the caller. */
export interface DatabaseCredentials {
  username: string;
  password: string;
  /** Database name (PostgreSQL, MariaDB); Redis ignores it. */
  database: string;
}
