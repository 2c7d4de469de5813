import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { safeReturnUrl } from './return-url';

const config = parseEnv({ RISE_URL: 'https://rise.dev', RISE_BASE_DOMAIN: 'rise.dev' });

describe('safeReturnUrl', () => {
  it("keeps paths and URLs on Rise's own origin", () => {
    expect(safeReturnUrl('/cli/login?code=WDJB-MJHT', config)).toBe('/cli/login?code=WDJB-MJHT');
    expect(safeReturnUrl('https://rise.dev/api/proxy/authorize?host=a.rise.dev', config)).toBe(
      'https://rise.dev/api/proxy/authorize?host=a.rise.dev',
    );
  });

  it('refuses everything else, including app hosts and browser-normalised tricks', () => {
    expect(safeReturnUrl('//evil.example/x', config)).toBe('/');
    expect(safeReturnUrl('/\\evil.example/x', config)).toBe('/');
    expect(safeReturnUrl('/\t/evil.example/x', config)).toBe('/');
    expect(safeReturnUrl('https://evil.example/x', config)).toBe('/');
    expect(safeReturnUrl('https://rise.dev.evil.example/', config)).toBe('/');
    expect(safeReturnUrl('https://secret-app.rise.dev/admin', config)).toBe('/');
    expect(safeReturnUrl('http://rise.dev/', config)).toBe('/');
    expect(safeReturnUrl('javascript:alert(1)', config)).toBe('/');
    expect(safeReturnUrl(undefined, config)).toBe('/');
  });
});
