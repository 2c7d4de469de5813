import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './secret-box';

const key = randomBytes(32).toString('base64');

describe('secret box', () => {
  it('round-trips and never contains the plaintext', () => {
    const sealed = encryptSecret('hunter2-very-secret', key);
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('hunter2');
    expect(decryptSecret(sealed, key)).toBe('hunter2-very-secret');
  });

  it('uses a fresh IV each time', () => {
    expect(encryptSecret('same', key)).not.toBe(encryptSecret('same', key));
  });

  it('rejects a tampered ciphertext and a wrong key', () => {
    const sealed = encryptSecret('value', key);
    const parts = sealed.split(':');
    const tampered = [...parts.slice(0, 3), Buffer.from('other').toString('base64')].join(':');
    expect(() => decryptSecret(tampered, key)).toThrow();
    expect(() => decryptSecret(sealed, randomBytes(32).toString('hex'))).toThrow();
    expect(() => decryptSecret('plain text', key)).toThrow(/not a Rise-encrypted value/);
  });
});
