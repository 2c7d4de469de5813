import { describe, expect, it } from 'vitest';
import { connectionEnv, connectionEnvKeys, connectionUrl } from './connection-env';

const credentials = { username: 'app', password: 'p@ss/word:1', database: 'app' };

describe('connection env', () => {
  it('builds engine URLs with the password escaped', () => {
    expect(connectionUrl('postgres', 'rise-db-x', credentials)).toBe(
      'postgres://app:p%40ss%2Fword%3A1@rise-db-x:5432/app',
    );
    expect(connectionUrl('mariadb', 'rise-db-x', credentials)).toBe(
      'mysql://app:p%40ss%2Fword%3A1@rise-db-x:3306/app',
    );
    expect(connectionUrl('redis', 'rise-db-x', credentials)).toBe(
      'redis://:p%40ss%2Fword%3A1@rise-db-x:6379',
    );
  });

  it('gives the URL and its parts under the prefix', () => {
    expect(connectionEnv('postgres', 'h', credentials, 'DATABASE')).toEqual({
      DATABASE_URL: 'postgres://app:p%40ss%2Fword%3A1@h:5432/app',
      DATABASE_HOST: 'h',
      DATABASE_PORT: '5432',
      DATABASE_USER: 'app',
      DATABASE_PASSWORD: 'p@ss/word:1',
      DATABASE_NAME: 'app',
    });
    expect(connectionEnvKeys('redis', 'CACHE')).toEqual([
      'CACHE_URL',
      'CACHE_HOST',
      'CACHE_PORT',
      'CACHE_PASSWORD',
    ]);
  });
});
