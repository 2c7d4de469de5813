import { describe, expect, it } from 'vitest';
import { databaseHost } from './database.service';

const id = 'c0ffee00112233445566aabb';

describe('database host names', () => {
  it('are rise-db-<project>-<database> for the default installation', () => {
    expect(databaseHost('shop', 'main', id, 'rise')).toBe('rise-db-shop-main');
  });

  it('name any other installation (as a DNS label), so two on one engine never share one', () => {
    expect(databaseHost('shop', 'main', id, 'staging')).toBe('rise-staging-db-shop-main');
    expect(databaseHost('shop', 'main', id, 'eu.west_1')).toBe('rise-eu-west-1-db-shop-main');
  });

  it('fall back to the database id when too long for a DNS label', () => {
    const long = `p${'x'.repeat(60)}`;
    expect(databaseHost(long, 'main', id, 'rise')).toBe('rise-db-main-5566aabb');
    expect(databaseHost('shop', 'main', id, 'i'.repeat(60))).toBe('rise-db-main-5566aabb');
  });
});
