import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { base32, ensureRegistrySigningKey, libtrustKeyId, signingKeyPaths } from './signing-key';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rise-signing-key-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function run(command: string, args: string[], input?: Buffer): Buffer {
  const result = spawnSync(command, args, { input });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return result.stdout;
}

describe('base32', () => {
  it('matches RFC 4648 test vectors without padding', () => {
    expect(base32(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32(Buffer.from('fooba'))).toBe('MZXW6YTB');
    expect(base32(Buffer.from('f'))).toBe('MY');
  });
});

describe('registry signing key', () => {
  it('creates a 0600 key and a readable self-signed certificate, stable across loads', async () => {
    const dir = tempDir();
    const key = await ensureRegistrySigningKey(dir);
    const paths = signingKeyPaths(dir);
    expect(statSync(paths.key).mode & 0o777).toBe(0o600);
    expect(statSync(paths.certificate).mode & 0o777).toBe(0o644);
    expect(paths.certificate).toBe(path.join(dir, 'registry-certs', 'rise-registry.crt'));
    // openssl agrees the certificate is self-signed and holds the key.
    const verify = run('openssl', ['verify', '-CAfile', paths.certificate, paths.certificate]);
    expect(verify.toString()).toContain('OK');
    const certKey = run('openssl', ['x509', '-in', paths.certificate, '-noout', '-pubkey']).toString();
    expect(certKey.trim()).toBe(String(key.publicKey.export({ type: 'spki', format: 'pem' })).trim());
    expect(Buffer.from(key.certificateDer, 'base64').toString('base64')).toBe(key.certificateDer);
  });

  it('computes the libtrust kid the way openssl + coreutils do', async () => {
    const dir = tempDir();
    const key = await ensureRegistrySigningKey(dir);
    // Independent computation: SPKI DER from the certificate → SHA-256 → first 30 bytes → base32.
    const pubPem = run('openssl', ['x509', '-in', signingKeyPaths(dir).certificate, '-noout', '-pubkey']);
    const der = run('openssl', ['pkey', '-pubin', '-outform', 'DER'], pubPem);
    const digest = run('openssl', ['dgst', '-sha256', '-binary'], der).subarray(0, 30);
    const encoded = run('base32', ['-w', '0'], digest).toString().trim().replace(/=+$/, '');
    const expected = encoded.match(/.{4}/g)!.join(':');
    expect(key.kid).toBe(expected);
    expect(key.kid).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
    expect(libtrustKeyId(key.publicKey)).toBe(expected);
  });
});
