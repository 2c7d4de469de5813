import { hkdfSync } from 'node:crypto';
import path from 'node:path';
import { decodeKey, env, requireEnv } from '@/env';

/**
 * The key encrypting backup archives: RISE_BACKUP_KEY, else derived from RISE_ENCRYPTION_KEY (so
 * keep that key: encrypted backups cannot be restored without it).
 */
export function backupArchiveKey(): Buffer {
  const explicit = env.RISE_BACKUP_KEY ? decodeKey(env.RISE_BACKUP_KEY) : null;
  if (explicit) return explicit;
  const master = decodeKey(requireEnv('RISE_ENCRYPTION_KEY')) as Buffer;
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'rise backup archives v1', 32));
}

/** Root of local backup destinations: runtime data, not something the build should trace. */
export const backupRoot = () =>
  path.resolve(/*turbopackIgnore: true*/ env.RISE_BACKUP_DIR ?? path.join(env.RISE_DATA_DIR, 'backups'));
