import { describe, expect, it } from 'vitest';
import { parseAdminAddress } from './admin-address';

describe('parseAdminAddress', () => {
  it('reads http(s) origins, without a trailing slash', () => {
    expect(parseAdminAddress('http://127.0.0.1:2019/')).toEqual({
      kind: 'http',
      origin: 'http://127.0.0.1:2019',
    });
    expect(parseAdminAddress('https://caddy.internal:2019')).toEqual({
      kind: 'http',
      origin: 'https://caddy.internal:2019',
    });
  });

  it('reads unix:///absolute/path as a socket path, percent-decoded', () => {
    expect(parseAdminAddress('unix:///run/caddy-admin/admin.sock')).toEqual({
      kind: 'unix',
      socketPath: '/run/caddy-admin/admin.sock',
    });
    expect(parseAdminAddress('unix:///tmp/a%20b/admin.sock')).toEqual({
      kind: 'unix',
      socketPath: '/tmp/a b/admin.sock',
    });
  });

  it('refuses relative, empty or directory socket paths and other schemes', () => {
    for (const value of [
      'unix://admin.sock',
      'unix:/run/admin.sock',
      'unix:///',
      'unix:///run/',
      'unix:///run/admin.sock?x=1',
      'http://user:secret@caddy:2019',
      'ftp://caddy:2019',
      'caddy:2019',
      '',
    ]) {
      expect(parseAdminAddress(value), value).toBeNull();
    }
  });
});
