import { describe, expect, it } from 'vitest';
import { deployMessages, shortDigest } from './deploy-messages';

// The end of the CLI journey in PRODUCT.md, copied verbatim: `rise d c secret-app` on a production
// install (RISE_BASE_DOMAIN=rise.dev, registry registry.rise.dev, backend buildpacks).
const PRODUCT_TRANSCRIPT = `
$ rise d c secret-app
Building container image 'registry.rise.dev/secret-app:latest' using buildpacks...
Pushing container image to registry.rise.dev...
Deploying 'secret-app' ...
Deployment successful! Your app is now running at https://secret-app.rise.dev
`;

describe('the lines rise d c prints', () => {
  it('are the transcript of PRODUCT.md, line by line', () => {
    const expected = PRODUCT_TRANSCRIPT.trim().split('\n').slice(1);
    expect([
      deployMessages.building('registry.rise.dev/secret-app:latest', 'buildpacks'),
      deployMessages.pushing('registry.rise.dev'),
      deployMessages.deploying('secret-app'),
      deployMessages.succeeded('https://secret-app.rise.dev'),
    ]).toEqual(expected);
  });
});

describe('shortDigest', () => {
  it('shows the first 12 hex digits, as docker shows image ids', () => {
    expect(shortDigest(`sha256:${'0123456789ab'}${'f'.repeat(52)}`)).toBe('0123456789ab');
  });

  it('shows - for a deployment that has no digest yet', () => {
    expect(shortDigest(null)).toBe('-');
    expect(shortDigest(undefined)).toBe('-');
  });
});
