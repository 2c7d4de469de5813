/**
 * `npm run platform:restore -- <backup-id> --yes`: replaces Rise's own database with a platform
 * backup. Stop the web app and workers first. With no DATABASE_URL it uses the embedded PostgreSQL
 * of RISE_DATA_DIR, like `npm start`. List backups with `rise backup platform list` or the admin page.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startEmbeddedPostgres } from '../src/server/platform/embedded-postgres';
import { freePort } from '../src/server/platform/free-port';
import { loadOrCreateLocalSecrets } from '../src/server/platform/local-secrets';

const say = (line: string) => console.log(`[platform-restore] ${line}`);

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { yes: { type: 'boolean', default: false } },
  });
  const backupId = z
    .string({ message: 'usage: npm run platform:restore -- <backup-id> --yes' })
    .regex(/^[a-z0-9]+$/, { message: 'a backup id is lowercase letters and digits' })
    .parse(positionals[0]);
  if (!values.yes) {
    throw new Error(
      "This replaces Rise's database with the backup. Stop the web app and workers, then add --yes.",
    );
  }
  const dataDir = resolve(process.env.RISE_DATA_DIR || '.rise');
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;
  if (!process.env.DATABASE_URL) {
    const secrets = loadOrCreateLocalSecrets(dataDir);
    process.env.RISE_ENCRYPTION_KEY ||= secrets.encryptionKey;
    embedded = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      port: Number(process.env.RISE_EMBEDDED_POSTGRES_PORT) || (await freePort()),
      password: secrets.postgresPassword,
      database: 'rise',
    });
    process.env.DATABASE_URL = embedded.url;
  }
  try {
    const { backupDeps } = await import('../src/server/jobs/backup-deps');
    const { restorePlatformFromBackup } = await import('../src/server/domains/backups/platform-restore');
    await restorePlatformFromBackup(backupDeps(), backupId, say);
    say('done; start Rise again');
  } finally {
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(
      `[platform-restore] ${error instanceof z.ZodError ? error.issues[0]?.message : error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
  },
);
