import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeKey, requireEnv } from '@/env';

// Format: v1:<iv b64>:<auth tag b64>:<ciphertext b64>. The version prefix lets keys rotate later.
const VERSION = 'v1';

function keyFrom(encodedKey?: string): Buffer {
  const key = decodeKey(encodedKey ?? requireEnv('RISE_ENCRYPTION_KEY'));
  if (!key) throw new Error('RISE_ENCRYPTION_KEY must be 32 bytes');
  return key;
}

export function encryptSecret(plaintext: string, encodedKey?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(encodedKey), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64'));
  return [VERSION, ...parts].join(':');
}

export function decryptSecret(sealed: string, encodedKey?: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(':');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
    throw new Error('not a Rise-encrypted value');
  }
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(encodedKey), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}
