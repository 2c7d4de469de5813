import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILDER_USERNAME, signCredential, verifyCredential } from './registry-credential';
import { ensureRegistrySigningKey } from './signing-key';

const dataDir = mkdtempSync(join(tmpdir(), 'rise-credential-'));
const issuer = 'rise-test';
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('a server build’s push credential', () => {
  it('pulls and pushes its own project’s repository, and names the deployment it builds', async () => {
    const key = await ensureRegistrySigningKey(dataDir);
    const signed = await signCredential(
      key,
      {
        subject: { kind: 'build', project: 'shop', deploymentId: 'dep-1' },
        repository: 'shop',
        actions: ['pull', 'push'],
        ttlSeconds: 300,
      },
      issuer,
    );
    expect(signed.username).toBe(BUILDER_USERNAME);
    const claims = await verifyCredential(key, signed.password, issuer);
    expect(claims).toMatchObject({
      subject: { kind: 'build', project: 'shop', deploymentId: 'dep-1' },
      repository: 'shop',
      actions: ['pull', 'push'],
    });
  });

  it('is refused for another project’s repository', async () => {
    const key = await ensureRegistrySigningKey(dataDir);
    const signed = await signCredential(
      key,
      {
        subject: { kind: 'build', project: 'shop', deploymentId: 'dep-1' },
        repository: 'other',
        actions: ['push'],
        ttlSeconds: 300,
      },
      issuer,
    );
    expect(await verifyCredential(key, signed.password, issuer)).toBeNull();
  });
});
