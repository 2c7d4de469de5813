/**
 * Prisma Migrate through scripts/prisma.mjs with no internet: the CLI must run on the WebAssembly schema
 * engine (scripts/prisma-schema-engine.mjs) against a real PostgreSQL, and never try to download anything.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';
import { freePort } from './free-port';

const prismaWrapper = fileURLToPath(new URL('../../../scripts/prisma.mjs', import.meta.url));
const TIMEOUT = 120_000;

const schemaV1 = `datasource db {
  provider = "postgresql"
}

enum Role {
  ADMIN
  MEMBER
}

model Team {
  id      String   @id @default(uuid())
  name    String   @unique
  members Member[]
}

model Member {
  id     String @id @default(uuid())
  email  String @unique
  role   Role   @default(MEMBER)
  teamId String
  team   Team   @relation(fields: [teamId], references: [id], onDelete: Cascade)

  @@index([teamId])
}
`;
const schemaV2 = schemaV1.replace(
  '  email  String @unique\n',
  '  email  String @unique\n  displayName String?\n',
);

// A hand-written migration Prisma would not generate: semicolons inside a $$-quoted body.
const triggerMigration = `CREATE FUNCTION member_lowercase_email() RETURNS trigger AS $$
BEGIN
  NEW.email := lower(NEW.email);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER member_lowercase_email BEFORE INSERT OR UPDATE ON "Member"
  FOR EACH ROW EXECUTE FUNCTION member_lowercase_email();
`;

type Result = { code: number | null; stdout: string; stderr: string };

describe('Prisma Migrate on the offline schema engine', { timeout: TIMEOUT }, () => {
  let pgDir: string;
  let projectDir: string;
  let server: EmbeddedPostgresHandle;
  let databaseUrl: string;
  const password = 'offline-test';

  // Runs the wrapper as the npm scripts do, with `command` split on spaces into arguments. Any download attempt
  // would go to a dead proxy and fail.
  function prisma(command: string, config = 'prisma.config.ts'): Promise<Result> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
      https_proxy: 'http://127.0.0.1:9',
      http_proxy: 'http://127.0.0.1:9',
      NO_PROXY: '',
      no_proxy: '',
    };
    delete env.PRISMA_SCHEMA_ENGINE_BINARY;
    delete env.RISE_PRISMA_ENGINE;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [prismaWrapper, ...command.split(' '), '--config', config], {
        cwd: projectDir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  // Asserts success, showing the CLI's output when it fails.
  function expectSuccess(result: Result) {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  }

  async function query<T extends pg.QueryResultRow>(sql: string, database = 'rise_offline'): Promise<T[]> {
    const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'rise', password, database });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  async function writeMigration(name: string, sql?: string) {
    await mkdir(join(projectDir, 'migrations', name), { recursive: true });
    if (sql !== undefined) await writeFile(join(projectDir, 'migrations', name, 'migration.sql'), sql);
    return join('migrations', name, 'migration.sql');
  }

  beforeAll(async () => {
    pgDir = await mkdtemp(join(tmpdir(), 'rise-prisma-offline-pg-'));
    projectDir = await mkdtemp(join(tmpdir(), 'rise-prisma-offline-'));
    const port = await freePort();
    server = await startEmbeddedPostgres({
      dataDir: pgDir,
      port,
      password,
      database: 'postgres',
      persistent: false,
    });
    // Prisma 7 takes the datasource URL only from the config file. The database does not exist yet.
    databaseUrl = `postgresql://rise:${password}@127.0.0.1:${port}/rise_offline`;
    const config = (url: string) =>
      `export default {\n  schema: 'schema.prisma',\n  migrations: { path: 'migrations' },\n  datasource: { url: '${url}' },\n};\n`;
    await writeFile(join(projectDir, 'prisma.config.ts'), config(databaseUrl));
    await writeFile(
      join(projectDir, 'unreachable.config.ts'),
      config(databaseUrl.replace(`:${port}/`, ':9/')),
    );
    await writeFile(join(projectDir, 'schema.prisma'), schemaV1);
    await mkdir(join(projectDir, 'migrations'));
    await writeFile(join(projectDir, 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
  }, TIMEOUT);

  afterAll(async () => {
    await server?.stop();
    for (const dir of [pgDir, projectDir]) if (dir) await rm(dir, { recursive: true, force: true });
  }, TIMEOUT);

  it('creates the missing database on migrate deploy', async () => {
    const result = await prisma('migrate deploy');
    expectSuccess(result);
    expect(result.stdout).toContain('database rise_offline created');
    expect(result.stdout).toContain('No pending migrations to apply.');
  });

  it('generates the initial migration, applies it and reports the database up to date', async () => {
    const file = await writeMigration('20250101000000_init');
    expectSuccess(await prisma(`migrate diff --from-empty --to-schema schema.prisma --script -o ${file}`));
    const sql = await readFile(join(projectDir, file), 'utf8');
    expect(sql).toContain(`CREATE TYPE "Role" AS ENUM ('ADMIN', 'MEMBER');`);
    expect(sql).toContain('CREATE TABLE "Member"');
    expect(sql).toContain('FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE');

    const deploy = await prisma('migrate deploy');
    expectSuccess(deploy);
    expect(deploy.stdout).toContain('20250101000000_init');

    const status = await prisma('migrate status');
    expectSuccess(status);
    expect(status.stdout).toContain('Database schema is up to date!');
  });

  it('generates and applies a follow-up migration from the previous schema', async () => {
    await copyFile(join(projectDir, 'schema.prisma'), join(projectDir, 'schema.v1.prisma'));
    await writeFile(join(projectDir, 'schema.prisma'), schemaV2);
    const file = await writeMigration('20250102000000_member_display_name');
    expectSuccess(
      await prisma(
        `migrate diff --from-schema schema.v1.prisma --to-schema schema.prisma --script -o ${file}`,
      ),
    );
    expect(await readFile(join(projectDir, file), 'utf8')).toContain('ADD COLUMN     "displayName" TEXT');

    expectSuccess(await prisma('migrate deploy'));
    const columns = await query<{ is_nullable: string }>(
      `SELECT is_nullable FROM information_schema.columns WHERE table_name = 'Member' AND column_name = 'displayName'`,
    );
    expect(columns).toEqual([{ is_nullable: 'YES' }]);
    const applied = await query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    expect(applied.map((row) => row.migration_name)).toEqual([
      '20250101000000_init',
      '20250102000000_member_display_name',
    ]);
  });

  it('applies a hand-written migration as one script', async () => {
    await writeMigration('20250103000000_member_lowercase_email', triggerMigration);
    expectSuccess(await prisma('migrate deploy'));
    await query(`INSERT INTO "Team" (id, name) VALUES ('t1', 'Team')`);
    await query(`INSERT INTO "Member" (id, email, "teamId") VALUES ('m1', 'Ada@Example.COM', 't1')`);
    expect(await query(`SELECT email FROM "Member"`)).toEqual([{ email: 'ada@example.com' }]);
  });

  it('finds no drift between the migrations and the schema, through a shadow database', async () => {
    const result = await prisma(
      'migrate diff --from-migrations migrations --to-schema schema.prisma --exit-code',
    );
    expectSuccess(result);
    expect(result.stdout).toContain('No difference detected.');
    const shadows = await query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'`,
    );
    expect(shadows).toEqual([]);
  });

  it('reports an unreachable database with its Prisma error code', async () => {
    const result = await prisma('migrate status', 'unreachable.config.ts');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("P1001: Can't reach database server at `127.0.0.1:9`");
  });
});
