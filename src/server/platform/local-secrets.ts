import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const secretsFile = z.object({
  authSecret: z.string().min(32),
  encryptionKey: z.string(),
  postgresPassword: z.string().min(16),
});
export type LocalSecrets = z.infer<typeof secretsFile>;

/**
 * Secrets for the embedded install, generated once and kept in `<dataDir>/secrets.json` (mode 0600),
 * so sessions and encrypted values survive restarts without any setup.
 */
export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const path = join(dataDir, 'secrets.json');
  if (existsSync(path)) return secretsFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  const secrets: LocalSecrets = {
    authSecret: randomBytes(32).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
    postgresPassword: randomBytes(18).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
