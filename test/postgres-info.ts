export type TestPostgres = { host: string; port: number; user: string; password: string; template: string };

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: TestPostgres;
  }
}

export const databaseUrl = (pg: TestPostgres, database: string) =>
  `postgresql://${pg.user}:${encodeURIComponent(pg.password)}@${pg.host}:${pg.port}/${database}`;
