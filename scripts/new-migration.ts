/**
 * `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
 * SQL that takes the committed migrations to prisma/schema.prisma. Works offline: it applies the
 * existing migrations to a throwaway embedded PostgreSQL and diffs that database against the schema.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/server/platform/embedded-postgres';
import { freePort } from '../src/server/platform/free-port';
import { runPrisma } from './prisma.mjs';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:migration -- <name_in_snake_case>');
  process.exit(2);
}

const dataDir = mkdtempSync(join(tmpdir(), 'rise-migration-'));
const postgres = await startEmbeddedPostgres({
  dataDir,
  port: await freePort(),
  password: 'migration',
  database: 'rise',
  persistent: false,
});
try {
  const env = { ...process.env, DATABASE_URL: postgres.url };
  if ((await runPrisma(['migrate', 'deploy'], { env, stdio: 'inherit' })) !== 0) process.exitCode = 1;
  else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = join('prisma', 'migrations', `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'migration.sql');
    const args = [
      'migrate',
      'diff',
      '--from-config-datasource',
      '--to-schema',
      'prisma/schema.prisma',
      '--script',
      '-o',
      file,
    ];
    if ((await runPrisma(args, { env, stdio: 'inherit' })) !== 0) process.exitCode = 1;
    else if (!/^\s*[A-Z]/m.test(readFileSync(file, 'utf8').replace(/^--.*$/gm, ''))) {
      rmSync(dir, { recursive: true });
      console.log('No changes: the migrations already match prisma/schema.prisma.');
    } else {
      console.log(`Wrote ${file}; review it, then commit it.`);
    }
  }
} finally {
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
