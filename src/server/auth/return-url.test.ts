import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { safeReturnUrl } from './return-url';

const config = parseEnv({ RISE_URL: 'https://rise.dev', RISE_BASE_DOMAIN: 'rise.dev' });

describe('safeReturnUrl', () => {
  it('keeps paths on Rise and app URLs under the base domain', () => {
    expect(safeReturnUrl('/cli/login?code=WDJB-MJHT', config)).toBe('/cli/login?code=WDJB-MJHT');
    expect(safeReturnUrl('https://secret-app.rise.dev/admin', config)).toBe(
      'https://secret-app.rise.dev/admin',
    );
  });

  it('refuses everything else', () => {
    expect(safeReturnUrl('//evil.example/x', config)).toBe('/');
    expect(safeReturnUrl('https://evil.example/x', config)).toBe('/');
    expect(safeReturnUrl('https://rise.dev.evil.example/', config)).toBe('/');
    expect(safeReturnUrl('javascript:alert(1)', config)).toBe('/');
    expect(safeReturnUrl(undefined, config)).toBe('/');
  });
});
