import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDeployKey } from './deploy-key';

const dir = mkdtempSync(join(tmpdir(), 'rise-deploy-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generateDeployKey', () => {
  it('gives an ssh-ed25519 authorized_keys line with the comment', () => {
    const { publicKey } = generateDeployKey('rise-shop');
    expect(publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} rise-shop$/);
  });

  it('writes a private key that ssh-keygen reads and derives the same public key from', () => {
    const { publicKey, privateKey } = generateDeployKey('rise-shop');
    expect(privateKey.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----\n')).toBe(true);
    const file = join(dir, 'id_ed25519');
    writeFileSync(file, privateKey, { mode: 0o600 });
    // -y prints the public key (with the comment) computed from the private key file.
    expect(execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim()).toBe(publicKey);
  });

  it('makes a new pair on each call', () => {
    expect(generateDeployKey('a').publicKey).not.toBe(generateDeployKey('a').publicKey);
  });

  it('signs with ssh-keygen, and the signature verifies against the public key', () => {
    const { publicKey, privateKey } = generateDeployKey('rise-shop');
    const keyFile = join(dir, 'sign_key');
    const message = join(dir, 'message');
    writeFileSync(keyFile, privateKey, { mode: 0o600 });
    writeFileSync(message, 'hello');
    execFileSync('ssh-keygen', ['-Y', 'sign', '-f', keyFile, '-n', 'file', message], { stdio: 'ignore' });
    const allowed = join(dir, 'allowed');
    writeFileSync(allowed, `rise@test ${publicKey}\n`);
    const out = execFileSync(
      'ssh-keygen',
      ['-Y', 'verify', '-f', allowed, '-I', 'rise@test', '-n', 'file', '-s', `${message}.sig`],
      { input: 'hello', encoding: 'utf8' },
    );
    expect(out).toContain('Good "file" signature for rise@test');
  });
});
